"""The queues: who sees which, every filter and sort with the exact rows, counts, pages, htmx,
and a constant number of queries whatever the page size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.calendar import WorkingCalendar
from applications.enums import ActivityCategory, ApplicationState, ClockStage, RfiState
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState
MINE = reverse("applications:queue-mine")
TRIAGE = reverse("applications:queue-triage")
ALL = reverse("applications:queue-all")
KZ = WorkingCalendar()


def today():
    return timezone.localdate()


def last_worked_day():
    day = today()
    return day if KZ.is_working_day(day) else KZ.add_working_days(day, -1)


def make(cohort, reference, state=S.SCREENING, **fields):
    """A submitted application with a known reference, submitted `hours_ago` hours ago."""
    hours_ago = fields.pop("hours_ago", 1)
    return factories.SubmittedApplicationFactory(
        cohort=cohort,
        state=state,
        reference=reference,
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


def with_clock(due_on, **fields):
    return {
        "clock_stage": ClockStage.SCREENING,
        "clock_started_on": today() - timedelta(days=30),
        "clock_due_on": due_on,
        **fields,
    }


def refs(response):
    return [application.reference for application in response.context["applications"]]


@pytest.fixture
def panel_cohort(reviewer):
    cohort = factories.CohortFactory()
    cohort.panel.add(reviewer)
    return cohort


# --- who may open which queue -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        ("anonymous", MINE, 302),
        ("anonymous", TRIAGE, 302),
        ("anonymous", ALL, 302),
        ("applicant", MINE, 403),
        ("applicant", TRIAGE, 403),
        ("applicant", ALL, 403),
        ("reviewer", MINE, 200),
        ("reviewer", TRIAGE, 200),
        ("reviewer", ALL, 403),
        ("programme_admin", MINE, 200),
        ("programme_admin", TRIAGE, 200),
        ("programme_admin", ALL, 200),
    ],
)
def test_queue_permission_matrix(client, role, url, expected):
    users = {
        "applicant": factories.ApplicantFactory,
        "reviewer": factories.ReviewerFactory,
        "programme_admin": factories.ProgrammeAdminFactory,
    }
    if role != "anonymous":
        client.force_login(users[role]())

    response = client.get(url)

    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("account_login"))


def test_staff_navbar_links_the_queues(client, reviewer, programme_admin):
    client.force_login(reviewer)
    content = client.get(MINE).content.decode()
    assert f'href="{MINE}">My work</a>' in content
    assert f'href="{TRIAGE}">Triage</a>' in content
    assert f'href="{ALL}"' not in content
    assert reverse("applications:calendar") not in content

    client.force_login(programme_admin)
    content = client.get(MINE).content.decode()
    assert f'href="{ALL}">All applications</a>' in content
    assert f'href="{reverse("applications:calendar")}">Working-day calendar</a>' in content


# --- what each queue holds ------------------------------------------------------------------


def test_my_work_holds_live_assignments_and_cases(client, reviewer, panel_cohort):
    cleared = make(panel_cohort, "SBX-2026-00001")
    pending = make(panel_cohort, "SBX-2026-00002")
    recused = make(panel_cohort, "SBX-2026-00003")
    case = make(panel_cohort, "SBX-2026-00004", case_officer=reviewer)
    make(panel_cohort, "SBX-2026-00005")  # on the panel, but not assigned
    someone_elses = make(panel_cohort, "SBX-2026-00006")
    factories.ReviewerAssignmentFactory(
        application=cleared, reviewer=reviewer, declaration="no_conflict"
    )
    factories.ReviewerAssignmentFactory(application=pending, reviewer=reviewer)
    factories.ReviewerAssignmentFactory(
        application=recused,
        reviewer=reviewer,
        declaration="recused",
        recusal_reason="Former employer",
    )
    factories.ReviewerAssignmentFactory(application=someone_elses, declaration="no_conflict")
    client.force_login(reviewer)

    response = client.get(MINE, {"sort": "submitted"})

    assert sorted(refs(response)) == [cleared.reference, pending.reference, case.reference]
    rows = {row.reference: row for row in response.context["applications"]}
    assert rows[pending.reference].my_declaration == "pending"
    assert rows[case.reference].my_declaration is None
    assert "Declare conflicts first" in response.content.decode()
    # Only the row declared free of conflicts opens; the pending one leads to the declaration.
    assert {reference: row.can_open for reference, row in rows.items()} == {
        cleared.reference: True,
        pending.reference: False,
        case.reference: False,
    }


def test_my_work_row_of_a_recused_case_officer_neither_opens_nor_asks_to_declare(
    client, reviewer, panel_cohort
):
    case = make(panel_cohort, "SBX-2026-00001", case_officer=reviewer)
    factories.ReviewerAssignmentFactory(
        application=case, reviewer=reviewer, declaration="recused", recusal_reason="Shareholder"
    )
    client.force_login(reviewer)

    response = client.get(MINE)

    [row] = response.context["applications"]
    assert (row.my_declaration, row.cleared_reviewer_id, row.can_open) == (None, None, False)
    assert "Declare conflicts first" not in response.content.decode()


def test_triage_holds_unassigned_submissions_of_my_panels(client, reviewer, panel_cohort):
    waiting = make(panel_cohort, "SBX-2026-00001", state=S.SUBMITTED)
    make(
        panel_cohort, "SBX-2026-00002", state=S.SUBMITTED, case_officer=factories.ReviewerFactory()
    )
    make(panel_cohort, "SBX-2026-00003", state=S.SCREENING)
    elsewhere = make(factories.CohortFactory(), "SBX-2026-00004", state=S.SUBMITTED)
    factories.ApplicationFactory(cohort=panel_cohort)  # a draft
    client.force_login(reviewer)

    assert refs(client.get(TRIAGE)) == [waiting.reference]

    client.force_login(factories.ProgrammeAdminFactory())
    assert sorted(refs(client.get(TRIAGE))) == [waiting.reference, elsewhere.reference]


def test_all_applications_holds_every_submitted_one(client, programme_admin):
    cohort = factories.CohortFactory()
    submitted = [
        make(cohort, f"SBX-2026-0000{n}", state=state)
        for n, state in enumerate((S.SUBMITTED, S.EVALUATION, S.WITHDRAWN), 1)
    ]
    factories.ApplicationFactory(cohort=cohort)
    client.force_login(programme_admin)

    response = client.get(ALL, {"sort": "submitted"})

    assert sorted(refs(response)) == sorted(a.reference for a in submitted)
    assert response.context["total"] == 3


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, programme_admin):
    client.force_login(programme_admin)
    return client


def test_filter_by_state_keeps_counts_of_every_state(admin_client):
    cohort = factories.CohortFactory()
    make(cohort, "SBX-2026-00001", state=S.SUBMITTED)
    make(cohort, "SBX-2026-00002", state=S.SCREENING)
    make(cohort, "SBX-2026-00003", state=S.SCREENING)

    response = admin_client.get(ALL, {"state": "screening", "sort": "submitted"})

    assert sorted(refs(response)) == ["SBX-2026-00002", "SBX-2026-00003"]
    assert [(row["state"], row["count"]) for row in response.context["state_counts"]] == [
        ("submitted", 1),
        ("screening", 2),
    ]
    content = response.content.decode()
    assert '<span class="badge text-bg-light" data-state="screening">2</span>' in content
    assert 'href="?state=submitted&amp;sort=submitted"' in content


def test_filter_by_cohort_and_activity(admin_client):
    first, second = factories.CohortFactory(), factories.CohortFactory()
    make(first, "SBX-2026-00001", activity_category=ActivityCategory.PAYMENTS)
    make(first, "SBX-2026-00002", activity_category=ActivityCategory.STABLECOIN)
    make(second, "SBX-2026-00003", activity_category=ActivityCategory.PAYMENTS)

    assert refs(admin_client.get(ALL, {"cohort": first.pk})) == ["SBX-2026-00001", "SBX-2026-00002"]
    assert refs(admin_client.get(ALL, {"activity": "payments"})) == [
        "SBX-2026-00001",
        "SBX-2026-00003",
    ]
    assert refs(admin_client.get(ALL, {"cohort": first.pk, "activity": "payments"})) == [
        "SBX-2026-00001"
    ]


@pytest.fixture
def clocks():
    """Four clocks: overdue, due in 2 working days, due in 20, paused; and one without a clock."""
    cohort = factories.CohortFactory()
    return {
        "overdue": make(
            cohort, "SBX-2026-00001", **with_clock(KZ.add_working_days(last_worked_day(), -2))
        ),
        "soon": make(cohort, "SBX-2026-00002", **with_clock(KZ.add_working_days(today(), 2))),
        "later": make(cohort, "SBX-2026-00003", **with_clock(KZ.add_working_days(today(), 20))),
        "paused": make(
            cohort,
            "SBX-2026-00004",
            **with_clock(
                KZ.add_working_days(today(), -1), clock_paused_on=today() - timedelta(days=10)
            ),
        ),
        "none": make(cohort, "SBX-2026-00005", state=S.APPROVED),
    }


def test_filter_by_clock(admin_client, clocks):
    assert refs(admin_client.get(ALL, {"clock": "overdue"})) == ["SBX-2026-00001"]
    assert refs(admin_client.get(ALL, {"clock": "due_soon"})) == ["SBX-2026-00002"]
    assert refs(admin_client.get(ALL, {"clock": "due_soon", "due_within": 25})) == [
        "SBX-2026-00002",
        "SBX-2026-00003",
    ]
    assert refs(admin_client.get(ALL, {"clock": "due_soon", "due_within": 1})) == []
    assert refs(admin_client.get(ALL, {"clock": "paused"})) == ["SBX-2026-00004"]


def test_due_within_counts_working_days_exactly(admin_client):
    cohort = factories.CohortFactory()
    make(cohort, "SBX-2026-00001", **with_clock(KZ.add_working_days(today(), 3)))

    assert refs(admin_client.get(ALL, {"clock": "due_soon", "due_within": 3})) == ["SBX-2026-00001"]
    assert refs(admin_client.get(ALL, {"clock": "due_soon", "due_within": 2})) == []


def test_rows_show_their_clock(admin_client, clocks):
    content = admin_client.get(ALL).content.decode()

    assert (
        '<span class="badge text-bg-danger" data-clock="overdue">Overdue by 2 working days</span>'
        in content
    )
    assert (
        '<span class="badge text-bg-warning" data-clock="running">2 working days left</span>'
        in content
    )
    assert (
        '<span class="badge text-bg-light" data-clock="running">20 working days left</span>'
        in content
    )
    assert 'data-clock="paused">Paused since' in content


def test_default_sort_is_due_date_with_no_clock_last(admin_client, clocks):
    assert refs(admin_client.get(ALL)) == [
        "SBX-2026-00001",
        "SBX-2026-00004",
        "SBX-2026-00002",
        "SBX-2026-00003",
        "SBX-2026-00005",
    ]


def test_filter_by_open_and_overdue_rfi(admin_client):
    cohort = factories.CohortFactory()
    open_rfi = make(cohort, "SBX-2026-00001")
    late_rfi = make(cohort, "SBX-2026-00002")
    answered = make(cohort, "SBX-2026-00003")
    make(cohort, "SBX-2026-00004")
    factories.RequestForInformationFactory(application=open_rfi)
    factories.RequestForInformationFactory(application=late_rfi, due_on=today() - timedelta(days=1))
    factories.RequestForInformationFactory(
        application=answered,
        state=RfiState.ANSWERED,
        answered_at=timezone.now(),
        due_on=today() - timedelta(days=5),
    )

    assert refs(admin_client.get(ALL, {"rfi": "open", "sort": "submitted"})) == [
        "SBX-2026-00001",
        "SBX-2026-00002",
    ]
    response = admin_client.get(ALL, {"rfi": "overdue"})
    assert refs(response) == ["SBX-2026-00002"]
    assert (
        '<span class="badge text-bg-danger" data-rfi="overdue">RFI overdue</span>'
        in response.content.decode()
    )


def test_filter_by_my_review(client, reviewer, panel_cohort):
    done, drafted, untouched = (
        make(panel_cohort, f"SBX-2026-0000{n}", hours_ago=10 - n) for n in (1, 2, 3)
    )
    for application in (done, drafted, untouched):
        factories.ReviewerAssignmentFactory(
            application=application, reviewer=reviewer, declaration="no_conflict"
        )
    factories.ReviewFactory(
        application=done, reviewer=reviewer, state="submitted", weighted_score=Decimal("3.50")
    )
    factories.ReviewFactory(application=drafted, reviewer=reviewer)
    factories.ReviewFactory(
        application=untouched, state="submitted", weighted_score=Decimal("4.00")
    )
    client.force_login(reviewer)

    assert refs(client.get(MINE, {"my_review": "submitted"})) == [done.reference]
    assert refs(client.get(MINE, {"my_review": "not_submitted", "sort": "submitted"})) == [
        drafted.reference,
        untouched.reference,
    ]


def test_search_by_reference_organisation_and_bin(admin_client):
    cohort = factories.CohortFactory()
    steppe = make(
        cohort,
        "SBX-2026-00001",
        organisation=factories.OrganisationFactory(
            legal_name_en="Steppe Pay LLP", bin="240340123450"
        ),
    )
    make(
        cohort,
        "SBX-2026-00002",
        organisation=factories.OrganisationFactory(legal_name_en="Altyn Custody JSC"),
    )

    assert refs(admin_client.get(ALL, {"q": "00001"})) == [steppe.reference]
    assert refs(admin_client.get(ALL, {"q": "steppe pay"})) == [steppe.reference]
    assert refs(admin_client.get(ALL, {"q": "24034012"})) == [steppe.reference]
    assert refs(admin_client.get(ALL, {"q": "nothing like it"})) == []


def test_blind_review_hides_identity_from_reviewer_search_and_rows(
    client, reviewer, programme_admin
):
    blind = factories.CohortFactory(programme=factories.ProgrammeFactory(blind_review=True))
    open_ = factories.CohortFactory()
    for cohort in (blind, open_):
        cohort.panel.add(reviewer)
    hidden = make(
        blind,
        "SBX-2026-00001",
        state=S.SUBMITTED,
        organisation=factories.OrganisationFactory(
            legal_name_en="Hidden Ledger LLP", bin="240340123450"
        ),
    )
    shown = make(
        open_,
        "SBX-2026-00002",
        state=S.SUBMITTED,
        organisation=factories.OrganisationFactory(legal_name_en="Shown Ledger LLP"),
    )
    client.force_login(reviewer)

    assert refs(client.get(TRIAGE, {"q": "ledger"})) == [shown.reference]
    assert refs(client.get(TRIAGE, {"q": "240340123450"})) == []
    assert refs(client.get(TRIAGE, {"q": "SBX-2026-00001"})) == [hidden.reference]
    response = client.get(TRIAGE)
    content = response.content.decode()
    assert "Hidden Ledger" not in content
    assert "240340123450" not in content
    assert "Shown Ledger LLP" in content
    assert content.count("Hidden (blind review)") == 1
    # The blind row never carried the name out of the database.
    names = {row.reference: row.organisation_name for row in response.context["applications"]}
    assert names == {hidden.reference: None, shown.reference: "Shown Ledger LLP"}

    client.force_login(programme_admin)
    assert refs(client.get(TRIAGE, {"q": "hidden ledger"})) == [hidden.reference]
    assert "Hidden Ledger LLP" in client.get(TRIAGE).content.decode()


def test_invalid_filter_values_are_ignored_with_a_message(admin_client, clocks):
    response = admin_client.get(
        ALL, {"clock": "someday", "due_within": "many", "cohort": "x", "sort": "random"}
    )

    assert response.status_code == 200
    assert len(refs(response)) == 5
    assert response.context["form"].errors.keys() == {"clock", "due_within", "cohort", "sort"}


# --- sort ---------------------------------------------------------------------------------------


def test_sort_by_submission_date(admin_client):
    cohort = factories.CohortFactory()
    make(cohort, "SBX-2026-00001", hours_ago=5)
    make(cohort, "SBX-2026-00002", hours_ago=1)
    make(cohort, "SBX-2026-00003", hours_ago=3)

    assert refs(admin_client.get(ALL, {"sort": "-submitted"})) == [
        "SBX-2026-00002",
        "SBX-2026-00003",
        "SBX-2026-00001",
    ]
    assert refs(admin_client.get(ALL, {"sort": "submitted"})) == [
        "SBX-2026-00001",
        "SBX-2026-00003",
        "SBX-2026-00002",
    ]


def test_sort_by_score_averages_submitted_reviews(admin_client):
    cohort = factories.CohortFactory()
    low, high, unscored = (make(cohort, f"SBX-2026-0000{n}", state=S.EVALUATION) for n in (1, 2, 3))
    factories.ReviewFactory(application=low, state="submitted", weighted_score=Decimal("2.00"))
    factories.ReviewFactory(application=low, state="submitted", weighted_score=Decimal("3.00"))
    factories.ReviewFactory(application=high, state="submitted", weighted_score=Decimal("4.20"))
    factories.ReviewFactory(
        application=high, weighted_score=Decimal("0.50")
    )  # a draft: not counted

    response = admin_client.get(ALL, {"sort": "score"})

    assert refs(response) == [high.reference, low.reference, unscored.reference]
    assert [row.score for row in response.context["applications"]] == [
        Decimal("4.2"),
        Decimal("2.5"),
        None,
    ]
    assert "<span data-score>4.20</span>" in response.content.decode()


def test_reviewer_sees_scores_only_after_submitting_their_own(client, reviewer, panel_cohort):
    reviewed, not_yet = (
        make(panel_cohort, f"SBX-2026-0000{n}", state=S.EVALUATION) for n in (1, 2)
    )
    for application in (reviewed, not_yet):
        factories.ReviewerAssignmentFactory(
            application=application, reviewer=reviewer, declaration="no_conflict"
        )
        factories.ReviewFactory(
            application=application, state="submitted", weighted_score=Decimal("4.00")
        )
    factories.ReviewFactory(
        application=reviewed, reviewer=reviewer, state="submitted", weighted_score=Decimal("2.00")
    )
    client.force_login(reviewer)

    response = client.get(MINE, {"sort": "score"})

    assert refs(response) == [reviewed.reference, not_yet.reference]
    assert [row.score for row in response.context["applications"]] == [Decimal("3.0"), None]
    # Sorted otherwise, the score is hidden the same way (after the query, not in it).
    response = client.get(MINE, {"sort": "submitted"})
    scores = {row.reference: row.score for row in response.context["applications"]}
    assert scores == {reviewed.reference: Decimal("3.0"), not_yet.reference: None}
    content = response.content.decode()
    assert content.count("data-score>") == 1
    assert "4.00" not in content


# --- pages, htmx, queries ---------------------------------------------------------------------


def test_pages_keep_the_filters(admin_client):
    cohort = factories.CohortFactory()
    for n in range(27):
        make(cohort, f"SBX-2026-{n + 1:05d}", hours_ago=n + 1)

    first = admin_client.get(ALL, {"sort": "-submitted", "cohort": cohort.pk})
    second = admin_client.get(ALL, {"sort": "-submitted", "cohort": cohort.pk, "page": 2})

    assert len(refs(first)) == 25
    assert refs(second) == ["SBX-2026-00026", "SBX-2026-00027"]
    assert f'href="?sort=-submitted&amp;cohort={cohort.pk}&amp;page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize(
    ("role", "superuser", "active"),
    [
        ("reviewer", False, True),
        ("programme_admin", False, True),
        ("reviewer", True, True),
        ("programme_admin", False, False),
        ("applicant", False, True),
    ],
)
def test_the_all_queue_tab_follows_the_permission(role, superuser, active):
    from applications.views.queues import ALL_QUEUE_PERMISSION, may_see_all_queue

    user = factories.UserFactory(role=role, is_superuser=superuser, is_active=active)

    assert may_see_all_queue(user) == user.has_perm(ALL_QUEUE_PERMISSION)
    assert may_see_all_queue(user) == (active and (superuser or role == "programme_admin"))


@pytest.mark.parametrize(
    ("role", "superuser", "active", "declaration"),
    [
        ("reviewer", False, True, "no_conflict"),
        ("reviewer", False, True, "pending"),
        ("reviewer", False, True, "recused"),
        ("reviewer", False, False, "no_conflict"),
        ("reviewer", True, True, None),
        ("programme_admin", False, True, None),
        ("programme_admin", False, False, None),
        ("applicant", False, True, None),
    ],
)
def test_a_row_opens_as_user_has_perm_says(role, superuser, active, declaration):
    from applications.views.queues import rule_allows

    user = factories.UserFactory(role=role, is_superuser=superuser, is_active=active)
    application = make(factories.CohortFactory(), "SBX-2026-00001", state=S.EVALUATION)
    if declaration:
        factories.ReviewerAssignmentFactory(
            application=application,
            reviewer=user,
            declaration=declaration,
            recusal_reason="Former employer" if declaration == "recused" else "",
        )

    allowed = rule_allows(user, "applications.view_application", application)

    assert allowed == user.has_perm("applications.view_application", application)
    assert allowed == (
        active and (superuser or role == "programme_admin" or declaration == "no_conflict")
    )


def test_page_count_comes_from_the_counts_per_state(admin_client):
    cohort = factories.CohortFactory()
    for n in range(26):
        make(cohort, f"SBX-2026-{n + 1:05d}", state=S.SCREENING, hours_ago=n + 1)
    for n in range(3):
        make(cohort, f"SBX-2026-{n + 101:05d}", state=S.EVALUATION, hours_ago=n + 1)

    everything = admin_client.get(ALL, {"cohort": cohort.pk})
    screening = admin_client.get(ALL, {"cohort": cohort.pk, "state": S.SCREENING, "page": 2})
    evaluation = admin_client.get(ALL, {"cohort": cohort.pk, "state": S.EVALUATION})
    beyond = admin_client.get(ALL, {"cohort": cohort.pk, "state": S.EVALUATION, "page": 2})

    assert everything.context["paginator"].count == 29
    assert "Page 1 of 2" in everything.content.decode()
    assert screening.context["paginator"].count == 26
    assert len(refs(screening)) == 1
    assert "Page 2 of 2" in screening.content.decode()
    assert evaluation.context["paginator"].count == 3
    assert evaluation.context["is_paginated"] is False
    assert beyond.status_code == 404


def test_htmx_request_gets_only_the_queue_fragment(admin_client, clocks):
    response = admin_client.get(ALL, {"clock": "overdue"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="queue"')
    assert "<html" not in content
    assert 'data-reference="SBX-2026-00001"' in content
    assert 'data-reference="SBX-2026-00002"' not in content


def test_full_page_has_a_get_form_that_works_without_javascript(admin_client):
    content = admin_client.get(ALL).content.decode()

    assert f'<form method="get" action="{ALL}"' in content
    assert 'hx-get="' + ALL + '"' in content
    assert (
        '<div id="queue" hx-target="#queue" hx-swap="outerHTML" hx-push-url="true" hx-history="false">'
        in content
    )


def populate(reviewer, rows):
    """`rows` applications across cohorts and organisations, each with every fact a row shows."""
    programme = factories.ProgrammeFactory(blind_review=True)
    cohorts = [factories.CohortFactory(programme=programme) for _n in range(3)]
    for cohort in cohorts:
        cohort.panel.add(reviewer)
    for n in range(rows):
        application = make(
            cohorts[n % 3],
            f"SBX-2026-{n + 1:05d}",
            **with_clock(KZ.add_working_days(today(), n + 1)),
        )
        factories.ReviewerAssignmentFactory(
            application=application, reviewer=reviewer, declaration="no_conflict"
        )
        factories.ReviewFactory(
            application=application,
            reviewer=reviewer,
            state="submitted",
            weighted_score=Decimal("3"),
        )
        factories.RequestForInformationFactory(application=application)


@pytest.mark.parametrize("rows", [1, 30])
def test_reviewer_queue_query_count_is_constant(client, reviewer, django_assert_num_queries, rows):
    populate(reviewer, rows)
    client.force_login(reviewer)

    query = {"sort": "score", "q": "SBX", "clock": "due_soon", "due_within": 60}
    # session user, TOTP check, calendar days and the filter's cohorts and panels (cold cache),
    # counts per state (which also give the page count), page rows.
    with django_assert_num_queries(7):
        response = client.get(MINE, query)
    assert len(refs(response)) == min(rows, 25)
    # Warm: the calendar and the cohorts come from the cache.
    with django_assert_num_queries(4):
        assert refs(client.get(MINE, query)) == refs(response)


@pytest.mark.parametrize("rows", [1, 30])
def test_admin_queue_query_count_is_constant(
    client, programme_admin, reviewer, django_assert_num_queries, rows
):
    populate(reviewer, rows)
    client.force_login(programme_admin)

    with django_assert_num_queries(7):
        response = client.get(ALL, {"rfi": "open", "state": "screening"})
    assert len(refs(response)) == min(rows, 25)
    with django_assert_num_queries(4):
        assert refs(client.get(ALL, {"rfi": "open", "state": "screening"})) == refs(response)


# --- the scopes themselves ------------------------------------------------------------------


@pytest.mark.parametrize("queue", ["mine", "triage", "all"])
def test_queue_scope_is_empty_for_applicants_and_anonymous(applicant, queue):
    from django.contrib.auth.models import AnonymousUser

    from applications.queries.queues import queue_scope

    make(factories.CohortFactory(), "SBX-2026-00001", state=S.SUBMITTED)

    assert list(queue_scope(applicant, queue)) == []
    assert list(queue_scope(AnonymousUser(), queue)) == []


def test_queue_scope_all_is_empty_for_reviewers_and_unknown_queues(reviewer, programme_admin):
    from applications.queries.queues import queue_scope

    cohort = factories.CohortFactory()
    cohort.panel.add(reviewer)
    make(cohort, "SBX-2026-00001", state=S.SUBMITTED)

    assert list(queue_scope(reviewer, "all")) == []
    assert list(queue_scope(programme_admin, "elsewhere")) == []
    assert queue_scope(programme_admin, "all").count() == 1


def test_rows_show_names_in_the_readers_language_falling_back_to_english(admin_client):
    programme = factories.ProgrammeFactory(
        name_en="Digital assets", name_ru="Цифровые активы", name_kk=""
    )
    cohort = factories.CohortFactory(programme=programme, name="2026-A")
    make(
        cohort,
        "SBX-2026-00001",
        organisation=factories.OrganisationFactory(
            legal_name_en="Steppe Pay LLP", legal_name_ru="ТОО «Степь Пэй»", legal_name_kk=""
        ),
    )

    def names(language):
        response = admin_client.get(ALL, HTTP_ACCEPT_LANGUAGE=language)
        [row] = response.context["applications"]
        return row.organisation_name, row.programme_name, row.cohort_name

    assert names("ru") == ("ТОО «Степь Пэй»", "Цифровые активы", "2026-A")
    assert names("kk") == ("Steppe Pay LLP", "Digital assets", "2026-A")
    assert names("en") == ("Steppe Pay LLP", "Digital assets", "2026-A")


def test_each_reviewer_sees_their_own_columns_on_the_same_application(client, panel_cohort):
    """The row columns are built once per person and kept (queries/queues.row_columns): two
    reviewers in turn must each get their own declaration and review on a shared row."""
    first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
    application = make(panel_cohort, "SBX-2026-00001", state=S.EVALUATION)
    for reviewer, declaration in ((first, "no_conflict"), (second, "pending")):
        panel_cohort.panel.add(reviewer)
        factories.ReviewerAssignmentFactory(
            application=application, reviewer=reviewer, declaration=declaration
        )
    factories.ReviewFactory(application=application, reviewer=first, state="submitted")

    seen = {}
    for reviewer in (first, second, first):
        client.force_login(reviewer)
        [row] = client.get(MINE).context["applications"]
        seen.setdefault(reviewer.pk, set()).add(
            (row.my_declaration, row.my_review_state, row.can_open)
        )

    assert seen == {
        first.pk: {("no_conflict", "submitted", True)},
        second.pk: {("pending", None, False)},
    }
