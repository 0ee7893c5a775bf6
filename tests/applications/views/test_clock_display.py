"""The clock on the staff application page and on the applicant's page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications.calendar import WorkingCalendar
from applications.enums import ClockStage
from tests import factories

pytestmark = pytest.mark.django_db
KZ = WorkingCalendar()


def application_with_clock(applicant=None, **fields):
    today = timezone.localdate()
    owner = {"organisation": applicant.organisation, "created_by": applicant} if applicant else {}
    return factories.SubmittedApplicationFactory(
        state="screening",
        clock_stage=ClockStage.SCREENING,
        clock_started_on=today - timedelta(days=3),
        clock_due_on=KZ.add_working_days(today, 4),
        **owner,
        **fields,
    )


def staff_page(client, application):
    return client.get(
        reverse("applications:staff-application-detail", kwargs={"pk": application.pk})
    ).content.decode()


def applicant_page(client, application):
    return client.get(
        reverse("applications:application-detail", kwargs={"pk": application.pk})
    ).content.decode()


def test_staff_page_shows_the_running_clock(client, programme_admin):
    application = application_with_clock(clock_paused_days=2)
    client.force_login(programme_admin)

    content = staff_page(client, application)

    assert 'data-clock="running">4 working days left</span>' in content
    assert f'<dd id="clock-due">{date_format(application.clock_due_on)}</dd>' in content
    assert "<dd>Completeness screening</dd>" in content
    assert "2 working days" in content
    assert 'id="clock-paused"' not in content


def test_staff_page_shows_a_paused_clock_and_why(client, programme_admin):
    paused_on = date(2026, 11, 2)
    application = application_with_clock(clock_paused_on=paused_on)
    client.force_login(programme_admin)

    content = staff_page(client, application)

    assert 'data-clock="paused">Paused since' in content
    assert (
        f"Since {date_format(paused_on)}, while a request for information waits for the "
        "applicant's answer." in content
    )


def test_staff_page_says_when_no_clock_runs(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state="approved")
    client.force_login(programme_admin)

    assert "No clock is running" in staff_page(client, application)


def test_applicant_sees_when_the_step_is_due(client, applicant):
    application = application_with_clock(applicant)
    client.force_login(applicant)

    content = applicant_page(client, application)

    assert (
        "Completeness screening: the regulator aims to finish this step by "
        f"<strong>{date_format(application.clock_due_on)}</strong>." in content
    )
    assert "working days left" not in content


def test_applicant_sees_the_clock_paused_while_it_waits_for_them(client, applicant):
    application = application_with_clock(applicant, clock_paused_on=date(2026, 11, 2))
    client.force_login(applicant)

    content = applicant_page(client, application)

    assert "The clock is paused while we wait for your answer." in content
    assert f"Paused since {date_format(date(2026, 11, 2))}." in content
    assert "aims to finish this step" not in content


def test_applicant_sees_no_clock_on_a_draft(client, draft, applicant):
    client.force_login(applicant)

    assert 'id="applicant-clock"' not in applicant_page(client, draft)
