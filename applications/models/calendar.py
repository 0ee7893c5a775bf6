"""Admin-entered exceptions to the Kazakh working-day calendar (applications/calendar.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import CalendarDayKind


class CalendarDay(models.Model):
    """A bridge day off (a weekday that is not worked) or a transferred working day (a Saturday
    that is worked), as the government announces them each year."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CalendarDayKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
