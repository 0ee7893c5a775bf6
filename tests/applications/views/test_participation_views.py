"""The participant's page, the staff supervision page and the console lists."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.queries.participations import overdue_reports, reports_due_between
from tests import factories

pytestmark = pytest.mark.django_db


def running_participation(applicant=None, **extra):
    if applicant is not None:
        extra |= {
            "application__organisation": applicant.organisation,
            "application__created_by": applicant,
        }
    return factories.ParticipationFactory(**extra)


def test_participant_page_shows_limits_reports_due_and_overdue(client, applicant):
    participation = running_participation(applicant)
    today = timezone.localdate()
    overdue = factories.ReportFactory(participation=participation, due_on=today - timedelta(days=3))
    factories.ReportFactory(
        participation=participation,
        period_start=date(2027, 3, 1),
        period_end=date(2027, 3, 31),
        due_on=today + timedelta(days=5),
    )
    client.force_login(applicant)
    response = client.get(reverse("participations:detail", args=[participation.application_id]))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('<span class="badge text-bg-danger">Overdue</span>') == 1
    file_url = reverse(
        "participations:report-file", args=[participation.application_id, overdue.pk]
    )
    assert f'href="{file_url}"' in content
    assert "Request an extension" in content
    assert "Report an incident" in content
    assert '<dd class="col-sm-7">500</dd>' in content
    assert "Astana and Almaty" in content


def test_participant_files_a_report_through_the_form(client, applicant):
    participation = running_participation(applicant)
    report = factories.ReportFactory(participation=participation)
    client.force_login(applicant)
    url = reverse("participations:report-file", args=[participation.application_id, report.pk])
    assert "Monthly report" in client.get(url).content.decode()
    response = client.post(url, {"narrative": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(
        url,
        {
            "active_clients": 40,
            "transactions_count": 310,
            "transactions_volume": "15250.00",
            "complaints": 0,
            "incidents": 0,
            "limit_breaches": 0,
            "narrative": "Onboarded 40 clients.",
        },
        follow=True,
    )
    assert "Report filed. The regulator will review it." in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.transactions_count) == ("filed", 310)


def test_report_of_another_participation_is_not_found(client, applicant):
    participation = running_participation(applicant)
    stranger = factories.ReportFactory()
    client.force_login(applicant)
    url = reverse("participations:report-file", args=[participation.application_id, stranger.pk])
    assert client.get(url).status_code == 404


def test_extension_refusal_message_reaches_the_participant(client, applicant):
    participation = running_participation(applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("participations:extension", args=[participation.application_id]),
        {"months": 9, "reason": "Pilot"},
        follow=True,
    )
    assert "An extension may be from 1 to 6 months." in response.content.decode()


def test_staff_page_lists_conditions_reports_and_actions(client, programme_admin):
    participation = running_participation()
    factories.ReportFactory(participation=participation, state="filed", filed_at=timezone.now())
    client.force_login(programme_admin)
    response = client.get(
        reverse("participations:staff-detail", args=[participation.application_id])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("participations:suspend", args=[participation.application_id]) in content
    assert content.count("participations/staff/reports/") == 2  # accept and return


def make_overdue(count):
    today = timezone.localdate()
    for _ in range(count):
        factories.ReportFactory(due_on=today - timedelta(days=2))
        factories.ReportFactory(state="filed", filed_at=timezone.now())


@pytest.mark.parametrize("rows", [1, 10])
def test_overdue_console_runs_constant_queries(
    client, programme_admin, django_assert_num_queries, rows
):
    make_overdue(rows)
    client.force_login(programme_admin)
    # user, TOTP check, overdue reports, reports awaiting review
    with django_assert_num_queries(4):
        response = client.get(reverse("decisions:overdue-reports"))
    assert len(response.context["overdue"]) == rows
    assert len(response.context["to_review"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_participation_list_runs_constant_queries(
    client, programme_admin, django_assert_num_queries, rows
):
    for _ in range(rows):
        participation = running_participation()
        factories.ReportFactory(participation=participation)
        factories.ReportFactory(
            participation=participation,
            period_start=date(2027, 3, 1),
            state="filed",
            filed_at=timezone.now(),
        )
    client.force_login(programme_admin)
    # user, TOTP check, count for the pager, the page's rows with their report counts
    with django_assert_num_queries(4):
        response = client.get(reverse("participations:staff-list"))
    rows_shown = response.context["applications"]
    assert len(rows_shown) == rows
    assert [(a.reports_owed, a.reports_to_review) for a in rows_shown] == [(1, 1)] * rows


def test_reminder_queries_pick_owed_reports_of_running_tests():
    today = date(2027, 4, 1)
    due_soon = factories.ReportFactory(due_on=date(2027, 4, 5))
    returned = factories.ReportFactory(
        due_on=date(2027, 4, 3), state="returned", filed_at=timezone.now()
    )
    late = factories.ReportFactory(due_on=date(2027, 3, 16))
    factories.ReportFactory(due_on=date(2027, 4, 4), state="filed", filed_at=timezone.now())
    factories.ReportFactory(due_on=date(2027, 3, 1), participation__application__state="exited")
    assert list(reports_due_between(today, today + timedelta(days=7))) == [returned, due_soon]
    assert list(overdue_reports(today)) == [late]


def fill(participation, rows):
    for number in range(rows):
        factories.ReportFactory(
            participation=participation,
            period_start=date(2027, 2, 1) + timedelta(days=31 * number),
            state="filed",
            filed_at=timezone.now(),
        )
        participation.onboarding_conditions.create(kind="aml", text=f"AML item {number}")
        participation.extension_requests.create(
            months=1,
            reason="Pilot",
            requested_by=participation.application.created_by,
            state="refused",
        )


def test_staff_participation_page_marks_reports_owed_past_their_due_date(client, programme_admin):
    participation = running_participation()
    today = timezone.localdate()
    late = today - timedelta(days=3)

    def report(month, **extra):
        period_start = date(2026, month, 1)
        period_end = (period_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return factories.ReportFactory(
            participation=participation, period_start=period_start, period_end=period_end, **extra
        )

    report(1, due_on=late)  # owed: overdue
    report(2, due_on=late, state="returned", filed_at=timezone.now(), review_comment="Totals")
    report(3, due_on=late, state="filed", filed_at=timezone.now())  # awaiting review
    report(4, due_on=today)  # due today: not overdue yet
    client.force_login(programme_admin)

    response = client.get(
        reverse("participations:staff-detail", args=[participation.application_id])
    )

    overdue = [report.overdue for report in response.context["reports"]]
    assert sorted(overdue) == [False, False, True, True]
    content = response.content.decode()
    assert content.count('<span class="badge text-bg-danger">Overdue</span>') == 2
    assert content.count('<tr class="table-danger">') == 2


@pytest.mark.parametrize("rows", [1, 8])
def test_staff_participation_page_runs_constant_queries(
    client, programme_admin, django_assert_num_queries, rows
):
    participation = running_participation()
    fill(participation, rows)
    client.force_login(programme_admin)
    # user, TOTP check, application with its participation, conditions, reports, their clean
    # attachments, extensions, documents
    with django_assert_num_queries(8):
        response = client.get(
            reverse("participations:staff-detail", args=[participation.application_id])
        )
    assert len(response.context["reports"]) == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_participant_page_runs_constant_queries(client, applicant, django_assert_num_queries, rows):
    participation = running_participation(applicant)
    fill(participation, rows)
    client.force_login(applicant)
    # user, application, released decision, its reasons, participation, conditions, reports,
    # extensions
    with django_assert_num_queries(8):
        response = client.get(reverse("participations:detail", args=[participation.application_id]))
    assert len(response.context["conditions"]) == rows


def test_participant_declines_the_offer_through_the_page(client, applicant):
    participation = running_participation(applicant, application__state="approved")
    client.force_login(applicant)
    url = reverse("participations:detail", args=[participation.application_id])
    assert "Decline the offer" in client.get(url).content.decode()
    response = client.post(
        reverse("participations:decline", args=[participation.application_id]),
        {"reason": "Investor pulled out"},
        follow=True,
    )
    assert "You have declined the offer." in response.content.decode()
    assert '<span class="badge fs-6 state-badge state-withdrawn" id="application-state">' in (
        response.content.decode()
    )


def test_a_filed_report_cannot_be_opened_for_filing_again(client, applicant):
    participation = running_participation(applicant)
    report = factories.ReportFactory(
        participation=participation, state="accepted", filed_at=timezone.now()
    )
    client.force_login(applicant)
    url = reverse("participations:report-file", args=[participation.application_id, report.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [
        (reverse("participations:detail", args=[participation.application_id]), 302)
    ]
    assert "This report was already filed." in response.content.decode()


def test_invalid_action_form_turns_into_messages(client, programme_admin):
    participation = running_participation()
    client.force_login(programme_admin)
    response = client.post(
        reverse("participations:suspend", args=[participation.application_id]), {}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["This field is required."]
    assert type(participation.application).objects.get(pk=participation.application_id).state == (
        "testing"
    )


def test_participant_reports_an_incident_through_the_form(client, applicant):
    participation = running_participation(applicant)
    client.force_login(applicant)
    url = reverse("participations:incident", args=[participation.application_id])
    assert "What happened, when, and what you did" in client.get(url).content.decode()
    response = client.post(url, {"narrative": "Card processor outage for 2 hours."}, follow=True)
    assert "Incident report filed. The regulator has been told." in response.content.decode()
    incident = participation.reports.get(kind="incident")
    assert (incident.incidents, incident.narrative) == (1, "Card processor outage for 2 hours.")


def test_filing_a_report_of_an_ended_test_says_why(client, applicant):
    participation = running_participation(applicant, application__state="exited")
    report = factories.ReportFactory(participation=participation)
    client.force_login(applicant)
    url = reverse("participations:report-file", args=[participation.application_id, report.pk])
    data = {
        "active_clients": 1,
        "transactions_count": 1,
        "transactions_volume": "1",
        "complaints": 0,
        "incidents": 0,
        "limit_breaches": 0,
        "narrative": "Late.",
    }
    response = client.post(url, data, follow=True)
    assert "Reports cannot be filed while the application is “Exited”." in response.content.decode()


def test_a_report_of_a_running_period_is_not_offered_for_filing(client, applicant):
    participation = running_participation(applicant)
    future = factories.ReportFactory(
        participation=participation, period_start=date(2099, 1, 1), period_end=date(2099, 1, 31)
    )
    client.force_login(applicant)
    url = reverse("participations:report-file", args=[participation.application_id, future.pk])
    page = client.get(reverse("participations:detail", args=[participation.application_id]))
    assert f'href="{url}"' not in page.content.decode()
    response = client.get(url, follow=True)
    assert "This report can be filed once its period is over." in response.content.decode()


def test_closing_an_exit_the_portal_started_asks_for_the_route(client, programme_admin):
    participation = running_participation(application__state="exiting")
    factories.ReportFactory(
        participation=participation, kind="final", state="accepted", filed_at=timezone.now()
    )
    client.force_login(programme_admin)
    page = client.get(reverse("participations:staff-detail", args=[participation.application_id]))
    close = reverse("participations:exit-complete", args=[participation.application_id])

    refused = client.post(close, {"route": ""}, follow=True)
    closed = client.post(close, {"route": "graduated"}, follow=True)

    assert 'name="route" required' in page.content.decode()
    assert [str(m) for m in refused.context["messages"]] == ["Choose the exit route."]
    assert [str(m) for m in closed.context["messages"]] == ["Exit completed."]
    participation.refresh_from_db()
    assert (participation.application.state, participation.exit_route) == ("graduated", "graduated")
