"""An admitted firm's testing period (DESIGN.md §1, §3): limits, onboarding, extensions, exit.

Created when a second admin confirms an approval. Its reports live in models/report.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.enums import Currency, ExitRoute, ExtensionState, OnboardingItem


class Participation(models.Model):
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="participation"
    )
    decision = models.ForeignKey(
        "applications.Decision", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("testing starts"))
    # The last day of testing (inclusive); an approved extension moves it on.
    ends_on = models.DateField(_("testing ends"))
    max_clients = models.PositiveIntegerField(_("maximum number of clients"), null=True, blank=True)
    currency = models.CharField(
        _("currency of the limits"), max_length=5, choices=Currency.choices, blank=True
    )
    max_per_client_amount = models.DecimalField(
        _("limit per client"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    max_aggregate_amount = models.DecimalField(
        _("aggregate limit"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    geography = models.CharField(_("geography of the test"), max_length=255, blank=True)
    testing_started_at = models.DateTimeField(_("testing started"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    termination_reason = models.TextField(_("reason for the termination"), blank=True)
    exit_route = models.CharField(
        _("exit route"), max_length=24, choices=ExitRoute.choices, blank=True
    )
    exit_trigger = models.TextField(_("what triggered the exit"), blank=True)
    exited_at = models.DateTimeField(_("exited"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="participation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(max_aggregate_amount__isnull=True)
                | Q(max_per_client_amount__isnull=True)
                | Q(max_aggregate_amount__gte=F("max_per_client_amount")),
                name="participation_aggregate_limit_covers_client_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.starts_on}–{self.ends_on}"


class OnboardingCondition(models.Model):
    """One pre-commencement condition, confirmed by an admin with evidence."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="onboarding_conditions"
    )
    kind = models.CharField(_("condition"), max_length=20, choices=OnboardingItem.choices)
    text = models.TextField(_("what must be met"))
    position = models.PositiveSmallIntegerField(default=0)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_document = models.ForeignKey(
        "applications.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supporting document"),
    )

    class Meta:
        verbose_name = _("pre-commencement condition")
        verbose_name_plural = _("pre-commencement conditions")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(met_at__isnull=True)
                | ~Q(evidence_note="")
                | Q(evidence_document__isnull=False),
                name="onboarding_condition_met_with_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ExtensionRequest(models.Model):
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="extension_requests"
    )
    months = models.PositiveSmallIntegerField(_("extension (months)"))
    reason = models.TextField(_("why the test needs longer"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_participation",
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="extension_at_least_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.participation} · +{self.months}"
