"""Template helpers for the regulator's stage clocks (services/clocks.py)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

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


@register.simple_tag
def clock_badge(clock: ClockReading | None, memo: dict | None = None) -> str:
    """applications/clocks/_badge.html for one list row, the same HTML without an {% include %}
    per row (a queue page shows 25 clocks). The strings are the template's own msgids. `memo`
    (one dict per page) keeps each date's format and each sentence's translation, which rows
    with the same due date or days left share."""
    memo = {} if memo is None else memo
    if not clock:
        return mark_safe('\n<span class="text-body-secondary">—</span>\n\n')  # nosec B308
    if clock.paused:
        since = _short_date(clock.paused_since, memo)
        text = _memo(
            memo, ("paused", since), lambda: gettext("Paused since %(since)s") % {"since": since}
        )
        badge = f'<span class="badge text-bg-secondary" data-clock="paused">{text}</span>'
    elif clock.overdue:
        days = working_days_overdue(clock)
        text = _memo(
            memo,
            ("overdue", days),
            lambda: (
                ngettext(
                    "Overdue by %(days)s working day", "Overdue by %(days)s working days", days
                )
                % {"days": days}
            ),
        )
        badge = f'<span class="badge text-bg-danger" data-clock="overdue">{text}</span>'
    else:
        days = clock.days_left
        css = "text-bg-warning" if days <= 2 else "text-bg-light"
        text = _memo(
            memo,
            ("left", days),
            lambda: (
                ngettext("%(days)s working day left", "%(days)s working days left", days)
                % {"days": days}
            ),
        )
        badge = f'<span class="badge {css}" data-clock="running">{text}</span>'
    due = _short_date(clock.due_on, memo)
    due_text = _memo(memo, ("due", due), lambda: gettext("due %(due)s") % {"due": due})
    return mark_safe(  # noqa: S308  # nosec B308 B703 -- our translations, escaped values
        f'\n{badge}\n<div class="small text-body-secondary">{due_text}</div>\n'
    )


def _memo(memo: dict, key, make):
    value = memo.get(key)
    if value is None:
        value = memo[key] = make()
    return value


def _short_date(day, memo: dict) -> str:
    """`|date:"SHORT_DATE_FORMAT"`, escaped, once per day shown."""
    return _memo(memo, day, lambda: conditional_escape(date_filter(day, "SHORT_DATE_FORMAT")))
