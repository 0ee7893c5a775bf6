"""The application and its lifecycle (DESIGN.md §2).

Which moves exist is declared here with django-fsm-2; the bodies stay empty. When a move is
allowed lives in conditions.py, who may make it in rules.py, and making it in services/.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from rules.contrib.models import RulesModelBase, RulesModelMixin

from applications import conditions
from applications import rules as can
from applications.enums import (
    PRE_DECISION_STATES,
    ActivityCategory,
    ApplicationState,
    ClockStage,
    Currency,
    Track,
)
from applications.models.cohort import Cohort

S = ApplicationState
# Outcomes the applicant learns only when an admin releases the cohort's batch.
DECIDED_STATES = (S.APPROVED, S.REJECTED, S.WAITLISTED)


class Application(RulesModelMixin, models.Model, metaclass=RulesModelBase):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("case officer"),
    )
    # Bumped by every draft save; co-applicants' saves are checked against it (services/drafts.py).
    revision = models.PositiveIntegerField(default=0)
    declarations_accepted_at = models.DateTimeField(null=True, blank=True)
    declarations_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The regulator's current stage clock (DESIGN.md §3), kept on the row so queues filter and
    # sort on it in SQL. Written only by services/clocks.py. While an RFI is open the clock is
    # paused: `clock_paused_on` is set and `clock_due_on` moves on by the working days paused
    # when it resumes.
    clock_stage = models.CharField(
        _("stage clock"), max_length=12, choices=ClockStage.choices, blank=True
    )
    clock_started_on = models.DateField(_("clock started"), null=True, blank=True)
    clock_due_on = models.DateField(_("due"), null=True, blank=True)
    clock_paused_on = models.DateField(_("clock paused since"), null=True, blank=True)
    clock_paused_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)

    # ELIGIBILITY → NOT_ELIGIBLE is proposed by a reviewer with reasons and confirmed by an admin.
    not_eligible_reasons = models.TextField(
        _("reasons the application is not eligible"), blank=True
    )
    not_eligible_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_eligible_proposed_at = models.DateTimeField(null=True, blank=True)
    # Decide quietly, release together: until an admin releases the cohort's batch, the applicant
    # sees "decision pending" whatever was decided (services/decisions.py).
    decision_released_at = models.DateTimeField(_("decision released"), null=True, blank=True)

    # The programme version (criteria, document requirements, settings) the application was
    # submitted under; set once, on submission (services/programmes.py version_for_submission).
    programme_version = models.ForeignKey(
        "applications.ProgrammeVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("programme version"),
    )

    # 1. Activity and product
    title = models.CharField(_("project title"), max_length=200, blank=True)
    activity_category = models.CharField(
        _("activity"), max_length=20, choices=ActivityCategory.choices, blank=True
    )
    track = models.CharField(_("track"), max_length=12, choices=Track.choices, blank=True)
    summary = models.TextField(_("summary of the product"), blank=True)
    flow_description = models.TextField(
        _("how the product works, including flows of money and assets"), blank=True
    )
    # 2. Innovation
    innovation_statement = models.TextField(_("what is genuinely new"), blank=True)
    comparables = models.TextField(_("comparable products and how yours differs"), blank=True)
    # 3. Consumer benefit
    consumer_benefit = models.TextField(_("benefit to consumers or the market"), blank=True)
    # 4. Need for the sandbox
    need_for_sandbox = models.TextField(_("why you need the sandbox"), blank=True)
    rules_to_relax = models.TextField(_("which rules you ask to relax, and why"), blank=True)
    # 5. Readiness
    readiness_statement = models.TextField(_("readiness to test with real clients"), blank=True)
    regulated_elsewhere = models.BooleanField(_("regulated elsewhere"), default=False)
    regulated_elsewhere_details = models.TextField(_("where and by whom"), blank=True)
    # 6. Test plan
    test_objectives = models.TextField(_("objectives and success measures"), blank=True)
    proposed_start = models.DateField(_("proposed start"), null=True, blank=True)
    proposed_duration_months = models.PositiveSmallIntegerField(
        _("proposed duration (months)"), null=True, blank=True
    )
    client_types = models.JSONField(_("client types"), default=list, blank=True)
    max_clients = models.PositiveIntegerField(_("maximum number of clients"), null=True, blank=True)
    limit_currency = models.CharField(
        _("currency of the limits"), max_length=5, choices=Currency.choices, blank=True
    )
    max_per_client_amount = models.DecimalField(
        _("limit per client"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    max_aggregate_amount = models.DecimalField(
        _("aggregate limit"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    geography = models.CharField(_("geography of the test"), max_length=255, blank=True)
    customer_disclosure = models.TextField(
        _("how clients are told they are in a sandbox test"), blank=True
    )
    complaints_handling = models.TextField(_("complaints handling"), blank=True)
    # 7. Risks and safeguards
    risks_and_mitigations = models.TextField(_("key risks and how you mitigate them"), blank=True)
    safeguards = models.TextField(_("safeguards if the test or the technology fails"), blank=True)
    # 8. Exit strategy
    exit_strategy = models.TextField(_("exit strategy"), blank=True)
    # 9. AML/CFT
    aml_measures = models.TextField(_("AML/CFT programme"), blank=True)
    kyc_approach = models.TextField(_("client due diligence (KYC)"), blank=True)
    source_of_funds = models.TextField(_("source of funds for the test"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="application_org_recent_idx"),
            models.Index(fields=["cohort", "state"], name="application_cohort_state_idx"),
            # The staff list: newest submission first.
            models.Index(fields=["-submitted_at", "-id"], name="application_submitted_idx"),
            # Queues sort by due date by default and filter overdue / due soon / paused.
            models.Index(fields=["clock_due_on", "id"], name="application_clock_due_idx"),
            models.Index(fields=["clock_paused_on"], name="application_clock_paused_idx"),
            # Queues (queries/queues.py): a state tab sorted by due date; the activity filter;
            # "Triage" (submitted, no case officer) as a small partial index.
            models.Index(fields=["state", "clock_due_on", "id"], name="application_state_due_idx"),
            models.Index(
                fields=["activity_category", "clock_due_on"], name="application_activity_idx"
            ),
            models.Index(
                fields=["cohort", "submitted_at"],
                condition=Q(state="submitted", case_officer__isnull=True),
                name="application_triage_idx",
            ),
            # Every queue counts its rows per state (queries/queues.py): over the submitted
            # applications, with the columns the scopes and filters read, the counts are an
            # index-only scan instead of a pass over the whole (wide) table.
            models.Index(
                fields=["state"],
                include=[
                    "id",
                    "case_officer",
                    "cohort",
                    "activity_category",
                    "clock_due_on",
                    "clock_paused_on",
                ],
                condition=Q(submitted_at__isnull=False) & ~Q(state="draft"),
                name="application_queue_scope_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                # A draft abandoned before submission is withdrawn without ever getting a reference.
                condition=Q(state__in=["draft", "withdrawn"]) | Q(reference__isnull=False),
                name="application_reference_once_submitted",
            ),
            models.CheckConstraint(
                condition=Q(max_aggregate_amount__isnull=True)
                | Q(max_per_client_amount__isnull=True)
                | Q(max_aggregate_amount__gte=models.F("max_per_client_amount")),
                name="application_aggregate_limit_covers_client_limit",
            ),
        ]
        rules_permissions = {
            "view": can.is_member_of_applicant | can.is_programme_admin | can.is_cleared_reviewer,
            "edit": can.is_member_of_applicant,
            "submit": can.is_member_of_applicant,
            "withdraw": can.is_member_of_applicant,
            "start_screening": can.is_programme_admin,
            # Screening, requests for information and stage moves (issue 4).
            "screen": can.is_staff_on_case,
            "raise_rfi": can.is_staff_on_case,
            "cancel_rfi": can.is_staff_on_case,
            "answer_rfi": can.is_member_of_applicant,
            "accept_as_complete": can.is_staff_on_case,
            "find_eligible": can.is_staff_on_case,
            "propose_not_eligible": can.is_staff_on_case,
            "find_not_eligible": can.is_programme_admin,
            "complete_evaluation": can.is_staff_on_case,
            # Decisions, testing supervision and exit (services/decisions.py, participations.py).
            "propose_decision": can.is_programme_admin,
            "check_decision": can.is_programme_admin,
            "release_decision": can.is_programme_admin,
            "decline_offer": can.is_member_of_applicant,
            "supervise": can.is_programme_admin,
            "report": can.is_member_of_applicant,
        }

    def __str__(self) -> str:
        return self.reference or self.title or str(_("Draft application"))

    @property
    def programme(self):
        return self.cohort.programme

    @property
    def is_draft(self) -> bool:
        return self.state == S.DRAFT

    # --- Lifecycle. Bodies are empty on purpose: services do the work around each move. ---

    @transition(
        field=state, source=S.DRAFT, target=S.SUBMITTED, conditions=[conditions.is_ready_to_submit]
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.SCREENING,
        conditions=[conditions.has_case_officer],
    )
    def start_screening(self) -> None:
        pass

    @transition(
        field=state,
        source=S.SCREENING,
        target=S.ELIGIBILITY,
        conditions=[conditions.is_package_complete],
    )
    def accept_as_complete(self) -> None:
        pass

    @transition(
        field=state,
        source=S.ELIGIBILITY,
        target=S.EVALUATION,
        conditions=[conditions.has_no_open_rfi],
    )
    def find_eligible(self) -> None:
        pass

    @transition(
        field=state,
        source=S.ELIGIBILITY,
        target=S.NOT_ELIGIBLE,
        conditions=[conditions.may_confirm_not_eligible],
    )
    def find_not_eligible(self) -> None:
        pass

    @transition(
        field=state,
        source=S.EVALUATION,
        target=S.DECISION_PENDING,
        conditions=[conditions.is_evaluation_complete],
    )
    def complete_evaluation(self) -> None:
        pass

    @transition(field=state, source=[S.DECISION_PENDING, S.WAITLISTED], target=S.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=S.DECISION_PENDING, target=S.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=state, source=S.DECISION_PENDING, target=S.WAITLISTED)
    def waitlist(self) -> None:
        pass

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.ONBOARDING,
        conditions=[conditions.decision_released],
    )
    def start_onboarding(self) -> None:
        pass

    @transition(
        field=state,
        source=S.ONBOARDING,
        target=S.TESTING,
        conditions=[conditions.onboarding_complete],
    )
    def start_testing(self) -> None:
        pass

    @transition(field=state, source=S.TESTING, target=S.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=state, source=S.SUSPENDED, target=S.TESTING)
    def reinstate(self) -> None:
        pass

    @transition(field=state, source=[S.TESTING, S.SUSPENDED], target=S.EXITING)
    def start_exit(self) -> None:
        pass

    @transition(
        field=state,
        source=S.EXITING,
        target=S.GRADUATED,
        conditions=[conditions.final_report_accepted],
    )
    def graduate(self) -> None:
        pass

    @transition(
        field=state,
        source=S.EXITING,
        target=S.EXITED,
        conditions=[conditions.final_report_accepted],
    )
    def close_exit(self) -> None:
        pass

    @transition(field=state, source=[S.TESTING, S.SUSPENDED], target=S.TERMINATED)
    def terminate(self) -> None:
        pass

    @transition(field=state, source=list(PRE_DECISION_STATES), target=S.WITHDRAWN)
    def withdraw(self) -> None:
        pass

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.WITHDRAWN,
        conditions=[conditions.decision_released],
    )
    def decline_offer(self) -> None:
        pass

    @property
    def state_for_applicant(self) -> str:
        """The state the applicant sees: a decision is "pending" until its batch is released."""
        if self.state in DECIDED_STATES and self.decision_released_at is None:
            return S.DECISION_PENDING
        return self.state

    def get_state_for_applicant_display(self) -> str:
        return S(self.state_for_applicant).label


class DraftRevision(models.Model):
    """Which answers one draft save changed, so that a later save from a stale page can tell
    whether it would overwrite a co-applicant's work (field by field, not the whole form)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="draft_revisions"
    )
    number = models.PositiveIntegerField()
    fields = models.JSONField(default=list)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="draft_revision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.number}"


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year (SBX-2026-00042)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
