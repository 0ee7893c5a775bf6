"""Programme admin console: the dashboard, per programme and cohort (queries/dashboard)."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.forms.dashboard import DashboardFilterForm
from applications.queries.dashboard import Dashboard, Scope, build_dashboard
from applications.views.console import ConsoleMixin


class DashboardView(ConsoleMixin, TemplateView):
    """Every figure as a table, with a chart beside it drawn by static/js/dashboard-charts.js
    from the `dashboard-charts` JSON block. A constant number of queries; the report table is
    paginated (`?reports_page=`), the totals and charts cover every participation in scope."""

    template_name = "console/dashboard.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        form = DashboardFilterForm(self.request.GET or None)
        dashboard = None
        page = self.request.GET.get("reports_page")
        if not form.is_bound:
            dashboard = build_dashboard(Scope(), reports_page=page)
        elif form.is_valid():
            dashboard = build_dashboard(form.scope(), reports_page=page)
        return super().get_context_data(
            form=form,
            dashboard=dashboard,
            charts=chart_data(dashboard) if dashboard else None,
            **kwargs,
        )


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
