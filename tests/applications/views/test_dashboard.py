"""The dashboard page (/console/dashboard/): who may see it, the filter, what it shows, and a
query count that does not grow with the data."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import EventKind
from applications.models import AuditEvent, DashboardSnapshot
from applications.services.stage_history import backfill_stage_history
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("console:dashboard")
REFRESH_URL = reverse("console:dashboard-refresh")


def _transition(application, kind, source, target):
    AuditEvent.objects.create(
        kind=kind,
        application=application,
        organisation=application.organisation,
        data={"from": source, "to": target},
        created_at=timezone.now(),
        previous_hash="0" * 64,
        hash=uuid.uuid4().hex * 2,
    )


def _populate(cohort, n):
    """n applications with a lifecycle event, a reviewer each (assigned and reviewed), a decision,
    a participation and two reports: every figure has rows to count."""
    for _ in range(n):
        application = factories.SubmittedApplicationFactory(
            cohort=cohort, state="evaluation", clock_stage="evaluation", clock_due_on=None
        )
        _transition(application, EventKind.APPLICATION_SUBMITTED, "draft", "submitted")
        _transition(application, EventKind.SCREENING_STARTED, "submitted", "screening")
        reviewer = factories.ReviewerFactory()
        factories.ReviewerAssignmentFactory(application=application, reviewer=reviewer)
        factories.ReviewFactory(
            application=application,
            reviewer=reviewer,
            state="submitted",
            submitted_at=timezone.now(),
        )
        participation = factories.ParticipationFactory(application=application)
        # Due yesterday, never filed: overdue whatever the day the test runs.
        factories.ReportFactory(
            participation=participation, due_on=timezone.localdate() - timedelta(days=1)
        )
        factories.ReportFactory(participation=participation, kind="incident", due_on=None)
    backfill_stage_history()  # the history rows the moves and reviews would have written


@pytest.mark.parametrize("n", [2, 30])  # 30: the report table has a second page
@pytest.mark.parametrize("filtered", [False, True])
def test_dashboard_query_count_does_not_grow(
    client, programme_admin, django_assert_num_queries, n, filtered
):
    cohort = factories.CohortFactory()
    _populate(cohort, n)
    client.force_login(programme_admin)
    params = {"programme": cohort.programme_id, "cohort": cohort.pk} if filtered else {}
    client.get(URL, params)  # computes and stores the scope's snapshot

    # The user and the staff two-factor check (2), the scope's snapshot (1), the programmes to
    # choose from (1); with a filter, checking the programme and the cohort (2) and the cohorts
    # to choose from (1). The figures are read from the snapshot, whatever the data's size.
    with django_assert_num_queries(7 if filtered else 4):
        response = client.get(URL, {**params, "reports_page": 2 if n == 30 else 1})

    assert response.status_code == 200
    assert response.context["dashboard"].report_totals["overdue"] == n
    assert len(response.context["dashboard"].reports) == (5 if n == 30 else 2)
    assert sum(r["submitted"] for r in response.context["dashboard"].reviewers) == n


def test_dashboard_past_its_last_report_page_shows_the_last(
    client, programme_admin, django_assert_num_queries
):
    _populate(factories.CohortFactory(), 26)
    client.force_login(programme_admin)
    client.get(URL)

    # One more query than an existing page: the page asked for is not there, the last one is.
    with django_assert_num_queries(5):
        response = client.get(URL, {"reports_page": 9})

    assert response.context["dashboard"].reports_page.number == 2
    assert len(response.context["dashboard"].reports) == 1
    assert "Page 2 of 2" in response.content.decode()


def test_dashboard_shows_tables_and_chart_data(client, programme_admin):
    cohort = factories.CohortFactory()
    _populate(cohort, 2)
    client.force_login(programme_admin)

    response = client.get(URL, {"programme": cohort.programme_id, "cohort": cohort.pk})

    content = response.content.decode()
    assert (
        '<tr data-state="evaluation"><th scope="row">Evaluation</th><td class="text-end">2</td></tr>'
        in content
    )
    assert content.count("<caption>") == 6
    assert 'src="/static/vendor/chart.js/chart.umd.min.js"' in content
    assert 'src="/static/js/dashboard-charts.js"' in content
    charts = response.context["charts"]
    assert charts["funnel"]["labels"][:3] == ["Draft", "Submitted", "Completeness screening"]
    assert charts["funnel"]["datasets"][0]["data"][4] == 2
    assert charts["reports"]["datasets"][0]["data"] == [0, 0, 2]  # on time, late, overdue
    data = content.split('<script id="dashboard-charts" type="application/json">')[1]
    assert json.loads(data.split("</script>")[0]) == charts


def test_dashboard_cohort_choices_are_the_programmes_own(client, programme_admin):
    cohort = factories.CohortFactory(name="Spring 2026")
    factories.CohortFactory(name="Elsewhere")
    client.force_login(programme_admin)

    response = client.get(URL, {"programme": cohort.programme_id})

    choices = [label for _, label in response.context["form"].fields["cohort"].choices]
    assert choices == ["All cohorts", "Spring 2026"]


def test_dashboard_refuses_a_cohort_of_another_programme(client, programme_admin):
    cohort = factories.CohortFactory()
    elsewhere = factories.CohortFactory()
    client.force_login(programme_admin)

    response = client.get(URL, {"programme": cohort.programme_id, "cohort": elsewhere.pk})

    assert response.status_code == 200
    assert response.context["dashboard"] is None
    assert "Choose a cohort of the chosen programme." in response.content.decode()
    assert 'id="dashboard-charts"' not in response.content.decode()


def test_dashboard_ignores_a_cohort_without_a_programme(client, programme_admin):
    cohort = factories.CohortFactory()
    factories.SubmittedApplicationFactory(cohort=cohort)
    factories.SubmittedApplicationFactory()
    client.force_login(programme_admin)

    response = client.get(URL, {"cohort": cohort.pk})

    funnel = {row["state"]: row["count"] for row in response.context["dashboard"].funnel}
    assert funnel["submitted"] == 2


@pytest.mark.parametrize("role", ["applicant", "reviewer"])
def test_dashboard_is_forbidden_to_applicants_and_reviewers(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403


def test_dashboard_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_is_read_only(client, programme_admin):
    client.force_login(programme_admin)

    assert client.post(URL).status_code == 405


@pytest.mark.parametrize(("role", "shown"), [("programme_admin", True), ("reviewer", False)])
def test_navbar_links_the_dashboard_for_admins(client, request, role, shown):
    client.force_login(request.getfixturevalue(role))

    content = client.get(reverse("register:list")).content.decode()

    assert (f'href="{URL}"' in content) is shown


def test_dashboard_report_pages_keep_the_filter(client, programme_admin):
    cohort = factories.CohortFactory()
    _populate(cohort, 26)
    client.force_login(programme_admin)
    params = {"programme": cohort.programme_id, "cohort": cohort.pk}

    first = client.get(URL, params)
    second = client.get(URL, {**params, "reports_page": 2})

    assert len(first.context["dashboard"].reports) == 25
    assert len(second.context["dashboard"].reports) == 1
    filter_query = f"programme={cohort.programme_id}&amp;cohort={cohort.pk}"
    assert f'href="?{filter_query}&amp;reports_page=2#reports"' in first.content.decode()
    assert f'href="?{filter_query}&amp;reports_page=1#reports"' in second.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    assert second.context["dashboard"].report_totals["overdue"] == 26


# --- the snapshot: freshness, refresh, scopes, languages -------------------------------------


def _age(scope: str, **delta) -> None:
    DashboardSnapshot.objects.filter(scope=scope).update(
        computed_at=timezone.now() - timedelta(**delta)
    )


def _evaluation(response) -> int:
    return next(
        r["count"] for r in response.context["dashboard"].funnel if r["state"] == "evaluation"
    )


def test_dashboard_says_when_its_figures_were_computed(client, programme_admin):
    client.force_login(programme_admin)
    client.get(URL)
    _age("all", minutes=3, seconds=10)

    response = client.get(URL)

    content = response.content.decode()
    snapshot = DashboardSnapshot.objects.get(scope="all")
    assert response.context["snapshot"].computed_at == snapshot.computed_at
    assert response.context["age_minutes"] == 3
    assert "(3 minutes ago)." in content
    assert 'id="dashboard-refreshing"' not in content
    assert f'action="{REFRESH_URL}"' in content


def test_dashboard_serves_a_stale_snapshot_and_queues_one_refresh(
    client, programme_admin, settings, django_capture_on_commit_callbacks
):
    settings.DASHBOARD_MAX_AGE_SECONDS = 300
    cohort = factories.CohortFactory()
    _populate(cohort, 2)
    client.force_login(programme_admin)
    client.get(URL)
    _populate(cohort, 1)  # a new application the snapshot does not know yet
    _age("all", minutes=5, seconds=1)

    with django_capture_on_commit_callbacks() as callbacks:
        stale = [client.get(URL) for _ in range(3)]  # three admins looking at the stale page

    assert [_evaluation(response) for response in stale] == [2, 2, 2]
    assert all(response.context["snapshot"].refreshing for response in stale)
    assert "Being refreshed" in stale[0].content.decode()
    assert len(callbacks) == 1  # one refresh queued, not three
    callbacks[0]()  # the worker runs it (tasks run inline in the tests)
    fresh = client.get(URL)
    assert _evaluation(fresh) == 3
    assert not fresh.context["snapshot"].refreshing
    assert "Being refreshed" not in fresh.content.decode()


def test_dashboard_within_max_age_queues_nothing(
    client, programme_admin, settings, django_capture_on_commit_callbacks
):
    settings.DASHBOARD_MAX_AGE_SECONDS = 300
    client.force_login(programme_admin)
    client.get(URL)
    _age("all", minutes=4, seconds=50)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(URL)

    assert callbacks == []
    assert not response.context["snapshot"].refreshing


def test_refresh_now_recomputes_and_returns_to_the_filtered_page(client, programme_admin):
    cohort = factories.CohortFactory()
    _populate(cohort, 1)
    client.force_login(programme_admin)
    params = {"programme": cohort.programme_id, "cohort": cohort.pk}
    client.get(URL, params)
    _populate(cohort, 1)
    before = DashboardSnapshot.objects.get(scope=f"cohort:{cohort.pk}").computed_at

    response = client.post(REFRESH_URL, params)

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?programme={cohort.programme_id}&cohort={cohort.pk}"
    snapshot = DashboardSnapshot.objects.get(scope=f"cohort:{cohort.pk}")
    assert snapshot.computed_at > before
    assert _evaluation(client.get(URL, params)) == 2
    assert not DashboardSnapshot.objects.filter(scope="all").exists()


def test_refresh_now_without_a_filter_refreshes_everything(client, programme_admin):
    client.force_login(programme_admin)

    response = client.post(REFRESH_URL)

    assert response.status_code == 302
    assert response["Location"] == URL
    assert list(DashboardSnapshot.objects.values_list("scope", flat=True)) == ["all"]


def test_refresh_now_refuses_a_cohort_of_another_programme(client, programme_admin):
    cohort = factories.CohortFactory()
    elsewhere = factories.CohortFactory()
    client.force_login(programme_admin)

    response = client.post(
        REFRESH_URL, {"programme": cohort.programme_id, "cohort": elsewhere.pk}, follow=True
    )

    assert response.redirect_chain == [
        (f"{URL}?programme={cohort.programme_id}&cohort={elsewhere.pk}", 302)
    ]
    assert not DashboardSnapshot.objects.filter(scope=f"cohort:{elsewhere.pk}").exists()
    assert [str(m) for m in response.context["messages"]] == [
        "Choose a cohort of the chosen programme."
    ]


@pytest.mark.parametrize("role", ["applicant", "reviewer"])
def test_refresh_now_is_forbidden_to_applicants_and_reviewers(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.post(REFRESH_URL).status_code == 403
    assert not DashboardSnapshot.objects.exists()


def test_refresh_now_is_post_only(client, programme_admin):
    client.force_login(programme_admin)

    assert client.get(REFRESH_URL).status_code == 405


def test_dashboard_scopes_do_not_leak_into_each_other(client, programme_admin):
    first, second = factories.CohortFactory(), factories.CohortFactory()
    _populate(first, 2)
    _populate(second, 1)
    client.force_login(programme_admin)

    counts = {
        "all": _evaluation(client.get(URL)),
        "first": _evaluation(client.get(URL, {"programme": first.programme_id})),
        "second": _evaluation(
            client.get(URL, {"programme": second.programme_id, "cohort": second.pk})
        ),
    }

    assert counts == {"all": 3, "first": 2, "second": 1}
    assert sorted(DashboardSnapshot.objects.values_list("scope", flat=True)) == sorted(
        ["all", f"programme:{first.programme_id}", f"cohort:{second.pk}"]
    )


def test_russian_reader_sees_russian_labels_from_the_same_snapshot(client, programme_admin):
    cohort = factories.CohortFactory()
    _populate(cohort, 1)
    client.force_login(programme_admin)
    english = client.get(URL)
    computed_at = DashboardSnapshot.objects.get(scope="all").computed_at
    programme_admin.preferred_language = "ru"
    programme_admin.save()

    russian = client.get(URL)

    assert DashboardSnapshot.objects.get().computed_at == computed_at  # not recomputed
    organisation = cohort.applications.get().organisation
    english_row = english.context["dashboard"].reports[0]
    russian_row = russian.context["dashboard"].reports[0]
    assert english_row.organisation == organisation.legal_name_en
    assert russian_row.organisation == organisation.legal_name_ru
    content = russian.content.decode()
    assert '<tr data-state="evaluation"><th scope="row">Оценка</th>' in content
    assert russian.context["charts"]["funnel"]["labels"][4] == "Оценка"
