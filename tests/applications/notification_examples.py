"""The context each kind of notification is queued with, as documented in docs/notifications.md."""

from applications.enums import NotificationKind as Kind

APPLICATION = {
    "reference": "SBX-2026-00042",
    "title": "Tenge stablecoin pilot",
    "application_id": 7,
}

EXAMPLE_CONTEXTS = {
    Kind.APPLICATION_SUBMITTED: {**APPLICATION, "cohort": "2026-2", "programme": "NBK sandbox"},
    Kind.APPLICATION_WITHDRAWN: {**APPLICATION, "cohort": "2026-2", "programme": "NBK sandbox"},
    Kind.ORGANISATION_INVITATION: {
        "organisation": "Steppe LLP",
        "inviter": "Aigerim Sarsenova",
        "token": "abc",
    },
    # The four kinds below are sent by the reviewer workspace, with the exact page to open.
    Kind.RFI_RAISED: {**APPLICATION, "due_on": "14.12.2026", "url": "/applications/7/"},
    Kind.RFI_ANSWERED: {**APPLICATION, "url": "/applications/staff/7/"},
    Kind.RFI_DUE: {
        **APPLICATION,
        "rfi_subject": "Custody arrangements",
        "due_date": "2026-12-14",
    },
    Kind.RFI_OVERDUE: {
        **APPLICATION,
        "rfi_subject": "Custody arrangements",
        "due_date": "2026-12-14",
    },
    Kind.DOCUMENT_TO_CORRECT: {
        **APPLICATION,
        "document": "Business plan",
        "note": "Page 4 is missing.",
        "url": "/applications/7/documents/",
    },
    Kind.REVIEWER_ASSIGNED: {
        **APPLICATION,
        "cohort": "2026-2",
        "programme": "NBK special regime",
        "organisation": "Steppe Ledger LLP",
        "url": "/applications/review/7/declaration/",
    },
    # Sent by decisions and testing supervision, with the exact page to open.
    Kind.DECISION_RELEASED: {**APPLICATION, "outcome": "Approved", "url": "/applications/7/"},
    Kind.REPORT_DUE: {
        **APPLICATION,
        "report": "Monthly report, March 2027",
        "due_on": "14.04.2027",
        "url": "/participations/7/",
    },
    Kind.REPORT_OVERDUE: {
        **APPLICATION,
        "report": "Monthly report, March 2027",
        "due_on": "14.04.2027",
        "url": "/participations/7/",
    },
    Kind.EXTENSION_DECIDED: {**APPLICATION, "granted": True, "new_end_date": "2028-06-30"},
    Kind.CLOCK_BREACHED: {
        **APPLICATION,
        "stage": "Completeness screening",
        "due_date": "2026-12-07",
    },
    Kind.REVIEWER_DEADLINE_REMINDER: {**APPLICATION, "due_date": "2027-01-20", "days_left": 2},
    Kind.DAILY_DIGEST: {
        "items": [
            {
                "subject": "Application SBX-2026-00042 received",
                "link": "http://127.0.0.1:8000/applications/7/",
            },
            {
                "subject": "Report for 2027-03 due on 2027-04-14",
                "link": "http://127.0.0.1:8000/applications/7/",
            },
        ]
    },
    Kind.COHORT_OPENED: {
        "cohort": "2027-1 CryptoCity",
        "programme": "NBK special regime",
        "closes_at": "30.04.2027 18:00",
        "url": "/applications/staff/",
    },
    Kind.COHORT_CLOSED: {
        "cohort": "2027-1 CryptoCity",
        "programme": "NBK special regime",
        "submitted": 14,
        "url": "/applications/staff/",
    },
    Kind.COHORT_CLOSED_DRAFT: {
        **APPLICATION,
        "cohort": "2027-1 CryptoCity",
        "programme": "NBK special regime",
        "url": "/applications/7/",
    },
}
