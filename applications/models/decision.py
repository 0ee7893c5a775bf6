"""Decisions with four eyes (DESIGN.md §2): one admin proposes, a second confirms or sends back.

A decision is the outcome, the reasons tied to each of the programme's criteria, the conditions
and, for approvals, the testing parameters. Confirmed decisions stay internal until an admin
releases them with the rest of the cohort's batch (`released_at`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.enums import APPROVAL_OUTCOMES, Currency, DecisionOutcome, DecisionState


class Decision(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=DecisionOutcome.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=DecisionState.choices, default=DecisionState.PROPOSED
    )
    summary = models.TextField(_("summary of the decision"), blank=True)
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("One condition per line.")
    )
    # Testing parameters, for approvals only.
    starts_on = models.DateField(_("testing starts"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("testing period (months)"), null=True, blank=True
    )
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
    # Maker and checker.
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_comment = models.TextField(_("comment of the second admin"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-made_at", "-id"]
        constraints = [
            # Four eyes, kept by the database too: the checker is never the maker.
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=F("made_by")),
                name="decision_checker_is_not_maker",
            ),
            # At most one decision in the making per application.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=["proposed", "sent_back"]),
                name="decision_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(state="confirmed"),
                name="decision_released_only_when_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(max_aggregate_amount__isnull=True)
                | Q(max_per_client_amount__isnull=True)
                | Q(max_aggregate_amount__gte=F("max_per_client_amount")),
                name="decision_aggregate_limit_covers_client_limit",
            ),
        ]
        indexes = [
            # The release screen: confirmed, unreleased decisions of a cohort.
            models.Index(fields=["state", "released_at"], name="decision_release_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_outcome_display()}"

    @property
    def is_approval(self) -> bool:
        return self.outcome in APPROVAL_OUTCOMES

    @property
    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]


class DecisionReason(models.Model):
    """The reason for the outcome against one of the programme's criteria."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reasons")
    criterion = models.ForeignKey(
        "applications.Criterion", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("reason for a decision")
        verbose_name_plural = _("reasons for a decision")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "criterion"], name="decision_reason_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} · {self.criterion_id}"
