"""The dashboard's reviewer table rows (templates/console/dashboard.html), written in Python.

The table has a row per reviewer with an assignment in scope (sixty at 10,000 applications);
through the template engine it was the largest part of the page. `{% reviewer_rows rows %}`
writes the markup the template loop wrote, every value escaped, each median formatted once.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from portal.html import escape

register = template.Library()

ROW = (
    '<tr><th scope="row">{name}</th><td class="text-end">{open}</td>'
    '<td class="text-end">{to_submit}</td><td class="text-end">{submitted}</td>'
    '<td class="text-end">{median}</td></tr>'
)


@register.simple_tag
def reviewer_rows(rows: list[dict]) -> str:
    medians: dict = {}
    return mark_safe(  # noqa: S308  # nosec B308 B703 -- every value escaped
        "".join(_row(row, medians) for row in rows)
    )


def _row(row: dict, medians: dict) -> str:
    median = row["median_days"]
    if median is None:
        median_text = "—"
    else:
        median_text = medians.get(median)
        if median_text is None:
            median_text = medians[median] = escape(floatformat(median, "-1"))
    return ROW.format(
        name=escape(row["name"]),
        open=int(row["open"]),
        to_submit=int(row["to_submit"]),
        submitted=int(row["submitted"]),
        median=median_text,
    )
