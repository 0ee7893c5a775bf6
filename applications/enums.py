"""The vocabulary of the domain: states, kinds and categories (DESIGN.md §1-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Completeness screening")
    ELIGIBILITY = "eligibility", _("Eligibility assessment")
    EVALUATION = "evaluation", _("Evaluation")
    DECISION_PENDING = "decision_pending", _("Decision pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    ONBOARDING = "onboarding", _("Onboarding")
    TESTING = "testing", _("Testing")
    SUSPENDED = "suspended", _("Suspended")
    EXITING = "exiting", _("Exiting")
    GRADUATED = "graduated", _("Graduated")
    EXITED = "exited", _("Exited")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationState
# States from which the applicant may still withdraw (DESIGN.md §2: any pre-decision state).
PRE_DECISION_STATES = (
    S.DRAFT,
    S.SUBMITTED,
    S.SCREENING,
    S.ELIGIBILITY,
    S.EVALUATION,
    S.DECISION_PENDING,
)
TERMINAL_STATES = (S.NOT_ELIGIBLE, S.REJECTED, S.WITHDRAWN, S.GRADUATED, S.EXITED, S.TERMINATED)


class IntakeMode(models.TextChoices):
    COHORT = "cohort", _("Cohort windows")
    ROLLING = "rolling", _("Rolling (always open)")


class Track(models.TextChoices):
    TESTING = "testing", _("Testing: a new activity or technology")
    DEVELOPING = "developing", _("Developing: already authorised elsewhere")


class ActivityCategory(models.TextChoices):
    DA_EXCHANGE = "da_exchange", _("Digital-asset exchange or trading platform")
    DA_CUSTODY = "da_custody", _("Digital-asset custody")
    STABLECOIN = "stablecoin", _("Fiat-backed token or stablecoin")
    TOKENISATION = "tokenisation", _("Tokenisation or digital financial asset platform")
    PAYMENTS = "payments", _("Payments and remittance")
    LENDING = "lending", _("Lending and crowdfunding")
    REGTECH = "regtech", _("RegTech and compliance")
    OTHER = "other", _("Other")


class ClientType(models.TextChoices):
    RETAIL_INDIVIDUAL = "retail_individual", _("Retail clients: individuals")
    RETAIL_CORPORATE = "retail_corporate", _("Retail clients: companies")
    PROFESSIONAL = "professional", _("Professional clients")


class Currency(models.TextChoices):
    KZT = "KZT", _("Kazakhstani tenge (KZT)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    BTC = "BTC", _("Bitcoin (BTC)")
    ETH = "ETH", _("Ether (ETH)")
    USDT = "USDT", _("Tether (USDT)")


class DocumentStage(models.TextChoices):
    APPLICATION = "application", _("Application")
    RFI = "rfi", _("Request for information")
    ONBOARDING = "onboarding", _("Onboarding")
    TESTING = "testing", _("Testing")
    EXIT = "exit", _("Exit")


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Being checked")
    CLEAN = "clean", _("Clean")
    QUARANTINED = "quarantined", _("Quarantined")


class EventKind(models.TextChoices):
    APPLICATION_CREATED = "application_created", _("Application started")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    SCREENING_STARTED = "screening_started", _("Screening started")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    DOCUMENT_SCANNED = "document_scanned", _("Document checked")
    ORGANISATION_CREATED = "organisation_created", _("Organisation registered")
    ORGANISATION_UPDATED = "organisation_updated", _("Organisation profile updated")
    MEMBER_INVITED = "member_invited", _("Member invited")
    MEMBER_JOINED = "member_joined", _("Member joined")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    NOTIFICATION_RETRIED = "notification_retried", _("Notification sent again")


class NotificationKind(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    ORGANISATION_INVITATION = "organisation_invitation", _("Invitation to an organisation")
    RFI_RAISED = "rfi_raised", _("Request for information")
    RFI_ANSWERED = "rfi_answered", _("Request for information answered")
    RFI_OVERDUE = "rfi_overdue", _("Request for information overdue")
    DOCUMENT_TO_CORRECT = "document_to_correct", _("Document to be corrected")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    DECISION_RELEASED = "decision_released", _("Decision released")
    REPORT_DUE = "report_due", _("Report due")
    REPORT_OVERDUE = "report_overdue", _("Report overdue")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    CLOCK_BREACHED = "clock_breached", _("Deadline missed")
    REVIEWER_DEADLINE_REMINDER = "reviewer_deadline_reminder", _("Review deadline approaching")
    DAILY_DIGEST = "daily_digest", _("Daily digest")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DIGEST = "digest", _("Waiting for the daily digest")
    SKIPPED = "skipped", _("Not emailed (recipient's choice)")


class NotificationCategory(models.TextChoices):
    """What a person may choose how to receive. Legally required kinds belong to none."""

    APPLICATION_UPDATES = "application_updates", _("Updates on applications")
    REVIEW_WORK = "review_work", _("Review assignments and deadlines")
    REPORTING = "reporting", _("Reports and extensions")
    OVERSIGHT = "oversight", _("Missed deadlines (programme admins)")


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("One email a day (daily digest)")
    OFF = "off", _("No email (only in the portal)")
