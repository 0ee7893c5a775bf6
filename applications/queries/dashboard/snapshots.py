"""The dashboard served from a snapshot (docs/admin-console.md, "Dashboard" and "Speed").

Every live figure aggregates rows that grow with the data (build_dashboard: 5x slower at 10,000
applications than at 1,000), and a regulator's dashboard needs to be fast and to say how fresh it
is, not to be right to the second. So the page reads one row per scope (DashboardSnapshot) and
renders it; the row is recomputed in the background once it is older than
settings.DASHBOARD_MAX_AGE_SECONDS, or at once by "Refresh now".

    figures_of(scope)          the live figures as JSON-able, language-neutral data: codes,
                               numbers, reviewer names, legal names in en/ru/kk; every report
                               row (the page is cut in Python), no labels
    dashboard_from(figures…)   what the template reads, labels from the enums in the reader's
                               language, one page of the report table
    current_snapshot(scope…)   one indexed query; computed and stored when missing, served as is
                               and a refresh queued (once) when stale
    refresh(scope)             recompute and store (the task, "Refresh now", a missing row)
"""

import logging
import time
from datetime import date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from applications.enums import ApplicationState, ClockStage, DecisionOutcome
from applications.models import Application, DashboardSnapshot, Participation
from applications.queries.dashboard import (
    NAME_LANGUAGES,
    REPORT_COUNTS,
    REPORTS_PER_PAGE,
    Dashboard,
    ReportRow,
    Scope,
    application_counts,
    clock_rows,
    funnel,
    outcome_rows,
    report_counts,
    report_page,
    report_totals,
    reviewer_rows,
    stage_rows,
)
from applications.queries.dashboard.stages import stage_figures

logger = logging.getLogger(__name__)

# A stale page viewed by fifty admins queues one refresh: the first view takes this key.
REFRESH_KEY = "dashboard-refresh:{}"
REFRESH_KEY_SECONDS = 60
# A report row as stored: pk, reference, the legal names (NAME_LANGUAGES order), the counts.
NAMES = slice(2, 2 + len(NAME_LANGUAGES))


def figures_of(scope: Scope, *, today: date | None = None) -> dict:
    """The figures of `scope` as build_dashboard counts them, with every participation's report
    row (in the table's order, those needing attention first) instead of one page of them."""
    today = today or timezone.localdate()
    stages = stage_figures(scope)
    per_state, breached = application_counts(scope.filter(Application.objects.all()), today)
    _participations, totals = report_totals(scope, today)
    return {
        "today": today.isoformat(),
        "funnel": [without_label(row) for row in funnel(per_state)],
        "stages": [without_label(row) for row in stage_rows(stages)],
        "clocks": [without_label(row) for row in clock_rows(breached, stages)],
        "reviewers": reviewer_rows(scope),
        "outcomes": [without_label(row) for row in outcome_rows(scope)],
        "report_totals": totals,
        "reports": all_report_rows(scope, today),
    }


CODES = {"state", "stage", "outcome"}


def without_label(row: dict) -> dict:
    """The row with its code as a plain string and no label (the label is the reader's)."""
    return {
        key: str(value) if key in CODES else value for key, value in row.items() if key != "label"
    }


def all_report_rows(scope: Scope, today: date) -> list[list]:
    """Every participation's report row (report_counts), ordered as report_compliance orders one
    page, with the organisation's legal name in every language."""
    rows = (
        scope.filter(Participation.objects.all(), "application__")
        .annotate(**report_counts(today))
        .order_by("-overdue", "-late", "application__reference", "pk")
        .values_list(
            "pk",
            "application__reference",
            *(f"application__organisation__legal_name_{code}" for code in NAME_LANGUAGES),
            *REPORT_COUNTS,
        )
    )
    return [list(row) for row in rows]


def labelled(rows: list[dict], key: str, enum) -> list[dict]:
    """The rows with the label of their code, from the enum, in the active language (the code
    itself for a code the enum no longer knows)."""
    labels = dict(enum.choices)
    return [{**row, "label": labels.get(row[key], row[key])} for row in rows]


def dashboard_from(figures: dict, page: int | str | None, language: str | None) -> Dashboard:
    """The Dashboard the template reads, from stored figures: labels in the active language,
    legal names in `language` (falling back to English), report page `page` of 25."""
    language = (language or "en")[:2]
    name_index = NAMES.start + (NAME_LANGUAGES.index(language) if language in NAME_LANGUAGES else 0)
    reports = figures["reports"]
    shown = report_page(page, len(reports))
    start = (shown.number - 1) * REPORTS_PER_PAGE
    return Dashboard(
        funnel=labelled(figures["funnel"], "state", ApplicationState),
        stages=labelled(figures["stages"], "state", ApplicationState),
        clocks=labelled(figures["clocks"], "stage", ClockStage),
        reviewers=figures["reviewers"],
        outcomes=labelled(figures["outcomes"], "outcome", DecisionOutcome),
        reports=[
            ReportRow(row[0], row[1], row[name_index] or row[NAMES.start], *row[NAMES.stop :])
            for row in reports[start : start + REPORTS_PER_PAGE]
        ],
        report_totals=figures["report_totals"],
        reports_page=shown,
    )


def current_snapshot(scope: Scope, *, max_age: timedelta) -> DashboardSnapshot:
    """The scope's snapshot, with `refreshing` set: computed now and stored when there is none;
    when older than `max_age`, served as it is while a refresh is queued (refreshing=True)."""
    snapshot = DashboardSnapshot.objects.filter(scope=scope.key).first()
    if snapshot is None:
        snapshot = refresh(scope)
    snapshot.refreshing = timezone.now() - snapshot.computed_at > max_age
    if snapshot.refreshing:
        request_refresh(scope.key)
    return snapshot


def request_refresh(key: str) -> bool:
    """Queue one refresh of the scope `key` after the transaction commits, unless one was queued
    in the last REFRESH_KEY_SECONDS. False when it was not queued."""
    if not cache.add(REFRESH_KEY.format(key), 1, timeout=REFRESH_KEY_SECONDS):
        return False
    transaction.on_commit(lambda: send_refresh(key))
    return True


def send_refresh(key: str) -> None:
    """With the broker down the page still answers; the next view after the key expires (or
    is released here) asks again."""
    from applications.tasks import refresh_dashboard_snapshot_task

    try:
        refresh_dashboard_snapshot_task.delay(scope_key=key)
    except BrokerError as error:
        cache.delete(REFRESH_KEY.format(key))
        logger.warning("Broker unavailable, dashboard %s not refreshed: %s", key, error)


def refresh(scope: Scope) -> DashboardSnapshot:
    """Compute the scope's figures now and store them; the snapshot returned is the one computed
    here (stored unless a newer one was stored meanwhile)."""
    computed_at = timezone.now()
    started = time.perf_counter()
    figures = figures_of(scope, today=timezone.localdate(computed_at))
    duration_ms = round((time.perf_counter() - started) * 1000)
    snapshot = DashboardSnapshot(
        scope=scope.key, computed_at=computed_at, figures=figures, duration_ms=duration_ms
    )
    store(snapshot)
    return snapshot


def store(snapshot: DashboardSnapshot) -> None:
    """Upsert by scope, never replacing newer figures with older ones: two refreshes of a scope
    may race (a worker and "Refresh now", or two first views); the scope is unique, so the
    loser of an insert race updates instead, and an update only replaces an older row."""
    values = {
        "computed_at": snapshot.computed_at,
        "figures": snapshot.figures,
        "duration_ms": snapshot.duration_ms,
    }
    older = DashboardSnapshot.objects.filter(
        scope=snapshot.scope, computed_at__lt=snapshot.computed_at
    )
    if older.update(**values):
        return
    try:
        with transaction.atomic():
            DashboardSnapshot.objects.create(scope=snapshot.scope, **values)
    except IntegrityError:
        older.update(**values)  # stored meanwhile: replace it only if it is older
