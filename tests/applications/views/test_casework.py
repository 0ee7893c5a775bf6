"""The staff page's screening, request and move sections and actions, and the applicant's side
of requests for information and documents to correct, over HTTP."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import DocumentCheck, EventKind, RfiState
from applications.models import Application, AuditEvent, Document, RequestForInformation
from applications.services.review_stages import propose_not_eligible
from applications.services.rfis import answer_rfi, raise_rfi
from applications.services.screening import mark_document_to_correct
from tests import factories
from tests.applications.casework import case, cleared_reviewer, requirements_of

pytestmark = pytest.mark.django_db
from tests.applications.test_validators import PDF  # noqa: E402 - a real PDF, as uploads now parse them


def messages_of(response):
    """The messages this response left, then shown once (as the next page would) so they do
    not carry over into the next response checked."""
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    user = response.wsgi_request.user
    page = "applications:staff-application-list" if user.is_regulator_staff else "home"
    assert response.client.get(reverse(page)).status_code == 200
    return shown


def staff_url(application):
    return reverse("applications:staff-application-detail", kwargs={"pk": application.pk})


def detail_url(application):
    return reverse("applications:application-detail", kwargs={"pk": application.pk})


def move_url(application, name):
    return reverse(f"applications:move-{name}", kwargs={"pk": application.pk})


def screening_url(application, requirement, verdict):
    return reverse(
        f"applications:screening-{verdict}",
        kwargs={"pk": application.pk, "requirement_id": requirement.pk},
    )


def _raise(application, steps=("benefit",), requirements=()):
    return raise_rfi(
        actor=application.case_officer,
        application_id=application.pk,
        questions="Please explain the fees for retail clients.",
        steps=list(steps),
        requirement_ids=[r.pk for r in requirements],
    )


# --- Staff: screening ---


def test_staff_page_lists_each_document_with_its_screening_and_the_moves(client):
    application = case(documents=2)
    admin = factories.ProgrammeAdminFactory()
    client.force_login(admin)

    response = client.get(staff_url(application))

    content = response.content.decode()
    rows = response.context["screening_rows"]
    assert [row["requirement"].name for row in rows] == ["Document 1", "Document 2"]
    assert [row["can_accept"] for row in rows] == [True, True]
    assert response.context["can_screen"] is True
    assert screening_url(application, rows[0]["requirement"], "accept") in content
    (move,) = response.context["moves"]
    assert move["name"] == "accept-as-complete"
    assert move["problems"] == [
        "Document “Document 1” has not been accepted in screening.",
        "Document “Document 2” has not been accepted in screening.",
    ]
    assert reverse("applications:rfi-raise", kwargs={"pk": application.pk}) in content


def test_accepting_a_document_over_http(client):
    application = case()
    (requirement,) = requirements_of(application)
    client.force_login(application.case_officer)

    response = client.post(screening_url(application, requirement, "accept"))

    assert response.status_code == 302
    assert response["Location"] == f"{staff_url(application)}#screening"
    assert messages_of(response) == ["“Document 1” accepted."]
    assert Document.objects.get(application=application).screening == DocumentCheck.ACCEPTED


def test_to_correct_without_a_note_is_refused_with_a_message(client):
    application = case()
    (requirement,) = requirements_of(application)
    client.force_login(application.case_officer)

    response = client.post(screening_url(application, requirement, "to-correct"), {"note": ""})

    assert messages_of(response) == ["Write what the applicant must correct."]
    assert Document.objects.get(application=application).screening == DocumentCheck.UNCHECKED


def test_staff_actions_are_post_only(client):
    application = case()
    (requirement,) = requirements_of(application)
    client.force_login(application.case_officer)

    assert client.get(screening_url(application, requirement, "accept")).status_code == 405
    assert client.get(move_url(application, "accept-as-complete")).status_code == 405


@pytest.mark.parametrize("role", ["owner", "other_applicant", "panel_reviewer"])
def test_staff_actions_answer_404_to_who_may_not_see_the_application(client, role):
    application = case(accepted=True)
    actor = {
        "owner": application.created_by,
        "other_applicant": factories.ApplicantFactory(),
        "panel_reviewer": factories.ReviewerFactory(),
    }[role]
    client.force_login(actor)

    response = client.post(move_url(application, "accept-as-complete"))

    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).state == "screening"


# --- Staff: moves ---


def test_package_complete_over_http_then_the_second_click_gets_a_clear_message(client):
    application = case(accepted=True)
    reviewer = cleared_reviewer(application)
    client.force_login(reviewer)

    first = client.post(move_url(application, "accept-as-complete"))
    first_messages = messages_of(first)
    second = client.post(move_url(application, "accept-as-complete"))

    assert first["Location"] == f"{staff_url(application)}#moves"
    assert first_messages == ["The package is complete; the eligibility assessment has started."]
    assert second.status_code == 302
    assert messages_of(second) == [
        "This application is now “Eligibility assessment”, so this can no longer be done. "
        "Reload the page to see its current state."
    ]
    assert AuditEvent.objects.filter(kind=EventKind.PACKAGE_COMPLETE).count() == 1


def test_a_refused_move_lists_its_problems_in_the_message(client):
    application = case()
    client.force_login(application.case_officer)

    response = client.post(move_url(application, "accept-as-complete"))

    assert messages_of(response) == [
        "This cannot be done yet. Document “Document 1” has not been accepted in screening."
    ]


def test_proposal_then_confirmation_over_http_shows_the_reasons_to_the_applicant(client):
    application = case("eligibility")
    admin = factories.ProgrammeAdminFactory()
    client.force_login(application.case_officer)
    empty = client.post(move_url(application, "propose-not-eligible"), {"reasons": ""})
    assert messages_of(empty) == ["Give the reasons the application is not eligible."]
    client.post(move_url(application, "propose-not-eligible"), {"reasons": "Not a fintech."})

    client.force_login(application.created_by)
    assert "Not a fintech." not in client.get(detail_url(application)).content.decode()

    client.force_login(admin)
    page = client.get(staff_url(application))
    assert [move["name"] for move in page.context["moves"]] == [
        "find-eligible",
        "confirm-not-eligible",
        "send-back-not-eligible",
    ]
    response = client.post(move_url(application, "confirm-not-eligible"))
    assert messages_of(response) == ["Found not eligible; the applicant can read the reasons."]

    client.force_login(application.created_by)
    content = client.get(detail_url(application)).content.decode()
    assert "Why the application is not eligible" in content
    assert "Not a fintech." in content


def test_send_back_over_http(client):
    application = case("eligibility")
    propose_not_eligible(
        actor=application.case_officer, application_id=application.pk, reasons="Out of scope"
    )
    client.force_login(factories.ProgrammeAdminFactory())

    response = client.post(move_url(application, "send-back-not-eligible"), {"comment": "No"})

    assert messages_of(response) == ["Proposal sent back; the eligibility assessment carries on."]
    assert Application.objects.get(pk=application.pk).not_eligible_reasons == ""


def test_find_eligible_and_complete_evaluation_over_http(client):
    application = case("eligibility")
    client.force_login(application.case_officer)

    eligible = messages_of(client.post(move_url(application, "find-eligible")))
    refused = client.post(move_url(application, "complete-evaluation"))

    assert eligible == ["Found eligible; the evaluation has started."]
    assert messages_of(refused) == [
        "This cannot be done yet. 0 of the 2 reviews required have been submitted."
    ]
    for _number in range(2):
        factories.ReviewFactory(application=application, state="submitted")
    done = client.post(move_url(application, "complete-evaluation"))
    assert messages_of(done) == ["Evaluation complete; the decision is now due."]
    assert Application.objects.get(pk=application.pk).state == "decision_pending"


# --- Staff: requests for information ---


def test_raise_rfi_page_shows_the_due_date_and_creates_the_request(client):
    application = case(documents=2)
    first, _second = requirements_of(application)
    client.force_login(application.case_officer)
    url = reverse("applications:rfi-raise", kwargs={"pk": application.pk})

    page = client.get(url)
    invalid = client.post(url, {"questions": ""})
    response = client.post(
        url,
        {
            "questions": "Which bank holds the reserves?",
            "steps": ["risks"],
            "requirements": [first.pk],
        },
    )

    assert page.status_code == 200
    assert "working days) to answer" in page.content.decode()
    assert invalid.status_code == 200
    assert invalid.context["form"].errors == {
        "questions": ["Write the questions for the applicant."]
    }
    assert response["Location"] == f"{staff_url(application)}#rfis"
    rfi = RequestForInformation.objects.get()
    assert (rfi.questions, rfi.editable_steps) == ("Which bank holds the reserves?", ["risks"])
    assert list(rfi.editable_requirements.all()) == [first]


def test_cancel_rfi_over_http(client):
    application = case()
    rfi = _raise(application)
    client.force_login(application.case_officer)
    url = reverse("applications:rfi-cancel", kwargs={"pk": application.pk, "rfi_id": rfi.pk})

    empty = messages_of(client.post(url, {"reason": ""}))
    response = client.post(url, {"reason": "Asked by mistake"})

    assert empty == ["Give a reason for cancelling the request."]
    assert messages_of(response) == ["The request for information has been cancelled."]
    assert RequestForInformation.objects.get().state == RfiState.CANCELLED


def test_staff_thread_shows_the_answer_and_what_changed(client):
    application = case()
    rfi = _raise(application)
    member = application.created_by
    client.force_login(member)
    step = reverse(
        "applications:application-step", kwargs={"pk": application.pk, "step": "benefit"}
    )
    client.post(step, {"base_revision": 0, "consumer_benefit": "Fees of 0.5%."})
    answer_rfi(actor=member, rfi_id=rfi.pk, answer="The fees are now 0.5%.")
    client.force_login(factories.ProgrammeAdminFactory())

    response = client.get(staff_url(application))

    (shown,) = response.context["rfis"]
    assert [(c["label"], c["after"]) for c in shown.changed_answers] == [
        ("benefit to consumers or the market", "Fees of 0.5%.")
    ]
    content = response.content.decode()
    assert "The fees are now 0.5%." in content
    assert f"Asked by {application.case_officer.display_name}" in content


def test_staff_page_queries_do_not_grow_with_requests_and_documents(client):
    small, large = case(documents=1), case(documents=6)
    _raise(small)
    for _number in range(6):
        rfi = _raise(large, requirements=requirements_of(large)[:2])
        answer_rfi(actor=large.created_by, rfi_id=rfi.pk, answer="Answered")
    client.force_login(factories.ProgrammeAdminFactory())

    counts = []
    for application in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(staff_url(application)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Applicant ---


def test_applicant_sees_action_required_without_staff_names(client):
    application = case()
    rfi = _raise(application, steps=["benefit"])
    client.force_login(application.created_by)

    content = client.get(detail_url(application)).content.decode()

    assert "Action required" in content
    assert "Please explain the fees for retail clients." in content
    assert "Answer by" in content
    assert (
        reverse("applications:rfi-answer", kwargs={"pk": application.pk, "rfi_id": rfi.pk})
        in content
    )
    assert application.case_officer.display_name not in content
    assert application.case_officer.email not in content


def test_applicant_answers_over_http(client):
    application = case()
    rfi = _raise(application)
    client.force_login(application.created_by)
    url = reverse("applications:rfi-answer", kwargs={"pk": application.pk, "rfi_id": rfi.pk})

    page = client.get(url)
    empty = client.post(url, {"answer": ""})
    answered = messages_of(client.post(url, {"answer": "Fees are 0.5%."}))
    again = client.get(url)

    assert page.status_code == 200
    assert f'href="/applications/{application.pk}/edit/benefit/"' in page.content.decode()
    assert empty.context["form"].errors == {
        "answer": ["Write your answer to the regulator's questions."]
    }
    assert answered == ["Your answer has been sent to the regulator."]
    assert RequestForInformation.objects.get().answer == "Fees are 0.5%."
    assert messages_of(again) == ["This request for information is no longer open."]
    content = client.get(detail_url(application)).content.decode()
    assert "Action required" not in content
    assert "Fees are 0.5%." in content


def test_another_organisation_gets_404_on_the_answer_page(client):
    application = case()
    rfi = _raise(application)
    client.force_login(factories.ApplicantFactory())

    url = reverse("applications:rfi-answer", kwargs={"pk": application.pk, "rfi_id": rfi.pk})
    assert client.get(url).status_code == 404


def test_only_the_named_step_opens_after_submission(client):
    application = case()
    _raise(application, steps=["benefit"])
    client.force_login(application.created_by)

    def step_url(slug):
        return reverse("applications:application-step", kwargs={"pk": application.pk, "step": slug})

    unlocked = client.get(step_url("benefit"))
    locked = client.get(step_url("activity"))

    assert unlocked.status_code == 200
    assert "lets you change this section" in unlocked.content.decode()
    assert locked["Location"] == detail_url(application)
    assert messages_of(locked) == [
        "The regulator's request for information does not unlock “Activity and product”; it "
        "stays as you submitted it."
    ]


def test_documents_page_offers_upload_only_for_documents_to_correct(client):
    application = case(documents=2)
    first, second = requirements_of(application)
    mark_document_to_correct(
        actor=application.case_officer,
        application_id=application.pk,
        requirement_id=first.pk,
        note="Please sign page 3.",
    )
    client.force_login(application.created_by)
    url = reverse("applications:document-list", kwargs={"pk": application.pk})

    response = client.get(url)

    slots = response.context["slots"]
    assert [slot["form"] is not None for slot in slots] == [True, False]
    content = response.content.decode()
    assert "Please sign page 3." in content
    assert "Action required: the regulator asks you to correct this document." in content
    detail = client.get(detail_url(application)).content.decode()
    assert "Please sign page 3." in detail

    upload = reverse(
        "applications:document-upload", kwargs={"pk": application.pk, "requirement_id": first.pk}
    )
    uploaded = client.post(upload, {"file": SimpleUploadedFile("signed.pdf", PDF)})
    assert messages_of(uploaded) == ["“signed.pdf” uploaded as version 2 of “Document 1”."]
    refused = client.post(
        reverse(
            "applications:document-upload",
            kwargs={"pk": application.pk, "requirement_id": second.pk},
        ),
        {"file": SimpleUploadedFile("other.pdf", PDF)},
    )
    assert messages_of(refused) == [
        "This application has been submitted; its documents can no longer be changed."
    ]


def test_applicant_detail_queries_do_not_grow_with_requests(client):
    small, large = case(), case()
    _raise(small)
    for _number in range(5):
        rfi = _raise(large)
        answer_rfi(actor=large.created_by, rfi_id=rfi.pk, answer="Answered")
    _raise(large)

    counts = []
    for application in (small, large):
        client.force_login(application.created_by)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(application)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_marking_to_correct_over_http(client):
    application = case()
    (requirement,) = requirements_of(application)
    client.force_login(application.case_officer)

    response = client.post(
        screening_url(application, requirement, "to-correct"), {"note": "Sign page 3."}
    )

    assert messages_of(response) == [
        "“Document 1” marked to be corrected; the applicant has been told."
    ]
    document = Document.objects.get(application=application)
    assert (document.screening, document.screening_note) == ("to_correct", "Sign page 3.")


@pytest.mark.parametrize(
    ("state", "moves"),
    [
        ("submitted", []),
        ("eligibility", ["find-eligible", "propose-not-eligible"]),
        ("evaluation", ["complete-evaluation"]),
        ("decision_pending", []),
    ],
)
def test_moves_offered_in_each_state(client, state, moves):
    application = case(state)
    client.force_login(factories.ProgrammeAdminFactory())

    response = client.get(staff_url(application))

    assert [move["name"] for move in response.context["moves"]] == moves


def test_raise_rfi_page_needs_sign_in_and_refuses_a_late_state_with_a_message(client):
    application = case("decision_pending")
    url = reverse("applications:rfi-raise", kwargs={"pk": application.pk})
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(factories.ProgrammeAdminFactory())

    response = client.post(url, {"questions": "Why?"})

    assert response.status_code == 200
    assert messages_of(response) == [
        "Information can be requested only during screening, eligibility or evaluation; this "
        "application is now “Decision pending”."
    ]
    assert not RequestForInformation.objects.exists()


def test_an_answer_after_the_application_left_the_assessment_is_refused(client):
    application = case()
    rfi = _raise(application)
    Application.objects.filter(pk=application.pk).update(state="withdrawn")
    client.force_login(application.created_by)
    url = reverse("applications:rfi-answer", kwargs={"pk": application.pk, "rfi_id": rfi.pk})

    response = client.post(url, {"answer": "Too late"})

    assert response["Location"] == detail_url(application)
    assert messages_of(response) == [
        "This application is now “Withdrawn”; the request can no longer be answered."
    ]
    assert RequestForInformation.objects.get().state == RfiState.OPEN
