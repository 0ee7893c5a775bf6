from decimal import Decimal

import pytest

from applications.enums import ApplicationState, EventKind, ReviewState
from applications.exceptions import EditConflict, NotAllowed, WorkflowError
from applications.models import AuditEvent, CriterionScore, Review
from applications.services.reviews import (
    ReviewInput,
    ScoreInput,
    review_problems,
    save_review_draft,
    submit_review,
    weighted_score,
)
from tests import factories
from tests.applications.workspace import cleared_reviewer, criteria, pending_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return factories.SubmittedApplicationFactory(state=ApplicationState.EVALUATION)


@pytest.fixture
def scored(application):
    return criteria(application.cohort.programme)


def complete(scored, innovation=4, benefit=2, gate=True):
    innovation_c, benefit_c, gate_c = scored
    return ReviewInput(
        scores={
            innovation_c.pk: ScoreInput(score=innovation),
            benefit_c.pk: ScoreInput(score=benefit, rationale="Fees are not lower than today."),
            gate_c.pk: ScoreInput(gate_met=gate),
        },
        recommendation="proceed",
        summary="A credible team with a real market gap.",
    )


def test_saving_a_draft_bumps_the_revision_and_writes_scores(application, scored):
    reviewer = cleared_reviewer(application)

    review = save_review_draft(
        actor=reviewer,
        application_id=application.pk,
        base_revision=0,
        answers=ReviewInput(scores={scored[0].pk: ScoreInput(score=3)}, summary=" so far "),
    )
    review = save_review_draft(
        actor=reviewer,
        application_id=application.pk,
        base_revision=1,
        answers=ReviewInput(scores={scored[0].pk: ScoreInput(score=5)}),
    )

    assert (review.revision, review.state, review.summary) == (2, ReviewState.DRAFT, "")
    scores = {s.criterion_id: s.score for s in CriterionScore.objects.filter(review=review)}
    assert scores == {scored[0].pk: 5, scored[1].pk: None, scored[2].pk: None}
    assert not AuditEvent.objects.exists()  # drafts are not part of the record


def test_a_save_from_a_stale_tab_is_refused(application, scored):
    reviewer = cleared_reviewer(application)
    save_review_draft(
        actor=reviewer, application_id=application.pk, base_revision=0, answers=ReviewInput()
    )

    with pytest.raises(EditConflict):
        save_review_draft(
            actor=reviewer,
            application_id=application.pk,
            base_revision=0,
            answers=ReviewInput(summary="From the old tab"),
        )

    assert Review.objects.get().summary == ""


def test_submitting_stores_the_weighted_score_and_locks(application, scored):
    reviewer = cleared_reviewer(application)

    review = submit_review(
        actor=reviewer, application_id=application.pk, base_revision=0, answers=complete(scored)
    )

    # (4 × 30 + 2 × 10) / 40 = 3.5; the gate does not count in the score.
    assert review.weighted_score == Decimal("3.50")
    assert review.state == ReviewState.SUBMITTED
    assert review.submitted_at is not None
    event = AuditEvent.objects.get()
    assert event.kind == EventKind.REVIEW_SUBMITTED
    assert event.data == {
        "review": review.pk,
        "recommendation": "proceed",
        "weighted_score": "3.50",
    }
    with pytest.raises(WorkflowError, match="submitted and can no longer be changed"):
        save_review_draft(
            actor=reviewer,
            application_id=application.pk,
            base_revision=review.revision,
            answers=ReviewInput(),
        )


def test_an_incomplete_submission_changes_nothing_and_lists_problems(application, scored):
    reviewer = cleared_reviewer(application)
    answers = complete(scored, benefit=1, gate=False)
    answers.scores[scored[1].pk].rationale = " "
    answers.scores.pop(scored[0].pk)
    answers.recommendation = ""

    with pytest.raises(WorkflowError) as caught:
        submit_review(
            actor=reviewer, application_id=application.pk, base_revision=0, answers=answers
        )

    assert caught.value.problems == [
        "Score “Innovation”.",
        "Explain the score of 1 for “Consumer benefit”.",
        "Explain why “Fit and proper” is not met.",
        "Choose a recommendation.",
    ]
    assert not CriterionScore.objects.exists()
    assert not AuditEvent.objects.exists()


def test_review_problems_require_gate_and_summary(scored):
    assert review_problems(scored, {}, "defer", " ") == [
        "Score “Innovation”.",
        "Score “Consumer benefit”.",
        "Say whether “Fit and proper” is met.",
        "Write a summary.",
    ]


def test_weighted_score_without_scored_criteria_is_none(scored):
    gate_only = [scored[2]]
    assert weighted_score(gate_only, {scored[2].pk: ScoreInput(gate_met=True)}) is None


def test_bad_input_is_refused(application, scored):
    reviewer = cleared_reviewer(application)
    other = factories.CriterionFactory()

    cases = [
        (ReviewInput(scores={scored[0].pk: ScoreInput(score=6)}), "Scores go from 0 to 5."),
        (ReviewInput(recommendation="approve"), "Choose one of the recommendations."),
        (ReviewInput(scores={other.pk: ScoreInput(score=3)}), "criteria have changed"),
    ]
    for answers, message in cases:
        with pytest.raises(WorkflowError, match=message):
            save_review_draft(
                actor=reviewer, application_id=application.pk, base_revision=0, answers=answers
            )


@pytest.mark.parametrize(
    "state", [ApplicationState.SCREENING, ApplicationState.ELIGIBILITY, "decision_pending"]
)
def test_reviews_are_written_only_in_evaluation(state, scored):
    application = factories.SubmittedApplicationFactory(state=state)
    reviewer = cleared_reviewer(application)

    with pytest.raises(NotAllowed):
        save_review_draft(
            actor=reviewer, application_id=application.pk, base_revision=0, answers=ReviewInput()
        )


def test_undeclared_and_unassigned_reviewers_may_not_review(application, scored, reviewer):
    pending = pending_reviewer(application)
    application.cohort.panel.add(reviewer)

    for actor in (pending, reviewer, factories.ProgrammeAdminFactory()):
        with pytest.raises(NotAllowed):
            save_review_draft(
                actor=actor, application_id=application.pk, base_revision=0, answers=ReviewInput()
            )
    assert not Review.objects.exists()
