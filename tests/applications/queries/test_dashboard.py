"""The dashboard's figures (applications/queries/dashboard), exact values on a small world.

The world's history is written the old way, as audit events and reviews, then turned into the
dashboard's history rows by the backfill (services/stage_history.py), as migration 0018 does;
tests/applications/services/test_stage_history.py checks the write path gives the same rows.

The working-day counts of the world fall between Mon 2 Feb and Fri 6 Mar 2026, where no Kazakh
public holiday falls (8-9 March and Nowruz come later), so working days are Monday to Friday:
Mon 2 Feb, Mon 9 Feb, Mon 16 Feb, Mon 23 Feb, Mon 2 Mar.
"""

import uuid
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from applications.enums import EventKind
from applications.models import AuditEvent, CalendarDay, ReviewerAssignment
from applications.queries.dashboard import Scope, build_dashboard
from applications.services.stage_history import backfill_stage_history
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def feb(day: int) -> date:
    return date(2026, 2, day)


def mar(day: int) -> date:
    return date(2026, 3, day)


def event(application, kind, day: date, **data) -> None:
    AuditEvent.objects.create(
        kind=kind,
        application=application,
        organisation=application.organisation,
        data=data,
        created_at=at(day),
        previous_hash="0" * 64,
        hash=uuid.uuid4().hex * 2,
    )


def moves(application, *steps) -> None:
    """steps: (kind, day, from, to)."""
    for kind, day, source, target in steps:
        event(application, kind, day, **{"from": source, "to": target})


def submitted(cohort, state, **fields):
    return factories.SubmittedApplicationFactory(cohort=cohort, state=state, **fields)


@pytest.fixture
def world():
    """Programme P (screening 5, eligibility 10, evaluation 5, decision 3 working days) with
    cohort C and cohort C2; programme Q with one application that must never be counted in P."""
    programme = factories.ProgrammeFactory(
        screening_days=5, eligibility_days=10, evaluation_days=5, decision_days=3
    )
    cohort = factories.CohortFactory(programme=programme)
    other_cohort = factories.CohortFactory(programme=programme)
    other_programme_cohort = factories.CohortFactory()

    # A: screening on time, eligibility late (paused 2 working days by an RFI), in evaluation
    # with its clock breached now.
    a = submitted(
        cohort, "evaluation", clock_stage="evaluation", clock_started_on=mar(2), clock_due_on=mar(9)
    )
    moves(
        a,
        (EventKind.APPLICATION_SUBMITTED, feb(2), "draft", "submitted"),
        (EventKind.SCREENING_STARTED, feb(4), "submitted", "screening"),
        (EventKind.PACKAGE_COMPLETE, feb(9), "screening", "eligibility"),
    )
    event(a, EventKind.RFI_RAISED, feb(10))
    event(a, EventKind.RFI_ANSWERED, feb(12))
    moves(a, (EventKind.FOUND_ELIGIBLE, mar(2), "eligibility", "evaluation"))
    # B: withdrawn during screening, after its screening clock's due date.
    b = submitted(cohort, "withdrawn")
    moves(
        b,
        (EventKind.APPLICATION_SUBMITTED, feb(2), "draft", "submitted"),
        (EventKind.SCREENING_STARTED, feb(5), "submitted", "screening"),
        (EventKind.APPLICATION_WITHDRAWN, feb(16), "screening", "withdrawn"),
    )
    # C: all the way to an approval released after the decision clock's due date.
    c = submitted(cohort, "approved")
    moves(
        c,
        (EventKind.APPLICATION_SUBMITTED, feb(2), "draft", "submitted"),
        (EventKind.SCREENING_STARTED, feb(3), "submitted", "screening"),
        (EventKind.PACKAGE_COMPLETE, feb(4), "screening", "eligibility"),
        (EventKind.FOUND_ELIGIBLE, feb(6), "eligibility", "evaluation"),
        (EventKind.EVALUATION_COMPLETED, feb(13), "evaluation", "decision_pending"),
        (EventKind.DECISION_CONFIRMED, feb(18), "decision_pending", "approved"),
    )
    event(c, EventKind.DECISION_RELEASED, feb(20), decision=1)
    # D: submitted, its clock past due but paused (not breached); E: a draft.
    submitted(
        cohort, "submitted", clock_stage="screening", clock_due_on=mar(1), clock_paused_on=feb(27)
    )
    factories.ApplicationFactory(cohort=cohort)
    # In the other cohort of P: one application in screening, clock breached now.
    y = submitted(other_cohort, "screening", clock_stage="screening", clock_due_on=mar(3))
    moves(y, (EventKind.SCREENING_STARTED, feb(2), "submitted", "screening"))
    # In programme Q: would change every figure if it were counted.
    x = submitted(
        other_programme_cohort, "evaluation", clock_stage="evaluation", clock_due_on=mar(2)
    )
    moves(
        x,
        (EventKind.APPLICATION_SUBMITTED, feb(2), "draft", "submitted"),
        (EventKind.SCREENING_STARTED, mar(31), "submitted", "screening"),
    )
    backfill_stage_history()
    return {"programme": programme, "cohort": cohort, "a": a, "b": b, "c": c, "x": x, "y": y}


def by(rows, key, value_key):
    return {row[key]: row[value_key] for row in rows}


def test_funnel_counts_every_state_in_lifecycle_order(world):
    dashboard = build_dashboard(Scope(cohort_id=world["cohort"].pk), today=TODAY)

    assert [row["state"] for row in dashboard.funnel][:7] == [
        "draft", "submitted", "screening", "eligibility", "evaluation", "decision_pending", "approved",
    ]  # fmt: skip
    assert {row["state"]: row["count"] for row in dashboard.funnel if row["count"]} == {
        "draft": 1,
        "submitted": 1,
        "evaluation": 1,
        "approved": 1,
        "withdrawn": 1,
    }
    assert len(dashboard.funnel) == 18


def test_funnel_scopes_by_programme_and_everything(world):
    programme = build_dashboard(Scope(programme_id=world["programme"].pk), today=TODAY)
    everything = build_dashboard(Scope(), today=TODAY)

    assert by(programme.funnel, "state", "count")["screening"] == 1
    assert by(programme.funnel, "state", "count")["evaluation"] == 1
    assert by(everything.funnel, "state", "count")["evaluation"] == 2
    assert sum(row["count"] for row in everything.funnel) == 7


def test_stage_medians_in_working_days(world):
    dashboard = build_dashboard(Scope(cohort_id=world["cohort"].pk), today=TODAY)

    medians = by(dashboard.stages, "state", "median_days")
    stays = by(dashboard.stages, "state", "stays")
    # Submitted: A 2, B 3, C 1. Screening: A 3, B 7, C 1. Eligibility: A 15 (RFI pauses do not
    # shorten a stay), C 2. Evaluation: C 5. Decision pending: C 3.
    assert medians == {
        "submitted": 2,
        "screening": 3,
        "eligibility": 8.5,
        "evaluation": 5,
        "decision_pending": 3,
        "approved": None,
        "waitlisted": None,
        "onboarding": None,
        "testing": None,
        "suspended": None,
        "exiting": None,
    }
    assert stays["submitted"] == 3
    assert stays["eligibility"] == 2


def test_stage_stays_without_the_event_that_entered_them_are_not_measured(world):
    """Y's stay in "submitted" has no submission event in the trail: nothing is guessed."""
    dashboard = build_dashboard(Scope(programme_id=world["programme"].pk), today=TODAY)

    assert by(dashboard.stages, "state", "stays")["submitted"] == 3


def test_clocks_breached_now_and_finished_late(world):
    dashboard = build_dashboard(Scope(cohort_id=world["cohort"].pk), today=TODAY)

    rows = {row["stage"]: row for row in dashboard.clocks}
    # Screening (due Mon 9 Feb): A on time that day, C on time, B withdrawn on 16 Feb: late.
    assert rows["screening"] == {
        "stage": "screening",
        "label": "Completeness screening",
        "breached_now": 0,
        "finished_late": 1,
        "finished_on_time": 2,
    }
    # Eligibility: A due 12 working days after 9 Feb (10 + 2 paused) = 25 Feb, found eligible
    # 2 Mar: late; C on time.
    assert (rows["eligibility"]["finished_late"], rows["eligibility"]["finished_on_time"]) == (1, 1)
    # Evaluation: C due 13 Feb, completed that day: on time. A running, due 9 Mar: breached now.
    assert (rows["evaluation"]["breached_now"], rows["evaluation"]["finished_on_time"]) == (1, 1)
    assert rows["evaluation"]["finished_late"] == 0
    # Decision: C due 18 Feb, released 20 Feb (the clock stops at the release): late.
    assert (rows["decision"]["finished_late"], rows["decision"]["finished_on_time"]) == (1, 0)


def test_clocks_breached_now_per_programme(world):
    dashboard = build_dashboard(Scope(programme_id=world["programme"].pk), today=TODAY)

    assert by(dashboard.clocks, "stage", "breached_now") == {
        "screening": 1,
        "eligibility": 0,
        "evaluation": 1,
        "decision": 0,
    }


def test_clock_due_today_is_not_breached(world):
    dashboard = build_dashboard(Scope(cohort_id=world["cohort"].pk), today=mar(9))

    assert by(dashboard.clocks, "stage", "breached_now")["evaluation"] == 0


def _assign(application, reviewer, day, *, declaration="no_conflict", reason=""):
    assignment = factories.ReviewerAssignmentFactory(
        application=application, reviewer=reviewer, declaration=declaration, recusal_reason=reason
    )
    ReviewerAssignment.objects.filter(pk=assignment.pk).update(assigned_at=at(day))


def _review(application, reviewer, day):
    factories.ReviewFactory(
        application=application, reviewer=reviewer, state="submitted", submitted_at=at(day)
    )


def test_reviewer_workload_and_turnaround(world):
    a, c = world["a"], world["c"]
    ada = factories.ReviewerFactory(full_name="Ada Bekova")
    bolat = factories.ReviewerFactory(full_name="Bolat Aliyev")
    carl = factories.ReviewerFactory(full_name="", email="carl@example.kz")
    _assign(a, ada, mar(2))  # open, review to submit
    _assign(c, ada, feb(6))
    _review(c, ada, feb(11))  # 3 working days
    _assign(a, bolat, mar(2))
    _review(a, bolat, mar(5))  # 3 working days, open (A not decided), nothing to submit
    _assign(c, bolat, feb(6))
    _review(c, bolat, feb(13))  # 5 working days
    _assign(a, carl, mar(2), declaration="recused", reason="Former employer")
    _assign(world["x"], carl, mar(2))  # another programme: not counted
    backfill_stage_history()

    dashboard = build_dashboard(Scope(programme_id=world["programme"].pk), today=TODAY)

    assert dashboard.reviewers == [
        {"name": "Ada Bekova", "open": 1, "to_submit": 1, "submitted": 1, "median_days": 3},
        {"name": "Bolat Aliyev", "open": 1, "to_submit": 0, "submitted": 2, "median_days": 4},
        {"name": "carl@example.kz", "open": 0, "to_submit": 0, "submitted": 0, "median_days": None},
    ]


def test_outcomes_by_outcome_and_release(world):
    admin, checker = factories.ProgrammeAdminFactory(), factories.ProgrammeAdminFactory()
    cohort = world["cohort"]
    confirmed = {"state": "confirmed", "checked_by": checker, "checked_at": at(feb(18))}
    factories.DecisionFactory(
        application=world["c"], made_by=admin, released_at=at(feb(20)), **confirmed
    )
    factories.DecisionFactory(
        application=submitted(cohort, "waitlisted"),
        outcome="waitlisted",
        made_by=admin,
        **confirmed,
    )
    factories.DecisionFactory(
        application=submitted(cohort, "decision_pending"), outcome="rejected", made_by=admin
    )
    factories.DecisionFactory(
        application=submitted(cohort, "decision_pending"),
        outcome="rejected",
        made_by=admin,
        state="sent_back",
    )
    factories.DecisionFactory(application=world["x"], made_by=admin)  # another programme

    dashboard = build_dashboard(Scope(cohort_id=cohort.pk), today=TODAY)

    assert dashboard.outcomes == [
        {"outcome": "approved", "label": "Approved", "awaiting_check": 0, "not_released": 0, "released": 1},
        {"outcome": "approved_with_conditions", "label": "Approved with conditions", "awaiting_check": 0, "not_released": 0, "released": 0},
        {"outcome": "rejected", "label": "Rejected", "awaiting_check": 2, "not_released": 0, "released": 0},
        {"outcome": "waitlisted", "label": "Waitlisted", "awaiting_check": 0, "not_released": 1, "released": 0},
    ]  # fmt: skip


def _report(participation, kind, due, *, state="due", filed=None, start=None):
    return factories.ReportFactory(
        participation=participation,
        kind=kind,
        state=state,
        due_on=due,
        period_start=start,
        period_end=start and date(start.year, start.month, 28),
        filed_at=filed and at(filed),
    )


def test_report_compliance_per_participation_and_in_total(world):
    participation = factories.ParticipationFactory(application=world["c"])
    _report(participation, "monthly", mar(10), state="accepted", filed=mar(9), start=feb(1))
    _report(participation, "monthly", mar(20), state="filed", filed=mar(25), start=date(2026, 1, 1))
    _report(participation, "quarterly", mar(25), start=date(2025, 12, 1))  # due today
    _report(participation, "monthly", date(2026, 4, 15), start=mar(1))  # not due yet
    _report(participation, "monthly", mar(1), start=date(2025, 12, 1))  # overdue
    _report(participation, "incident", None, state="returned", filed=mar(3))
    _report(
        participation, "monthly", mar(5), state="returned", filed=mar(4), start=date(2025, 11, 1)
    )
    other = factories.ParticipationFactory(application=world["x"])
    _report(other, "monthly", mar(2), start=feb(1))  # another programme, overdue

    dashboard = build_dashboard(Scope(programme_id=world["programme"].pk), today=mar(25))

    assert [p.pk for p in dashboard.reports] == [participation.pk]
    counts = {name: getattr(dashboard.reports[0], name) for name in dashboard.report_totals}
    # Expected: filed ones with a due date (3) and those past due never filed (1 Mar; 25 Mar is
    # due today, so not yet overdue).
    assert counts == {
        "expected": 4,
        "on_time": 2,
        "late": 1,
        "overdue": 1,
        "awaiting_review": 1,
        "accepted": 1,
        "returned": 2,
    }
    assert dashboard.report_totals == counts


def test_report_totals_add_up_participations(world):
    first = factories.ParticipationFactory(application=world["c"])
    second = factories.ParticipationFactory(application=world["a"])
    _report(first, "monthly", mar(2), start=feb(1))
    _report(second, "monthly", mar(2), start=feb(1))
    _report(second, "monthly", mar(3), state="accepted", filed=mar(3), start=date(2026, 1, 1))

    dashboard = build_dashboard(Scope(cohort_id=world["cohort"].pk), today=TODAY)

    assert dashboard.report_totals == {
        "expected": 3,
        "on_time": 1,
        "late": 0,
        "overdue": 2,
        "awaiting_review": 0,
        "accepted": 1,
        "returned": 0,
    }


def test_an_empty_scope_has_zeros_and_no_medians(db):
    dashboard = build_dashboard(Scope(cohort_id=factories.CohortFactory().pk), today=TODAY)

    assert sum(row["count"] for row in dashboard.funnel) == 0
    assert all(row["median_days"] is None for row in dashboard.stages)
    assert all(row["breached_now"] == row["finished_late"] == 0 for row in dashboard.clocks)
    assert dashboard.reviewers == []
    assert dashboard.reports == []
    assert set(dashboard.report_totals.values()) == {0}


def test_stage_days_follow_the_portals_calendar(db):
    """Mon 9 Mar 2026 is a public holiday (Women's Day observed); Thu 5 Mar an admin-entered day
    off. Wed 4 → Fri 6 Mar is 1 working day, Fri 6 → Tue 10 Mar is 1 as well."""
    CalendarDay.objects.create(date=mar(5), kind="day_off")
    application = submitted(factories.CohortFactory(), "eligibility")
    moves(
        application,
        (EventKind.APPLICATION_SUBMITTED, mar(4), "draft", "submitted"),
        (EventKind.SCREENING_STARTED, mar(6), "submitted", "screening"),
        (EventKind.PACKAGE_COMPLETE, date(2026, 3, 10), "screening", "eligibility"),
    )
    backfill_stage_history()

    dashboard = build_dashboard(Scope(), today=TODAY)

    medians = by(dashboard.stages, "state", "median_days")
    assert (medians["submitted"], medians["screening"]) == (1, 1)


def test_report_rows_name_the_participant_in_the_readers_language(world):
    from django.utils import translation

    participation = factories.ParticipationFactory(application=world["c"])
    organisation = world["c"].organisation
    organisation.legal_name_en, organisation.legal_name_ru = "Alpha Pay LLP", "ТОО Альфа Пэй"
    organisation.legal_name_kk = ""
    organisation.save()
    scope = Scope(programme_id=world["programme"].pk)

    with translation.override("ru"):
        russian = build_dashboard(scope, today=TODAY).reports
    with translation.override("kk"):
        kazakh = build_dashboard(scope, today=TODAY).reports  # no Kazakh name: English

    assert [(row.pk, row.reference, row.organisation) for row in russian] == [
        (participation.pk, world["c"].reference, "ТОО Альфа Пэй")
    ]
    assert [row.organisation for row in kazakh] == ["Alpha Pay LLP"]


def test_report_table_is_paginated_needing_attention_first_and_totals_count_every_page(db):
    cohort = factories.CohortFactory()
    participations = [
        factories.ParticipationFactory(application=submitted(cohort, "testing")) for _ in range(27)
    ]
    late, overdue_once, overdue_twice = participations[5], participations[9], participations[20]
    _report(overdue_once, "monthly", mar(2), start=feb(1))
    _report(overdue_twice, "monthly", mar(2), start=feb(1))
    _report(overdue_twice, "monthly", mar(3), start=date(2026, 1, 1))
    _report(late, "monthly", mar(2), state="filed", filed=mar(4), start=feb(1))
    scope = Scope(cohort_id=cohort.pk)

    first = build_dashboard(scope, today=TODAY)
    second = build_dashboard(scope, today=TODAY, reports_page=2)

    assert (first.reports_page.number, first.reports_page.num_pages) == (1, 2)
    assert [row.pk for row in first.reports[:3]] == [overdue_twice.pk, overdue_once.pk, late.pk]
    rest = sorted(
        (p for p in participations if p not in (late, overdue_once, overdue_twice)),
        key=lambda p: (p.application.reference, p.pk),
    )
    assert [row.pk for row in first.reports[3:]] == [p.pk for p in rest[:22]]
    assert [row.pk for row in second.reports] == [p.pk for p in rest[22:]]
    assert (second.reports_page.has_previous, second.reports_page.has_next) == (True, False)
    assert first.report_totals == second.report_totals
    assert (first.report_totals["overdue"], first.report_totals["late"]) == (3, 1)


@pytest.mark.parametrize(("asked", "shown"), [(None, 1), ("0", 1), ("x", 1), ("9", 2)])
def test_report_page_out_of_range_shows_the_nearest_page(db, asked, shown):
    cohort = factories.CohortFactory()
    for _ in range(26):
        factories.ParticipationFactory(application=submitted(cohort, "testing"))

    dashboard = build_dashboard(Scope(cohort_id=cohort.pk), today=TODAY, reports_page=asked)

    assert dashboard.reports_page.number == shown
    assert len(dashboard.reports) == (25 if shown == 1 else 1)
