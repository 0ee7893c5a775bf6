import pytest
from django.urls import reverse

from applications.enums import ApplicationState, Declaration
from applications.models import Application, AuditEvent, ReviewerAssignment
from tests import factories
from tests.applications.workspace import cleared_reviewer, panel_reviewer

pytestmark = pytest.mark.django_db
S = ApplicationState
LIST_URL = reverse("applications:assignment-list")


def detail(application):
    return reverse("applications:staff-application-detail", args=[application.pk])


def test_the_assignment_section_lists_people_and_offers_the_panel(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    on = cleared_reviewer(application, full_name="Asel Bekova")
    free = panel_reviewer(application.cohort, full_name="Dana Ospanova")
    client.force_login(programme_admin)

    content = client.get(detail(application)).content.decode()

    assert 'id="assigned-reviewers"' in content
    assert "Asel Bekova" in content
    assert '<span class="d-block small text-success" data-declaration="no_conflict">' in content
    assert f'<option value="{free.pk}">Dana Ospanova</option>' in content
    assert f'<option value="{on.pk}">Asel Bekova</option>' in content  # as case officer only
    assert (
        reverse("applications:assignment-reviewer-remove", args=[application.pk, on.pk]) in content
    )


def test_reviewers_see_no_assignment_section(client):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    client.force_login(cleared_reviewer(application))

    assert 'id="assignment-heading"' not in client.get(detail(application)).content.decode()


def test_assigning_and_removing_a_reviewer_from_the_staff_page(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    reviewer = panel_reviewer(application.cohort, full_name="Dana Ospanova")
    client.force_login(programme_admin)

    added = client.post(
        reverse("applications:assignment-reviewer-add", args=[application.pk]),
        {"reviewer": reviewer.pk},
        follow=True,
    )
    assert "Dana Ospanova is assigned." in added.content.decode()
    assert ReviewerAssignment.objects.get().reviewer == reviewer

    removed = client.post(
        reverse("applications:assignment-reviewer-remove", args=[application.pk, reviewer.pk]),
        follow=True,
    )
    assert "Dana Ospanova is no longer assigned." in removed.content.decode()
    assert not ReviewerAssignment.objects.exists()


def test_a_refused_assignment_shows_the_conflict(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    reviewer = panel_reviewer(application.cohort, full_name="Dana Ospanova")
    factories.ConflictOfInterestFactory(reviewer=reviewer, organisation=application.organisation)
    client.force_login(programme_admin)

    response = client.post(
        reverse("applications:assignment-reviewer-add", args=[application.pk]),
        {"reviewer": reviewer.pk},
        follow=True,
    )

    assert (
        "Dana Ospanova has registered a conflict of interest with the organisation "
        f"{application.organisation.legal_name_en}." in response.content.decode()
    )


def test_a_reviewer_not_on_the_panel_cannot_be_posted(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    client.force_login(programme_admin)

    response = client.post(
        reverse("applications:assignment-reviewer-add", args=[application.pk]),
        {"reviewer": factories.ReviewerFactory().pk},
        follow=True,
    )

    assert "Choose a reviewer from the cohort&#x27;s panel." in response.content.decode()
    assert not ReviewerAssignment.objects.exists()


def test_assigning_a_case_officer_starts_screening(client, programme_admin):
    application = factories.SubmittedApplicationFactory()
    officer = panel_reviewer(application.cohort, full_name="Asel Bekova")
    client.force_login(programme_admin)

    response = client.post(
        reverse("applications:assignment-case-officer", args=[application.pk]),
        {"officer": officer.pk},
        follow=True,
    )

    content = response.content.decode()
    assert "Asel Bekova is the case officer." in content
    assert Application.objects.get(pk=application.pk).case_officer == officer
    assert 'id="application-state">Completeness screening</span>' in content
    bad = client.post(
        reverse("applications:assignment-case-officer", args=[application.pk]),
        {"officer": application.created_by.pk},
        follow=True,
    )
    assert "Choose a case officer from the list." in bad.content.decode()


@pytest.mark.parametrize("who", ["reviewer", "applicant"])
def test_assignment_actions_are_for_programme_admins(client, who):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    reviewer = panel_reviewer(application.cohort)
    user = cleared_reviewer(application) if who == "reviewer" else application.created_by
    client.force_login(user)

    urls = [
        reverse("applications:assignment-reviewer-add", args=[application.pk]),
        reverse("applications:assignment-case-officer", args=[application.pk]),
        reverse("applications:assignment-reviewer-remove", args=[application.pk, user.pk]),
        reverse("applications:assignment-bulk-preview", args=[application.cohort_id]),
        reverse("applications:assignment-auto-preview", args=[application.cohort_id]),
        reverse("applications:assignment-confirm", args=[application.cohort_id]),
    ]
    for url in urls:
        assert (
            client.post(url, {"reviewer": reviewer.pk, "officer": reviewer.pk}).status_code == 403
        )
    assert client.get(LIST_URL).status_code == 403
    assert ReviewerAssignment.objects.filter(reviewer=reviewer).count() == 0


def make_cohort(rows):
    cohort = factories.CohortFactory()
    panel = [panel_reviewer(cohort, full_name=f"Reviewer {n}") for n in range(3)]
    applications = [
        factories.SubmittedApplicationFactory(
            cohort=cohort, state=S.SCREENING, case_officer=panel[0]
        )
        for _n in range(rows)
    ]
    for application in applications:
        factories.ReviewerAssignmentFactory(application=application, reviewer=panel[1])
        factories.ReviewerAssignmentFactory(application=application, reviewer=panel[2])
    return cohort, panel, applications


@pytest.mark.parametrize("rows", [1, 20])
def test_the_bulk_list_query_count_is_constant(
    client, programme_admin, django_assert_num_queries, rows
):
    cohort, _panel, applications = make_cohort(rows)
    factories.SubmittedApplicationFactory(cohort=cohort, state=S.APPROVED)  # not assignable
    client.force_login(programme_admin)

    # session user, TOTP, cohorts, count, rows, assignments with reviewers, panel
    with django_assert_num_queries(7):
        response = client.get(LIST_URL, {"cohort": cohort.pk})

    assert [a.pk for a in response.context["page_obj"].object_list] == [a.pk for a in applications]
    content = response.content.decode()
    assert content.count('name="applications"') == rows
    assert content.count('name="reviewers"') == 3


def test_the_bulk_list_without_a_cohort_only_offers_the_choice(client, programme_admin):
    make_cohort(1)
    client.force_login(programme_admin)

    response = client.get(LIST_URL)

    assert response.context["cohort"] is None
    assert 'id="bulk-form"' not in response.content.decode()


def test_bulk_preview_then_confirm_assigns_and_reports_each_pair(client, programme_admin):
    cohort = factories.CohortFactory()
    free = panel_reviewer(cohort, full_name="Free Reviewer")
    conflicted = panel_reviewer(cohort, full_name="Conflicted Reviewer")
    first, second = (
        factories.SubmittedApplicationFactory(cohort=cohort, state=S.SCREENING) for _n in range(2)
    )
    factories.ConflictOfInterestFactory(reviewer=conflicted, organisation=first.organisation)
    client.force_login(programme_admin)

    preview = client.post(
        reverse("applications:assignment-bulk-preview", args=[cohort.pk]),
        {"applications": [first.pk, second.pk], "reviewers": [free.pk, conflicted.pk]},
    )

    content = preview.content.decode()
    assert "3 assignments will be made" in content
    assert content.count('name="pair"') == 3
    assert (
        "Conflicted Reviewer has registered a conflict of interest with the organisation" in content
    )
    assert not ReviewerAssignment.objects.exists()  # a preview changes nothing

    pairs = [item.pair for item in preview.context["assign"]]
    result = client.post(
        reverse("applications:assignment-confirm", args=[cohort.pk]), {"pair": pairs}
    )

    assert "3 assigned, 0 refused." in result.content.decode()
    assert ReviewerAssignment.objects.count() == 3
    assert AuditEvent.objects.filter(kind="reviewer_assigned").count() == 3


def test_bulk_preview_needs_a_selection(client, programme_admin):
    cohort, _panel, _applications = make_cohort(1)
    client.force_login(programme_admin)

    response = client.post(
        reverse("applications:assignment-bulk-preview", args=[cohort.pk]), {}, follow=True
    )

    content = response.content.decode()
    assert "Select applications." in content
    assert "Choose at least one reviewer." in content


def test_confirm_refuses_a_damaged_preview_and_ignores_other_cohorts(client, programme_admin):
    cohort, panel, _applications = make_cohort(1)
    elsewhere = factories.SubmittedApplicationFactory(state=S.SCREENING)
    client.force_login(programme_admin)
    url = reverse("applications:assignment-confirm", args=[cohort.pk])

    damaged = client.post(url, {"pair": ["1:x"]}, follow=True)
    empty = client.post(url, {}, follow=True)
    foreign = client.post(url, {"pair": [f"{elsewhere.pk}:{panel[0].pk}"]})

    assert "The preview was damaged. Start again." in damaged.content.decode()
    assert "Nothing to assign." in empty.content.decode()
    assert foreign.context["results"] == []
    assert not ReviewerAssignment.objects.filter(application=elsewhere).exists()


def test_automatic_preview_and_confirm(client, programme_admin):
    cohort = factories.CohortFactory()
    panel = [panel_reviewer(cohort) for _n in range(3)]
    applications = [
        factories.SubmittedApplicationFactory(cohort=cohort, state=S.ELIGIBILITY) for _n in range(3)
    ]
    client.force_login(programme_admin)

    preview = client.post(
        reverse("applications:assignment-auto-preview", args=[cohort.pk]),
        {"per_application": 2, "cap": 2},
    )
    pairs = [item.pair for item in preview.context["assign"]]
    assert len(pairs) == 6
    result = client.post(
        reverse("applications:assignment-confirm", args=[cohort.pk]), {"pair": pairs}
    )

    assert result.context["done"] == 6
    for reviewer in panel:
        assert ReviewerAssignment.objects.filter(reviewer=reviewer).count() == 2
    for application in applications:
        assert (
            ReviewerAssignment.objects.filter(
                application=application, declaration=Declaration.PENDING
            ).count()
            == 2
        )
    bad = client.post(
        reverse("applications:assignment-auto-preview", args=[cohort.pk]),
        {"per_application": 0, "cap": "many"},
        follow=True,
    )
    assert "Give the number of reviewers and the limit as whole numbers." in bad.content.decode()
