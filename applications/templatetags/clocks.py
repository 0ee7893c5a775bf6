"""Template helpers for the regulator's stage clocks (services/clocks.py)."""

from django import template

from applications.services.clocks import ClockReading, read_clock

register = template.Library()


@register.simple_tag
def application_clock(application) -> ClockReading | None:
    """`{% application_clock application as clock %}`: the clock as of today, for one page.
    Lists read their rows' clocks in the view, with the calendar fetched once."""
    return read_clock(application)


@register.filter
def working_days_overdue(clock: ClockReading) -> int:
    return max(0, -clock.days_left)
