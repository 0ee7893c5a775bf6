"""Decision screens: the applicant sees nothing before release, the console lists stay constant."""

from datetime import date

import pytest
from django.urls import reverse

from applications.enums import DecisionState
from applications.models import Decision
from applications.services.decisions import DecisionTerms, confirm_decision, propose_decision
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(application):
    return type(application).objects.get(pk=application.pk)


@pytest.fixture
def decided(applicant):
    """Approved by two admins, not released, with a review whose reviewer and score exist."""
    application = factories.SubmittedApplicationFactory(
        state="decision_pending", organisation=applicant.organisation, created_by=applicant
    )
    criterion = factories.CriterionFactory(
        programme=application.cohort.programme, name_en="Genuine innovation"
    )
    review = factories.ReviewFactory(
        application=application, reviewer__full_name="Reviewer Zhanna Secretname"
    )
    factories.CriterionScoreFactory(
        review=review, criterion=criterion, score=4, rationale="Score rationale XYZ"
    )
    maker = factories.ProgrammeAdminFactory(full_name="Maker Bolat Hiddenname")
    checker = factories.ProgrammeAdminFactory(full_name="Checker Dana Hiddenname")
    terms = DecisionTerms(
        outcome="approved_with_conditions",
        reasons={criterion.pk: "First regulated tenge stablecoin REASON-TEXT."},
        conditions="Keep reserves at a second-tier bank CONDITION-TEXT",
        starts_on=date(2027, 2, 1),
        max_clients=500,
        currency="USD",
        max_per_client_amount=1000,
        max_aggregate_amount=200000,
        geography="Astana",
    )
    decision = propose_decision(actor=maker, application_id=application.pk, terms=terms)
    confirm_decision(actor=checker, decision_id=decision.pk)
    return fresh(application)


SECRETS = (
    "REASON-TEXT",
    "CONDITION-TEXT",
    "Reviewer Zhanna Secretname",
    "Maker Bolat Hiddenname",
    "Checker Dana Hiddenname",
    "Score rationale XYZ",
)


def applicant_pages(client, application):
    return {
        "detail": client.get(reverse("applications:application-detail", args=[application.pk])),
        "home": client.get(reverse("home")),
        "participation": client.get(reverse("participations:detail", args=[application.pk])),
    }


def test_nothing_of_the_decision_shows_before_release(client, applicant, decided):
    client.force_login(applicant)
    for name, response in applicant_pages(client, decided).items():
        content = response.content.decode()
        assert response.status_code == 200, name
        assert "Approved" not in content, name
        assert "Decision pending" in content, name
        for secret in SECRETS:
            assert secret not in content, (name, secret)
    detail = applicant_pages(client, decided)["detail"].content.decode()
    assert (
        '<span class="badge fs-6 state-badge state-decision_pending" id="application-state">'
        "Decision pending</span>"
    ) in detail
    assert "Decision and testing" not in detail


def test_after_release_the_outcome_reasons_and_conditions_show_never_scores_or_names(
    client, applicant, decided, programme_admin
):
    client.force_login(programme_admin)
    response = client.post(
        reverse("decisions:release", args=[decided.cohort_id]), {"applications": [decided.pk]}
    )
    assert response.status_code == 302
    client.force_login(applicant)
    pages = applicant_pages(client, decided)
    content = pages["participation"].content.decode()
    assert "Decision: Approved with conditions" in content
    assert "First regulated tenge stablecoin REASON-TEXT." in content
    assert "<li>Keep reserves at a second-tier bank CONDITION-TEXT</li>" in content
    for page in pages.values():
        text = page.content.decode()
        for secret in SECRETS[2:]:
            assert secret not in text
    assert (
        '<span class="badge state-badge state-approved">Approved</span>'
        in pages["home"].content.decode()
    )
    assert "Decision released" in pages["detail"].content.decode()


def test_propose_form_lists_a_reason_per_criterion_and_shows_problems(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state="decision_pending")
    criterion = factories.CriterionFactory(
        programme=application.cohort.programme, name_en="Readiness"
    )
    client.force_login(programme_admin)
    url = reverse("decisions:propose", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Reason: Readiness" in page
    assert 'value="12"' in page  # the programme's default testing period
    response = client.post(url, {"outcome": "rejected"})
    assert response.status_code == 200
    assert "A rejection needs a reason against “Readiness”." in response.content.decode()
    response = client.post(url, {"outcome": "rejected", f"reason_{criterion.pk}": "Not ready."})
    assert response.status_code == 302
    assert Decision.objects.get().state == DecisionState.PROPOSED


def test_staff_page_shows_the_maker_a_four_eyes_note_and_the_checker_the_buttons(client):
    application = factories.SubmittedApplicationFactory(state="decision_pending")
    decision = factories.DecisionFactory(application=application)
    checker = factories.ProgrammeAdminFactory()
    url = reverse("applications:staff-application-detail", args=[application.pk])
    client.force_login(decision.made_by)
    content = client.get(url).content.decode()
    assert 'id="four-eyes-note"' in content
    assert reverse("decisions:confirm", args=[decision.pk]) not in content
    response = client.post(reverse("decisions:confirm", args=[decision.pk]), follow=True)
    assert "a second programme admin must approve it" in response.content.decode()
    client.force_login(checker)
    content = client.get(url).content.decode()
    assert reverse("decisions:confirm", args=[decision.pk]) in content
    client.post(reverse("decisions:send-back", args=[decision.pk]), {"comment": "Check dates"})
    decision.refresh_from_db()
    assert (decision.state, decision.checked_by) == (DecisionState.SENT_BACK, checker)


def test_reviewer_sees_no_decision_section(client, reviewer):
    application = factories.SubmittedApplicationFactory(state="decision_pending")
    application.cohort.panel.add(reviewer)
    factories.ReviewerAssignmentFactory(
        application=application, reviewer=reviewer, declaration="no_conflict"
    )
    factories.DecisionFactory(application=application)
    client.force_login(reviewer)
    response = client.get(reverse("applications:staff-application-detail", args=[application.pk]))
    assert 'id="decision-section"' not in response.content.decode()


def confirmed_unreleased(cohort, count):
    admin, checker = factories.ProgrammeAdminFactory(), factories.ProgrammeAdminFactory()
    for _ in range(count):
        application = factories.SubmittedApplicationFactory(state="approved", cohort=cohort)
        factories.DecisionFactory(
            application=application, made_by=admin, state="confirmed", checked_by=checker
        )


@pytest.mark.parametrize("rows", [1, 12])
def test_release_page_runs_constant_queries(
    client, programme_admin, django_assert_num_queries, rows
):
    cohort = factories.CohortFactory()
    confirmed_unreleased(cohort, rows)
    client.force_login(programme_admin)
    # user, TOTP check, cohort, rows, their decisions, places taken, first waitlisted
    with django_assert_num_queries(7):
        response = client.get(reverse("decisions:release", args=[cohort.pk]))
    assert len(response.context["rows"]) == rows
    assert response.content.decode().count('name="applications"') == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_decision_console_runs_constant_queries(
    client, programme_admin, django_assert_num_queries, rows
):
    for _ in range(rows):
        factories.DecisionFactory()
    confirmed_unreleased(factories.CohortFactory(), rows)
    client.force_login(programme_admin)
    with django_assert_num_queries(4):
        response = client.get(reverse("decisions:index"))
    assert len(response.context["to_check"]) == rows
    assert [c.unreleased for c in response.context["cohorts"]] == [rows]


def test_release_without_selection_says_so(client, programme_admin):
    cohort = factories.CohortFactory()
    client.force_login(programme_admin)
    response = client.post(reverse("decisions:release", args=[cohort.pk]), follow=True)
    assert "Select at least one decided application to release." in response.content.decode()


def test_promotion_offer_shows_when_a_place_is_free(client, programme_admin):
    from django.utils import timezone

    cohort = factories.CohortFactory(capacity=1)
    waitlisted = factories.SubmittedApplicationFactory(
        state="waitlisted", cohort=cohort, decision_released_at=timezone.now()
    )
    client.force_login(programme_admin)
    content = client.get(reverse("decisions:release", args=[cohort.pk])).content.decode()
    assert f"First on the waiting list: {waitlisted.reference}." in content
    assert reverse("decisions:propose", args=[waitlisted.pk]) in content


def test_release_of_an_application_released_meanwhile_is_refused(client, programme_admin):
    from django.utils import timezone

    cohort = factories.CohortFactory()
    confirmed_unreleased(cohort, 1)
    application = cohort.applications.get()
    client.force_login(programme_admin)
    stale_choice = {"applications": [application.pk]}
    type(application).objects.filter(pk=application.pk).update(decision_released_at=timezone.now())
    response = client.post(
        reverse("decisions:release", args=[cohort.pk]), stale_choice, follow=True
    )
    assert f"Select a valid choice. {application.pk} is not one of the available choices." in (
        response.content.decode()
    )
