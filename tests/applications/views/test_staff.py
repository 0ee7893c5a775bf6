from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("applications:staff-application-list")
S = ApplicationState


def make_submitted(cohort, count=1, state=S.SUBMITTED, start=0):
    """`count` applications of separate organisations, submitted an hour apart (the last newest)."""
    base = timezone.now() - timedelta(days=10)
    return [
        factories.ApplicationFactory(
            cohort=cohort,
            state=state,
            reference=f"SBX-2026-{start + number + 1:05d}",
            submitted_at=base + timedelta(hours=start + number),
        )
        for number in range(count)
    ]


def references(response):
    return [application.reference for application in response.context["applications"]]


def test_staff_list_shows_submitted_applications_newest_first(client, programme_admin, cohort):
    older, newer = make_submitted(cohort, 2)
    factories.ApplicationFactory(cohort=cohort)  # a draft: never listed
    client.force_login(programme_admin)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert references(response) == [newer.reference, older.reference]
    content = response.content.decode()
    detail = reverse("applications:staff-application-detail", kwargs={"pk": newer.pk})
    assert f'<a href="{detail}">{newer.reference}</a>' in content
    assert f"<td>{newer.organisation.legal_name_en}</td>" in content
    assert f"<td>{cohort.programme.name_en} · {cohort.name}</td>" in content
    assert '<span class="badge state-badge state-submitted">Submitted</span>' in content


def test_staff_list_excludes_drafts_withdrawn_before_submission(
    client, programme_admin, cohort, applicant
):
    from applications.services.applications import withdraw_application

    abandoned = factories.ApplicationFactory(
        cohort=cohort, organisation=applicant.organisation, created_by=applicant
    )
    withdraw_application(actor=applicant, application_id=abandoned.pk, reason="Started by mistake")
    (submitted,) = make_submitted(cohort)
    client.force_login(programme_admin)

    response = client.get(LIST_URL)

    assert references(response) == [submitted.reference]
    assert response.context["total"] == 1


def test_staff_list_counts_applications_per_state(client, programme_admin, cohort):
    make_submitted(cohort, 2, state=S.SUBMITTED)
    make_submitted(cohort, 3, state=S.SCREENING, start=2)
    make_submitted(cohort, 1, state=S.WITHDRAWN, start=5)
    client.force_login(programme_admin)

    response = client.get(LIST_URL)

    assert [(row["state"], row["count"]) for row in response.context["state_counts"]] == [
        ("submitted", 2),
        ("screening", 3),
        ("withdrawn", 1),
    ]
    assert response.context["total"] == 6
    content = response.content.decode()
    assert '<span class="badge text-bg-light" data-state="screening">3</span>' in content
    assert 'All <span class="badge text-bg-light">6</span>' in content


def test_staff_list_filters_by_state(client, programme_admin, cohort):
    make_submitted(cohort, 2, state=S.SUBMITTED)
    (screening,) = make_submitted(cohort, 1, state=S.SCREENING, start=2)
    client.force_login(programme_admin)

    response = client.get(LIST_URL, {"state": "screening"})

    assert references(response) == [screening.reference]
    assert response.context["total"] == 3  # the counts still cover every state
    assert client.get(LIST_URL, {"state": "draft"}).context["selected_state"] == ""


@pytest.mark.parametrize("rows", [1, 30])
def test_staff_list_query_count_is_constant(
    client, programme_admin, django_assert_num_queries, rows
):
    programme = factories.ProgrammeFactory()
    # Several cohorts and organisations, so that a per-row query would show.
    cohorts = [factories.CohortFactory(programme=programme) for _number in range(3)]
    for number in range(rows):
        make_submitted(cohorts[number % 3], 1, start=number)
    client.force_login(programme_admin)

    # user (session from the cache), TOTP check, page count, page rows, counts per state
    with django_assert_num_queries(5):
        response = client.get(LIST_URL)

    assert len(response.context["applications"]) == min(rows, 25)


def test_staff_list_is_paginated_by_25(client, programme_admin, cohort):
    applications = make_submitted(cohort, 30)
    client.force_login(programme_admin)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    newest_first = [application.reference for application in reversed(applications)]
    assert references(first) == newest_first[:25]
    assert references(second) == newest_first[25:]
    assert "Page 1 of 2" in first.content.decode()
    assert '<a class="page-link" href="?page=2">Next</a>' in first.content.decode()


def test_staff_list_for_reviewer_shows_only_panel_cohorts_without_links(client, reviewer):
    on_panel = factories.CohortFactory()
    on_panel.panel.add(reviewer)
    elsewhere = factories.CohortFactory()
    (mine,) = make_submitted(on_panel)
    make_submitted(elsewhere, start=1)
    factories.ApplicationFactory(cohort=on_panel)  # draft in the reviewer's cohort
    client.force_login(reviewer)

    response = client.get(LIST_URL)

    assert references(response) == [mine.reference]
    assert response.context["total"] == 1
    content = response.content.decode()
    assert f'<th scope="row">\n              \n                {mine.reference}\n' in content
    assert reverse("applications:staff-application-detail", kwargs={"pk": mine.pk}) not in content
    assert f"<td>{mine.organisation.legal_name_en}</td>" in content


def test_staff_list_hides_the_organisation_from_reviewers_under_blind_review(
    client, reviewer, programme_admin
):
    cohort = factories.CohortFactory(programme=factories.ProgrammeFactory(blind_review=True))
    cohort.panel.add(reviewer)
    (application,) = make_submitted(cohort)

    client.force_login(reviewer)
    as_reviewer = client.get(LIST_URL).content.decode()
    client.force_login(programme_admin)
    as_admin = client.get(LIST_URL).content.decode()

    assert application.organisation.legal_name_en not in as_reviewer
    assert "Hidden (blind review)" in as_reviewer
    assert application.organisation.legal_name_en in as_admin


def test_staff_list_for_reviewer_without_panel_is_empty(client, reviewer, cohort):
    make_submitted(cohort)
    client.force_login(reviewer)

    response = client.get(LIST_URL)

    assert references(response) == []
    assert (
        "No submitted applications yet in the cohorts whose panel you sit on."
        in response.content.decode()
    )


def test_staff_list_is_forbidden_to_applicants(client, applicant, cohort):
    make_submitted(cohort)
    client.force_login(applicant)

    assert client.get(LIST_URL).status_code == 403


def test_staff_list_needs_sign_in(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def detail_url(application):
    return reverse("applications:staff-application-detail", kwargs={"pk": application.pk})


def test_staff_detail_shows_answers_and_documents_to_admins(client, programme_admin, cohort):
    (application,) = make_submitted(cohort)
    document = factories.DocumentFactory(application=application)
    version = factories.DocumentVersionFactory(document=document, original_name="charter.pdf")
    client.force_login(programme_admin)

    response = client.get(detail_url(application))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"{application.reference} · {application.title}" in content
    assert f'<dd id="organisation">{application.organisation.legal_name_en}</dd>' in content
    download = reverse("applications:document-download", kwargs={"version_id": version.pk})
    assert f'<a class="small" href="{download}">charter.pdf</a>' in content
    assert response.context["sections"][0]["step"].slug == "activity"


@pytest.mark.parametrize("who", ["reviewer", "other_applicant"])
def test_staff_detail_refuses_who_may_not_see(client, who, request, cohort):
    (application,) = make_submitted(cohort)
    client.force_login(request.getfixturevalue(who))

    response = client.get(detail_url(application))

    assert response.status_code == (404 if who == "reviewer" else 403)


def test_staff_detail_never_shows_drafts(client, programme_admin, cohort):
    draft = factories.ApplicationFactory(cohort=cohort)
    client.force_login(programme_admin)

    assert client.get(detail_url(draft)).status_code == 404


def test_staff_detail_sends_anonymous_to_login(client, cohort):
    (application,) = make_submitted(cohort)

    response = client.get(detail_url(application))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
