import pytest
from django.urls import reverse

from applications.enums import ApplicationState, Declaration, EventKind, ReviewState
from applications.models import AuditEvent, Review, ReviewerAssignment
from tests import factories
from tests.applications.workspace import (
    cleared_reviewer,
    criteria,
    pending_reviewer,
    recused_reviewer,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


def detail(application):
    return reverse("applications:staff-application-detail", args=[application.pk])


def declaration(application):
    return reverse("applications:reviewer-declaration", args=[application.pk])


@pytest.fixture
def application():
    application = factories.SubmittedApplicationFactory(state=S.EVALUATION)
    factories.PersonFactory(organisation=application.organisation, full_name="Timur Abenov")
    return application


def test_a_pending_reviewer_is_sent_to_the_declaration_page(client, application):
    reviewer = pending_reviewer(application)
    client.force_login(reviewer)

    response = client.get(detail(application))

    assert response.status_code == 302
    assert response.url == declaration(application)


def test_the_declaration_page_names_the_applicant_on_open_review(client, application):
    reviewer = pending_reviewer(application)
    client.force_login(reviewer)

    response = client.get(declaration(application))

    content = response.content.decode()
    assert response.status_code == 200
    assert application.organisation.legal_name_en in content
    assert application.organisation.bin in content
    assert "Timur Abenov" in content
    assert application.summary in content
    assert 'id="register-match"' not in content


def test_the_declaration_page_warns_of_a_register_match(client, application):
    reviewer = pending_reviewer(application)
    factories.ConflictOfInterestFactory(
        reviewer=reviewer, organisation=None, person_name="timur abenov"
    )
    client.force_login(reviewer)

    content = client.get(declaration(application)).content.decode()

    assert "Your conflict register names: the person timur abenov." in content


def test_declaring_no_conflict_opens_the_staff_page(client, application):
    reviewer = pending_reviewer(application)
    client.force_login(reviewer)

    response = client.post(declaration(application))

    assert response.status_code == 302
    assert response.url == detail(application)
    assert client.get(detail(application)).status_code == 200
    assert ReviewerAssignment.objects.get().declaration == Declaration.NO_CONFLICT
    # Once declared, the declaration page leads to the application.
    assert client.get(declaration(application)).url == detail(application)


def test_a_refused_declaration_comes_back_with_the_reason(client, application):
    reviewer = pending_reviewer(application)
    factories.ConflictOfInterestFactory(reviewer=reviewer, organisation=application.organisation)
    client.force_login(reviewer)

    response = client.post(declaration(application), follow=True)

    assert "recuse instead" in response.content.decode()
    assert ReviewerAssignment.objects.get().declaration == Declaration.PENDING


def test_recusing_removes_access_at_once(client, application):
    reviewer = cleared_reviewer(application)
    client.force_login(reviewer)
    assert client.get(detail(application)).status_code == 200

    response = client.post(
        reverse("applications:reviewer-recuse", args=[application.pk]),
        {"reason": "I advised the founders."},
    )

    assert response.status_code == 302
    assert client.get(detail(application)).status_code == 404
    assert client.get(declaration(application)).status_code == 404
    assert AuditEvent.objects.get().kind == EventKind.REVIEWER_RECUSED


def test_recusing_without_a_reason_is_refused(client, application):
    reviewer = pending_reviewer(application)
    client.force_login(reviewer)

    response = client.post(
        reverse("applications:reviewer-recuse", args=[application.pk]), {"reason": ""}, follow=True
    )

    assert "Please give a reason for recusing yourself." in response.content.decode()
    assert ReviewerAssignment.objects.get().declaration == Declaration.PENDING


@pytest.mark.parametrize("who", ["stranger", "recused", "programme_admin", "applicant"])
def test_the_declaration_page_is_404_for_anyone_else(client, application, who):
    user = {
        "stranger": lambda: factories.ReviewerFactory(),
        "recused": lambda: recused_reviewer(application),
        "programme_admin": lambda: factories.ProgrammeAdminFactory(),
        "applicant": lambda: application.created_by,
    }[who]()
    client.force_login(user)

    response = client.get(declaration(application))

    if who == "programme_admin":  # admins see everything: straight to the application
        assert response.url == detail(application)
    else:
        assert response.status_code == 404
    assert client.post(
        reverse("applications:reviewer-recuse", args=[application.pk]), {"reason": "x"}
    ).status_code == (302 if who == "programme_admin" else 404)


def review_url(application, action=""):
    name = f"applications:review{'-' + action if action else ''}"
    return reverse(name, args=[application.pk])


def form_data(scored, revision=0, **overrides):
    innovation, benefit, gate = scored
    data = {
        "revision": revision,
        f"score_{innovation.pk}": "4",
        f"rationale_{innovation.pk}": "",
        f"score_{benefit.pk}": "2",
        f"rationale_{benefit.pk}": "Fees are not lower.",
        f"gate_{gate.pk}": "met",
        f"rationale_{gate.pk}": "",
        "recommendation": "proceed",
        "summary": "Worth testing.",
    }
    data.update(overrides)
    return data


def test_the_review_form_shows_every_criterion(client, application):
    scored = criteria(application.cohort.programme)
    reviewer = cleared_reviewer(application)
    client.force_login(reviewer)

    response = client.get(review_url(application))

    content = response.content.decode()
    for criterion in scored:
        assert criterion.name_en in content
    assert f'name="score_{scored[0].pk}"' in content
    assert f'name="gate_{scored[2].pk}"' in content
    assert f'name="score_{scored[2].pk}"' not in content
    assert 'name="revision" id="id_revision" value="0"' in content


def test_autosave_answers_the_status_and_the_new_revision(client, application):
    scored = criteria(application.cohort.programme)
    reviewer = cleared_reviewer(application)
    client.force_login(reviewer)

    response = client.post(
        review_url(application, "save"), form_data(scored, summary=""), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert "Draft saved at" in content
    assert (
        '<input type="hidden" name="revision" id="id_revision" value="1" hx-swap-oob="true">'
        in content
    )
    review = Review.objects.get()
    assert (review.revision, review.state, review.recommendation) == (1, "draft", "proceed")

    stale = client.post(review_url(application, "save"), form_data(scored), HTTP_HX_REQUEST="true")
    assert "saved from another tab or window" in stale.content.decode()
    assert Review.objects.get().revision == 1


def test_a_plain_save_redirects_back_with_a_message(client, application):
    scored = criteria(application.cohort.programme)
    client.force_login(cleared_reviewer(application))

    response = client.post(review_url(application, "save"), form_data(scored), follow=True)

    assert "Your draft review is saved." in response.content.decode()


def test_an_invalid_autosave_says_so(client, application):
    scored = criteria(application.cohort.programme)
    client.force_login(cleared_reviewer(application))

    response = client.post(
        review_url(application, "save"),
        form_data(scored, **{f"score_{scored[0].pk}": "9"}),
        HTTP_HX_REQUEST="true",
    )

    assert "Not saved: a score or choice is not valid." in response.content.decode()
    assert not Review.objects.exists()


def test_submitting_locks_the_review(client, application):
    scored = criteria(application.cohort.programme)
    reviewer = cleared_reviewer(application)
    client.force_login(reviewer)

    response = client.post(review_url(application, "submit"), form_data(scored))

    assert response.status_code == 302
    assert response.url == detail(application)
    review = Review.objects.get()
    assert (review.state, str(review.weighted_score)) == (ReviewState.SUBMITTED, "3.50")
    page = client.get(review_url(application)).content.decode()
    assert 'id="review-locked"' in page
    assert 'name="summary"' not in page


def test_an_incomplete_submission_keeps_the_draft_and_lists_problems(client, application):
    scored = criteria(application.cohort.programme)
    client.force_login(cleared_reviewer(application))

    response = client.post(
        review_url(application, "submit"), form_data(scored, recommendation="", summary="Draft")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<li>Choose a recommendation.</li>" in content
    review = Review.objects.get()
    assert (review.state, review.summary, review.revision) == ("draft", "Draft", 1)


@pytest.mark.parametrize("who", ["pending", "recused", "stranger", "programme_admin", "applicant"])
def test_the_review_pages_are_404_for_anyone_not_cleared(client, application, who):
    scored = criteria(application.cohort.programme)
    user = {
        "pending": lambda: pending_reviewer(application),
        "recused": lambda: recused_reviewer(application),
        "stranger": lambda: factories.ReviewerFactory(),
        "programme_admin": lambda: factories.ProgrammeAdminFactory(),
        "applicant": lambda: application.created_by,
    }[who]()
    client.force_login(user)

    assert client.get(review_url(application)).status_code == 404
    assert client.post(review_url(application, "save"), form_data(scored)).status_code == 404
    assert client.post(review_url(application, "submit"), form_data(scored)).status_code == 404
    assert not Review.objects.exists()


def test_outside_evaluation_the_review_page_says_when_reviews_open(client):
    application = factories.SubmittedApplicationFactory(state=S.ELIGIBILITY)
    client.force_login(cleared_reviewer(application))

    content = client.get(review_url(application)).content.decode()

    assert 'id="review-closed"' in content


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    for url in (declaration(application), review_url(application)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_stale_and_locked_saves_without_htmx_explain_themselves(client, application):
    scored = criteria(application.cohort.programme)
    client.force_login(cleared_reviewer(application))
    client.post(review_url(application, "save"), form_data(scored))

    stale_save = client.post(review_url(application, "save"), form_data(scored), follow=True)
    stale_submit = client.post(review_url(application, "submit"), form_data(scored), follow=True)
    invalid_submit = client.post(review_url(application, "submit"), form_data(scored, revision="x"))
    invalid_save = client.post(review_url(application, "save"), form_data(scored, revision="x"))

    assert "saved from another tab or window" in stale_save.content.decode()
    assert "saved from another tab or window" in stale_submit.content.decode()
    assert invalid_submit.context["form"].errors["revision"]
    assert invalid_save.context["form"].errors["revision"]
    assert Review.objects.get().revision == 1


def test_after_submission_saves_are_refused(client, application):
    scored = criteria(application.cohort.programme)
    client.force_login(cleared_reviewer(application))
    client.post(review_url(application, "submit"), form_data(scored))

    htmx = client.post(
        review_url(application, "save"), form_data(scored, revision=1), HTTP_HX_REQUEST="true"
    )
    plain = client.post(review_url(application, "save"), form_data(scored, revision=1), follow=True)
    again = client.post(
        review_url(application, "submit"), form_data(scored, revision=1), follow=True
    )

    assert htmx["HX-Redirect"] == review_url(application)
    assert "submitted and can no longer be changed" in plain.content.decode()
    assert "submitted and can no longer be changed" in again.content.decode()
    assert Review.objects.get().summary == "Worth testing."


def test_the_staff_list_links_an_undeclared_assignment_to_the_declaration(client, application):
    reviewer = pending_reviewer(application)
    client.force_login(reviewer)

    content = client.get(reverse("applications:staff-application-list")).content.decode()

    assert f'<a href="{declaration(application)}">{application.reference}</a>' in content
    assert "Declare first" in content
    assert detail(application) not in content
