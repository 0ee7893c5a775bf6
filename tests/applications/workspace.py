"""Helpers shared by the assignment, declaration, review and notes tests."""

from applications.enums import Declaration
from tests import factories


def panel_reviewer(cohort, **kwargs):
    reviewer = factories.ReviewerFactory(**kwargs)
    cohort.panel.add(reviewer)
    return reviewer


def cleared_reviewer(application, **kwargs):
    """A reviewer on the panel with an assignment on which they declared no conflict."""
    reviewer = panel_reviewer(application.cohort, **kwargs)
    factories.ReviewerAssignmentFactory(
        application=application, reviewer=reviewer, declaration=Declaration.NO_CONFLICT
    )
    return reviewer


def pending_reviewer(application, **kwargs):
    reviewer = panel_reviewer(application.cohort, **kwargs)
    factories.ReviewerAssignmentFactory(application=application, reviewer=reviewer)
    return reviewer


def recused_reviewer(application, **kwargs):
    reviewer = panel_reviewer(application.cohort, **kwargs)
    factories.ReviewerAssignmentFactory(
        application=application,
        reviewer=reviewer,
        declaration=Declaration.RECUSED,
        recusal_reason="I advised the founders in 2024.",
    )
    return reviewer


def criteria(programme):
    """Two scored criteria (weights 30 and 10) and one gate."""
    return [
        factories.CriterionFactory(
            programme=programme, name_en="Innovation", weight=30, position=1
        ),
        factories.CriterionFactory(
            programme=programme, name_en="Consumer benefit", weight=10, position=2
        ),
        factories.CriterionFactory(
            programme=programme, name_en="Fit and proper", is_gate=True, weight=0, position=3
        ),
    ]
