"""Demo data for decisions and testing (issue 5): a past cohort in every phase after evaluation.

The demo applicant's firm is testing (reports accepted, one awaiting review, some overdue); other
firms are onboarding, approved but not released, waitlisted, and awaiting a second admin. The
applications are created in DECISION_PENDING; everything after that goes through the real
services, so the audit trail and the notifications are the real ones.

Called once from seed_demo; idempotent: when the past cohort exists, nothing is done.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from applications import demo
from applications.enums import ActivityCategory, ReportState, Track
from applications.models import Application, Cohort, Programme, Report
from applications.reporting import add_months
from applications.services import participations
from applications.services.decisions import (
    DecisionTerms,
    confirm_decision,
    propose_decision,
    release_decisions,
)
from applications.services.references import next_reference
from applications.services.reports import ReportContent, accept_report, file_report
from portal.accounts.models import LegalForm, Organisation, Role, User
from portal.accounts.validators import check_digit


def seed_participants(*, programme: Programme, applicant: User, maker: User, checker: User) -> int:
    """Create the past cohort and its applications; returns how many objects it created."""
    if Cohort.objects.filter(programme=programme, name=demo.PAST_COHORT["name"]).exists():
        return 0
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        programme=programme,
        name=demo.PAST_COHORT["name"],
        zone_tag=demo.PAST_COHORT["zone_tag"],
        capacity=demo.PAST_COHORT["capacity"],
        opens_at=_at(today - timedelta(days=demo.PAST_COHORT_OPENED_DAYS_AGO)),
        closes_at=_at(today - timedelta(days=demo.PAST_COHORT_CLOSED_DAYS_AGO)),
    )
    starts_on = add_months(today.replace(day=1), -demo.TESTING_MONTHS_AGO)
    testing = _pending(cohort, applicant.organisation, applicant, demo.TESTING_TITLE)
    _decide(testing, maker, checker, _approval(starts_on, conditions=""))
    created = 2
    later = []
    for number, (title, names, phase) in enumerate(demo.PARTICIPANTS, start=1):
        organisation, member = _firm(names, number)
        application = _pending(cohort, organisation, member, title)
        created += 3
        if phase == "proposed":
            propose_decision(actor=maker, application_id=application.pk, terms=_approval(today))
        elif phase == "waitlisted":
            _decide(application, maker, checker, DecisionTerms(outcome="waitlisted"))
        else:
            terms = _approval(add_months(today.replace(day=1), 1))
            _decide(application, maker, checker, terms)
        later.append((application, phase))
    released = [testing.pk] + [a.pk for a, phase in later if phase in ("onboarding", "waitlisted")]
    release_decisions(actor=maker, cohort_id=cohort.pk, application_ids=released)
    _onboard(testing, checker, all_met=True)
    participations.start_testing(actor=checker, application_id=testing.pk)
    _report(testing, applicant, checker, today)
    onboarding = next(a for a, phase in later if phase == "onboarding")
    _onboard(onboarding, checker, all_met=False)
    return created


def _firm(names: tuple[str, str, str], number: int) -> tuple[Organisation, User]:
    en, ru, kk = names
    organisation = Organisation.objects.create(
        legal_name_en=en,
        legal_name_ru=ru,
        legal_name_kk=kk,
        legal_form=LegalForm.LLP,
        bin=_bin(number),
        address="Kabanbay Batyr Ave 53, Astana 010000",
    )
    slug = en.split()[0].lower()
    member = User.objects.create_user(
        email=f"founder@{slug}.example",
        password=None,
        full_name=f"Founder of {en}",
        role=Role.APPLICANT,
        organisation=organisation,
        is_organisation_admin=True,
        joined_organisation_at=timezone.now(),
    )
    return organisation, member


def _bin(number: int) -> str:
    """A valid BIN (registered June 2023, resident legal entity) for the demo's firms."""
    serial = number * 1000
    while (digit := check_digit(f"230640{serial:05d}")) is None:
        serial += 1
    return f"230640{serial:05d}{digit}"


def _pending(cohort: Cohort, organisation, member: User, title: str) -> Application:
    """An application that went through assessment (that part is seeded elsewhere)."""
    submitted = cohort.opens_at + timedelta(days=10)
    return Application.objects.create(
        organisation=organisation,
        cohort=cohort,
        created_by=member,
        state="decision_pending",
        reference=next_reference(year=submitted.year),
        submitted_at=submitted,
        title=title,
        activity_category=ActivityCategory.PAYMENTS,
        track=Track.TESTING,
        summary=title,
    )


def _approval(starts_on: date, conditions: str = "Appoint a full-time MLRO") -> DecisionTerms:
    return DecisionTerms(
        outcome="approved_with_conditions" if conditions else "approved",
        summary="Meets every gate criterion; the test plan is proportionate.",
        conditions=conditions,
        starts_on=starts_on,
        max_clients=500,
        currency="KZT",
        max_per_client_amount=Decimal("500000"),
        max_aggregate_amount=Decimal("100000000"),
        geography="Astana and Almaty",
    )


def _decide(application: Application, maker: User, checker: User, terms: DecisionTerms) -> None:
    decision = propose_decision(actor=maker, application_id=application.pk, terms=terms)
    confirm_decision(actor=checker, decision_id=decision.pk)


def _onboard(application: Application, admin: User, *, all_met: bool) -> None:
    participations.start_onboarding(actor=admin, application_id=application.pk)
    conditions = list(application.participation.onboarding_conditions.all())
    for condition in conditions if all_met else conditions[:2]:
        participations.confirm_condition(
            actor=admin, condition_id=condition.pk, evidence_note="Original seen and filed."
        )


def _report(application: Application, member: User, admin: User, today: date) -> None:
    """The first reports accepted, the last one filed awaiting review, the rest left owed."""
    past = list(
        Report.objects.filter(
            participation=application.participation, state=ReportState.DUE, due_on__lt=today
        ).order_by("due_on", "id")
    )
    for index, report in enumerate(past[:-1]):
        content = ReportContent(
            active_clients=40 * (index + 1),
            transactions_count=300 * (index + 1),
            transactions_volume=Decimal("15250000") * (index + 1),
            complaints=index % 2,
            incidents=0,
            limit_breaches=0,
            narrative=demo.REPORT_NARRATIVE,
        )
        file_report(actor=member, report_id=report.pk, content=content)
        if index < len(past) - 2:
            accept_report(actor=admin, report_id=report.pk)


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))
