"""seed_demo's reviewer-workspace part: other firms' applications in every state, with clocks
(some overdue, some paused on an open request for information), a case officer, reviewer
assignments with their declarations, and scored reviews.

Rows are written directly (the demo shows where applications stand, not how they got there);
each application gets its submission event. Idempotent: an application is looked up by its
organisation, cohort and title, and skipped when it exists.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from applications import demo
from applications.enums import (
    ClientType,
    ClockStage,
    Currency,
    Declaration,
    EventKind,
    ReviewState,
    RfiState,
    Track,
)
from applications.models import (
    Application,
    Cohort,
    CriterionScore,
    RequestForInformation,
    Review,
    ReviewerAssignment,
)
from applications.queries import working_calendar
from applications.queries.programmes import criteria_for
from applications.services.audit import record_event
from applications.services.clocks import pause_clock, resume_clock, start_clock
from applications.services.references import next_reference
from portal.accounts.models import LegalForm, Organisation, Role, User
from portal.accounts.validators import check_digit

CLOCK_OF_STATE = {
    "submitted": ClockStage.SCREENING,
    "screening": ClockStage.SCREENING,
    "eligibility": ClockStage.ELIGIBILITY,
    "evaluation": ClockStage.EVALUATION,
    "decision_pending": ClockStage.DECISION,
}
# States in which the reviewers have been assigned, and those in which both have reviewed.
ASSIGNED_STATES = frozenset(
    {"eligibility", "evaluation", "decision_pending", "approved", "rejected", "waitlisted",
     "not_eligible", "onboarding", "testing", "suspended", "exiting", "graduated", "exited",
     "terminated"}
)  # fmt: skip
REVIEWED_STATES = ASSIGNED_STATES - {"eligibility", "evaluation", "not_eligible"}
ANSWERS = {
    "track": Track.TESTING,
    "summary": "A product for clients in Kazakhstan that the current rules do not provide for.",
    "flow_description": "Clients pay in tenge through a partner bank; digital assets are held by a licensed custodian.",
    "innovation_statement": "No licensed firm in Kazakhstan offers this today.",
    "comparables": "Bank transfers and foreign platforms that settle abroad.",
    "consumer_benefit": "Lower fees and same-day settlement for clients.",
    "need_for_sandbox": "The activity is not licensable under the current rules.",
    "rules_to_relax": "Capital requirement for payment organisations.",
    "readiness_statement": "Product built and audited; pilot with staff completed.",
    "test_objectives": "Serve 300 clients for 12 months with no loss of client funds.",
    "proposed_duration_months": 12,
    "client_types": [ClientType.RETAIL_INDIVIDUAL],
    "max_clients": 300,
    "limit_currency": Currency.KZT,
    "max_per_client_amount": Decimal("500000"),
    "max_aggregate_amount": Decimal("150000000"),
    "geography": "Almaty and Astana",
    "customer_disclosure": "Clients sign a notice that the service is tested in the sandbox.",
    "complaints_handling": "Complaints answered within 5 working days.",
    "risks_and_mitigations": "Custodian failure: assets held in segregated cold wallets.",
    "safeguards": "Client funds ring-fenced; automatic refund if the test stops.",
    "exit_strategy": "Clients repaid within 10 working days of the end of the test.",
    "aml_measures": "Risk-based AML/CFT programme; MLRO appointed.",
    "kyc_approach": "Remote identification through eGov digital ID.",
    "source_of_funds": "Seed round from the founders.",
}


def valid_bin(stem: str) -> str:
    """The first BIN with a valid check digit from a 7-digit stem and a counting serial."""
    serial = 1
    while True:
        candidate = f"{stem}{serial:04d}"
        digit = check_digit(candidate)
        if digit is not None:
            return f"{candidate}{digit}"
        serial += 1


@dataclass
class WorkspaceSeeder:
    """Called by seed_demo's Seeder with the cohorts and staff it made; counts what it creates."""

    count: callable
    cohorts: dict[str, Cohort]
    staff: list[User]
    applicant: User

    def run(self) -> None:
        self.calendar = working_calendar()
        self.today = timezone.localdate()
        reviewers = [user for user in self.staff if user.role == Role.REVIEWER]
        self.admin = next(user for user in self.staff if user.role == Role.PROGRAMME_ADMIN)
        self.reviewers = reviewers[:2]
        firms = [self.firm(names, stem) for names, stem in demo.FIRMS]
        for index, spec in enumerate(demo.WORKSPACE_APPLICATIONS):
            title, activity, firm, cohort_key, state, clock_age = spec
            owner = firms[firm] if firm is not None else self.applicant
            self.application(
                index, title, activity, owner, self.cohorts[cohort_key], state, clock_age
            )

    def firm(self, names: tuple[str, str, str], stem: str) -> User:
        """The firm's organisation and its contact person (an applicant who cannot sign in)."""
        bin_ = valid_bin(stem)
        organisation = Organisation.objects.filter(bin=bin_).first()
        if organisation is None:
            en, ru, kk = names
            organisation = Organisation.objects.create(
                legal_name_en=en, legal_name_ru=ru, legal_name_kk=kk,
                legal_form=LegalForm.JSC if en.endswith("JSC") else LegalForm.LLP,
                bin=bin_, address="Mangilik El 55/20, Astana 010000",
            )  # fmt: skip
            self.count(True)
        email = f"contact@{bin_}.firms.example"
        contact = User.objects.filter(email=email).first()
        if contact is None:
            contact = User.objects.create_user(
                email=email, password=None, full_name=f"{names[0]} contact", role=Role.APPLICANT,
                organisation=organisation, is_organisation_admin=True,
                joined_organisation_at=timezone.now(),
            )  # fmt: skip
            self.count(True)
        return contact

    def application(self, index, title, activity, owner, cohort, state, clock_age) -> None:
        organisation = owner.organisation
        if Application.objects.filter(
            organisation=organisation, cohort=cohort, title=title
        ).exists():
            return
        clock_start = self.working_days_ago(clock_age if clock_age is not None else 60 + index)
        submitted_on = (
            clock_start if state in ("submitted", "screening") else clock_start - timedelta(days=21)
        )
        submitted_at = _at(submitted_on, 10 + index % 7)
        application = Application.objects.create(
            organisation=organisation, cohort=cohort, created_by=owner, state=state, title=title,
            activity_category=activity, reference=next_reference(year=submitted_at.year),
            submitted_at=submitted_at, declarations_accepted_at=submitted_at,
            declarations_accepted_by=owner,
            case_officer=None if state == "submitted" else self.staff[index % len(self.staff)],
            **ANSWERS,
        )  # fmt: skip
        self.count(True)
        if state == "withdrawn":
            application.withdrawn_at = submitted_at + timedelta(days=5)
            application.withdrawal_reason = "We decided to apply for a full licence instead."
        if state in CLOCK_OF_STATE:
            start_clock(application, CLOCK_OF_STATE[state], on=clock_start, calendar=self.calendar)
        self.rfis(application, title)
        application.save()
        record_event(
            kind=EventKind.APPLICATION_SUBMITTED, actor=owner, application=application,
            data={"from": "draft", "to": "submitted", "reference": application.reference},
            applicant_visible=True,
        )  # fmt: skip
        if state in ASSIGNED_STATES:
            self.assignments_and_reviews(application, index, title, state)

    def rfis(self, application: Application, title: str) -> None:
        if title in demo.OPEN_RFIS:
            raised_ago, due_in = demo.OPEN_RFIS[title]
            raised_on = self.working_days_ago(raised_ago)
            self.rfi(application, raised_on, self.calendar.add_working_days(self.today, due_in))
            pause_clock(application, on=raised_on)
        elif title in demo.ANSWERED_RFIS:
            raised_on, answered_on = self.working_days_ago(6), self.working_days_ago(2)
            self.rfi(application, raised_on, self.calendar.add_working_days(raised_on, 10),
                     answered_on=answered_on)  # fmt: skip
            pause_clock(application, on=raised_on)
            resume_clock(application, on=answered_on, calendar=self.calendar)

    def rfi(self, application, raised_on: date, due_on: date, answered_on: date | None = None):
        rfi = RequestForInformation.objects.create(
            application=application, raised_by=application.case_officer or self.admin,
            questions=demo.RFI_QUESTIONS, due_on=due_on,
            state=RfiState.ANSWERED if answered_on else RfiState.OPEN,
            answer="The signed agreement is attached; client assets sit in segregated wallets." if answered_on else "",
            answered_by=application.created_by if answered_on else None,
            answered_at=_at(answered_on, 15) if answered_on else None,
        )  # fmt: skip
        RequestForInformation.objects.filter(pk=rfi.pk).update(raised_at=_at(raised_on, 11))
        self.count(True)

    def assignments_and_reviews(self, application, index: int, title: str, state: str) -> None:
        criteria = list(criteria_for(application))
        for position, reviewer in enumerate(self.reviewers):
            declaration, reason = Declaration.NO_CONFLICT, ""
            if position == 0 and title in demo.RECUSALS:
                declaration, reason = Declaration.RECUSED, demo.RECUSALS[title]
            elif position == 1 and title in demo.PENDING_DECLARATIONS:
                declaration = Declaration.PENDING
            ReviewerAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_by=self.admin,
                declaration=declaration, recusal_reason=reason,
                declared_at=None if declaration == Declaration.PENDING else application.submitted_at + timedelta(days=2),
            )  # fmt: skip
            self.count(True)
            submitted = state in REVIEWED_STATES or (state == "evaluation" and position == 0)
            drafted = state == "evaluation" and position == 1 and index % 2 == 0
            if declaration == Declaration.NO_CONFLICT and (submitted or drafted):
                self.review(application, reviewer, criteria, index + 3 * position, submitted)

    def review(self, application, reviewer, criteria, seed: int, submitted: bool) -> None:
        scores = [1 + (seed + 7 * number) % 5 for number in range(len(criteria))]
        total_weight = sum(criterion.weight for criterion in criteria)
        weighted = sum(s * c.weight for s, c in zip(scores, criteria, strict=True)) / total_weight
        review = Review.objects.create(
            application=application, reviewer=reviewer,
            state=ReviewState.SUBMITTED if submitted else ReviewState.DRAFT,
            recommendation="proceed" if weighted >= 3 else "reject",
            summary="A credible team and a real need; the test limits are prudent." if weighted >= 3
            else "The need for the sandbox is not shown and the exit plan is thin.",
            weighted_score=Decimal(f"{weighted:.2f}") if submitted else None,
            submitted_at=application.submitted_at + timedelta(days=10) if submitted else None,
        )  # fmt: skip
        CriterionScore.objects.bulk_create(
            CriterionScore(
                review=review,
                criterion=criterion,
                score=score,
                gate_met=True if criterion.is_gate else None,
                rationale="" if score > 2 else "Evidence thin; see the business plan, section 4.",
            )
            for criterion, score in zip(criteria, scores, strict=True)
        )
        self.count(True)

    def working_days_ago(self, days: int) -> date:
        return self.calendar.add_working_days(self.today, -days)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
