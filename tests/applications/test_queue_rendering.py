"""The queue page renders its filter widgets and its clock badges in Python (for speed): the HTML
must be exactly what Django's widget templates and applications/clocks/_badge.html produce."""

import copy
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import get_format

from applications.forms.queues import QueueFilterForm
from applications.forms.widgets import FastSelect
from applications.services.clocks import ClockReading
from applications.templatetags.clocks import clock_badge
from applications.templatetags.queues import score_text
from tests import factories

pytestmark = pytest.mark.django_db

CLOCKS = [
    None,
    ClockReading(stage="screening", due_on=date(2026, 3, 2), days_left=4, paused_since=None),
    ClockReading(stage="screening", due_on=date(2026, 3, 2), days_left=2, paused_since=None),
    ClockReading(stage="screening", due_on=date(2026, 3, 2), days_left=1, paused_since=None),
    ClockReading(stage="screening", due_on=date(2026, 3, 2), days_left=0, paused_since=None),
    ClockReading(stage="evaluation", due_on=date(2026, 3, 2), days_left=-1, paused_since=None),
    ClockReading(stage="evaluation", due_on=date(2026, 3, 2), days_left=-7, paused_since=None),
    ClockReading(
        stage="evaluation", due_on=date(2026, 3, 2), days_left=3, paused_since=date(2026, 2, 20)
    ),
]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("clock", CLOCKS)
def test_clock_badge_tag_is_the_badge_template(clock, language):
    with translation.override(language):
        expected = render_to_string("applications/clocks/_badge.html", {"clock": clock})
        tag = Template("{% load clocks %}{% clock_badge clock %}").render(Context({"clock": clock}))
    assert tag == expected


def test_clock_badge_tag_shows_the_days():
    overdue = CLOCKS[6]
    html = Template("{% load clocks %}{% clock_badge clock %}").render(Context({"clock": overdue}))
    assert 'data-clock="overdue">Overdue by 7 working days</span>' in html


def django_rendered(bound_field) -> str:
    """The same field through the widget class Django renders with its templates."""
    widget = copy.deepcopy(bound_field.field.widget)
    widget.__class__ = type(widget).__bases__[-1]
    assert widget.__class__.__module__ == "django.forms.widgets"
    return bound_field.as_widget(widget=widget)


FILTERS = [
    {},
    {"state": "evaluation", "clock": "overdue", "sort": "score", "q": 'a"<b>&c', "rfi": "open"},
    # Values that do not validate: aria-invalid and the errors.
    {"state": "nonsense", "cohort": "x", "due_within": "999", "q": "x" * 101},
    {"due_within": "3", "my_review": "submitted", "activity": "stablecoin", "sort": "-submitted"},
]


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("data", FILTERS)
def test_filter_widgets_render_as_django_templates(data, language):
    programme = factories.ProgrammeFactory(name_en='Tom & Jerry "<Sandbox>"')
    cohorts = [
        factories.CohortFactory(programme=programme, name="2026 <spring> & 'summer'"),
        factories.CohortFactory(),
    ]
    data = {**data, "cohort": data.get("cohort", str(cohorts[0].pk))}
    with translation.override(language):
        form = QueueFilterForm(data, cohorts=cohorts, show_search_hint_blind=True)
        form.filters()
        fields = list(form)
        assert len(fields) == 10
        for bound_field in fields:
            assert str(bound_field) == django_rendered(bound_field), bound_field.name


def test_a_selected_option_and_escaped_label():
    programme = factories.ProgrammeFactory(name_en="A & B")
    cohort = factories.CohortFactory(programme=programme, name="<x>")
    form = QueueFilterForm({"cohort": str(cohort.pk)}, cohorts=[cohort])
    form.filters()
    assert isinstance(form.fields["cohort"].widget, FastSelect)
    assert f'<option value="{cohort.pk}" selected>A &amp; B · &lt;x&gt;</option>' in str(
        form["cohort"]
    )


def test_filter_cohorts_are_the_queue_cohorts_as_records(reviewer, programme_admin):
    from applications.queries.queues import cohorts_for_queues, filter_cohorts

    programme = factories.ProgrammeFactory(
        name_en="Open finance", name_ru="Открытые финансы", name_kk=""
    )
    panel = factories.CohortFactory(programme=programme, name="2026-A")
    panel.panel.add(reviewer)
    factories.CohortFactory(programme=programme, name="2026-B")

    for user in (reviewer, programme_admin):
        records = filter_cohorts(user)
        models = list(cohorts_for_queues(user))
        assert [(c.pk, c.name, c.programme_id) for c in records] == [
            (c.pk, c.name, c.programme_id) for c in models
        ]
    assert [c.name for c in filter_cohorts(reviewer)] == ["2026-A"]
    with translation.override("ru"):
        assert filter_cohorts(reviewer)[0].programme.name == "Открытые финансы"
    with translation.override("kk"):
        assert filter_cohorts(reviewer)[0].programme.name == "Open finance"


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_clock_badges_sharing_one_page_memo_are_each_their_own_badge(language):
    memo: dict = {}
    with translation.override(language):
        for clock in [*CLOCKS, *reversed(CLOCKS)]:
            expected = render_to_string("applications/clocks/_badge.html", {"clock": clock})
            assert clock_badge(clock, memo) == expected


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize(
    "score", [Decimal("0"), Decimal("3.455"), Decimal("3.454999"), Decimal("7.1"), Decimal("10")]
)
def test_the_score_is_written_as_floatformat_writes_it(score, language):
    with translation.override(language):
        memo = {"decimal_separator": get_format("DECIMAL_SEPARATOR")}
        assert score_text(score, memo) == floatformat(score, "2")


STATE_PILLS_TEMPLATE = """{% load i18n %}
      <li class="nav-item">
        <a class="nav-link{% if not filters.state %} active{% endif %}" href="?{{ query_without_state }}" hx-get="?{{ query_without_state }}"{% if not filters.state %} aria-current="page"{% endif %}>
          {% translate "All states" %} <span class="badge text-bg-light" data-state="">{{ total }}</span>
        </a>
      </li>{% for row in state_counts %}
      <li class="nav-item">
        <a class="nav-link{% if row.state == filters.state %} active{% endif %}" href="?{{ row.query }}" hx-get="?{{ row.query }}"{% if row.state == filters.state %} aria-current="page"{% endif %}>
          {{ row.label }} <span class="badge text-bg-light" data-state="{{ row.state }}">{{ row.count }}</span>
        </a>
      </li>{% endfor %}"""


@pytest.mark.parametrize("selected", ["", "evaluation"])
def test_state_pills_are_the_template_they_replace(selected):
    from applications.enums import ApplicationState

    links = [
        {
            "state": "screening",
            "label": ApplicationState.SCREENING.label,
            "count": 3,
            "query": "q=a%26b&state=screening",
        },
        {
            "state": "evaluation",
            "label": ApplicationState.EVALUATION.label,
            "count": 12,
            "query": "state=evaluation",
        },
    ]
    context = {
        "state_counts": links,
        "filters": {"state": selected},
        "total": 15,
        "query_without_state": "q=<x>&sort=score",
    }
    with translation.override("ru"):
        expected = Template(STATE_PILLS_TEMPLATE).render(Context(context))
        tag = Template(
            "{% load queues %}{% state_pills state_counts filters.state total query_without_state %}"
        ).render(Context(context))
    assert _squeeze(tag) == _squeeze(expected)
    assert ("aria-current" in tag.split("evaluation")[0]) is (selected == "")


def _squeeze(html: str) -> str:
    """The markup without the indentation between tags (the template's and the tag's differ)."""
    return " ".join(html.split())


FILTER_FIELDS_TEMPLATE = """{% for field in form %}
        {% if field.name != "my_review" or not is_admin %}
          <div class="{% if field.name == 'q' %}col-md-4{% else %}col-sm-6 col-md-2{% endif %}">
            <label class="form-label small mb-1" for="{{ field.id_for_label }}">{{ field.label }}</label>
            {{ field }}
            {% for error in field.errors %}<div class="small text-danger">{{ error }}</div>{% endfor %}
            {% if field.name == "q" and field.help_text %}<div class="form-text">{{ field.help_text }}</div>{% endif %}
          </div>
        {% endif %}
      {% endfor %}"""


@pytest.mark.parametrize("is_admin", [True, False])
@pytest.mark.parametrize("data", FILTERS)
def test_filter_fields_are_the_template_they_replace(data, is_admin):
    cohorts = [factories.CohortFactory(name="2026 <spring>")]
    with translation.override("ru"):
        form = QueueFilterForm(data, cohorts=cohorts, show_search_hint_blind=not is_admin)
        form.filters()
        context = Context({"form": form, "is_admin": is_admin})
        expected = Template(FILTER_FIELDS_TEMPLATE).render(context)
        tag = Template("{% load queues %}{% queue_filter_fields form is_admin %}").render(context)
    assert _squeeze(tag) == _squeeze(expected)
    assert ('name="my_review"' in tag) is not is_admin


def test_filter_cohorts_are_read_from_the_cache_when_warm(
    reviewer, programme_admin, django_assert_num_queries
):
    from applications.queries.queues import filter_cohorts

    factories.CohortFactory(name="2026-A").panel.add(reviewer)
    with django_assert_num_queries(2):  # the panels, the cohorts
        filter_cohorts(programme_admin)
    with django_assert_num_queries(0):
        assert [c.name for c in filter_cohorts(reviewer)] == ["2026-A"]
        assert [c.name for c in filter_cohorts(programme_admin)] == ["2026-A"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        "new cohort",
        "renamed cohort",
        "renamed programme",
        "panel added",
        "panel removed",
        "cohort deleted",
    ],
)
def test_filter_cohorts_follow_every_change_once_committed(change):
    from applications.queries.queues import filter_cohorts

    reviewer = factories.ReviewerFactory()
    programme = factories.ProgrammeFactory(name_en="Open finance")
    cohort = factories.CohortFactory(programme=programme, name="2026-A")
    spare = factories.CohortFactory(programme=programme, name="2026-B")
    cohort.panel.add(reviewer)
    assert [(c.name, c.programme.name) for c in filter_cohorts(reviewer)] == [
        ("2026-A", "Open finance")
    ]

    if change == "new cohort":
        factories.CohortFactory(programme=programme, name="2026-C").panel.add(reviewer)
    elif change == "renamed cohort":
        cohort.name = "2026-A (spring)"
        cohort.save()
    elif change == "renamed programme":
        programme.name_en = "Open banking"
        programme.save()
    elif change == "panel added":
        spare.panel.add(reviewer)
    elif change == "panel removed":
        cohort.panel.remove(reviewer)
    elif change == "cohort deleted":
        cohort.panel.clear()
        cohort.delete()

    expected = {
        "new cohort": {("2026-A", "Open finance"), ("2026-C", "Open finance")},
        "renamed cohort": {("2026-A (spring)", "Open finance")},
        "renamed programme": {("2026-A", "Open banking")},
        "panel added": {("2026-A", "Open finance"), ("2026-B", "Open finance")},
        "panel removed": set(),
        "cohort deleted": set(),
    }[change]
    assert {(c.name, c.programme.name) for c in filter_cohorts(reviewer)} == expected


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"programme": "PROGRAMME"},
        {"programme": "PROGRAMME", "cohort": "COHORT"},
        {"programme": "PROGRAMME", "cohort": "999999"},
        {"programme": "x"},
    ],
)
def test_dashboard_filter_widgets_render_as_django_templates(data):
    from applications.forms.dashboard import DashboardFilterForm

    programme = factories.ProgrammeFactory(name_en="A & B")
    cohort = factories.CohortFactory(programme=programme, name="<spring>")
    factories.CohortFactory(programme=programme)
    values = {"PROGRAMME": str(programme.pk), "COHORT": str(cohort.pk)}
    data = {key: values.get(value, value) for key, value in data.items()}
    with translation.override("ru"):
        form = DashboardFilterForm(data or None)
        form.is_valid()
        for bound_field in form:
            assert isinstance(bound_field.field.widget, FastSelect)
            assert str(bound_field) == django_rendered(bound_field), bound_field.name


REVIEWER_ROWS_TEMPLATE = """{% for row in rows %}
              <tr><th scope="row">{{ row.name }}</th><td class="text-end">{{ row.open }}</td><td class="text-end">{{ row.to_submit }}</td><td class="text-end">{{ row.submitted }}</td><td class="text-end">{% if row.median_days is None %}—{% else %}{{ row.median_days|floatformat:"-1" }}{% endif %}</td></tr>
            {% endfor %}"""


@pytest.mark.parametrize("language", ["en", "ru"])
def test_dashboard_reviewer_rows_are_the_template_they_replace(language):
    rows = [
        {"name": "Saule <Zh> & Co", "open": 3, "to_submit": 1, "submitted": 7, "median_days": 3.5},
        {"name": "Daniyar", "open": 0, "to_submit": 0, "submitted": 2, "median_days": 4},
        {"name": "Aigul", "open": 1, "to_submit": 1, "submitted": 0, "median_days": None},
        {"name": "Marat", "open": 2, "to_submit": 0, "submitted": 5, "median_days": 3.5},
    ]
    context = Context({"rows": rows})
    with translation.override(language):
        expected = Template(REVIEWER_ROWS_TEMPLATE).render(context)
        tag = Template("{% load dashboard %}{% reviewer_rows rows %}").render(context)
    assert _squeeze(tag) == _squeeze(expected).replace("> <", "><")


def test_dashboard_programme_choices_come_from_one_plain_query(django_assert_num_queries):
    from applications.forms.dashboard import DashboardFilterForm

    factories.ProgrammeFactory(code="B-PAY", name_en="Payments")
    factories.ProgrammeFactory(code="A-DIG", name_en="Digital assets")
    form = DashboardFilterForm(None)

    # Not through QuerySet.iterator(), which opens a server-side cursor on PostgreSQL.
    refuse = mock.patch(
        "django.db.models.query.QuerySet.iterator", side_effect=AssertionError("iterator()")
    )
    with django_assert_num_queries(1), refuse:
        choices = [str(label) for _value, label in form.fields["programme"].choices]

    assert choices == ["All programmes", "Digital assets", "Payments"]


REPORT_ROWS_TEMPLATE = """{% load l10n %}{% localize off %}
              {% for participation in rows %}
                <tr data-participation="{{ participation.pk }}">
                  <th scope="row">{{ participation.reference }} <span class="small text-body-secondary">· {{ participation.organisation }}</span></th>
                  <td class="text-end">{{ participation.expected }}</td>
                  <td class="text-end">{{ participation.on_time }}</td>
                  <td class="text-end">{{ participation.late }}</td>
                  <td class="text-end">{{ participation.overdue }}</td>
                  <td class="text-end">{{ participation.awaiting_review }}</td>
                  <td class="text-end">{{ participation.accepted }}</td>
                  <td class="text-end">{{ participation.returned }}</td>
                </tr>
              {% endfor %}
              {% endlocalize %}"""


def test_dashboard_report_rows_are_the_template_they_replace():
    from applications.queries.dashboard import ReportRow

    rows = [
        ReportRow(7, "SBX-2026-00007", "ТОО «Steppe & <Pay>»", 1200, 1100, 90, 10, 3, 2, 1),
        ReportRow(9, "SBX-2026-00009", "Altyn", 0, 0, 0, 0, 0, 0, 0),
    ]
    context = Context({"rows": rows})
    with translation.override("ru"):
        expected = Template(REPORT_ROWS_TEMPLATE).render(context)
        tag = Template("{% load dashboard %}{% report_rows rows %}").render(context)
    assert _squeeze(tag) == _squeeze(expected)
    assert "1200" in tag


def test_page_caches_read_the_calendar_and_the_cohorts_in_one_round_trip(
    reviewer, django_assert_num_queries
):
    from django.core.cache import cache

    from applications import queries
    from applications.queries.queues import filter_cohorts, page_caches

    factories.CohortFactory(name="2026-A").panel.add(reviewer)
    expected_calendar = queries.working_calendar()
    expected_cohorts = filter_cohorts(reviewer)  # both cached now

    cached = page_caches()
    second_trip = mock.patch.object(cache, "get", side_effect=AssertionError("a second trip"))
    with second_trip, django_assert_num_queries(0):
        calendar = queries.working_calendar(cached)
        cohorts = filter_cohorts(reviewer, cached)

    assert calendar.days_off == expected_calendar.days_off
    assert [c.pk for c in cohorts] == [c.pk for c in expected_cohorts]
