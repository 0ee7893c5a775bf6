"""Many first views of one dashboard scope at once, and refreshes racing each other: one row per
scope, no error, and the newest figures kept (queries/dashboard/snapshots.py, `store`). Needs
PostgreSQL: SQLite locks the whole file, which would make the race vacuous."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from applications.models import DashboardSnapshot
from applications.queries.dashboard import Scope
from applications.queries.dashboard import snapshots as s
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 12


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Races are tested on PostgreSQL (set DATABASE_URL); SQLite locks the file.")


def _race(actions) -> list:
    """Every action at once, one thread each (each closes its own connection); what each
    returned, or the exception it raised."""
    return race(actions, atomic=True)


def test_first_views_racing_store_one_snapshot_without_error():
    max_age = timedelta(minutes=5)

    results = _race([lambda: s.current_snapshot(Scope(), max_age=max_age)] * THREADS)

    assert [type(result) for result in results] == [DashboardSnapshot] * THREADS
    assert DashboardSnapshot.objects.filter(scope="all").count() == 1


def test_racing_stores_keep_the_newest_figures():
    now = timezone.now()

    def store(seconds):
        snapshot = DashboardSnapshot(
            scope="all",
            computed_at=now + timedelta(seconds=seconds),
            # Each store's pages say whose they are: a reader must never see pages of other
            # figures than the summary beside them.
            figures={
                "summary": {"seconds": seconds},
                "report_pages": [[[seconds, page]] for page in range(seconds % 3 + 1)],
            },
            duration_ms=seconds,
        )
        return lambda: s.store(snapshot)

    results = _race([store(seconds) for seconds in range(THREADS)])

    assert results == [None] * THREADS
    stored = DashboardSnapshot.objects.get()
    newest = THREADS - 1
    assert stored.figures == {"summary": {"seconds": newest}}
    assert list(stored.report_pages.order_by("number").values_list("rows", flat=True)) == [
        [[newest, page]] for page in range(newest % 3 + 1)
    ]
