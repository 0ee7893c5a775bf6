"""The dashboard's snapshots (applications/queries/dashboard/snapshots.py): the stored figures give
the page exactly what the live computation gives, the scope keys, the upsert that never goes
back in time, the refresh task and a broker that is down."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from applications.models import DashboardSnapshot
from applications.queries.dashboard import Scope, build_dashboard
from applications.queries.dashboard import snapshots as s
from applications.tasks import refresh_dashboard_snapshot_task
from tests import factories
from tests.applications.views.test_dashboard import _populate

pytestmark = pytest.mark.django_db


def _plain(rows):
    return [{**row, "label": str(row["label"])} if "label" in row else row for row in rows]


@pytest.mark.parametrize("page", [1, 2, 9, "x"])
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_snapshot_gives_what_the_live_dashboard_gives(page, language):
    cohort = factories.CohortFactory()
    _populate(cohort, 27)
    _populate(factories.CohortFactory(), 1)  # another programme: not in the cohort's scope
    scope = Scope(programme_id=cohort.programme_id)

    figures = json.loads(json.dumps(s.figures_of(scope)))  # as the JSONField stores them
    with translation.override(language):
        live = build_dashboard(scope, reports_page=page)
        stored = s.dashboard_from(figures, page, language)
        for name in ("funnel", "stages", "clocks", "outcomes"):
            assert _plain(getattr(stored, name)) == _plain(getattr(live, name)), name
    assert stored.reviewers == live.reviewers
    assert stored.report_totals == live.report_totals
    assert stored.reports == live.reports
    assert stored.reports_page == live.reports_page
    assert figures["summary"]["participations"] == 27
    assert [len(rows) for rows in figures["report_pages"]] == [25, 2]


@pytest.mark.parametrize("page", [1, 2, 3, "-1"])
def test_a_stored_snapshot_read_one_page_at_a_time_gives_the_live_dashboard(page):
    cohort = factories.CohortFactory()
    _populate(cohort, 27)
    s.refresh(Scope())

    snapshot = s.current_snapshot(Scope(), max_age=timedelta(minutes=5), reports_page=page)

    assert list(snapshot.figures["report_pages"]) == [
        1 if page == 3 else 0 if page == "-1" else page - 1
    ]
    stored = s.dashboard_from(snapshot.figures, page, "ru")
    with translation.override("ru"):
        live = build_dashboard(Scope(), reports_page=page)
    assert stored.reports == live.reports
    assert stored.reports_page == live.reports_page
    assert stored.report_totals == live.report_totals


def test_figures_hold_no_labels_and_every_legal_name():
    cohort = factories.CohortFactory()
    _populate(cohort, 1)
    organisation = cohort.applications.get().organisation

    figures = s.figures_of(Scope())

    assert "label" not in figures["summary"]["funnel"][0]
    assert figures["summary"]["funnel"][0] == {"state": "draft", "count": 0}
    assert figures["report_pages"][0][0][2:5] == [
        organisation.legal_name_en,
        organisation.legal_name_ru,
        organisation.legal_name_kk,
    ]


def test_an_unknown_language_and_a_missing_name_fall_back_to_english():
    figures = s.figures_of(Scope())
    figures["summary"]["participations"] = 1
    figures["report_pages"] = [[[1, "SBX-1", "Steppe LLP", "", "", *[0] * 7]]]

    assert s.dashboard_from(figures, 1, "de").reports[0].organisation == "Steppe LLP"
    assert s.dashboard_from(figures, 1, "ru").reports[0].organisation == "Steppe LLP"
    assert s.dashboard_from(figures, 1, None).reports[0].organisation == "Steppe LLP"


@pytest.mark.parametrize(
    ("scope", "key"),
    [
        (Scope(), "all"),
        (Scope(programme_id=4), "programme:4"),
        (Scope(programme_id=4, cohort_id=7), "cohort:7"),
        (Scope(cohort_id=7), "cohort:7"),
    ],
)
def test_scope_keys(scope, key):
    assert scope.key == key
    assert Scope.from_key(key).key == key


@pytest.mark.parametrize("key", ["", "everything", "programme:", "cohort:x", "user:3"])
def test_scope_key_refuses_anything_else(key):
    with pytest.raises(ValueError, match="Not a dashboard scope"):
        Scope.from_key(key)


def test_current_snapshot_computes_and_stores_a_missing_one():
    snapshot = s.current_snapshot(Scope(), max_age=timedelta(minutes=5))

    stored = DashboardSnapshot.objects.get(scope="all")
    assert not snapshot.refreshing
    assert stored.computed_at == snapshot.computed_at
    assert stored.figures == {"summary": json.loads(json.dumps(snapshot.figures["summary"]))}
    assert stored_pages() == json.loads(json.dumps(snapshot.figures["report_pages"]))
    assert stored.duration_ms == snapshot.duration_ms


def stored_pages(scope: str = "all") -> list:
    """The report table's stored pages of a scope, in order (a DashboardReportPage each)."""
    snapshot = DashboardSnapshot.objects.get(scope=scope)
    return list(snapshot.report_pages.order_by("number").values_list("rows", flat=True))


def test_store_never_replaces_newer_figures():
    newer = s.refresh(Scope())
    older = DashboardSnapshot(
        scope="all",
        computed_at=newer.computed_at - timedelta(seconds=1),
        figures={"summary": {"old": True}, "report_pages": [[["old row"]]]},
        duration_ms=1,
    )

    s.store(older)

    assert DashboardSnapshot.objects.get().computed_at == newer.computed_at
    assert stored_pages() == json.loads(json.dumps(newer.figures["report_pages"]))


def test_store_after_losing_an_insert_race_updates_the_row_stored_meanwhile():
    """Two first views of a scope: the second insert meets the unique scope and updates the row
    the first stored (it is older)."""
    first = s.refresh(Scope())
    later = DashboardSnapshot(
        scope="all",
        computed_at=first.computed_at + timedelta(seconds=1),
        figures={"summary": {"later": True}, "report_pages": [[["row 1"]], [["row 26"]]]},
        duration_ms=2,
    )
    updates = iter([0, 1])  # the first update ran before the other request's insert
    real_update = s.DashboardSnapshot.objects.filter(scope="all").update

    def update(self, **values):
        count = next(updates)
        return real_update(**values) if count else 0

    with mock.patch("django.db.models.query.QuerySet.update", update):
        s.store(later)

    assert DashboardSnapshot.objects.get().figures == {"summary": {"later": True}}
    assert stored_pages() == [[["row 1"]], [["row 26"]]]


def test_store_inserts_into_a_missing_scope():
    snapshot = DashboardSnapshot(
        scope="cohort:9",
        computed_at=timezone.now(),
        figures={"summary": {}, "report_pages": [[["only row"]]]},
        duration_ms=0,
    )

    s.store(snapshot)

    assert DashboardSnapshot.objects.get().scope == "cohort:9"
    assert stored_pages("cohort:9") == [[["only row"]]]


def test_refresh_task_recomputes_the_scope_it_names():
    cohort = factories.CohortFactory()
    _populate(cohort, 1)

    result = refresh_dashboard_snapshot_task.apply(kwargs={"scope_key": f"cohort:{cohort.pk}"})

    snapshot = DashboardSnapshot.objects.get()
    assert snapshot.scope == f"cohort:{cohort.pk}"
    assert result.get() == snapshot.duration_ms
    assert snapshot.figures["summary"]["report_totals"]["overdue"] == 1


def test_a_broker_that_is_down_leaves_the_refresh_for_a_later_view(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(
            refresh_dashboard_snapshot_task, "delay", side_effect=OperationalError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert s.request_refresh("all") is True

    # The key was released: the next stale view asks again.
    with django_capture_on_commit_callbacks() as callbacks:
        assert s.request_refresh("all") is True
        assert s.request_refresh("all") is False
    assert len(callbacks) == 1


@pytest.mark.parametrize("figures", [{"old": "shape"}, {"summary": {"version": 0}}])
def test_a_snapshot_of_another_shape_is_computed_anew(figures):
    DashboardSnapshot.objects.create(
        scope="all", computed_at=timezone.now(), figures=figures, duration_ms=0
    )

    snapshot = s.current_snapshot(Scope(), max_age=timedelta(minutes=5))

    assert snapshot.figures["summary"]["version"] == s.FIGURES_VERSION
    assert DashboardSnapshot.objects.get().figures["summary"]["version"] == s.FIGURES_VERSION
