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
    # Reviewer workspace
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    REVIEWER_UNASSIGNED = "reviewer_unassigned", _("Reviewer removed")
    CASE_OFFICER_ASSIGNED = "case_officer_assigned", _("Case officer assigned")
    CONFLICT_DECLARED = "conflict_declared", _("No conflict of interest declared")
    REVIEWER_RECUSED = "reviewer_recused", _("Reviewer recused")
    CONFLICT_REGISTERED = "conflict_registered", _("Conflict of interest registered")
    CONFLICT_REMOVED = "conflict_removed", _("Conflict of interest removed")
    DOCUMENT_ACCEPTED = "document_accepted", _("Document accepted")
    DOCUMENT_TO_CORRECT = "document_to_correct", _("Document to be corrected")
    RFI_RAISED = "rfi_raised", _("Request for information sent")
    RFI_ANSWERED = "rfi_answered", _("Request for information answered")
    RFI_CANCELLED = "rfi_cancelled", _("Request for information cancelled")
    PACKAGE_COMPLETE = "package_complete", _("Package accepted as complete")
    FOUND_ELIGIBLE = "found_eligible", _("Found eligible")
    NOT_ELIGIBLE_PROPOSED = "not_eligible_proposed", _("Proposed as not eligible")
    NOT_ELIGIBLE_CONFIRMED = "not_eligible_confirmed", _("Found not eligible")
    NOT_ELIGIBLE_REJECTED = "not_eligible_rejected", _("Not-eligible proposal sent back")
    EVALUATION_COMPLETED = "evaluation_completed", _("Evaluation completed")
    REVIEW_SUBMITTED = "review_submitted", _("Review submitted")
    NOTE_ADDED = "note_added", _("Internal note added")
    CALENDAR_CHANGED = "calendar_changed", _("Working-day calendar changed")
    DOCUMENT_INTEGRITY_FAILED = "document_integrity_failed", _("Stored document failed its check")
    NOTIFICATION_RETRIED = "notification_retried", _("Notification sent again")
    # Programme admin console: programmes and cohorts (data holds before/after)
    PROGRAMME_CREATED = "programme_created", _("Programme created")
    PROGRAMME_UPDATED = "programme_updated", _("Programme settings changed")
    CRITERIA_CHANGED = "criteria_changed", _("Evaluation criteria changed")
    REQUIREMENTS_CHANGED = "requirements_changed", _("Document requirements changed")
    COHORT_CREATED = "cohort_created", _("Cohort created")
    COHORT_UPDATED = "cohort_updated", _("Cohort changed")
    COHORT_OPENED = "cohort_opened", _("Cohort opened")
    COHORT_CLOSED = "cohort_closed", _("Cohort closed")
    # Decisions, testing supervision and exit
    DECISION_PROPOSED = "decision_proposed", _("Decision proposed")
    DECISION_SENT_BACK = "decision_sent_back", _("Decision sent back to its maker")
    DECISION_CONFIRMED = "decision_confirmed", _("Decision approved by a second admin")
    DECISION_RELEASED = "decision_released", _("Decision released")
    OFFER_DECLINED = "offer_declined", _("Offer declined")
    ONBOARDING_STARTED = "onboarding_started", _("Onboarding started")
    CONDITION_MET = "condition_met", _("Pre-commencement condition met")
    TESTING_STARTED = "testing_started", _("Testing started")
    REPORT_FILED = "report_filed", _("Report filed")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    INCIDENT_REPORTED = "incident_reported", _("Incident reported")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    TESTING_SUSPENDED = "testing_suspended", _("Testing suspended")
    TESTING_REINSTATED = "testing_reinstated", _("Testing reinstated")
    PARTICIPATION_TERMINATED = "participation_terminated", _("Participation terminated")
    EXIT_STARTED = "exit_started", _("Exit started")
    PARTICIPANT_GRADUATED = "participant_graduated", _("Participant graduated")
    PARTICIPANT_EXITED = "participant_exited", _("Participant exited")
    # Exports (data holds the format and the filters)
    APPLICATIONS_EXPORTED = "applications_exported", _("Applications exported")


class NotificationKind(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    ORGANISATION_INVITATION = "organisation_invitation", _("Invitation to an organisation")
    RFI_RAISED = "rfi_raised", _("Request for information")
    RFI_ANSWERED = "rfi_answered", _("Request for information answered")
    RFI_OVERDUE = "rfi_overdue", _("Request for information overdue")
    RFI_DUE = "rfi_due", _("Request for information due soon")
    DOCUMENT_TO_CORRECT = "document_to_correct", _("Document to be corrected")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    DECISION_RELEASED = "decision_released", _("Decision released")
    REPORT_DUE = "report_due", _("Report due")
    REPORT_OVERDUE = "report_overdue", _("Report overdue")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    CLOCK_BREACHED = "clock_breached", _("Deadline missed")
    REVIEWER_DEADLINE_REMINDER = "reviewer_deadline_reminder", _("Review deadline approaching")
    DAILY_DIGEST = "daily_digest", _("Daily digest")
    COHORT_OPENED = "cohort_opened", _("Cohort opened")
    COHORT_CLOSED = "cohort_closed", _("Cohort closed")
    COHORT_CLOSED_DRAFT = "cohort_closed_draft", _("Cohort closed before your draft was submitted")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DIGEST = "digest", _("Waiting for the daily digest")
    SKIPPED = "skipped", _("Not emailed (recipient's choice)")


class ClockStage(models.TextChoices):
    """The regulator's clocks (DESIGN.md §3); each runs in working days."""

    SCREENING = "screening", _("Completeness screening")
    ELIGIBILITY = "eligibility", _("Eligibility assessment")
    EVALUATION = "evaluation", _("Evaluation")
    DECISION = "decision", _("Decision")


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off (bridge day)")
    WORKING_DAY = "working_day", _("Working day (transferred)")


class Declaration(models.TextChoices):
    PENDING = "pending", _("Not declared yet")
    NO_CONFLICT = "no_conflict", _("No conflict of interest")
    RECUSED = "recused", _("Recused")


class ConflictRelation(models.TextChoices):
    EMPLOYMENT = "employment", _("Current or former employment")
    FINANCIAL = "financial", _("Financial interest or shareholding")
    FAMILY = "family", _("Family or close personal relationship")
    ADVISORY = "advisory", _("Advisory, consulting or board role")
    OTHER = "other", _("Other")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    PROCEED = "proceed", _("Proceed")
    REJECT = "reject", _("Reject")
    REQUEST_INFORMATION = "request_information", _("Request more information")
    DEFER = "defer", _("Defer")


class RfiState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CANCELLED = "cancelled", _("Cancelled")


class DocumentCheck(models.TextChoices):
    """A screener's verdict on a document slot during completeness screening."""

    UNCHECKED = "", _("Not checked")
    ACCEPTED = "accepted", _("Accepted")
    TO_CORRECT = "to_correct", _("To be corrected")


# Reviewer workspace: states in which the case officer and reviewers may be assigned or removed.
ASSIGNABLE_STATES = (S.SUBMITTED, S.SCREENING, S.ELIGIBILITY, S.EVALUATION)
# States in which an assignment counts towards a reviewer's open workload.
OPEN_REVIEW_STATES = (S.SUBMITTED, S.SCREENING, S.ELIGIBILITY, S.EVALUATION, S.DECISION_PENDING)


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


class CohortPhase(models.TextChoices):
    """Where a cohort stands at a moment, from its window (console, register)."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    ROLLING = "rolling", _("Open (rolling)")
    CLOSED = "closed", _("Closed")


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waitlisted")


APPROVAL_OUTCOMES = (DecisionOutcome.APPROVED, DecisionOutcome.APPROVED_WITH_CONDITIONS)


class DecisionState(models.TextChoices):
    """Four eyes: one admin proposes, a second confirms or sends it back."""

    PROPOSED = "proposed", _("Awaiting a second admin")
    SENT_BACK = "sent_back", _("Sent back to its maker")
    CONFIRMED = "confirmed", _("Confirmed")


class OnboardingItem(models.TextChoices):
    AGREEMENT = "agreement", _("Testing agreement signed")
    DISCLOSURE = "disclosure", _("Customer disclosure that the firm operates under the sandbox")
    AML = "aml", _("AML/CFT systems in place")
    KEY_APPOINTMENTS = "key_appointments", _("Key appointments made")
    DECISION_CONDITION = "decision_condition", _("Condition of the decision")


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    QUARTERLY = "quarterly", _("Quarterly report")
    INCIDENT = "incident", _("Incident report")
    FINAL = "final", _("Final report")


class ReportState(models.TextChoices):
    DUE = "due", _("Due")
    FILED = "filed", _("Filed, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


# Reports still owed by the participant: not filed yet, or returned for correction.
OPEN_REPORT_STATES = (ReportState.DUE, ReportState.RETURNED)


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExitRoute(models.TextChoices):
    GRADUATED = "graduated", _("Graduated to a full licence")
    CEASED = "ceased", _("Ceased under the exit plan")
    CLIENTS_TRANSFERRED = "clients_transferred", _("Clients transferred")
    TERMINATED = "terminated", _("Terminated by the regulator")
    VOLUNTARY = "voluntary", _("Voluntary exit")
