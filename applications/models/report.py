"""A participant's reports (DESIGN.md §3): scheduled monthly and quarterly reports, incident
reports filed at any time, and the final report at exit. Staff accept them or return them."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import OPEN_REPORT_STATES, ReportKind, ReportState
from applications.models.stored_file import StoredFile

SCHEDULED_KINDS = (ReportKind.MONTHLY, ReportKind.QUARTERLY)


class Report(models.Model):
    participation = models.ForeignKey(
        "applications.Participation", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DUE
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    # The figures, for the period (or, for an incident, what the incident touched).
    active_clients = models.PositiveIntegerField(_("active clients"), null=True, blank=True)
    transactions_count = models.PositiveIntegerField(
        _("number of transactions"), null=True, blank=True
    )
    transactions_volume = models.DecimalField(
        _("volume of transactions"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    complaints = models.PositiveIntegerField(_("complaints received"), null=True, blank=True)
    incidents = models.PositiveIntegerField(_("incidents"), null=True, blank=True)
    limit_breaches = models.PositiveIntegerField(_("breaches of the limits"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comment from the regulator"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "kind", "period_start"],
                condition=Q(kind__in=["monthly", "quarterly"]),
                name="report_one_per_scheduled_period",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["incident", "final"]) | Q(due_on__isnull=False),
                name="report_scheduled_has_due_date",
            ),
            models.CheckConstraint(
                condition=Q(state="due") | Q(filed_at__isnull=False),
                name="report_filed_has_time",
            ),
        ]
        indexes = [
            # Overdue and due-between lists for staff and the reminder source.
            models.Index(fields=["state", "due_on"], name="report_state_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.period_start or self.filed_at}"

    @property
    def is_owed(self) -> bool:
        """Not filed yet, or returned for correction."""
        return self.state in OPEN_REPORT_STATES

    def can_be_filed_on(self, day) -> bool:
        """Still owed, and its period (if it has one) is over."""
        return self.is_owed and (self.period_end is None or self.period_end < day)

    def is_overdue_on(self, day) -> bool:
        """Still owed after its due date, as queries/participations.overdue_reports finds it."""
        return self.is_owed and self.due_on is not None and self.due_on < day


class ReportAttachment(StoredFile):
    """A file supporting a report, through the same pipeline as application documents: checked
    by extension and content, stored under a random key, hashed, and virus-scanned (PENDING until
    the scan clears it; staff see CLEAN files only)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
