from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications.enums import ApplicationState
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def open_cohort(db):
    return factories.CohortFactory(name="2026-Spring", zone_tag="CryptoCity / Alatau")


@pytest.fixture
def closed_cohort(db):
    now = timezone.now()
    return factories.CohortFactory(
        name="2025-Autumn", opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=1)
    )


def closes(cohort) -> str:
    return date_format(timezone.localtime(cohort.closes_at), "DATETIME_FORMAT")


def test_landing_explains_the_sandbox_and_lists_open_cohorts(client, open_cohort, closed_cohort):
    response = client.get(HOME)

    assert response.templates[0].name == "home/landing.html"
    content = response.content.decode()
    assert "Apply to the regulatory sandbox" in content
    assert (
        f'<a class="btn btn-primary btn-lg" href="{reverse("account_signup")}">Create an account</a>'
        in content
    )
    assert (
        f'<a class="btn btn-outline-secondary btn-lg" href="{reverse("account_login")}">Sign in</a>'
        in content
    )
    assert response.context["cohorts"] == [open_cohort]
    assert "Cohort 2026-Spring" in content
    assert f'<h3 class="h5 card-title">{open_cohort.programme.name_en}</h3>' in content
    assert '<dd class="col-7">CryptoCity / Alatau</dd>' in content
    assert f'<dd class="col-7 mb-0">{closes(open_cohort)}</dd>' in content
    assert "2025-Autumn" not in content
    assert (
        reverse("applications:application-start", kwargs={"cohort_id": open_cohort.pk})
        not in content
    )


def test_landing_says_so_when_no_cohort_is_open(client, closed_cohort):
    content = client.get(HOME).content.decode()

    assert "No cohort is open for applications right now." in content
    assert 'id="open-cohorts"' not in content


def test_landing_shows_rolling_cohorts_as_always_open(client):
    factories.CohortFactory(closes_at=None)

    assert "Rolling: open all year" in client.get(HOME).content.decode()


def test_applicant_home_shows_organisation_applications_and_cohorts(client, applicant, open_cohort):
    draft = factories.ApplicationFactory(
        organisation=applicant.organisation,
        cohort=open_cohort,
        created_by=applicant,
        title="Remittance token",
    )
    submitted = factories.ApplicationFactory(
        organisation=applicant.organisation,
        cohort=open_cohort,
        created_by=applicant,
        title="Custody pilot",
        state=ApplicationState.SUBMITTED,
        reference="SBX-2026-00042",
        submitted_at=timezone.now(),
    )
    factories.ApplicationFactory(cohort=open_cohort, title="Someone else's")
    client.force_login(applicant)

    response = client.get(HOME)

    assert response.templates[0].name == "home/applicant.html"
    content = response.content.decode()
    organisation = applicant.organisation
    assert (
        f'<h2 class="h5 card-title" id="organisation-heading">{organisation.legal_name_en}</h2>'
        in content
    )
    assert f"<dd>{organisation.bin}</dd>" in content
    assert response.context["applications"] == [submitted, draft]
    detail = reverse("applications:application-detail", kwargs={"pk": submitted.pk})
    assert "<td>SBX-2026-00042</td>" in content
    assert f'<a href="{detail}">Custody pilot</a>' in content
    assert '<span class="badge state-badge state-submitted">Submitted</span>' in content
    assert '<span class="badge state-badge state-draft">Draft</span>' in content
    assert "Someone else&#x27;s" not in content
    start = reverse("applications:application-start", kwargs={"cohort_id": open_cohort.pk})
    assert f'<a class="btn btn-sm btn-primary" href="{start}">Start an application</a>' in content
    assert f"Closes {closes(open_cohort)}" in content


def test_applicant_home_without_applications_guides_to_a_cohort(client, applicant, open_cohort):
    client.force_login(applicant)

    content = client.get(HOME).content.decode()

    assert (
        "Your organisation has no applications yet. Choose an open cohort below to start one"
        in content
    )
    assert 'id="my-applications"' not in content


def test_applicant_home_without_organisation_asks_to_register_one(client, open_cohort):
    newcomer = factories.UserFactory()
    client.force_login(newcomer)

    content = client.get(HOME).content.decode()

    assert (
        f'<a class="btn btn-primary" href="{reverse("accounts:organisation-create")}">Register an organisation</a>'
        in content
    )
    assert (
        "Once your organisation is registered, you can start an application to an open cohort."
        in content
    )
    assert 'id="organisation-card"' not in content
    # The cohort is shown, but starting needs an organisation first.
    assert "2026-Spring" in content
    assert (
        reverse("applications:application-start", kwargs={"cohort_id": open_cohort.pk})
        not in content
    )


@pytest.mark.parametrize("rows", [1, 12])
def test_applicant_home_query_count_is_constant(client, applicant, django_assert_num_queries, rows):
    for _number in range(rows):
        cohort = factories.CohortFactory()
        factories.ApplicationFactory(
            organisation=applicant.organisation, cohort=cohort, created_by=applicant
        )
    client.force_login(applicant)

    # user (session from the cache), open cohorts, organisation, applications
    with django_assert_num_queries(4):
        response = client.get(HOME)

    assert len(response.context["applications"]) == rows
    assert len(response.context["cohorts"]) == rows


@pytest.mark.parametrize("who", ["reviewer", "programme_admin"])
def test_home_sends_regulator_staff_to_their_list(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:staff-application-list")
