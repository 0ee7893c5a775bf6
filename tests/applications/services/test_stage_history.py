"""The dashboard's history rows (services/stage_history.py): each move writes exactly the stay
and finished clock it ends, the review submission its turnaround, and the backfill from the
audit trail gives the same rows as the write path.

Days fall in February and early March 2026, where the Kazakh calendar has no public holiday
before Women's Day (Sun 8 Mar, observed Mon 9 Mar): working days are Monday to Friday.
"""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from applications.enums import DocumentCheck
from applications.models import Application, FinishedClock, ReviewerAssignment, StageStay
from applications.queries.dashboard import Scope, build_dashboard
from applications.services import applications, review_stages, rfis
from applications.services.clocks import start_clock
from applications.services.decisions import (
    DecisionTerms,
    confirm_decision,
    propose_decision,
    release_decisions,
)
from applications.services.reviews import submit_review
from applications.services.stage_history import backfill_stage_history
from tests import factories
from tests.applications.casework import case, cleared_reviewer
from tests.applications.services.test_reviews import complete
from tests.applications.workspace import criteria

pytestmark = pytest.mark.django_db


def feb(day: int) -> date:
    return date(2026, 2, day)


def mar(day: int) -> date:
    return date(2026, 3, day)


@pytest.fixture
def travel(monkeypatch):
    """The clock is a process edge: pin `timezone.now()` (and so every local date) to noon."""

    def to(day: date) -> None:
        noon = timezone.make_aware(datetime.combine(day, time(12)))
        monkeypatch.setattr(timezone, "now", lambda: noon)

    return to


def stays(application) -> list[tuple]:
    return list(
        StageStay.objects.filter(application=application)
        .order_by("id")
        .values_list("state", "entered_on", "left_on", "working_days")
    )


def clocks(application) -> list[tuple]:
    return list(
        FinishedClock.objects.filter(application=application)
        .order_by("id")
        .values_list("stage", "started_on", "stopped_on", "due_on", "late")
    )


def timed(programme) -> None:
    programme.screening_days, programme.eligibility_days = 5, 10
    programme.evaluation_days, programme.decision_days = 5, 3
    programme.reviews_required = 1
    programme.save()


def _rfi(application):
    return rfis.raise_rfi(
        actor=application.case_officer,
        application_id=application.pk,
        questions="Send the signed plan.",
        steps=[],
        requirement_ids=[],
    )


@pytest.fixture
def journey(travel, applicant, programme_admin):
    """An application taken through every stage by the services, from submission to a
    released approval, with an RFI pausing its eligibility clock."""
    cohort = factories.CohortFactory(
        opens_at=timezone.make_aware(datetime(2025, 1, 1)),
        closes_at=timezone.make_aware(datetime(2027, 12, 31)),
    )
    timed(cohort.programme)
    factories.CriterionFactory(programme=cohort.programme)
    draft = factories.ApplicationFactory(
        organisation=applicant.organisation, cohort=cohort, created_by=applicant
    )
    requirement = factories.DocumentRequirementFactory(programme=cohort.programme)
    document = factories.DocumentFactory(application=draft, requirement=requirement)
    factories.DocumentVersionFactory(document=document)
    officer = factories.ReviewerFactory()
    cohort.panel.add(officer)

    travel(feb(2))
    applications.submit_application(actor=applicant, application_id=draft.pk)
    travel(feb(4))
    applications.start_screening(
        actor=programme_admin, application_id=draft.pk, case_officer=officer
    )
    application = Application.objects.get(pk=draft.pk)
    factories.ReviewerAssignmentFactory(
        application=application, reviewer=officer, declaration="no_conflict"
    )
    document.screening = DocumentCheck.ACCEPTED
    document.save(update_fields=["screening"])
    travel(feb(9))
    review_stages.accept_as_complete(actor=officer, application_id=draft.pk)
    travel(feb(10))
    rfi = _rfi(application)
    travel(feb(12))
    rfis.cancel_rfi(actor=officer, rfi_id=rfi.pk, reason="Found it in the package.")
    travel(mar(2))
    review_stages.find_eligible(actor=officer, application_id=draft.pk)
    factories.ReviewFactory(application=application, state="submitted")
    travel(mar(5))
    review_stages.complete_evaluation(actor=officer, application_id=draft.pk)
    checker = factories.ProgrammeAdminFactory()
    decision = propose_decision(
        actor=programme_admin, application_id=draft.pk, terms=DecisionTerms(outcome="waitlisted")
    )
    travel(mar(6))
    confirm_decision(actor=checker, decision_id=decision.pk)
    travel(mar(12))
    release_decisions(actor=programme_admin, cohort_id=cohort.pk, application_ids=[draft.pk])
    return application


def test_each_move_writes_the_stay_it_ends_and_the_clock_it_stops(journey):
    # Submitted 2 → 4 Feb, screening 4 → 9 Feb, eligibility 9 Feb → 2 Mar (the RFI does not
    # shorten a stay), evaluation 2 → 5 Mar, decision pending 5 → 6 Mar.
    assert stays(journey) == [
        ("submitted", feb(2), feb(4), 2),
        ("screening", feb(4), feb(9), 3),
        ("eligibility", feb(9), mar(2), 15),
        ("evaluation", mar(2), mar(5), 3),
        ("decision_pending", mar(5), mar(6), 1),
    ]
    # Screening due 9 Feb, stopped that day: on time. Eligibility due 23 Feb, moved on by the 2
    # working days paused (10 → 12 Feb) to 25 Feb, stopped 2 Mar: late. Evaluation due 10 Mar.
    # Decision due 11 Mar (Mon 9 Mar is a holiday), stopped by the release on 12 Mar: late.
    assert clocks(journey) == [
        ("screening", feb(2), feb(9), feb(9), False),
        ("eligibility", feb(9), mar(2), feb(25), True),
        ("evaluation", mar(2), mar(5), mar(10), False),
        ("decision", mar(5), mar(12), mar(11), True),
    ]


def test_the_backfill_from_the_audit_trail_gives_the_write_paths_rows_and_figures(journey):
    written = stays(journey), clocks(journey)
    scope = Scope(cohort_id=journey.cohort_id)
    figures = build_dashboard(scope, today=mar(20))

    StageStay.objects.all().delete()
    FinishedClock.objects.all().delete()
    counts = backfill_stage_history()

    assert (stays(journey), clocks(journey)) == written
    assert counts == {"stays": 5, "clocks": 4, "turnarounds": 0}
    rebuilt = build_dashboard(scope, today=mar(20))
    assert (rebuilt.stages, rebuilt.clocks) == (figures.stages, figures.clocks)
    assert [row["median_days"] for row in rebuilt.stages[:5]] == [2, 3, 15, 3, 1]


def test_the_backfill_replaces_only_the_applications_asked_for(journey):
    other = case("screening")
    StageStay.objects.create(
        application=other, state="submitted", entered_on=feb(2), left_on=feb(3), working_days=1
    )

    backfill_stage_history(application_ids=[journey.pk])

    assert len(stays(journey)) == 5
    assert stays(other) == [("submitted", feb(2), feb(3), 1)]


def test_a_stay_entered_without_an_event_in_the_trail_is_not_guessed(travel):
    application = case("screening", documents=1, accepted=True)
    travel(feb(4))

    review_stages.accept_as_complete(actor=application.case_officer, application_id=application.pk)

    assert stays(application) == []
    assert clocks(application) == []  # no clock was running


def test_withdrawal_stops_a_paused_clock_with_its_due_date_moved_on(travel):
    application = case("screening")
    timed(application.cohort.programme)
    application.save(update_fields=start_clock(application, "screening", on=feb(2)))
    travel(feb(5))
    _rfi(application)  # paused from Thu 5 Feb, due Mon 9 Feb
    travel(feb(16))

    applications.withdraw_application(
        actor=application.created_by, application_id=application.pk, reason="Changed plans."
    )

    # Paused 5 → 16 Feb: 7 working days, so due 18 Feb; stopped 16 Feb: on time.
    assert clocks(application) == [("screening", feb(2), feb(16), feb(18), False)]


def test_not_eligible_stops_the_eligibility_clock_late(travel):
    application = case("eligibility")
    timed(application.cohort.programme)
    application.save(update_fields=start_clock(application, "eligibility", on=feb(2)))
    reviewer = cleared_reviewer(application)
    review_stages.propose_not_eligible(
        actor=reviewer, application_id=application.pk, reasons="Not a fintech activity."
    )
    travel(feb(17))

    review_stages.confirm_not_eligible(
        actor=factories.ProgrammeAdminFactory(), application_id=application.pk
    )

    assert clocks(application) == [("eligibility", feb(2), feb(17), feb(16), True)]
    assert FinishedClock.objects.count() == 1


def test_submitting_a_review_keeps_its_turnaround_on_the_assignment(travel):
    travel(feb(2))
    application = factories.SubmittedApplicationFactory(state="evaluation")
    scored = criteria(application.cohort.programme)
    reviewer = cleared_reviewer(application)
    other = cleared_reviewer(application)
    travel(feb(5))

    submit_review(
        actor=reviewer, application_id=application.pk, base_revision=0, answers=complete(scored)
    )

    turnarounds = dict(
        ReviewerAssignment.objects.filter(application=application).values_list(
            "reviewer_id", "turnaround_days"
        )
    )
    assert turnarounds == {reviewer.pk: 3, other.pk: None}
