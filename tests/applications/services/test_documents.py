"""services.documents: new versions, never overwritten; downloads and checks recorded."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import ApplicationState, EventKind, ScanStatus
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, AuditEvent, DocumentVersion
from applications.services.documents import (
    open_version,
    record_download,
    upload_document,
)
from applications.services.scans import scan_version
from tests import factories
from tests.applications.test_validators import PDF, PNG, docx_bytes

pytestmark = pytest.mark.django_db


def stored_bytes(version) -> bytes:
    with open_version(version) as stream:
        return stream.read()


@pytest.fixture
def slot(draft):
    return factories.DocumentRequirementFactory(
        programme=draft.cohort.programme, code="business-plan"
    )


@pytest.fixture
def stored_files(tmp_path):
    return lambda: sorted(path for path in (tmp_path / "uploads").rglob("*") if path.is_file())


def upload(actor, application, requirement, content=PDF, name="plan.pdf", **kwargs):
    return upload_document(
        actor=actor,
        application_id=application.pk,
        requirement_id=requirement.pk,
        upload=SimpleUploadedFile(name, content),
        **kwargs,
    )


def test_upload_document_stores_version_under_random_key_with_checksum(applicant, draft, slot):
    version = upload(applicant, draft, slot, name="Бизнес-план.pdf", ip_address="10.1.2.3")

    assert version.number == 1
    assert version.document.application == draft
    assert version.document.requirement == slot
    assert re.fullmatch(r"documents/[0-9a-f]{32}", version.storage_key)
    assert (version.original_name, version.content_type, version.size) == (
        "Бизнес-план.pdf",
        "application/pdf",
        len(PDF),
    )
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert version.uploaded_by == applicant
    assert version.scan_status == ScanStatus.PENDING
    assert stored_bytes(version) == PDF


def test_upload_document_records_one_event(applicant, draft, slot):
    version = upload(applicant, draft, slot, ip_address="10.1.2.3")

    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.application, event.organisation) == (
        EventKind.DOCUMENT_UPLOADED,
        applicant,
        draft,
        draft.organisation,
    )
    assert event.subject == f"document_version:{version.pk}"
    assert event.data == {
        "requirement": "business-plan",
        "version": 1,
        "sha256": version.sha256,
        "size": len(PDF),
    }
    assert event.applicant_visible is True
    assert event.ip_address == "10.1.2.3"


def test_upload_document_again_adds_a_version_and_keeps_the_first(
    applicant, co_member, draft, slot
):
    first = upload(applicant, draft, slot)
    second = upload(co_member, draft, slot, content=docx_bytes(), name="plan.docx")

    assert (first.number, second.number) == (1, 2)
    assert second.document_id == first.document_id
    assert second.storage_key != first.storage_key
    assert second.uploaded_by == co_member
    assert stored_bytes(first) == PDF
    assert DocumentVersion.objects.count() == 2


def test_upload_document_trusts_the_checksum_computed_while_streaming(applicant, draft, slot):
    streamed = SimpleUploadedFile("plan.pdf", PDF)
    streamed.sha256 = "a" * 64  # what HashingUploadHandler set; not recomputed
    version = upload_document(
        actor=applicant, application_id=draft.pk, requirement_id=slot.pk, upload=streamed
    )
    assert version.sha256 == "a" * 64


def test_upload_document_invalid_file_stores_nothing(applicant, draft, slot, stored_files):
    with pytest.raises(ValidationError, match="is not a PDF file"):
        upload(applicant, draft, slot, content=PNG, name="plan.pdf")
    assert stored_files() == []
    assert DocumentVersion.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_upload_document_submitted_application_is_refused(applicant, draft, slot, stored_files):
    Application.objects.filter(pk=draft.pk).update(
        state=ApplicationState.SUBMITTED, reference="SBX-2026-00001"
    )
    with pytest.raises(
        WorkflowError, match=r"^This application has been submitted; its documents can no longer"
    ):
        upload(applicant, draft, slot)
    assert stored_files() == []


def test_upload_document_other_organisation_is_not_allowed(other_applicant, draft, slot):
    with pytest.raises(NotAllowed):
        upload(other_applicant, draft, slot)
    assert DocumentVersion.objects.count() == 0


def test_upload_document_programme_admin_is_not_allowed(programme_admin, draft, slot):
    with pytest.raises(NotAllowed):
        upload(programme_admin, draft, slot)


def test_upload_document_requirement_of_another_programme_is_refused(
    applicant, draft, stored_files
):
    foreign = factories.DocumentRequirementFactory()
    with pytest.raises(
        WorkflowError, match=r"^This document is not asked for by this programme\.$"
    ):
        upload(applicant, draft, foreign)
    assert stored_files() == []


def test_upload_document_failed_row_removes_the_stored_file(
    applicant, draft, slot, stored_files, monkeypatch
):
    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("applications.services.documents.record_event", explode)
    with pytest.raises(RuntimeError):
        upload(applicant, draft, slot)
    assert stored_files() == []
    assert DocumentVersion.objects.count() == 0


def test_upload_document_is_checked_after_commit(
    applicant, draft, slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(applicant, draft, slot)
    version.refresh_from_db()
    assert (version.scan_status, version.scanned_by) == (ScanStatus.CLEAN, "")
    assert list(AuditEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        EventKind.DOCUMENT_UPLOADED,
        EventKind.DOCUMENT_SCANNED,
    ]


def test_scan_version_without_scanner_marks_clean_and_says_so(draft):
    version = factories.DocumentVersionFactory(
        document__application=draft, scan_status=ScanStatus.PENDING
    )
    assert scan_version(version_id=version.pk) == ScanStatus.CLEAN
    version.refresh_from_db()
    assert version.virus_scanned is False
    assert version.scanned_at is not None
    event = AuditEvent.objects.get()
    assert event.data == {"result": "clean", "scanner": "structural checks only"}


def test_scan_version_leaves_a_checked_version_alone(draft):
    version = factories.DocumentVersionFactory(
        document__application=draft, scan_status=ScanStatus.QUARANTINED
    )
    assert scan_version(version_id=version.pk) == ScanStatus.QUARANTINED
    assert AuditEvent.objects.count() == 0


def test_record_download_writes_who_which_version_and_ip(programme_admin, draft):
    version = factories.DocumentVersionFactory(document__application=draft)
    record_download(actor=programme_admin, version=version, ip_address="192.0.2.7")
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.application, event.ip_address) == (
        EventKind.DOCUMENT_DOWNLOADED,
        programme_admin,
        draft,
        "192.0.2.7",
    )
    assert event.subject == f"document_version:{version.pk}"
    assert event.data == {"version": version.number, "sha256": version.sha256}


def test_open_version_reads_the_stored_bytes(draft):
    version = factories.DocumentVersionFactory(
        document__application=draft, content=b"%PDF-1.7\nhello\n%%EOF\n"
    )
    with open_version(version) as stream:
        assert stream.read() == b"%PDF-1.7\nhello\n%%EOF\n"
    assert default_storage.exists(version.storage_key)
