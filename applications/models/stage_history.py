"""What the dashboard measures about the past, kept as it happens (docs/admin-console.md).

A stay is written when an application leaves a measured state, a finished clock when a running
stage clock stops or is replaced (services/stage_history.py, called from the transition choke
point and the decision release). The dashboard then counts these rows in SQL instead of walking
the audit trail in Python. Working days are counted once, with the calendar as it stood when the
stay or clock ended: a holiday an admin enters later does not rewrite them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState, ClockStage


class StageStay(models.Model):
    """One finished stay of an application in a measured state."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="stage_stays"
    )
    state = models.CharField(_("state"), max_length=20, choices=ApplicationState.choices)
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"))
    working_days = models.PositiveIntegerField(_("working days"))

    class Meta:
        verbose_name = _("stage stay")
        verbose_name_plural = _("stage stays")
        indexes = [
            # The dashboard's histogram: COUNT per (state, working days), an index-only scan.
            models.Index(
                fields=["state", "working_days"],
                include=["application"],
                name="stagestay_histogram_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.entered_on} → {self.left_on}"


class FinishedClock(models.Model):
    """One stage clock that stopped, with the due date it had (pauses included)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="finished_clocks"
    )
    stage = models.CharField(_("stage clock"), max_length=12, choices=ClockStage.choices)
    started_on = models.DateField(_("clock started"))
    stopped_on = models.DateField(_("clock stopped"))
    due_on = models.DateField(_("due"))
    late = models.BooleanField(_("finished late"))

    class Meta:
        verbose_name = _("finished stage clock")
        verbose_name_plural = _("finished stage clocks")
        indexes = [
            models.Index(
                fields=["stage", "late"], include=["application"], name="finishedclock_stage_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(late=True, stopped_on__gt=models.F("due_on"))
                | models.Q(late=False, stopped_on__lte=models.F("due_on")),
                name="finishedclock_late_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.started_on} → {self.stopped_on}"
