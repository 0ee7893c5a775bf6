from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models.programme import Programme


class Cohort(models.Model):
    """One intake of a programme. With no closing time the cohort is rolling (always open)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=100)
    zone_tag = models.CharField(
        _("zone"), max_length=60, blank=True, help_text=_("For example CryptoCity / Alatau.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=20)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="panels",
        verbose_name=_("reviewer panel"),
    )
    # When the opening and the closing were recorded (by the schedule or by an admin's "open
    # now" / "close now"): each is recorded once, so the periodic task is idempotent.
    opening_recorded_at = models.DateTimeField(null=True, blank=True)
    closing_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="cohort_name_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="cohort_closes_after_it_opens",
            ),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"], name="cohort_window_idx")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.name}"

    @property
    def is_rolling(self) -> bool:
        return self.closes_at is None

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at and (self.closes_at is None or at < self.closes_at)

    def phase(self, at=None) -> str:
        """Upcoming, open, open (rolling) or closed at `at` (now by default)."""
        from applications.enums import CohortPhase

        at = at or timezone.now()
        if at < self.opens_at:
            return CohortPhase.UPCOMING
        if self.closes_at is None:
            return CohortPhase.ROLLING
        return CohortPhase.OPEN if at < self.closes_at else CohortPhase.CLOSED
