"""Bulk and automatic assignment: plan first (what would happen and why), then run the plan.

Planning reads everything in a fixed number of queries and decides in memory; running sends each
planned pair through services.assignment.assign_reviewer in its own transaction, so a pair that
became impossible meanwhile is refused with its reason while the others go through.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from applications.enums import OPEN_REVIEW_STATES, Declaration
from applications.exceptions import WorkflowError
from applications.models import Application, Cohort, ReviewerAssignment
from applications.services.assignment import assign_reviewer, reviewer_refusal
from applications.services.conflicts import ConflictIndex
from portal.accounts.models import User

ASSIGN, REFUSED, SHORT = "assign", "refused", "short"


@dataclass
class PlanItem:
    application: Application
    reviewer: User | None
    outcome: str  # ASSIGN, REFUSED (this pair may not be made) or SHORT (too few reviewers found)
    reason: str = ""

    @property
    def pair(self) -> str:
        return f"{self.application.pk}:{self.reviewer.pk}"


@dataclass
class Result:
    application: Application
    reviewer: User
    done: bool
    message: str


def _panel_ids(applications: list[Application]) -> dict[int, set[int]]:
    through = Cohort.panel.through
    rows = through.objects.filter(
        cohort_id__in={application.cohort_id for application in applications}
    ).values_list("cohort_id", "user_id")
    panels: dict[int, set[int]] = {}
    for cohort_id, user_id in rows:
        panels.setdefault(cohort_id, set()).add(user_id)
    return panels


def _declarations(applications: list[Application]) -> dict[int, dict[int, str]]:
    rows = ReviewerAssignment.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id", "declaration"
    )
    found: dict[int, dict[int, str]] = {application.pk: {} for application in applications}
    for application_id, reviewer_id, declaration in rows:
        found[application_id][reviewer_id] = declaration
    return found


def plan_bulk(applications: list[Application], reviewers: list[User]) -> list[PlanItem]:
    """Every selected reviewer on every selected application, each pair assign or refused."""
    panels = _panel_ids(applications)
    declarations = _declarations(applications)
    conflicts = ConflictIndex(
        [reviewer.pk for reviewer in reviewers], {a.organisation_id for a in applications}
    )
    items = []
    for application in applications:
        for reviewer in reviewers:
            reason = reviewer_refusal(
                application,
                reviewer,
                panel_ids=panels.get(application.cohort_id, set()),
                declarations=declarations[application.pk],
                conflicts=conflicts,
            )
            items.append(PlanItem(application, reviewer, REFUSED if reason else ASSIGN, reason))
    return items


def open_load(reviewer_ids: list[int]) -> Counter:
    """Open assignments per reviewer: on applications not yet decided, not recused."""
    rows = (
        ReviewerAssignment.objects.filter(
            reviewer_id__in=reviewer_ids, application__state__in=OPEN_REVIEW_STATES
        )
        .exclude(declaration=Declaration.RECUSED)
        .values("reviewer_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return Counter({row["reviewer_id"]: row["count"] for row in rows})


def plan_automatic(
    applications: list[Application], panel: list[User], *, per_application: int, cap: int
) -> list[PlanItem]:
    """Give each application up to `per_application` reviewers, counting those it has (recusals
    do not count). Candidates: panel members with no registered conflict, not already on it (nor
    recused from it), whose open load is under `cap`; the least loaded first, ties by id, so the
    same data always gives the same plan. Applications go in the order given."""
    load = open_load([reviewer.pk for reviewer in panel])
    declarations = _declarations(applications)
    panel_ids = {reviewer.pk for reviewer in panel}
    conflicts = ConflictIndex(panel_ids, {a.organisation_id for a in applications})
    items = []
    for application in applications:
        mine = declarations[application.pk]
        needed = per_application - sum(1 for d in mine.values() if d != Declaration.RECUSED)
        candidates = [
            reviewer
            for reviewer in panel
            if load[reviewer.pk] < cap
            and not reviewer_refusal(
                application,
                reviewer,
                panel_ids=panel_ids,
                declarations=mine,
                conflicts=conflicts,
            )
        ]
        candidates.sort(key=lambda reviewer: (load[reviewer.pk], reviewer.pk))
        for reviewer in candidates[: max(needed, 0)]:
            items.append(PlanItem(application, reviewer, ASSIGN))
            load[reviewer.pk] += 1
        missing = needed - len(candidates)
        if missing > 0:
            items.append(
                PlanItem(
                    application,
                    None,
                    SHORT,
                    _(
                        "%(missing)s more reviewer(s) needed, but nobody else on the panel is "
                        "free of conflicts and under the limit of %(cap)s open assignments."
                    )
                    % {"missing": missing, "cap": cap},
                )
            )
    return items


def run_pairs(*, actor, pairs: list[tuple[Application, User]]) -> list[Result]:
    """Assign each pair in its own transaction; one refused pair does not stop the others."""
    results = []
    for application, reviewer in pairs:
        try:
            assign_reviewer(actor=actor, application_id=application.pk, reviewer_id=reviewer.pk)
        except WorkflowError as error:
            results.append(Result(application, reviewer, False, str(error)))
        else:
            results.append(Result(application, reviewer, True, _("Assigned.")))
    return results
