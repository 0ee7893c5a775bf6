"""The dashboard's longest tables (templates/console/dashboard.html), written in Python.

The reviewer table has a row per reviewer with an assignment in scope (sixty at 10,000
applications) and the report table a page of 25 participations; through the template engine they
were the largest part of the page. `{% reviewer_rows %}` and `{% report_rows %}` write the markup
the template loops wrote, every value escaped, each median formatted once.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from applications.queries.dashboard import REPORT_COUNTS
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


REPORT_ROW = (
    '\n                <tr data-participation="{pk}">'
    '\n                  <th scope="row">{reference} <span class="small text-body-secondary">'
    "· {organisation}</span></th>{counts}"
    "\n                </tr>"
)
REPORT_COUNT = '\n                  <td class="text-end">{}</td>'


@register.simple_tag
def report_rows(rows) -> str:
    """The report table's page of participations (queries/dashboard.ReportRow), counts
    unlocalised as the `{% localize off %}` loop it replaces wrote them."""
    return mark_safe(  # noqa: S308  # nosec B308 B703 -- every value escaped
        "".join(
            REPORT_ROW.format(
                pk=int(row.pk),
                reference=escape(row.reference),
                organisation=escape(row.organisation),
                counts="".join(
                    REPORT_COUNT.format(int(getattr(row, name))) for name in REPORT_COUNTS
                ),
            )
            for row in rows
        )
    )
