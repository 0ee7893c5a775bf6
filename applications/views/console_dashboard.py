"""Programme admin console: the dashboard, per programme and cohort (queries/dashboard), served
from a snapshot of its figures (queries/dashboard/snapshots.py) and refreshed on demand."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from applications.forms.dashboard import DashboardFilterForm
from applications.queries.dashboard import Dashboard, Scope
from applications.queries.dashboard.snapshots import current_snapshot, dashboard_from, refresh
from applications.views.console import ConsoleMixin


def chosen_scope(form: DashboardFilterForm) -> Scope | None:
    """Everything when nothing is chosen; None when the choice is not valid."""
    if not form.is_bound:
        return Scope()
    return form.scope() if form.is_valid() else None


class DashboardView(ConsoleMixin, TemplateView):
    """Every figure as a table, with a chart beside it drawn by static/js/dashboard-charts.js
    from the `dashboard-charts` JSON block. The figures come from the scope's snapshot (one
    query), with their time; a stale one is shown while a worker refreshes it. The report table
    is paginated (`?reports_page=`), the totals and charts cover every participation in scope."""

    template_name = "console/dashboard.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        form = DashboardFilterForm(self.request.GET or None)
        scope = chosen_scope(form)
        dashboard = snapshot = None
        if scope is not None:
            max_age = timedelta(seconds=settings.DASHBOARD_MAX_AGE_SECONDS)
            page = self.request.GET.get("reports_page")
            snapshot = current_snapshot(scope, max_age=max_age, reports_page=page)
            dashboard = dashboard_from(snapshot.figures, page, translation.get_language())
        return super().get_context_data(
            form=form,
            dashboard=dashboard,
            snapshot=snapshot,
            age_minutes=minutes_since(snapshot.computed_at) if snapshot else None,
            charts=chart_data(dashboard) if dashboard else None,
            **kwargs,
        )


def minutes_since(moment) -> int:
    return max(0, int((timezone.now() - moment).total_seconds() // 60))


class DashboardRefreshView(ConsoleMixin, View):
    """POST only ("Refresh now" on the dashboard): recompute the figures of the filter posted
    (the page's programme and cohort), then back to the same filtered page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DashboardFilterForm(request.POST)
        if form.is_valid():
            refresh(form.scope())
            messages.success(request, _("The figures have been recomputed."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        chosen = {name: request.POST.get(name, "") for name in ("programme", "cohort")}
        query = urlencode({name: value for name, value in chosen.items() if value})
        url = reverse("console:dashboard")
        return redirect(f"{url}?{query}" if query else url)


def chart_data(dashboard: Dashboard) -> dict:
    """What each chart draws: the same numbers as its table, labels already translated."""

    def chart(rows, label_key, series, **options):
        return {
            "labels": [str(row[label_key]) for row in rows],
            "datasets": [
                {"label": str(label), "data": [row[key] for row in rows]} for key, label in series
            ],
            **options,
        }

    totals = dashboard.report_totals
    return {
        "funnel": chart(dashboard.funnel, "label", [("count", _("Applications"))], horizontal=True),
        "stages": chart(dashboard.stages, "label", [("median_days", _("Median working days"))]),
        "clocks": chart(
            dashboard.clocks,
            "label",
            [
                ("breached_now", _("Breached now")),
                ("finished_late", _("Finished late")),
                ("finished_on_time", _("Finished on time")),
            ],
            stacked=True,
        ),
        "workload": chart(
            dashboard.reviewers,
            "name",
            [("open", _("Open assignments")), ("to_submit", _("Reviews to submit"))],
            horizontal=True,
        ),
        "turnaround": chart(
            dashboard.reviewers,
            "name",
            [("median_days", _("Median working days to review"))],
            horizontal=True,
        ),
        "outcomes": chart(
            dashboard.outcomes,
            "label",
            [
                ("awaiting_check", _("Awaiting a second admin")),
                ("not_released", _("Confirmed, not released")),
                ("released", _("Released")),
            ],
            stacked=True,
        ),
        "reports": {
            "labels": [str(_("On time")), str(_("Late")), str(_("Overdue"))],
            "datasets": [
                {
                    "label": str(_("Reports")),
                    "data": [totals["on_time"], totals["late"], totals["overdue"]],
                }
            ],
            "type": "doughnut",
        },
    }
