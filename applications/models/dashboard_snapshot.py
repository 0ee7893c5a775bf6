"""The dashboard's figures as last computed, per scope (docs/admin-console.md, "Dashboard").

Every figure aggregates rows that grow with the data, so the page reads one of these rows
instead; a refresh recomputes it in the background (queries/dashboard/snapshots.py,
tasks.refresh_dashboard_snapshot_task) and the page says how old it is. The figures are
language-neutral (codes, numbers, names in every language): labels are attached when rendering.
The report table's rows grow with the data: they are stored a page per row (DashboardReportPage),
so a view reads its page and not the whole table (PostgreSQL decompresses a whole JSON value to
pick a part of it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    """One scope's figures but the report table: "all", "programme:<id>" or "cohort:<id>"
    (queries/dashboard.Scope)."""

    scope = models.CharField(_("scope"), max_length=40, unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))
    duration_ms = models.PositiveIntegerField(
        _("duration (ms)"), help_text=_("How long computing the figures took.")
    )

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return f"{self.scope} @ {self.computed_at:%Y-%m-%d %H:%M}"


class DashboardReportPage(models.Model):
    """One page of a snapshot's report table: its rows, in the table's order."""

    snapshot = models.ForeignKey(
        DashboardSnapshot, on_delete=models.CASCADE, related_name="report_pages"
    )
    number = models.PositiveIntegerField(_("page"))
    rows = models.JSONField(_("rows"))

    class Meta:
        verbose_name = _("dashboard report page")
        verbose_name_plural = _("dashboard report pages")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "number"], name="dashboard_report_page_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} p{self.number}"
