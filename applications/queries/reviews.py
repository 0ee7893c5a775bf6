"""Reads for reviews: the criteria, one reviewer's review, and the summary staff compare."""

import statistics
from decimal import Decimal

from django.db.models import Prefetch

from applications.enums import ReviewState
from applications.models import Application, Criterion, CriterionScore, Review


def criteria_of(application: Application) -> list[Criterion]:
    """The criteria it is judged against: those of the programme version it was submitted under."""
    from applications.queries.programmes import criteria_for

    return list(criteria_for(application))


def own_review(application: Application, reviewer) -> Review | None:
    return (
        Review.objects.filter(application=application, reviewer=reviewer)
        .prefetch_related("scores")
        .first()
    )


def submitted_reviews(application: Application) -> list[Review]:
    return list(
        Review.objects.filter(application=application, state=ReviewState.SUBMITTED)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.order_by("id")))
        .order_by("submitted_at", "id")
    )


def review_summary(application: Application) -> dict:
    """The submitted reviews side by side (3 queries whatever their number): each review, the
    mean of the weighted scores, their spread, and a row per criterion."""
    criteria = criteria_of(application)
    reviews = submitted_reviews(application)
    scores = [float(r.weighted_score) for r in reviews if r.weighted_score is not None]
    by_review = [{s.criterion_id: s for s in review.scores.all()} for review in reviews]
    rows = []
    for criterion in criteria:
        cells = [found.get(criterion.pk) for found in by_review]
        numbers = [cell.score for cell in cells if cell is not None and cell.score is not None]
        rows.append(
            {
                "criterion": criterion,
                "cells": cells,
                "mean": _two_places(statistics.fmean(numbers)) if numbers else None,
                "met": sum(1 for c in cells if c is not None and c.gate_met is True),
                "not_met": sum(1 for c in cells if c is not None and c.gate_met is False),
            }
        )
    return {
        "criteria": criteria,
        "reviews": [
            {"review": review, "scores": [(c, found.get(c.pk)) for c in criteria]}
            for review, found in zip(reviews, by_review, strict=True)
        ],
        "rows": rows,
        "count": len(reviews),
        "mean": _two_places(statistics.fmean(scores)) if scores else None,
        "minimum": _two_places(min(scores)) if scores else None,
        "maximum": _two_places(max(scores)) if scores else None,
        "stdev": _two_places(statistics.pstdev(scores)) if scores else None,
    }


def _two_places(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
