"""Bench smoke: the page bench (bench/pages.py) in-process on a small generated data set.

Every benchmarked page answers 200 within the query budget (DESIGN.md §10: at most 12 queries
on a list page), the harness's results are well formed, and on PostgreSQL (where the raw-SQL
floors run) each queue floor fetches the very rows its page shows. The full numbers at 10,000
applications come from `make bench`."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from bench import pages as p
from bench.floors import PAGE_SIZE, render
from portal.accounts.models import User

pytestmark = pytest.mark.bench

ON_POSTGRESQL = connection.vendor == "postgresql"
REFERENCE = re.compile(r"SBX-\d{4}-\d{5}")


@pytest.fixture
def context(db, settings):
    settings.ROOT_URLCONF = "bench.urls"
    call_command("seed_demo", force=True, applications=200, stdout=io.StringIO())
    return p.Context.discover()


@pytest.fixture
def users(context):
    return {
        p.REVIEWER: User.objects.get(pk=context.reviewer_id),
        p.ADMIN: User.objects.get(pk=context.admin_id),
    }


def test_page_bench_every_page_within_the_query_budget(context, users):
    pages = p.build_pages(context)

    results = p.measure_in_process(pages, users, repetitions=2, warmup=1, floors=ON_POSTGRESQL)

    assert list(results) == [page.name for page in pages]
    assert {page.name for page in pages} >= {"queue_mine", "queue_all_score", "detail", "console"}
    for page in pages:
        result = results[page.name]
        assert result["status"] == 200, page.name
        if page.kind == p.LIST:
            assert 1 <= result["queries"] <= p.QUERY_BUDGET, (page.name, result["queries"])
        assert 0 < result["page"]["median"] <= result["page"]["p95"]
    query_failures = [f for f in p.budget_failures(pages, results) if "queries" in f]
    assert query_failures == []
    # What docs/benchmarks.json receives: one name, unit and value per measurement.
    measurements = p.in_process_measurements(pages, results)
    assert all(set(item) == {"name", "unit", "value"} for item in measurements)
    names = [item["name"] for item in measurements]
    assert len(names) == len(set(names))
    assert "pages.queue_all.queries" in names
    assert "pages.console.inprocess.page.median" in names
    assert ("pages.queue_all.inprocess.ratio" in names) is ON_POSTGRESQL


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the floors are PostgreSQL SQL")
def test_queue_floors_fetch_the_rows_their_pages_show(context, users, client):
    queues = [page for page in p.build_pages(context) if page.name.startswith("queue_")]

    rows = {}
    for page in queues:
        client.force_login(users[page.role])
        shown = REFERENCE.findall(client.get(page.url).content.decode())
        floor = REFERENCE.findall(render(page.floor, page.params))
        assert sorted(set(shown)) == sorted(set(floor)), page.name
        rows[page.name] = len(set(floor))
    assert rows["queue_all"] == PAGE_SIZE
    assert rows["queue_mine"] > 0


def test_dashboard_refresh_measurement_is_well_formed(context):
    refresh = p.measure_refresh(context.today, repetitions=2, floors=ON_POSTGRESQL)

    assert 1 <= refresh["queries"] <= p.QUERY_BUDGET
    assert 0 < refresh["refresh"]["median"] <= refresh["refresh"]["p95"]
    assert (refresh["ratio"] is not None) is ON_POSTGRESQL
    names = [item["name"] for item in p.refresh_measurements(refresh)]
    assert "pages.dashboard_refresh.inprocess.refresh.median" in names
    assert ("pages.dashboard_refresh.inprocess.ratio" in names) is ON_POSTGRESQL


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the floors are PostgreSQL SQL")
def test_dashboard_floor_reads_the_snapshot_the_page_shows(context, users, client):
    dashboard = next(page for page in p.build_pages(context) if page.name == "dashboard")
    client.force_login(users[dashboard.role])

    shown = client.get(dashboard.url).context["dashboard"]
    floor = render(dashboard.floor, dashboard.params)

    assert shown.reports
    for row in shown.reports:
        assert f"<td>{row.reference}</td>" in floor
    assert f"<th>overdue</th><td>{shown.report_totals['overdue']}</td>" in floor
