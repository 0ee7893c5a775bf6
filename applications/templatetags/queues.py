"""The queue table's rows (templates/applications/staff/queues/queue.html), rendered in Python.

A queue page shows 25 rows of some thirty template nodes each; through the template engine
they were the largest part of the page's time. `{% queue_rows applications is_admin %}` writes
the same HTML: every value escaped as the template would, the same msgids, the translations
looked up once per page rather than once per row. The view has set, on each row, `clock`,
`can_open`, `organisation_hidden`, `state_label`, `activity_label`, `detail_url` and
`declaration_url` (views/queues.py).
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from applications.templatetags.clocks import clock_badge

register = template.Library()

ROW = (
    '\n            <tr data-reference="{reference}">'
    '\n              <th scope="row">'
    "\n                {link}"
    '\n                <div class="small text-body-secondary fw-normal">{activity}</div>'
    "\n              </th>"
    "\n              <td>{organisation}</td>"
    "\n              <td>{programme} · {cohort}</td>"
    '\n              <td><span class="badge state-badge state-{state}">{state_label}</span></td>'
    "\n              <td>{clock}</td>"
    "\n              <td>{rfi}</td>"
    "\n              <td>"
    "\n                {score}"
    "\n                {review}"
    "\n              </td>"
    '\n              <td><time datetime="{submitted_iso}">{submitted}</time></td>'
    "\n            </tr>"
    "\n          "
)
DASH = '<span class="text-body-secondary">—</span>'
REVIEW_INDENT = "\n                  "


@register.simple_tag
def queue_rows(applications, is_admin: bool) -> str:
    texts = {
        "hidden": esc(gettext("Hidden (blind review)")),
        "rfi_overdue": esc(gettext("RFI overdue")),
        "rfi_open": esc(gettext("RFI open")),
        "submitted": esc(gettext("Submitted")),
        "draft": esc(gettext("Draft")),
        "declare": esc(gettext("Declare conflicts first")),
    }
    dates: dict = {}
    return mark_safe("".join(_row(row, is_admin, texts, dates) for row in applications))  # noqa: S308  # nosec B308 B703 -- every value escaped


def _row(application, is_admin: bool, texts: dict, dates: dict) -> str:
    reference = esc(application.reference)
    if application.can_open:
        link = f'<a href="{esc(application.detail_url)}" hx-boost="false">{reference}</a>'
    elif application.my_declaration == "pending":
        link = f'<a href="{esc(application.declaration_url)}" hx-boost="false">{reference}</a>'
    else:
        link = reference
    if application.organisation_hidden:
        organisation = f'<span class="text-body-secondary">{texts["hidden"]}</span>'
    else:
        organisation = esc(_or_empty(application.organisation, "legal_name"))
    if application.rfi_overdue:
        rfi = f'<span class="badge text-bg-danger" data-rfi="overdue">{texts["rfi_overdue"]}</span>'
    elif application.has_open_rfi:
        rfi = f'<span class="badge text-bg-info" data-rfi="open">{texts["rfi_open"]}</span>'
    else:
        rfi = DASH
    score = application.score
    score_html = "" if score is None else f"<span data-score>{floatformat(score, '2')}</span>"
    if is_admin:
        review = DASH if score is None else ""
    else:
        review = REVIEW_INDENT + _my_review(application, texts) + "\n                "
    submitted_iso, submitted = _submitted(application.submitted_at, dates)
    return ROW.format(
        reference=reference,
        link=link,
        activity=esc(application.activity_label or ""),
        organisation=organisation,
        programme=esc(application.cohort.programme.name),
        cohort=esc(application.cohort.name),
        state=esc(application.state),
        state_label=esc(application.state_label),
        clock=clock_badge(application.clock),
        rfi=rfi,
        score=score_html,
        review=review,
        submitted_iso=submitted_iso,
        submitted=submitted,
    )


def _my_review(application, texts: dict) -> str:
    state = application.my_review_state
    if state == "submitted":
        return f'<span class="badge text-bg-success">{texts["submitted"]}</span>{REVIEW_INDENT}'
    if state == "draft":
        return f'<span class="badge text-bg-light">{texts["draft"]}</span>{REVIEW_INDENT}'
    if application.my_declaration == "pending":
        return f'<span class="badge text-bg-warning">{texts["declare"]}</span>{REVIEW_INDENT}'
    if application.score is None:
        return DASH
    return ""


def _or_empty(value, attribute: str) -> str:
    return "" if value is None else getattr(value, attribute)


def _submitted(moment, dates: dict) -> tuple[str, str]:
    """`|date:'c'` and `|date:"SHORT_DATE_FORMAT"` of the local time, as the template's date
    filter shows them; the short date (a date format: no time of day) once per day shown."""
    if moment is None:
        return "", ""
    local = template_localtime(moment)
    day = local.date()
    if day not in dates:
        dates[day] = esc(formats.date_format(local, "SHORT_DATE_FORMAT"))
    return esc(local.isoformat()), dates[day]
