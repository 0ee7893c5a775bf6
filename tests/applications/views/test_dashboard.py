"""The dashboard page (/console/dashboard/): who may see it, the filter, what it shows, and a
query count that does not grow with the data."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import EventKind
from applications.models import AuditEvent
from applications.services.stage_history import backfill_stage_history
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("console:dashboard")


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
        response = client.get(URL, {**params, "reports_page": 2})

    assert response.status_code == 200
    assert response.context["dashboard"].report_totals["overdue"] == n
    assert len(response.context["dashboard"].reports) == (5 if n == 30 else 2)
    assert sum(r["submitted"] for r in response.context["dashboard"].reviewers) == n


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
