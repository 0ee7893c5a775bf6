"""Document slots: the list page, the streaming upload view and the download view."""

import hashlib
import re

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.enums import ApplicationState, DocumentStage, EventKind, ScanStatus
from applications.models import Application, AuditEvent, DocumentVersion
from applications.services.documents import open_version
from tests import factories
from tests.applications.test_validators import PDF, PNG, docx_bytes

pytestmark = pytest.mark.django_db


def stored_bytes(version) -> bytes:
    with open_version(version) as stream:
        return stream.read()


@pytest.fixture
def plan(draft):
    return factories.DocumentRequirementFactory(
        programme=draft.cohort.programme,
        name_en="Business plan",
        help_en="Three years of forecasts.",
        position=1,
    )


@pytest.fixture
def aml(draft):
    return factories.DocumentRequirementFactory(
        programme=draft.cohort.programme,
        name_en="AML/CFT policy",
        allowed_extensions="pdf",
        max_size_mb=10,
        position=2,
    )


@pytest.fixture
def exit_plan(draft):
    return factories.DocumentRequirementFactory(
        programme=draft.cohort.programme, name_en="Exit plan", mandatory=False, position=3
    )


def list_url(application) -> str:
    return reverse("applications:document-list", kwargs={"pk": application.pk})


def upload_url(application, requirement) -> str:
    return reverse(
        "applications:document-upload",
        kwargs={"pk": application.pk, "requirement_id": requirement.pk},
    )


def download_url(version) -> str:
    return reverse("applications:document-download", kwargs={"version_id": version.pk})


def add_version(application, requirement, **fields):
    document = factories.DocumentFactory(application=application, requirement=requirement)
    return factories.DocumentVersionFactory(document=document, **fields)


def mark_submitted(application) -> None:
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.SUBMITTED, reference="SBX-2026-00042"
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The list ---------------------------------------------------------------------------------


def test_document_list_shows_each_slot_with_its_limits_and_an_upload_form(
    client, applicant, draft, plan, aml, exit_plan
):
    client.force_login(applicant)
    response = client.get(list_url(draft))
    html = response.content.decode()

    assert [slot["requirement"] for slot in response.context["slots"]] == [plan, aml, exit_plan]
    assert html.count('<span class="badge text-bg-primary">Mandatory</span>') == 2
    assert html.count('<span class="badge text-bg-secondary">Optional</span>') == 1
    assert "Three years of forecasts." in html
    assert "Accepted: PDF, DOCX. Up to 5 MB." in html
    assert "Accepted: PDF. Up to 10 MB." in html
    assert f'action="{upload_url(draft, aml)}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf"' in html
    assert 'data-max-bytes="10485760"' in html
    assert 'data-extensions="pdf"' in html
    assert (
        'data-too-large-message="The file is larger than the 10 MB limit for this document."'
        in html
    )
    assert 'data-wrong-type-message="This document must be one of these file types: PDF."' in html
    assert html.count("Not uploaded yet.") == 3


def test_document_list_checklist_counts_mandatory_documents_and_names_the_missing(
    client, applicant, draft, plan, aml, exit_plan
):
    add_version(draft, plan)
    add_version(draft, exit_plan)
    client.force_login(applicant)
    response = client.get(list_url(draft))

    assert response.context["checklist"] == {"total": 2, "uploaded": 1, "missing": [aml]}
    checklist = re.search(
        r'<section id="document-checklist".*?</section>', response.content.decode(), re.S
    ).group()
    assert "1 of 2 mandatory documents uploaded" in checklist
    assert "AML/CFT policy" in checklist
    assert "Business plan" not in checklist


def test_document_list_quarantined_document_counts_as_missing(client, applicant, draft, plan):
    add_version(draft, plan, scan_status=ScanStatus.QUARANTINED)
    client.force_login(applicant)
    response = client.get(list_url(draft))
    assert response.context["checklist"] == {"total": 1, "uploaded": 0, "missing": [plan]}
    assert "0 of 1 mandatory document uploaded" in response.content.decode()


def test_document_list_shows_the_latest_version_and_lists_older_ones(
    client, applicant, co_member, draft, plan
):
    document = factories.DocumentFactory(application=draft, requirement=plan)
    old = factories.DocumentVersionFactory(document=document, number=1, original_name="plan-v1.pdf")
    new = factories.DocumentVersionFactory(
        document=document,
        number=2,
        original_name="plan-final.pdf",
        uploaded_by=co_member,
        content=PDF,
    )
    client.force_login(applicant)
    html = client.get(list_url(draft)).content.decode()

    assert (
        f'<a href="{download_url(new)}" download><i class="bi bi-download" aria-hidden="true"></i> plan-final.pdf</a>'
        in html
    )
    assert f"(version 2, {len(PDF)}\xa0bytes)" in html
    assert f"by {co_member.display_name}" in html
    assert f'<dd class="col-sm-9 sha256">{new.sha256}</dd>' in html
    assert html.count("Structural checks passed; not virus-scanned.") == 2
    assert "1 earlier version" in html
    assert f'href="{download_url(old)}"' in html
    assert old.sha256 in html
    assert "Upload a new version" in html


def test_document_list_shows_each_check_status(client, applicant, draft, plan, aml, exit_plan):
    pending = add_version(draft, plan, scan_status=ScanStatus.PENDING, original_name="pending.pdf")
    quarantined = add_version(
        draft, aml, scan_status=ScanStatus.QUARANTINED, original_name="bad.pdf"
    )
    add_version(draft, exit_plan, scanned_by="clamav 1.4")
    client.force_login(applicant)
    html = client.get(list_url(draft)).content.decode()

    assert "Being checked" in html
    assert "Quarantined" in html
    assert "This file failed the security check and cannot be opened. Upload a clean file." in html
    assert "Virus-scanned by clamav 1.4." in html
    assert "not virus-scanned" not in html
    assert download_url(pending) not in html.replace(f"?slot={plan.pk}", "")
    assert download_url(quarantined) not in html
    # A slot being checked asks for its result again; htmx swaps only that slot.
    assert f'hx-get="{list_url(draft)}?slot={plan.pk}" hx-trigger="load delay:5s"' in html


def test_document_list_htmx_slot_request_renders_only_that_slot(
    client, applicant, draft, plan, aml
):
    add_version(draft, plan)
    client.force_login(applicant)
    html = client.get(
        f"{list_url(draft)}?slot={plan.pk}", headers={"HX-Request": "true"}
    ).content.decode()
    assert html.lstrip().startswith(f'<article id="document-{plan.pk}"')
    assert "<html" not in html
    assert f'id="document-{aml.pk}"' not in html


def test_document_list_submitted_application_has_no_upload_forms(client, applicant, draft, plan):
    mark_submitted(draft)
    client.force_login(applicant)
    response = client.get(list_url(draft))
    html = response.content.decode()
    assert response.context["can_upload"] is False
    assert "<form" not in html.split('<main id="main"')[1]
    assert "This application has been submitted; its documents can no longer be changed." in html


def test_document_list_sends_staff_to_their_screening_page(client, programme_admin, draft):
    client.force_login(programme_admin)

    response = client.get(list_url(draft))

    assert response.status_code == 302
    assert response.url == reverse("applications:staff-document-list", args=[draft.pk])


@pytest.mark.parametrize("who", ["other_applicant", "reviewer"])
def test_document_list_not_visible_is_404(client, request, who, draft, plan):
    client.force_login(request.getfixturevalue(who))
    assert client.get(list_url(draft)).status_code == 404


def test_document_list_anonymous_is_sent_to_login(client, draft):
    response = client.get(list_url(draft))
    assert response.status_code == 302
    assert response.url == redirect_to_login(list_url(draft)).url


def _slots_with_versions(application, requirements: int, versions: int) -> None:
    for _index in range(requirements):
        requirement = factories.DocumentRequirementFactory(programme=application.cohort.programme)
        document = factories.DocumentFactory(application=application, requirement=requirement)
        for number in range(1, versions + 1):
            factories.DocumentVersionFactory(document=document, number=number)


@pytest.mark.parametrize(("requirements", "versions"), [(1, 1), (6, 4)])
def test_document_list_query_count_is_constant(
    client, applicant, draft, requirements, versions, django_assert_num_queries
):
    _slots_with_versions(draft, requirements, versions)
    client.force_login(applicant)
    # user (session from the cache), application, requirements, versions: whatever the number of rows.
    with django_assert_num_queries(4):
        response = client.get(list_url(draft))
    assert len(response.context["slots"]) == requirements
    assert (
        sum(len(slot["versions"]) for slot in response.context["slots"]) == requirements * versions
    )


# --- Upload -----------------------------------------------------------------------------------


def test_upload_stores_version_one_then_version_two_without_overwriting(
    client, applicant, draft, plan
):
    client.force_login(applicant)
    first = client.post(
        upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PDF)}, follow=True
    )
    second = client.post(
        upload_url(draft, plan),
        {"file": SimpleUploadedFile("plan.docx", docx_bytes())},
        follow=True,
    )

    assert first.redirect_chain == [(f"{list_url(draft)}#document-{plan.pk}", 302)]
    assert messages_of(first) == ["“plan.pdf” uploaded as version 1 of “Business plan”."]
    assert messages_of(second) == ["“plan.docx” uploaded as version 2 of “Business plan”."]
    v1, v2 = DocumentVersion.objects.order_by("number")
    assert (v1.number, v1.original_name, v1.sha256) == (
        1,
        "plan.pdf",
        hashlib.sha256(PDF).hexdigest(),
    )
    assert (v2.number, v2.original_name, v2.content_type) == (
        2,
        "plan.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert stored_bytes(v1) == PDF
    assert stored_bytes(v2) == docx_bytes()
    assert v1.document_id == v2.document_id


def test_upload_storage_key_is_random_not_the_file_name(client, applicant, draft, plan):
    client.force_login(applicant)
    client.post(upload_url(draft, plan), {"file": SimpleUploadedFile("Бизнес-план.pdf", PDF)})
    version = DocumentVersion.objects.get()
    assert re.fullmatch(r"documents/[0-9a-f]{32}", version.storage_key)
    assert version.original_name == "Бизнес-план.pdf"


def test_upload_records_a_document_uploaded_event(client, applicant, draft, plan):
    client.force_login(applicant)
    client.post(
        upload_url(draft, plan),
        {"file": SimpleUploadedFile("plan.pdf", PDF)},
        REMOTE_ADDR="198.51.100.4",
    )
    version = DocumentVersion.objects.get()
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.application, event.ip_address) == (
        EventKind.DOCUMENT_UPLOADED,
        applicant,
        draft,
        "198.51.100.4",
    )
    assert event.subject == f"document_version:{version.pk}"


def test_upload_wrong_content_is_refused_with_the_reason(client, applicant, draft, plan):
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PNG)}, follow=True
    )
    assert messages_of(response) == [
        "The content of “plan.pdf” is not a PDF file, whatever its name says. Please upload the real document."
    ]
    assert DocumentVersion.objects.count() == 0


def test_upload_without_a_file_asks_for_one(client, applicant, draft, plan):
    client.force_login(applicant)
    response = client.post(upload_url(draft, plan), {}, follow=True)
    assert messages_of(response) == ["Choose a file to upload."]
    assert DocumentVersion.objects.count() == 0


def test_upload_to_submitted_application_is_refused(client, applicant, draft, plan):
    mark_submitted(draft)
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PDF)}, follow=True
    )
    assert messages_of(response) == [
        "This application has been submitted; its documents can no longer be changed."
    ]
    assert DocumentVersion.objects.count() == 0


@pytest.mark.parametrize("who", ["other_applicant", "reviewer"])
def test_upload_not_visible_is_404(client, request, who, draft, plan):
    client.force_login(request.getfixturevalue(who))
    response = client.post(upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PDF)})
    assert response.status_code == 404
    assert DocumentVersion.objects.count() == 0


def test_upload_programme_admin_is_forbidden(client, programme_admin, draft, plan):
    client.force_login(programme_admin)
    response = client.post(upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PDF)})
    assert response.status_code == 403
    assert DocumentVersion.objects.count() == 0


def test_upload_requirement_of_another_programme_is_404(client, applicant, draft):
    foreign = factories.DocumentRequirementFactory()
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, foreign), {"file": SimpleUploadedFile("plan.pdf", PDF)}
    )
    assert response.status_code == 404


def test_upload_requirement_of_a_later_stage_is_404(client, applicant, draft):
    onboarding = factories.DocumentRequirementFactory(
        programme=draft.cohort.programme, stage=DocumentStage.ONBOARDING
    )
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, onboarding), {"file": SimpleUploadedFile("plan.pdf", PDF)}
    )
    assert response.status_code == 404


def test_upload_get_is_not_allowed(client, applicant, draft, plan):
    client.force_login(applicant)
    assert client.get(upload_url(draft, plan)).status_code == 405


def test_upload_anonymous_is_sent_to_login(client, draft, plan):
    response = client.post(upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PDF)})
    assert response.status_code == 302
    assert response.url == redirect_to_login(upload_url(draft, plan)).url


def test_upload_without_csrf_token_is_forbidden(applicant, draft, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(upload_url(draft, plan), {"file": SimpleUploadedFile("plan.pdf", PDF)})
    assert response.status_code == 403
    assert DocumentVersion.objects.count() == 0


def test_upload_with_csrf_token_from_the_page_is_stored(applicant, draft, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    page = client.get(list_url(draft)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        upload_url(draft, plan),
        {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("plan.pdf", PDF)},
    )
    assert response.status_code == 302
    assert DocumentVersion.objects.count() == 1


def test_upload_by_htmx_returns_the_slot_and_the_checklist(client, applicant, draft, plan, aml):
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, plan),
        {"file": SimpleUploadedFile("plan.pdf", PDF)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article id="document-{plan.pk}"')
    assert (
        '<div class="alert alert-success" role="status">“plan.pdf” uploaded as version 1 of “Business plan”.</div>'
        in html
    )
    assert (
        '<section id="document-checklist" class="alert alert-warning" aria-live="polite" hx-swap-oob="true">'
        in html
    )
    assert "1 of 2 mandatory documents uploaded" in html
    assert DocumentVersion.objects.count() == 1


def test_upload_by_htmx_shows_the_error_in_the_slot(client, applicant, draft, plan):
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, plan),
        {"file": SimpleUploadedFile("plan.exe", b"MZ")},
        headers={"HX-Request": "true"},
    )
    assert (
        '<div class="alert alert-danger" role="alert">“plan.exe” is not an accepted file type here. '
        "Accepted: PDF, DOCX.</div>" in response.content.decode()
    )


# --- Download ---------------------------------------------------------------------------------


def test_download_streams_an_attachment_with_safe_headers(client, applicant, draft, plan):
    version = add_version(draft, plan, original_name="Бизнес-план 2026.pdf", content=PDF)
    client.force_login(applicant)
    response = client.get(download_url(version))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        'attachment; filename="______-____ 2026.pdf"; '
        "filename*=UTF-8''%D0%91%D0%B8%D0%B7%D0%BD%D0%B5%D1%81-%D0%BF%D0%BB%D0%B0%D0%BD%202026.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"


def test_download_ascii_name_is_quoted(client, applicant, draft, plan):
    version = add_version(draft, plan, original_name='plan "final".pdf', content=PDF)
    client.force_login(applicant)
    response = client.get(download_url(version))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"plan _final_.pdf\"; filename*=UTF-8''plan%20%22final%22.pdf"
    )
    assert b"".join(response.streaming_content) == PDF


def test_download_records_who_which_version_and_ip(client, applicant, draft, plan):
    version = add_version(draft, plan, content=PDF)
    client.force_login(applicant)
    response = client.get(download_url(version), REMOTE_ADDR="203.0.113.9")
    assert b"".join(response.streaming_content) == PDF  # consumed, so the file is closed
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.application, event.ip_address) == (
        EventKind.DOCUMENT_DOWNLOADED,
        applicant,
        draft,
        "203.0.113.9",
    )
    assert event.subject == f"document_version:{version.pk}"
    assert event.data == {"version": version.number, "sha256": version.sha256}


def test_download_programme_admin_may_download(client, programme_admin, draft, plan):
    version = add_version(draft, plan, content=PDF)
    client.force_login(programme_admin)
    response = client.get(download_url(version))
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.get().actor == programme_admin


@pytest.mark.parametrize("who", ["other_applicant", "reviewer"])
def test_download_not_visible_is_404(client, request, who, draft, plan):
    version = add_version(draft, plan)
    client.force_login(request.getfixturevalue(who))
    assert client.get(download_url(version)).status_code == 404
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("status", [ScanStatus.PENDING, ScanStatus.QUARANTINED])
@pytest.mark.parametrize("who", ["applicant", "programme_admin"])
def test_download_unchecked_or_quarantined_is_404_for_everyone(
    client, request, who, status, draft, plan
):
    version = add_version(draft, plan, scan_status=status)
    client.force_login(request.getfixturevalue(who))
    assert client.get(download_url(version)).status_code == 404
    assert AuditEvent.objects.count() == 0


def test_download_unknown_version_is_404(client, applicant):
    client.force_login(applicant)
    assert (
        client.get(
            reverse("applications:document-download", kwargs={"version_id": 999999})
        ).status_code
        == 404
    )


def test_download_anonymous_is_sent_to_login(client, draft, plan):
    version = add_version(draft, plan)
    response = client.get(download_url(version))
    assert response.status_code == 302
    assert response.url == redirect_to_login(download_url(version)).url
