"""The dashboard's figures as last computed, per scope (docs/admin-console.md, "Dashboard").

Every figure aggregates rows that grow with the data, so the page reads one of these rows
instead; a refresh recomputes it in the background (queries/dashboard/snapshots.py,
tasks.refresh_dashboard_snapshot_task) and the page says how old it is. The figures are
language-neutral (codes, numbers, names in every language): labels are attached when rendering.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    """One scope's figures: "all", "programme:<id>" or "cohort:<id>" (queries/dashboard.Scope)."""

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
