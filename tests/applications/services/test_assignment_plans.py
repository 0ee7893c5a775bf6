from collections import Counter

import pytest

from applications.enums import ApplicationState, Declaration
from applications.models import Application, ReviewerAssignment
from applications.services.assignment_plans import (
    ASSIGN,
    REFUSED,
    SHORT,
    open_load,
    plan_automatic,
    plan_bulk,
    run_pairs,
)
from tests import factories
from tests.applications.workspace import panel_reviewer

pytestmark = pytest.mark.django_db
S = ApplicationState


def cohort_with(count, reviewers, state=S.SCREENING):
    cohort = factories.CohortFactory()
    panel = [panel_reviewer(cohort, full_name=f"Reviewer {n}") for n in range(reviewers)]
    applications = [
        factories.SubmittedApplicationFactory(cohort=cohort, state=state) for _n in range(count)
    ]
    return cohort, panel, applications


def loaded(applications):
    return list(
        Application.objects.filter(pk__in=[a.pk for a in applications])
        .select_related("cohort__programme", "organisation")
        .order_by("submitted_at", "id")
    )


def test_plan_bulk_lists_each_pair_with_its_refusal(django_assert_num_queries):
    cohort, (free, conflicted), applications = cohort_with(2, 2)
    factories.ConflictOfInterestFactory(
        reviewer=conflicted, organisation=applications[0].organisation
    )
    outsider = factories.ReviewerFactory(full_name="Outsider")
    rows = loaded(applications)

    # panels, declarations, conflicts, people
    with django_assert_num_queries(4):
        items = plan_bulk(rows, [free, conflicted, outsider])

    outcomes = [(i.application.pk, i.reviewer.pk, i.outcome) for i in items]
    first, second = applications
    assert outcomes == [
        (first.pk, free.pk, ASSIGN),
        (first.pk, conflicted.pk, REFUSED),
        (first.pk, outsider.pk, REFUSED),
        (second.pk, free.pk, ASSIGN),
        (second.pk, conflicted.pk, ASSIGN),
        (second.pk, outsider.pk, REFUSED),
    ]
    assert items[1].reason.startswith("Reviewer 1 has registered a conflict of interest with")
    assert items[2].reason == f"Outsider is not on the reviewer panel of {cohort.name}."


def test_plan_automatic_respects_count_cap_and_balance():
    _cohort, panel, applications = cohort_with(6, 4)

    items = plan_automatic(loaded(applications), panel, per_application=2, cap=3)

    assert all(item.outcome == ASSIGN for item in items)
    per_application = Counter(item.application.pk for item in items)
    assert set(per_application.values()) == {2}
    per_reviewer = Counter(item.reviewer.pk for item in items)
    assert sorted(per_reviewer.values()) == [3, 3, 3, 3]  # 12 assignments over 4, cap 3
    for application in applications:
        reviewers = [item.reviewer.pk for item in items if item.application == application]
        assert len(set(reviewers)) == 2


def test_plan_automatic_balances_against_existing_open_load():
    _cohort, (busy, idle_one, idle_two), applications = cohort_with(2, 3)
    elsewhere = factories.SubmittedApplicationFactory(state=S.EVALUATION)
    factories.ReviewerAssignmentFactory(application=elsewhere, reviewer=busy)
    closed = factories.SubmittedApplicationFactory(state=S.APPROVED)
    factories.ReviewerAssignmentFactory(application=closed, reviewer=idle_one)  # not open

    items = plan_automatic(
        loaded(applications), [busy, idle_one, idle_two], per_application=1, cap=5
    )

    assert [(item.application.pk, item.reviewer.pk) for item in items] == [
        (applications[0].pk, idle_one.pk),
        (applications[1].pk, idle_two.pk),
    ]
    assert open_load([busy.pk, idle_one.pk]) == Counter({busy.pk: 1})


def test_plan_automatic_keeps_existing_assignments_and_never_reuses_recusals():
    _cohort, (kept, recused, fresh), (application,) = cohort_with(1, 3)
    factories.ReviewerAssignmentFactory(application=application, reviewer=kept)
    factories.ReviewerAssignmentFactory(
        application=application,
        reviewer=recused,
        declaration=Declaration.RECUSED,
        recusal_reason="Former employer",
    )

    items = plan_automatic(loaded([application]), [kept, recused, fresh], per_application=2, cap=9)

    assert [(item.reviewer, item.outcome) for item in items] == [(fresh, ASSIGN)]


def test_plan_automatic_never_plans_a_conflict_and_reports_shortfall():
    _cohort, (only,), (application,) = cohort_with(1, 1)
    factories.ConflictOfInterestFactory(
        reviewer=only, organisation=None, bin=application.organisation.bin
    )

    items = plan_automatic(loaded([application]), [only], per_application=2, cap=9)

    assert [(item.reviewer, item.outcome) for item in items] == [(None, SHORT)]
    assert items[0].reason.startswith("2 more reviewer(s) needed")


def test_plan_automatic_stops_at_the_cap():
    _cohort, (reviewer,), applications = cohort_with(3, 1)

    items = plan_automatic(loaded(applications), [reviewer], per_application=1, cap=2)

    assert [item.outcome for item in items] == [ASSIGN, ASSIGN, SHORT]


def test_plan_automatic_is_deterministic():
    _cohort, panel, applications = cohort_with(5, 3)
    rows = loaded(applications)

    first = [i.pair for i in plan_automatic(rows, panel, per_application=2, cap=4)]
    second = [i.pair for i in plan_automatic(rows, list(reversed(panel)), per_application=2, cap=4)]

    assert first == second


def test_run_pairs_assigns_each_and_reports_refusals(programme_admin):
    _cohort, (ok, late), (application,) = cohort_with(1, 2)
    factories.ReviewerAssignmentFactory(application=application, reviewer=late)  # since preview

    results = run_pairs(actor=programme_admin, pairs=[(application, ok), (application, late)])

    assert [(r.reviewer, r.done) for r in results] == [(ok, True), (late, False)]
    assert results[1].message == f"{late.display_name} is already assigned to this application."
    assert ReviewerAssignment.objects.filter(application=application).count() == 2
