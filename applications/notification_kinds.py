"""What each kind of notification is: its preference category and the page it links to.

docs/notifications.md lists the context keys each kind's templates use. A kind with no category is
legally required (decisions, requests for information, documents to correct, invitations): it is
always emailed at once, whatever the recipient chose.
"""

from dataclasses import dataclass

from django.urls import reverse

from applications.enums import NotificationCategory as Category
from applications.enums import NotificationKind as Kind


@dataclass(frozen=True)
class KindSpec:
    category: Category | None
    url_name: str
    url_keys: tuple[str, ...] = ()

    @property
    def legally_required(self) -> bool:
        return self.category is None


APPLICANT_PAGE = "applications:application-detail"
STAFF_LIST = "applications:staff-application-list"

# Pages that other issues are building (the RFI page, the review page, the report page) link to
# the application for now; change url_name here when they exist.
KINDS: dict[str, KindSpec] = {
    Kind.APPLICATION_SUBMITTED: KindSpec(
        Category.APPLICATION_UPDATES, "applications:application-receipt", ("application_id",)
    ),
    Kind.APPLICATION_WITHDRAWN: KindSpec(
        Category.APPLICATION_UPDATES, APPLICANT_PAGE, ("application_id",)
    ),
    Kind.ORGANISATION_INVITATION: KindSpec(None, "accounts:invitation-accept", ("token",)),
    Kind.RFI_RAISED: KindSpec(None, APPLICANT_PAGE, ("application_id",)),
    Kind.RFI_ANSWERED: KindSpec(None, STAFF_LIST),
    Kind.RFI_OVERDUE: KindSpec(None, APPLICANT_PAGE, ("application_id",)),
    Kind.RFI_DUE: KindSpec(None, APPLICANT_PAGE, ("application_id",)),
    Kind.DOCUMENT_TO_CORRECT: KindSpec(None, "applications:document-list", ("application_id",)),
    Kind.REVIEWER_ASSIGNED: KindSpec(Category.REVIEW_WORK, STAFF_LIST),
    Kind.DECISION_RELEASED: KindSpec(None, APPLICANT_PAGE, ("application_id",)),
    Kind.REPORT_DUE: KindSpec(Category.REPORTING, APPLICANT_PAGE, ("application_id",)),
    Kind.REPORT_OVERDUE: KindSpec(Category.REPORTING, APPLICANT_PAGE, ("application_id",)),
    Kind.EXTENSION_DECIDED: KindSpec(Category.REPORTING, APPLICANT_PAGE, ("application_id",)),
    Kind.CLOCK_BREACHED: KindSpec(Category.OVERSIGHT, STAFF_LIST),
    Kind.REVIEWER_DEADLINE_REMINDER: KindSpec(Category.REVIEW_WORK, STAFF_LIST),
    Kind.DAILY_DIGEST: KindSpec(None, "applications:notification-list"),
    # Cohort schedule (services/cohorts.py): the panel hears of openings and closings; firms with
    # an unsubmitted draft of the last.
    Kind.COHORT_OPENED: KindSpec(Category.REVIEW_WORK, STAFF_LIST),
    Kind.COHORT_CLOSED: KindSpec(Category.REVIEW_WORK, STAFF_LIST),
    Kind.COHORT_CLOSED_DRAFT: KindSpec(
        Category.APPLICATION_UPDATES, APPLICANT_PAGE, ("application_id",)
    ),
}


def spec_for(kind: str) -> KindSpec:
    return KINDS[kind]


def link_for(kind: str, context: dict, application=None) -> str:
    """The site-relative path of the page a notification is about: the exact page the sender
    named (`url` in the context), else the kind's page for the application."""
    if context.get("url"):
        return context["url"]
    spec = KINDS[kind]
    known = {"application_id": application.pk} if application is not None else {}
    return reverse(spec.url_name, args=[context.get(key, known.get(key)) for key in spec.url_keys])
