"""The queue table's rows (templates/applications/staff/queues/queue.html), rendered in Python.

A queue page shows 25 rows of some thirty template nodes each; through the template engine
they were the largest part of the page's time. `{% queue_rows applications is_admin %}` writes
the same HTML: every value escaped as the template would, the same msgids, the translations
looked up once per page rather than once per row. The view has set, on each row, `clock`,
`can_open`, `organisation_hidden`, `state_label`, `activity_label`, `detail_url` and
`declaration_url` (views/queues.py).
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from applications.templatetags.clocks import clock_badge
from portal.html import escape as esc

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
HUNDREDTHS = Decimal("0.01")
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
    memo: dict = {"decimal_separator": get_format("DECIMAL_SEPARATOR")}
    return mark_safe("".join(_row(row, is_admin, texts, memo) for row in applications))  # noqa: S308  # nosec B308 B703 -- every value escaped


def _row(application, is_admin: bool, texts: dict, memo: dict) -> str:
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
        organisation = esc(application.organisation_name or "")
    if application.rfi_overdue:
        rfi = f'<span class="badge text-bg-danger" data-rfi="overdue">{texts["rfi_overdue"]}</span>'
    elif application.has_open_rfi:
        rfi = f'<span class="badge text-bg-info" data-rfi="open">{texts["rfi_open"]}</span>'
    else:
        rfi = DASH
    score = application.score
    score_html = "" if score is None else f"<span data-score>{score_text(score, memo)}</span>"
    if is_admin:
        review = DASH if score is None else ""
    else:
        review = REVIEW_INDENT + _my_review(application, texts) + "\n                "
    submitted_iso, submitted = _submitted(application.submitted_at, memo)
    return ROW.format(
        reference=reference,
        link=link,
        activity=esc(application.activity_label or ""),
        organisation=organisation,
        programme=esc(application.programme_name),
        cohort=esc(application.cohort_name),
        state=esc(application.state),
        state_label=esc(application.state_label),
        clock=clock_badge(application.clock, memo),
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


def score_text(score, memo: dict) -> str:
    """`|floatformat:"2"`: rounded half up to two places, with the language's decimal
    separator (a score is below 10: no thousands to group)."""
    rounded = Decimal(score).quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)
    return esc(str(rounded).replace(".", memo["decimal_separator"]))


def _submitted(moment, memo: dict) -> tuple[str, str]:
    """`|date:'c'` and `|date:"SHORT_DATE_FORMAT"` of the local time, as the template's date
    filter shows them; the short date (a date format: no time of day) once per day shown."""
    if moment is None:
        return "", ""
    local = template_localtime(moment)
    day = local.date()
    if day not in memo:
        memo[day] = esc(formats.date_format(local, "SHORT_DATE_FORMAT"))
    return esc(local.isoformat()), memo[day]


PILL = (
    '\n        <li class="nav-item">'
    '\n          <a class="nav-link{active}" href="?{query}" hx-get="?{query}"{current}>'
    '\n            {label} <span class="badge text-bg-light" data-state="{state}">{count}</span>'
    "\n          </a>"
    "\n        </li>"
)


@register.simple_tag
def state_pills(
    state_links: list[dict], selected: str, total: int, query_without_state: str
) -> str:
    """The state filter's links with their counts: "All states" and one per state with
    applications (views/queues.py, `state_links`), written like the rows: some eighteen links
    of a dozen template nodes each were a sixth of the page's rendering."""
    pills = [
        _pill(
            query_without_state,
            gettext("All states"),
            "",
            total,
            active=not selected,
        )
    ]
    pills.extend(
        _pill(
            link["query"],
            link["label"],
            link["state"],
            link["count"],
            active=link["state"] == selected,
        )
        for link in state_links
    )
    return mark_safe("".join(pills) + "\n      ")  # noqa: S308  # nosec B308 B703 -- every value escaped


def _pill(query: str, label, state: str, count: int, *, active: bool) -> str:
    return PILL.format(
        active=" active" if active else "",
        query=esc(query),
        current=' aria-current="page"' if active else "",
        label=esc(label),
        state=esc(state),
        count=int(count),
    )


FIELD = (
    '\n          <div class="{width}">'
    '\n            <label class="form-label small mb-1" for="{id}">{label}</label>'
    "\n            {widget}{errors}{help}"
    "\n          </div>"
)


@register.simple_tag
def queue_filter_fields(form, is_admin: bool) -> str:
    """The filter form's fields, each with its label, errors and (the search box) help text,
    written like the rows: the widgets render in Python already (forms/queues.py), and the
    template around ten fields was as slow as the widgets. Admins have no "my review" filter."""
    return mark_safe(  # noqa: S308  # nosec B308 B703 -- every value escaped
        "".join(
            _field(bound_field)
            for bound_field in form
            if bound_field.name != "my_review" or not is_admin
        )
    )


def _field(bound_field) -> str:
    is_search = bound_field.name == "q"
    errors = "".join(
        f'\n            <div class="small text-danger">{esc(error)}</div>'
        for error in bound_field.errors
    )
    help_text = bound_field.help_text if is_search else ""
    return FIELD.format(
        width="col-md-4" if is_search else "col-sm-6 col-md-2",
        id=esc(bound_field.id_for_label),
        label=esc(bound_field.label),
        widget=str(bound_field),
        errors=errors,
        help=f'\n            <div class="form-text">{esc(help_text)}</div>' if help_text else "",
    )
