"""Staff screening of documents, the access log, corrections, and the download headers for every
role that may download (and a 404 for every role that may not)."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState, EventKind, ScanStatus
from applications.models import AuditEvent, Document, DocumentVersion
from applications.services.documents import record_download, request_correction
from tests import factories
from tests.applications.test_validators import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(applicant, cohort):
    return factories.ApplicationFactory(
        organisation=applicant.organisation,
        cohort=cohort,
        created_by=applicant,
        # Documents are screened (and sent back to be corrected) during completeness screening.
        state=ApplicationState.SCREENING,
        reference="SBX-2026-00042",
        submitted_at=timezone.now(),
    )


@pytest.fixture
def document(submitted):
    return factories.DocumentFactory(application=submitted)


@pytest.fixture
def version(document):
    return factories.DocumentVersionFactory(
        document=document, original_name="Устав «Steppe» 2026.pdf", content=PDF
    )


def screen_url(application):
    return reverse("applications:staff-document-list", args=[application.pk])


# --- Download headers, for every role -----------------------------------------------------------

EXPECTED_HEADERS = {
    "Content-Type": "application/pdf",
    "Content-Disposition": (
        'attachment; filename="_____ _Steppe_ 2026.pdf"; '
        f"filename*=UTF-8''{quote('Устав «Steppe» 2026.pdf', safe='')}"
    ),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "no-store",
    "Content-Length": str(len(PDF)),
}


def _user(role, applicant, co_member, other_applicant, reviewer, programme_admin):
    return {
        "applicant": applicant,
        "co_member": co_member,
        "programme_admin": programme_admin,
        "other_applicant": other_applicant,
        "reviewer": reviewer,
        "anonymous": None,
    }[role]


@pytest.mark.parametrize("role", ["applicant", "co_member", "programme_admin"])
@pytest.mark.parametrize("which", ["latest", "earlier"])
def test_download_carries_every_safety_header_for_each_role_allowed(
    client,
    role,
    which,
    applicant,
    co_member,
    other_applicant,
    reviewer,
    programme_admin,
    document,
    version,
):
    newer = factories.DocumentVersionFactory(
        document=document, original_name="other.pdf", content=PDF
    )
    assert newer.number > version.number
    user = _user(role, applicant, co_member, other_applicant, reviewer, programme_admin)
    client.force_login(user)
    # The earlier version stays downloadable after a new one is added.
    target = version if which == "earlier" else newer
    expected = EXPECTED_HEADERS
    if which == "latest":
        name = "attachment; filename=\"other.pdf\"; filename*=UTF-8''other.pdf"
        expected = {**EXPECTED_HEADERS, "Content-Disposition": name}

    response = client.get(reverse("applications:document-download", args=[target.pk]))

    assert response.status_code == 200
    assert {name: response[name] for name in expected} == expected
    assert response.streaming is True
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_DOWNLOADED)
    assert (event.actor, event.subject, event.ip_address) == (
        user,
        f"document_version:{target.pk}",
        "127.0.0.1",
    )


@pytest.mark.parametrize("role", ["other_applicant", "reviewer", "anonymous"])
def test_download_is_404_for_each_role_not_allowed(
    client, role, applicant, co_member, other_applicant, reviewer, programme_admin, version
):
    user = _user(role, applicant, co_member, other_applicant, reviewer, programme_admin)
    if user:
        client.force_login(user)
    response = client.get(reverse("applications:document-download", args=[version.pk]))
    assert response.status_code == (404 if user else 302)
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_DOWNLOADED).exists()


@pytest.mark.parametrize("status", [ScanStatus.PENDING, ScanStatus.QUARANTINED])
@pytest.mark.parametrize("role", ["applicant", "programme_admin"])
def test_download_of_an_unchecked_version_is_404_for_everyone(
    client, status, role, applicant, programme_admin, document
):
    version = factories.DocumentVersionFactory(document=document, scan_status=status)
    client.force_login(applicant if role == "applicant" else programme_admin)
    assert (
        client.get(reverse("applications:document-download", args=[version.pk])).status_code == 404
    )


# --- The staff screen -----------------------------------------------------------------------------


def test_staff_screen_lists_clean_versions_only_with_scan_labels(
    client, programme_admin, document, version
):
    factories.DocumentVersionFactory(
        document=document, original_name="pending.pdf", scan_status=ScanStatus.PENDING
    )
    factories.DocumentVersionFactory(
        document=document, original_name="bad.pdf", scan_status=ScanStatus.QUARANTINED
    )
    scanned = factories.DocumentVersionFactory(
        document=document, original_name="scanned.pdf", scanned_by="ClamAV"
    )
    client.force_login(programme_admin)

    content = client.get(screen_url(document.application)).content.decode()

    assert "pending.pdf" not in content
    assert "bad.pdf" not in content
    assert "Устав «Steppe» 2026.pdf" in content
    assert "scanned.pdf" in content
    assert content.count("Structural checks passed; not virus-scanned") == 1
    assert content.count("Virus-scanned by ClamAV") == 1
    assert reverse("applications:document-access-log", args=[document.pk]) in content
    assert scanned.sha256 in content


def test_staff_screen_is_linked_from_the_application_page_for_admins_only(
    client, programme_admin, applicant, submitted
):
    link = screen_url(submitted)
    client.force_login(programme_admin)
    staff_page = reverse("applications:staff-application-detail", args=[submitted.pk])
    assert link in client.get(staff_page).content.decode()
    client.force_login(applicant)
    applicant_page = reverse("applications:application-detail", args=[submitted.pk])
    assert link not in client.get(applicant_page).content.decode()


@pytest.mark.parametrize("role", ["applicant", "reviewer", "other_applicant"])
def test_staff_screen_and_access_log_are_404_for_others(
    client,
    role,
    applicant,
    co_member,
    other_applicant,
    reviewer,
    programme_admin,
    document,
    version,
):
    client.force_login(
        _user(role, applicant, co_member, other_applicant, reviewer, programme_admin)
    )
    assert client.get(screen_url(document.application)).status_code == 404
    assert (
        client.get(reverse("applications:document-access-log", args=[document.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("applications:document-correction-request", args=[document.pk]), {"note": "x"}
    )
    assert response.status_code == 404
    assert Document.objects.get().screened_at is None


def test_staff_screen_runs_a_constant_number_of_queries(
    client, programme_admin, submitted, django_assert_max_num_queries
):
    client.force_login(programme_admin)
    for count in (1, 8):
        for _n in range(count):
            factories.DocumentVersionFactory(
                document=factories.DocumentFactory(application=submitted)
            )
        with django_assert_max_num_queries(12):
            assert client.get(screen_url(submitted)).status_code == 200


def test_access_log_shows_who_when_which_version_and_ip(
    client, programme_admin, applicant, document, version
):
    record_download(actor=applicant, version=version, ip_address="192.0.2.10")
    record_download(actor=programme_admin, version=version, ip_address="198.51.100.7")
    client.force_login(programme_admin)

    response = client.get(reverse("applications:document-access-log", args=[document.pk]))

    rows = [(e.actor, e.kind, e.version_number, e.ip_address) for e in response.context["events"]]
    assert rows == [
        (programme_admin, EventKind.DOCUMENT_DOWNLOADED, version.number, "198.51.100.7"),
        (applicant, EventKind.DOCUMENT_DOWNLOADED, version.number, "192.0.2.10"),
    ]
    content = response.content.decode()
    assert "198.51.100.7" in content
    assert applicant.display_name in content


# --- Corrections ----------------------------------------------------------------------------------


def test_correction_request_is_shown_to_the_applicant_who_uploads_a_new_version(
    client, programme_admin, applicant, document, version, settings
):
    client.force_login(programme_admin)
    response = client.post(
        reverse("applications:document-correction-request", args=[document.pk]),
        {"note": "The charter is not signed."},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"The applicant is asked to correct “{document.requirement.name}”."
    ]
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_TO_CORRECT)
    assert (event.actor, event.applicant_visible, event.data["note"]) == (
        programme_admin,
        True,
        "The charter is not signed.",
    )

    client.force_login(applicant)
    page = client.get(reverse("applications:document-list", args=[document.application.pk]))
    assert "The charter is not signed." in page.content.decode()
    url = reverse(
        "applications:document-upload",
        kwargs={"pk": document.application.pk, "requirement_id": document.requirement.pk},
    )
    client.post(url, {"file": SimpleUploadedFile("signed.pdf", PDF)})

    assert list(document.versions.values_list("original_name", flat=True)) == [
        "signed.pdf",
        "Устав «Steppe» 2026.pdf",
    ]
    document.refresh_from_db()
    assert (document.screened_at, document.screening_note) == (None, "")
    uploaded = AuditEvent.objects.get(kind=EventKind.DOCUMENT_UPLOADED)
    assert uploaded.data["correction"] == "The charter is not signed."
    # Once the corrected file is in, the submitted document is closed again.
    client.post(url, {"file": SimpleUploadedFile("again.pdf", PDF)})
    assert document.versions.count() == 2


def test_submitted_document_without_a_correction_request_takes_no_new_version(
    client, applicant, document, version
):
    client.force_login(applicant)
    url = reverse(
        "applications:document-upload",
        kwargs={"pk": document.application.pk, "requirement_id": document.requirement.pk},
    )
    response = client.post(url, {"file": SimpleUploadedFile("new.pdf", PDF)}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This application has been submitted; its documents can no longer be changed."
    ]
    assert list(DocumentVersion.objects.all()) == [version]


def test_correction_request_needs_a_note(client, programme_admin, document):
    client.force_login(programme_admin)
    response = client.post(
        reverse("applications:document-correction-request", args=[document.pk]),
        {"note": ""},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Say what needs to be corrected."]
    document.refresh_from_db()
    assert document.screened_at is None


def test_correction_request_on_a_draft_is_refused(programme_admin, draft):
    from applications.exceptions import WorkflowError

    document = factories.DocumentFactory(application=draft)
    with pytest.raises(WorkflowError, match="only during completeness screening"):
        request_correction(actor=programme_admin, document_id=document.pk, note="Sign it")


def test_correction_request_by_an_applicant_is_not_allowed(applicant, document):
    from applications.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        request_correction(actor=applicant, document_id=document.pk, note="Sign it")
