"""The dashboard served from a snapshot (docs/admin-console.md, "Dashboard" and "Speed").

Every live figure aggregates rows that grow with the data (build_dashboard: 5x slower at 10,000
applications than at 1,000), and a regulator's dashboard needs to be fast and to say how fresh it
is, not to be right to the second. So the page reads one row per scope (DashboardSnapshot) and
renders it; the row is recomputed in the background once it is older than
settings.DASHBOARD_MAX_AGE_SECONDS, or at once by "Refresh now".

    figures_of(scope)          the live figures as JSON-able, language-neutral data: codes,
                               numbers, reviewer names, legal names in en/ru/kk; every report
                               row, cut into pages of 25 in Python; no labels
    dashboard_from(figures…)   what the template reads, labels from the enums in the reader's
                               language, one page of the report table
    current_snapshot(scope…)   one query on the unique scope, reading the summary and the one
                               report page shown (a row of DashboardReportPage); computed and stored when missing, served as
                               is and a refresh queued (once) when stale
    refresh(scope)             recompute and store (the task, "Refresh now", a missing row)
"""

import logging
import sys
import time
from datetime import date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from applications.enums import ApplicationState, ClockStage, DecisionOutcome
from applications.models import (
    Application,
    DashboardReportPage,
    DashboardSnapshot,
)
from applications.queries.dashboard import (
    REPORT_COUNTS,
    REPORTS_PER_PAGE,
    Dashboard,
    ReportRow,
    Scope,
    application_counts,
    clock_rows,
    funnel,
    outcome_rows,
    participations_by_attention,
    report_page,
    report_totals,
    reviewer_rows,
    stage_rows,
)
from applications.queries.dashboard.stages import stage_figures
from portal.i18n import FIELD_LANGUAGES, field_language

logger = logging.getLogger(__name__)

# A stale page viewed by fifty admins queues one refresh: the first view takes this key.
REFRESH_KEY = "dashboard-refresh:{}"
REFRESH_KEY_SECONDS = 60
# The shape of the stored figures: a snapshot of another shape (stored before a deploy that
# changed it) is treated as missing and computed anew.
FIGURES_VERSION = 1
# A report row as stored: pk, reference, the legal names (FIELD_LANGUAGES order), the counts.
NAMES = slice(2, 2 + len(FIELD_LANGUAGES))


def figures_of(scope: Scope, *, today: date | None = None) -> dict:
    """The figures of `scope` as build_dashboard counts them, stored in two parts: the summary
    (every figure but the report table, and how many participations it has) and every
    participation's report row (in the table's order, those needing attention first) already
    cut into pages of REPORTS_PER_PAGE, so that a view reads only the page it shows
    (current_snapshot): the rows grow with the data, the page does not."""
    today = today or timezone.localdate()
    stages = stage_figures(scope)
    per_state, breached = application_counts(scope.filter(Application.objects.all()), today)
    _participations, totals = report_totals(scope, today)
    reports = all_report_rows(scope, today)
    summary = {
        "version": FIGURES_VERSION,
        "today": today.isoformat(),
        "funnel": [without_label(row) for row in funnel(per_state)],
        "stages": [without_label(row) for row in stage_rows(stages)],
        "clocks": [without_label(row) for row in clock_rows(breached, stages)],
        "reviewers": reviewer_rows(scope),
        "outcomes": [without_label(row) for row in outcome_rows(scope)],
        "report_totals": totals,
        "participations": len(reports),
    }
    pages = [
        reports[start : start + REPORTS_PER_PAGE]
        for start in range(0, len(reports), REPORTS_PER_PAGE)
    ]
    return {"summary": summary, "report_pages": pages}


CODES = {"state", "stage", "outcome"}


def without_label(row: dict) -> dict:
    """The row with its code as a plain string and no label (the label is the reader's)."""
    return {
        key: str(value) if key in CODES else value for key, value in row.items() if key != "label"
    }


def all_report_rows(scope: Scope, today: date) -> list[list]:
    """Every participation's report row (report_counts), ordered as report_compliance orders one
    page, with the organisation's legal name in every language."""
    rows = participations_by_attention(scope, today).values_list(
        "pk",
        "application__reference",
        *(f"application__organisation__legal_name_{code}" for code in FIELD_LANGUAGES),
        *REPORT_COUNTS,
    )
    return [list(row) for row in rows]


def labelled(rows: list[dict], key: str, enum) -> list[dict]:
    """The rows with the label of their code, from the enum, in the active language (the code
    itself for a code the enum no longer knows)."""
    labels = dict(enum.choices)
    return [{**row, "label": labels.get(row[key], row[key])} for row in rows]


def dashboard_from(figures: dict, page: int | str | None, language: str | None) -> Dashboard:
    """The Dashboard the template reads, from stored figures: labels in the active language,
    legal names in `language` (falling back to English), report page `page` of 25 (the last when
    past it). `figures["report_pages"]` is the stored list of pages, or, as current_snapshot
    reads it, {index: rows} holding just the page shown."""
    summary = figures["summary"]
    name_index = NAMES.start + FIELD_LANGUAGES.index(field_language(language or "en"))
    shown = report_page(page, summary["participations"])
    rows = figures["report_pages"][shown.number - 1] if summary["participations"] else []
    return Dashboard(
        funnel=labelled(summary["funnel"], "state", ApplicationState),
        stages=labelled(summary["stages"], "state", ApplicationState),
        clocks=labelled(summary["clocks"], "stage", ClockStage),
        reviewers=summary["reviewers"],
        outcomes=labelled(summary["outcomes"], "outcome", DecisionOutcome),
        reports=[
            ReportRow(row[0], row[1], row[name_index] or row[NAMES.start], *row[NAMES.stop :])
            for row in rows
        ],
        report_totals=summary["report_totals"],
        reports_page=shown,
    )


def current_snapshot(
    scope: Scope, *, max_age: timedelta, reports_page: int | str | None = 1
) -> DashboardSnapshot:
    """The scope's snapshot, with `refreshing` set: computed now and stored when there is none;
    when older than `max_age`, served as it is while a refresh is queued (refreshing=True).

    One query on the unique scope, reading the summary and the one report page asked for (JSON
    key lookups: the database hands over one page, whatever the number of participations); its
    `figures` then hold {"summary", "report_pages": {index: rows}} for dashboard_from. A page
    number past the last costs one more query, for the last page."""
    asked = report_page(reports_page, sys.maxsize).number
    found = read(scope.key, asked)
    if found is None:
        snapshot = refresh(scope)
    else:
        snapshot = found
        shown = report_page(asked, snapshot.figures["summary"]["participations"])
        if shown.number != asked:
            snapshot.figures["report_pages"] = read(scope.key, shown.number).figures["report_pages"]
    snapshot.refreshing = timezone.now() - snapshot.computed_at > max_age
    if snapshot.refreshing:
        request_refresh(scope.key)
    return snapshot


def read(key: str, page: int) -> DashboardSnapshot | None:
    """The snapshot of `key` with its summary and report page `page` only (None if there is
    none, or only one of another shape)."""
    page_rows = DashboardReportPage.objects.filter(snapshot=OuterRef("pk"), number=page)
    row = (
        DashboardSnapshot.objects.filter(scope=key)
        .annotate(page_rows=Subquery(page_rows.values("rows")[:1], output_field=JSONField()))
        .values_list("computed_at", "duration_ms", "figures__summary", "page_rows")
        .first()
    )
    if row is None or not isinstance(row[2], dict) or row[2].get("version") != FIGURES_VERSION:
        return None
    computed_at, duration_ms, summary, rows = row
    figures = {"summary": summary, "report_pages": {page - 1: rows or []}}
    return DashboardSnapshot(
        scope=key, computed_at=computed_at, duration_ms=duration_ms, figures=figures
    )


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
    loser of an insert race updates instead, and an update only replaces an older row. The
    report pages are replaced in the same transaction, under the lock the upsert holds on the
    snapshot's row, so a reader never sees pages of other figures."""
    values = {
        "computed_at": snapshot.computed_at,
        "figures": {"summary": snapshot.figures["summary"]},
        "duration_ms": snapshot.duration_ms,
    }
    older = DashboardSnapshot.objects.filter(
        scope=snapshot.scope, computed_at__lt=snapshot.computed_at
    )
    with transaction.atomic():
        if not older.update(**values):
            try:
                with transaction.atomic():
                    DashboardSnapshot.objects.create(scope=snapshot.scope, **values)
            except IntegrityError:
                # Stored meanwhile: replace it only if it is older.
                if not older.update(**values):
                    return
        stored = DashboardSnapshot.objects.values_list("pk", flat=True).get(scope=snapshot.scope)
        DashboardReportPage.objects.filter(snapshot_id=stored).delete()
        DashboardReportPage.objects.bulk_create(
            DashboardReportPage(snapshot_id=stored, number=number, rows=rows)
            for number, rows in enumerate(snapshot.figures["report_pages"], start=1)
        )
