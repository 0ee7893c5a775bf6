"""The queue page renders its filter widgets and its clock badges in Python (for speed): the HTML
must be exactly what Django's widget templates and applications/clocks/_badge.html produce."""

import copy
from datetime import date

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from applications.forms.queues import FastSelect, QueueFilterForm
from applications.services.clocks import ClockReading
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
