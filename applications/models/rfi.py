"""Requests for information: staff ask, the applicant answers; the clock waits meanwhile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import RfiState


class RequestForInformation(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="rfis"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    questions = models.TextField(_("questions"))
    # Which parts the applicant may change while answering: step slugs (applications/steps.py)…
    editable_steps = models.JSONField(
        _("sections the applicant may change"), default=list, blank=True
    )
    # …and which documents they may replace with a new version.
    editable_requirements = models.ManyToManyField(
        "applications.DocumentRequirement",
        blank=True,
        related_name="+",
        verbose_name=_("documents the applicant may replace"),
    )
    due_on = models.DateField(_("answer due"))
    state = models.CharField(max_length=10, choices=RfiState.choices, default=RfiState.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="answered") | Q(answered_at__isnull=False),
                name="rfi_answered_has_time",
            ),
        ]
        indexes = [
            # Queues: "has an open RFI", "RFI overdue".
            models.Index(fields=["state", "due_on"], name="rfi_open_due_idx"),
            models.Index(fields=["application", "state"], name="rfi_application_state_idx"),
        ]

    def __str__(self) -> str:
        return f"RFI {self.pk} · {self.application}"
