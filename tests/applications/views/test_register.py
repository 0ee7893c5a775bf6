"""The public register: who tests now and who has left, and nothing confidential."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.enums import ApplicationState
from applications.queries.register import _has_participation
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("register:list")
S = ApplicationState


def participant(state, name="Steppe Ledger LLP", **fields):
    cohort = fields.pop("cohort", None) or factories.CohortFactory(
        name="2026-2", zone_tag="CryptoCity / Alatau"
    )
    organisation = factories.OrganisationFactory(legal_name_en=name)
    return factories.SubmittedApplicationFactory(
        cohort=cohort, organisation=organisation, state=state, **fields
    )


def firms(response):
    return [entry.firm for entry in response.context["entries"]]


def test_register_lists_firms_testing_now_with_cohort_and_activity(client):
    testing = participant(S.TESTING, activity_category="stablecoin")
    participant(S.SUSPENDED, name="Alatau Pay LLP", cohort=testing.cohort)
    for state in (S.DRAFT, S.SCREENING, S.DECISION_PENDING, S.APPROVED, S.REJECTED, S.WITHDRAWN):
        participant(state, name=f"Hidden {state} LLP", cohort=testing.cohort)

    response = client.get(URL)

    assert response.status_code == 200
    assert sorted(firms(response)) == ["Alatau Pay LLP", "Steppe Ledger LLP"]
    entry = next(e for e in response.context["entries"] if e.firm == "Steppe Ledger LLP")
    assert entry.programme == testing.cohort.programme.name_en
    assert (entry.cohort, entry.zone) == ("2026-2", "CryptoCity / Alatau")
    assert entry.activity == "Fiat-backed token or stablecoin"
    assert entry.outcome == "Testing"  # a suspension is not published
    content = response.content.decode()
    assert '<th scope="row">Steppe Ledger LLP</th>' in content
    assert "Suspended" not in content


def test_register_past_participants_show_their_outcome(client):
    cohort = factories.CohortFactory()
    participant(S.GRADUATED, name="Graduate LLP", cohort=cohort)
    participant(S.EXITED, name="Exited LLP", cohort=cohort)
    participant(S.TERMINATED, name="Terminated LLP", cohort=cohort)
    participant(S.TESTING, name="Still testing LLP", cohort=cohort)

    response = client.get(URL, {"show": "past"})

    outcomes = {entry.firm: entry.outcome for entry in response.context["entries"]}
    assert outcomes == {
        "Exited LLP": "Exited",
        "Graduate LLP": "Graduated",
        "Terminated LLP": "Terminated",
    }
    assert response.context["past"] is True


def test_register_says_so_when_empty(client):
    now = client.get(URL).content.decode()
    past = client.get(URL, {"show": "past"}).content.decode()

    assert "No firm is testing in the sandbox at the moment." in now
    assert "No firm has left the sandbox yet." in past


def test_register_shows_nothing_confidential(client):
    application = participant(
        S.TESTING,
        title="Secret project codename Aurora",
        max_clients=4321,
        max_per_client_amount=Decimal("7777.00"),
        max_aggregate_amount=Decimal("987654.00"),
        geography="Only Turkistan region",
        withdrawal_reason="Reason nobody may read",
        not_eligible_reasons="Eligibility reasons nobody may read",
    )
    organisation = application.organisation
    person = factories.PersonFactory(organisation=organisation, full_name="Aigerim Confidential")
    member = application.created_by
    reviewer = factories.ReviewerFactory(full_name="Reviewer Zhanna Secret")
    factories.ReviewerAssignmentFactory(application=application, reviewer=reviewer)
    review = factories.ReviewFactory(
        application=application,
        reviewer=reviewer,
        state="submitted",
        weighted_score=Decimal("4.37"),
        summary="Review summary nobody may read",
        recommendation="proceed",
    )
    criterion = factories.CriterionFactory(programme=application.cohort.programme)
    factories.CriterionScoreFactory(
        review=review, criterion=criterion, score=4, rationale="Rationale nobody may read"
    )
    factories.InternalNoteFactory(application=application, body="Internal note nobody may read")

    content = client.get(URL).content.decode()

    assert organisation.legal_name_en in content
    confidential = [
        organisation.bin, organisation.address, organisation.website, person.full_name,
        person.email, member.email, member.full_name, reviewer.full_name, reviewer.email,
        "4.37", "4,37", "Review summary", "Rationale", "Internal note", "4321", "7777",
        "987654", "987 654", "Turkistan", "Reason nobody", "Eligibility reasons",
        "Secret project", application.reference, "Proceed",
    ]  # fmt: skip
    assert [text for text in confidential if text in content] == []


@pytest.mark.parametrize("rows", [1, 12])
def test_register_query_count_is_constant(client, django_assert_num_queries, rows):
    for number in range(rows):
        participant(S.TESTING, name=f"Firm {number} LLP")

    with django_assert_num_queries(2):  # page count, rows with cohort, programme, organisation
        response = client.get(URL)

    assert len(response.context["entries"]) == rows


def test_register_is_paginated(client, settings):
    cohort = factories.CohortFactory()
    for number in range(51):
        participant(S.TESTING, name=f"Firm {number:02d} LLP", cohort=cohort)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["entries"]) == 50
    assert firms(second) == ["Firm 50 LLP"]
    assert 'href="?page=2"' in first.content.decode()


@pytest.mark.skipif(
    not _has_participation() or not hasattr(factories, "ParticipationFactory"),
    reason="the Participation model and its factory arrive with the decisions work (issue 5, D)",
)
def test_register_shows_the_test_period_from_the_participation(client):
    application = participant(S.TESTING)
    factories.ParticipationFactory(
        application=application, starts_on=date(2026, 3, 2), ends_on=date(2027, 3, 1)
    )

    (entry,) = client.get(URL).context["entries"]

    assert (entry.starts_on, entry.ends_on) == (date(2026, 3, 2), date(2027, 3, 1))
