"""The emails of decisions and reports render with their context, in every language."""

import pytest
from django.core import mail

from applications.enums import NotificationKind
from applications.services.notifications import queue_notification, send_notification

pytestmark = pytest.mark.django_db

REPORT = {
    "reference": "SBX-2026-00042",
    "title": "Tenge remittances",
    "report": "Monthly report",
    "due_on": "16.03.2027",
    "url": "/participations/7/",
}
CASES = [
    (
        NotificationKind.DECISION_RELEASED,
        {**REPORT, "outcome": "Approved"},
        "Decision on application SBX-2026-00042",
        "The regulator has published its decision on the application “Tenge remittances” "
        "(SBX-2026-00042): Approved.",
    ),
    (
        NotificationKind.REPORT_DUE,
        REPORT,
        "Report due on 16.03.2027 for SBX-2026-00042",
        "Your Monthly report for SBX-2026-00042 (Tenge remittances) is due on 16.03.2027.",
    ),
    (
        NotificationKind.REPORT_OVERDUE,
        REPORT,
        "Overdue report for SBX-2026-00042",
        "Your Monthly report for SBX-2026-00042 (Tenge remittances) was due on 16.03.2027",
    ),
]


@pytest.mark.parametrize(("kind", "context", "subject", "sentence"), CASES)
def test_decision_and_report_emails_say_what_happened(settings, kind, context, subject, sentence):
    notification = queue_notification(kind=kind, email="a@example.kz", context=context)
    assert send_notification(notification_id=notification.pk) is True
    message = mail.outbox[-1]
    assert message.subject == f"[Sandbox Portal] {subject}"
    assert sentence in message.body
    assert f"{settings.SITE_URL}/participations/7/" in message.body
    assert f'href="{settings.SITE_URL}/participations/7/"' in message.alternatives[0][0]


@pytest.mark.parametrize("kind", [case[0] for case in CASES])
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_decision_and_report_emails_render_in_every_language(kind, language):
    context = {**REPORT, "outcome": "Approved"}
    notification = queue_notification(
        kind=kind, email="a@example.kz", context=context, language=language
    )
    assert send_notification(notification_id=notification.pk) is True
    assert "SBX-2026-00042" in mail.outbox[-1].subject
