"""Reviewers' side of an application: assignment with its conflict declaration, the conflict
register, scored reviews and internal notes (DESIGN.md §4, issue "Reviewer workspace")."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import ConflictRelation, Declaration, Recommendation, ReviewState


class ReviewerAssignment(models.Model):
    """A reviewer put on one application. Until the reviewer declares no conflict of interest
    they see only the queue row; a recusal removes their access at once."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    declaration = models.CharField(
        _("conflict of interest"),
        max_length=12,
        choices=Declaration.choices,
        default=Declaration.PENDING,
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)
    # Working days from assignment to the submitted review, set once when the review is
    # submitted (services/reviews.py), so the dashboard's turnaround is an SQL aggregate.
    turnaround_days = models.PositiveIntegerField(
        _("working days to review"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="assignment_once_per_reviewer"
            ),
            models.CheckConstraint(
                condition=~Q(declaration="recused") | ~Q(recusal_reason=""),
                name="assignment_recusal_has_reason",
            ),
        ]
        indexes = [
            # "My work": a reviewer's live assignments.
            models.Index(fields=["reviewer", "declaration"], name="assignment_reviewer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class ConflictOfInterest(models.Model):
    """One line of a reviewer's conflict register: an organisation, a BIN or a person they are
    related to. Assignment refuses an application that matches a line."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    bin = models.CharField(_("BIN"), max_length=12, blank=True, db_index=True)
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    relation = models.CharField(_("relation"), max_length=20, choices=ConflictRelation.choices)
    details = models.TextField(_("details"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["reviewer", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(bin="") | ~Q(person_name=""),
                name="conflict_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.person_name or self.bin or str(self.organisation)


class Review(models.Model):
    """One reviewer's assessment of one application. Submitting locks it."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    # Weighted score on 0–5, kept on submission so queues can sort by it in SQL.
    weighted_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_once_per_reviewer"
            ),
        ]
        indexes = [
            models.Index(fields=["application", "state"], name="review_application_state_idx")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application}"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "applications.Criterion", on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    # Gate criteria only: met or not met, whatever the score.
    gate_met = models.BooleanField(_("gate met"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=5), name="score_at_most_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class InternalNote(models.Model):
    """A note among staff on an application; never shown to the applicant."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d}"
