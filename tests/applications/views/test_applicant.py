from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications import conditions
from applications.enums import ApplicationState, EventKind
from applications.models import Application, AuditEvent
from applications.services.applications import start_application, submit_application
from applications.services.documents import record_download, upload_document
from applications.views.presentation import submission_checklist
from tests import factories
from tests.applications.test_validators import PDF

pytestmark = pytest.mark.django_db

DECLARATIONS = {
    "true_and_complete": "on",
    "authorised": "on",
    "consent": "on",
    "no_guarantee": "on",
}


def url(name, application):
    return reverse(f"applications:application-{name}", kwargs={"pk": application.pk})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def reload(application):
    # refresh_from_db cannot reset the protected FSM field; read a fresh row instead.
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def submitted(ready_draft, applicant):
    return submit_application(actor=applicant, application_id=ready_draft.pk, ip_address="10.0.0.1")


@pytest.fixture
def requirement(ready_draft):
    return ready_draft.documents.get().requirement


# --- Status page ------------------------------------------------------------------------------


def test_detail_of_submitted_application_shows_state_next_steps_dates_and_timeline(
    client, applicant, submitted
):
    client.force_login(applicant)

    response = client.get(url("detail", submitted))

    assert response.status_code == 200
    content = response.content.decode()
    assert (
        '<span class="badge fs-6 state-badge state-submitted" id="application-state">Submitted</span>'
        in content
    )
    assert (
        "The regulator has received your application. A case officer will be assigned to check "
        "that your application and documents are complete."
    ) in content
    assert f'<dd id="reference">{submitted.reference}</dd>' in content
    assert f"<dd>{submitted.cohort.programme.name_en}</dd>" in content
    assert date_format(timezone.localtime(submitted.submitted_at), "DATETIME_FORMAT") in content
    assert [entry["sentence"] for entry in response.context["timeline"]] == [
        f"{applicant.full_name} submitted the application. Its reference is {submitted.reference}.",
    ]
    assert url("receipt", submitted) in content
    assert url("withdraw", submitted) in content
    assert url("submit", submitted) not in content
    assert response.context["edit_url"] is None


def test_detail_timeline_tells_each_event_in_plain_words(client, applicant, cohort):
    requirement = factories.DocumentRequirementFactory(
        programme=cohort.programme, name_en="AML policy"
    )
    application = start_application(actor=applicant, cohort=cohort, title="Remittance token")
    upload_document(
        actor=applicant,
        application_id=application.pk,
        requirement_id=requirement.pk,
        upload=SimpleUploadedFile("aml.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(applicant)

    response = client.get(url("detail", application))

    assert [entry["sentence"] for entry in response.context["timeline"]] == [
        f"{applicant.full_name} uploaded version 1 of “AML policy”.",
        f"{applicant.full_name} started the application.",
    ]
    assert f"{applicant.full_name} uploaded version 1 of “AML policy”." in response.content.decode()


def test_detail_timeline_never_shows_internal_events(client, applicant, programme_admin, submitted):
    version = submitted.documents.get().versions.get()
    record_download(actor=programme_admin, version=version, ip_address="10.0.0.2")
    assert AuditEvent.objects.filter(kind=EventKind.DOCUMENT_DOWNLOADED).count() == 1
    client.force_login(applicant)

    response = client.get(url("detail", submitted))

    kinds = [entry["event"].kind for entry in response.context["timeline"]]
    assert kinds == [EventKind.APPLICATION_SUBMITTED]
    content = response.content.decode()
    assert "Document downloaded" not in content
    assert "downloaded" not in content
    assert programme_admin.full_name not in content


def test_detail_names_staff_as_the_regulator(
    client, applicant, programme_admin, reviewer, submitted
):
    from applications.services.applications import start_screening

    start_screening(actor=programme_admin, application_id=submitted.pk, case_officer=reviewer)
    client.force_login(applicant)

    response = client.get(url("detail", submitted))

    assert response.context["timeline"][0]["sentence"] == (
        "A case officer was assigned and began checking that the application is complete."
    )
    content = response.content.decode()
    assert programme_admin.full_name not in content
    assert reviewer.full_name not in content
    assert "A case officer is checking that your application and documents are complete." in content


def test_detail_of_draft_lists_what_is_missing_with_links(client, applicant, draft):
    Application.objects.filter(pk=draft.pk).update(summary="")
    factories.DocumentRequirementFactory(programme=draft.cohort.programme, name_en="AML policy")
    client.force_login(applicant)

    response = client.get(url("detail", draft))

    content = response.content.decode()
    step_url = reverse("applications:application-step", kwargs={"pk": draft.pk, "step": "activity"})
    documents_url = reverse("applications:document-list", kwargs={"pk": draft.pk})
    assert [(item["text"], item["url"]) for item in response.context["checklist"]] == [
        ("Activity and product: “summary of the product” is not answered.", step_url),
        ("Document “AML policy” is not uploaded.", documents_url),
        ("The declarations have not been accepted.", url("submit", draft)),
    ]
    assert (
        f'<a href="{step_url}">Activity and product: “summary of the product” is not answered.</a>'
        in content
    )
    assert f'<a href="{documents_url}">Document “AML policy” is not uploaded.</a>' in content
    assert "This application is a draft: the regulator cannot see it yet." in content
    assert "Given on submission" in content
    # "Continue editing" goes to the first step with something missing.
    assert response.context["edit_url"] == step_url
    assert url("receipt", draft) not in content


def test_submission_checklist_follows_submission_problems_exactly(draft):
    draft.cohort.closes_at = timezone.now() - timedelta(minutes=1)
    draft.cohort.save(update_fields=["closes_at"])
    Application.objects.filter(pk=draft.pk).update(summary="", exit_strategy="")
    factories.DocumentRequirementFactory(programme=draft.cohort.programme, name_en="Charter")
    draft = reload(draft)

    checklist = submission_checklist(draft)

    assert [item["text"] for item in checklist] == conditions.submission_problems(draft)
    assert [item["kind"] for item in checklist] == [
        "cohort",
        "answer",
        "answer",
        "document",
        "declarations",
    ]
    assert checklist[2]["url"] == reverse(
        "applications:application-step", kwargs={"pk": draft.pk, "step": "exit"}
    )


@pytest.mark.parametrize("page", ["detail", "receipt"])
def test_staff_are_sent_to_their_own_page(client, programme_admin, submitted, page):
    """The applicant's face names the firm; staff work on the staff page, which applies blind
    review."""
    client.force_login(programme_admin)

    response = client.get(url(page, submitted))

    assert response.status_code == 302
    assert response.url == reverse("applications:staff-application-detail", args=[submitted.pk])


@pytest.mark.parametrize("who", ["other_applicant", "reviewer"])
def test_detail_of_another_organisations_application_is_404(client, request, who, submitted):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("detail", submitted)).status_code == 404


def test_detail_needs_sign_in(client, draft):
    response = client.get(url("detail", draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Review and submit ------------------------------------------------------------------------


def test_submit_page_shows_every_answer_and_document(client, applicant, ready_draft):
    version = ready_draft.documents.get().versions.get()
    client.force_login(applicant)

    response = client.get(url("submit", ready_draft))

    content = response.content.decode()
    assert response.context["problems"] == []
    assert 'id="submission-problems"' not in content
    assert "1. Activity and product" in content
    assert "9. AML/CFT" in content
    assert (
        '<dt class="col-md-4">Activity</dt>\n        <dd class="col-md-8">Fiat-backed token or stablecoin</dd>'
        in content
    )
    assert '<dd class="col-md-8">Retail clients: individuals</dd>' in content
    assert '<dd class="col-md-8">1,000 USD</dd>' in content
    assert '<dd class="col-md-8">200,000 USD</dd>' in content
    assert '<dd class="col-md-8">No</dd>' in content  # regulated elsewhere
    assert f'<td class="sha256">{version.sha256}</td>' in content
    for name in ("true_and_complete", "authorised", "consent", "no_guarantee"):
        assert f'name="{name}"' in content
    assert "I am authorised to submit this application on behalf of the organisation." in content


def test_submit_with_problems_lists_them_exactly(client, applicant, draft):
    Application.objects.filter(pk=draft.pk).update(summary="")
    factories.DocumentRequirementFactory(programme=draft.cohort.programme, name_en="AML policy")
    client.force_login(applicant)

    response = client.post(url("submit", draft), DECLARATIONS)

    assert response.status_code == 200
    assert messages_of(response) == ["This cannot be done yet."]
    assert [problem["text"] for problem in response.context["problems"]] == [
        "Activity and product: “summary of the product” is not answered.",
        "Document “AML policy” is not uploaded.",
    ]
    step_url = reverse("applications:application-step", kwargs={"pk": draft.pk, "step": "activity"})
    assert (
        f'<li><a href="{step_url}">Activity and product: “summary of the product” is not answered.</a></li>'
        in (response.content.decode())
    )
    draft = reload(draft)
    assert draft.state == ApplicationState.DRAFT
    assert draft.reference is None
    assert draft.declarations_accepted_at is None
    assert not AuditEvent.objects.filter(kind=EventKind.APPLICATION_SUBMITTED).exists()


def test_submit_page_lists_problems_before_posting(client, applicant, draft):
    factories.DocumentRequirementFactory(programme=draft.cohort.programme, name_en="Charter")
    client.force_login(applicant)

    response = client.get(url("submit", draft))

    # The declarations are the form on the page, so they are not listed as missing.
    assert [problem["text"] for problem in response.context["problems"]] == [
        "Document “Charter” is not uploaded."
    ]


def test_submit_without_declarations_shows_form_errors_and_submits_nothing(
    client, applicant, ready_draft
):
    client.force_login(applicant)

    response = client.post(url("submit", ready_draft), {"true_and_complete": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "authorised": ["Confirm that you are authorised to submit for the organisation."],
        "consent": [
            "Give your consent to the processing of the data and to referees being contacted."
        ],
        "no_guarantee": ["Confirm that you understand submission does not guarantee admission."],
    }
    assert (
        "Confirm that you are authorised to submit for the organisation."
        in response.content.decode()
    )
    application = reload(ready_draft)
    assert application.state == ApplicationState.DRAFT
    assert application.reference is None
    assert not AuditEvent.objects.filter(kind=EventKind.APPLICATION_SUBMITTED).exists()


def test_submit_success_redirects_to_the_receipt(client, applicant, ready_draft):
    requirement = factories.DocumentRequirementFactory(
        programme=ready_draft.cohort.programme, name_en="AML policy"
    )
    second = factories.DocumentVersionFactory(
        document=factories.DocumentFactory(application=ready_draft, requirement=requirement),
        original_name="aml-policy.pdf",
        content=b"%PDF-1.4\n% AML policy\n%%EOF\n",
    )
    first = ready_draft.documents.exclude(pk=second.document_id).get().versions.get()
    client.force_login(applicant)

    response = client.post(url("submit", ready_draft), DECLARATIONS, REMOTE_ADDR="10.1.2.3")

    application = reload(ready_draft)
    assert application.state == ApplicationState.SUBMITTED
    assert response.status_code == 302
    assert response["Location"] == url("receipt", application)
    assert messages_of(response) == [
        f"Your application has been submitted. Its reference is {application.reference}."
    ]
    assert AuditEvent.objects.get(kind=EventKind.APPLICATION_SUBMITTED).ip_address == "10.1.2.3"

    receipt = client.get(response["Location"]).content.decode()
    assert f'<h1 class="h3 mb-0" id="receipt-reference">{application.reference}</h1>' in receipt
    assert f'<td class="sha256">{first.sha256}</td>' in receipt
    assert f'<td class="sha256">{second.sha256}</td>' in receipt
    assert first.sha256 != second.sha256


def test_submit_by_programme_admin_is_forbidden(client, programme_admin, ready_draft):
    client.force_login(programme_admin)

    assert client.get(url("submit", ready_draft)).status_code == 403
    assert client.post(url("submit", ready_draft), DECLARATIONS).status_code == 403
    assert reload(ready_draft).state == ApplicationState.DRAFT


def test_submit_of_another_organisations_application_is_404(client, other_applicant, ready_draft):
    client.force_login(other_applicant)

    assert client.get(url("submit", ready_draft)).status_code == 404
    assert client.post(url("submit", ready_draft), DECLARATIONS).status_code == 404
    assert reload(ready_draft).state == ApplicationState.DRAFT


def test_submit_page_of_submitted_application_goes_to_the_status_page(client, applicant, submitted):
    client.force_login(applicant)

    response = client.get(url("submit", submitted))

    assert response.status_code == 302
    assert response["Location"] == url("detail", submitted)
    assert messages_of(response) == ["This application has already been submitted."]


# --- Receipt ----------------------------------------------------------------------------------


def test_receipt_shows_everything_submitted(client, applicant, submitted):
    version = submitted.documents.get().versions.get()
    client.force_login(applicant)

    response = client.get(url("receipt", submitted))

    content = response.content.decode()
    submitted_at = timezone.localtime(submitted.submitted_at)
    assert f'<h1 class="h3 mb-0" id="receipt-reference">{submitted.reference}</h1>' in content
    assert f"{submitted_at:%H:%M:%S} (UTC+0500, Asia/Almaty)" in content
    assert f'<dd class="col-md-8">{submitted.organisation.legal_name_en}</dd>' in content
    assert (
        f'<dd class="col-md-8" id="organisation-identifier">{submitted.organisation.bin}</dd>'
        in content
    )
    assert f'<dd class="col-md-8">{submitted.cohort.programme.name_en}</dd>' in content
    assert f'<dd class="col-md-8">{submitted.cohort.name}</dd>' in content
    assert f"{applicant.full_name} &lt;{applicant.email}&gt;" in content
    assert f"<td>{version.original_name} <span" in content
    assert f'<td class="text-nowrap">{version.size}\xa0bytes</td>' in content
    assert f'<td class="sha256">{version.sha256}</td>' in content
    assert "Tenge-backed stablecoin for cross-border remittances" in content
    assert '<button type="button" class="btn btn-primary" data-print>' in content
    # The receipt is proof of what was sent: no links to change anything.
    assert "/edit/" not in content


def test_receipt_lists_the_version_current_at_submission(client, applicant, submitted):
    document = submitted.documents.get()
    at_submission = document.versions.get()
    later = factories.DocumentVersionFactory(
        document=document, number=2, content=b"%PDF-1.4\n% later\n%%EOF\n"
    )
    client.force_login(applicant)

    response = client.get(url("receipt", submitted))

    assert [row["version"] for row in response.context["documents"]] == [at_submission]
    assert later.sha256 not in response.content.decode()


def test_receipt_of_a_draft_is_404(client, applicant, draft):
    client.force_login(applicant)

    assert client.get(url("receipt", draft)).status_code == 404


def test_receipt_of_another_organisations_application_is_404(client, other_applicant, submitted):
    client.force_login(other_applicant)

    assert client.get(url("receipt", submitted)).status_code == 404


# --- Withdrawal -------------------------------------------------------------------------------


def test_withdraw_page_asks_for_a_reason(client, applicant, submitted):
    client.force_login(applicant)

    response = client.get(url("withdraw", submitted))

    content = response.content.decode()
    assert "Withdrawing cannot be undone." in content
    assert '<textarea name="reason"' in content
    assert "Why are you withdrawing?" in content


def test_withdraw_needs_a_reason(client, applicant, submitted):
    client.force_login(applicant)

    response = client.post(url("withdraw", submitted), {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Please give a reason for withdrawing."]}
    assert reload(submitted).state == ApplicationState.SUBMITTED
    assert not AuditEvent.objects.filter(kind=EventKind.APPLICATION_WITHDRAWN).exists()


def test_withdraw_changes_state_and_shows_in_timeline(client, applicant, co_member, submitted):
    client.force_login(co_member)

    response = client.post(
        url("withdraw", submitted), {"reason": "We pivoted to B2B."}, REMOTE_ADDR="10.9.9.9"
    )

    assert response.status_code == 302
    assert response["Location"] == url("detail", submitted)
    assert messages_of(response) == ["Your application has been withdrawn."]
    application = reload(submitted)
    assert application.state == ApplicationState.WITHDRAWN
    assert application.withdrawal_reason == "We pivoted to B2B."
    event = AuditEvent.objects.get(kind=EventKind.APPLICATION_WITHDRAWN)
    assert (event.actor, event.ip_address) == (co_member, "10.9.9.9")

    detail = client.get(url("detail", submitted))
    assert detail.context["timeline"][0]["sentence"] == (
        f"{co_member.full_name} withdrew the application, giving the reason: “We pivoted to B2B.”."
    )
    content = detail.content.decode()
    assert "This application was withdrawn and will not be considered further." in content
    assert url("withdraw", submitted) not in content


def test_withdraw_a_draft(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(url("withdraw", draft), {"reason": "Started by mistake"})

    assert response["Location"] == url("detail", draft)
    application = reload(draft)
    assert (application.state, application.reference) == (ApplicationState.WITHDRAWN, None)
    # Never submitted, so there is no receipt.
    assert client.get(url("receipt", draft)).status_code == 404


def test_withdraw_page_of_withdrawn_application_goes_back(client, applicant, submitted):
    client.force_login(applicant)
    client.post(url("withdraw", submitted), {"reason": "Pivot"})

    response = client.get(url("withdraw", submitted))

    assert response["Location"] == url("detail", submitted)
    assert messages_of(response)[-1] == "This application can no longer be withdrawn."


def test_withdraw_by_programme_admin_is_forbidden(client, programme_admin, submitted):
    client.force_login(programme_admin)

    assert client.post(url("withdraw", submitted), {"reason": "No"}).status_code == 403
    assert reload(submitted).state == ApplicationState.SUBMITTED


def test_withdraw_of_another_organisations_application_is_404(client, other_applicant, submitted):
    client.force_login(other_applicant)

    assert client.get(url("withdraw", submitted)).status_code == 404
    assert client.post(url("withdraw", submitted), {"reason": "No"}).status_code == 404
    assert reload(submitted).state == ApplicationState.SUBMITTED
