"""Time spent in each stage and stage clocks that ran late (dashboard), from the history rows
kept as moves happen (models/stage_history.py, services/stage_history.py).

Working days are counted when a stay or clock ends, so here they are plain integers and SQL does
the counting: one query returns the stays as a histogram (state, working days → how many) and the
finished clocks per (stage, late). The medians come from the histogram in Python, with the
definition of statistics.median (the mean of the two middle values for an even count); the rows
returned grow with the distinct numbers of days, not with the applications.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Value
from django.db.models.functions import Cast

from applications.models import FinishedClock, StageStay
from applications.services.stage_history import MEASURED_STATES

__all__ = ["MEASURED_STATES", "StageFigures", "histogram_median", "stage_figures"]

STAY, CLOCK = 0, 1


def histogram_median(counts: dict[int, int]) -> float | int | None:
    """The median of the values counted in `counts` (value → how many times), as
    statistics.median gives it for the values listed out; None when there is none."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = (total - 1) // 2, total // 2  # the middle position(s), counting from 0
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and wanted[len(found)] < seen:
            found.append(value)
        if len(found) == 2:
            break
    low, high = found
    return low if total % 2 else (low + high) / 2


@dataclass
class StageFigures:
    """Finished stays per state as a histogram of working days; finished clocks per stage, late
    or on time."""

    stays: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    finished_late: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    finished_on_time: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def stay_count(self, state: str) -> int:
        return sum(self.stays.get(state, {}).values())

    def median_days(self, state: str) -> float | int | None:
        return histogram_median(self.stays.get(state, {}))


def stage_figures(scope) -> StageFigures:
    """The figures of the applications in `scope` (queries/dashboard.Scope), in one query: the
    stays' histogram and the finished clocks' counts, as one UNION ALL of two GROUP BYs."""
    stays = (
        scope.filter(StageStay.objects.all(), "application__")
        .order_by()
        .annotate(kind=Value(STAY, output_field=IntegerField()))
        .values_list("kind", "state", "working_days")
        .annotate(count=Count("id"))
    )
    clocks = (
        scope.filter(FinishedClock.objects.all(), "application__")
        .order_by()
        .annotate(
            kind=Value(CLOCK, output_field=IntegerField()),
            # PostgreSQL's UNION does not match a boolean column with an integer one.
            finished_late=Cast("late", IntegerField()),
        )
        .values_list("kind", "stage", "finished_late")
        .annotate(count=Count("id"))
    )
    figures = StageFigures()
    for kind, name, value, count in stays.union(clocks, all=True):
        if kind == STAY:
            figures.stays[name][value] = count
        elif value:
            figures.finished_late[name] += count
        else:
            figures.finished_on_time[name] += count
    return figures
