"""A reviewer's scored assessment: drafts autosaved, then submitted once and locked.

Each save carries the review's revision the page was shown at; a save from a stale tab (another
tab saved meanwhile) is refused instead of overwriting. Submitting validates every criterion,
stores the weighted score and writes REVIEW_SUBMITTED. Drafts write no audit event: they change
every few seconds while the reviewer types, and only the submitted review is part of the record.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import EventKind, Recommendation, ReviewState
from applications.exceptions import EditConflict, NotAllowed, WorkflowError
from applications.models import Application, Criterion, CriterionScore, Review
from applications.queries.reviews import criteria_of
from applications.services import stage_history
from applications.services.audit import record_event

LOW_SCORE = 2  # a score at or below this needs a rationale


@dataclass
class ScoreInput:
    score: int | None = None
    gate_met: bool | None = None
    rationale: str = ""


@dataclass
class ReviewInput:
    scores: dict[int, ScoreInput] = field(default_factory=dict)  # by criterion id
    recommendation: str = ""
    summary: str = ""


def save_review_draft(
    *, actor, application_id: int, base_revision: int, answers: ReviewInput
) -> Review:
    with transaction.atomic():
        review, criteria = _lock_review(actor, application_id, base_revision, answers)
        _write(review, criteria, answers)
    return review


def submit_review(
    *, actor, application_id: int, base_revision: int, answers: ReviewInput
) -> Review:
    """Validate everything, then write and lock. An incomplete review changes nothing (the
    problems come back on the error); the page may save it as a draft meanwhile."""
    with transaction.atomic():
        review, criteria = _lock_review(actor, application_id, base_revision, answers)
        problems = review_problems(
            criteria, answers.scores, answers.recommendation, answers.summary
        )
        if problems:
            raise WorkflowError(_("Your review is not complete yet."), problems=problems)
        _write(review, criteria, answers)
        review.weighted_score = weighted_score(criteria, answers.scores)
        review.state = ReviewState.SUBMITTED
        review.submitted_at = timezone.now()
        review.save(update_fields=["weighted_score", "state", "submitted_at", "updated_at"])
        stage_history.record_turnaround(review)
        record_event(
            kind=EventKind.REVIEW_SUBMITTED,
            actor=actor,
            application=review.application,
            data={
                "review": review.pk,
                "recommendation": review.recommendation,
                "weighted_score": str(review.weighted_score),
            },
        )
    return review


def _lock_review(actor, application_id, base_revision, answers) -> tuple[Review, list[Criterion]]:
    # The application row is locked so that the move out of EVALUATION (which counts submitted
    # reviews) and a submission never interleave.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "organisation")
        .get(pk=application_id)
    )
    if not actor.has_perm("applications.review_application", application):
        raise NotAllowed(_("You may not review this application now."))
    review, _created = Review.objects.get_or_create(application=application, reviewer=actor)
    review = Review.objects.select_for_update().get(pk=review.pk)
    review.application = application
    if review.state == ReviewState.SUBMITTED:
        raise WorkflowError(_("Your review is submitted and can no longer be changed."))
    if review.revision != base_revision:
        raise EditConflict(
            _(
                "Your review was saved from another tab or window meanwhile. Reload the page to "
                "continue from what is saved."
            ),
            fields=[],
        )
    # The criteria of the programme version it was submitted under, whatever changed since.
    criteria = criteria_of(application)
    _check_input(criteria, answers)
    return review, criteria


def _write(review: Review, criteria: list[Criterion], answers: ReviewInput) -> None:
    _write_scores(review, criteria, answers)
    review.recommendation = answers.recommendation
    review.summary = answers.summary.strip()
    review.revision += 1
    review.save(update_fields=["recommendation", "summary", "revision", "updated_at"])


def _check_input(criteria: list[Criterion], answers: ReviewInput) -> None:
    known = {criterion.pk for criterion in criteria}
    if set(answers.scores) - known:
        raise WorkflowError(_("The programme's criteria have changed. Reload the page."))
    if answers.recommendation and answers.recommendation not in Recommendation.values:
        raise WorkflowError(_("Choose one of the recommendations."))
    for value in answers.scores.values():
        if value.score is not None and not 0 <= value.score <= 5:
            raise WorkflowError(_("Scores go from 0 to 5."))


def _write_scores(review: Review, criteria: list[Criterion], answers: ReviewInput) -> None:
    existing = {score.criterion_id: score for score in review.scores.all()}
    changed, created = [], []
    for criterion in criteria:
        given = answers.scores.get(criterion.pk, ScoreInput())
        row = existing.get(criterion.pk) or CriterionScore(review=review, criterion=criterion)
        row.score = None if criterion.is_gate else given.score
        row.gate_met = given.gate_met if criterion.is_gate else None
        row.rationale = given.rationale.strip()
        (changed if row.pk else created).append(row)
    CriterionScore.objects.bulk_update(changed, ["score", "gate_met", "rationale"])
    CriterionScore.objects.bulk_create(created)


def review_problems(
    criteria: list[Criterion], scores: dict[int, ScoreInput], recommendation: str, summary: str
) -> list[str]:
    """What is missing before a review may be submitted, in the reviewer's words (pure). Reads
    score, gate_met and rationale, so stored CriterionScore rows serve as well as input."""
    problems = []
    for criterion in criteria:
        row = scores.get(criterion.pk)
        name = criterion.name
        if criterion.is_gate:
            if row is None or row.gate_met is None:
                problems.append(_("Say whether “%(name)s” is met.") % {"name": name})
            elif row.gate_met is False and not row.rationale.strip():
                problems.append(_("Explain why “%(name)s” is not met.") % {"name": name})
        elif row is None or row.score is None:
            problems.append(_("Score “%(name)s”.") % {"name": name})
        elif row.score <= LOW_SCORE and not row.rationale.strip():
            problems.append(
                _("Explain the score of %(score)s for “%(name)s”.")
                % {"score": row.score, "name": name}
            )
    if not recommendation:
        problems.append(_("Choose a recommendation."))
    if not summary.strip():
        problems.append(_("Write a summary."))
    return problems


def weighted_score(criteria: list[Criterion], scores: dict[int, ScoreInput]) -> Decimal | None:
    """Σ score × weight / Σ weight over the scored (non-gate) criteria, on 0–5, two decimals."""
    total = weights = 0
    for criterion in criteria:
        row = scores.get(criterion.pk)
        if criterion.is_gate or row is None or row.score is None:
            continue
        total += row.score * criterion.weight
        weights += criterion.weight
    if not weights:
        return None
    return (Decimal(total) / Decimal(weights)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
