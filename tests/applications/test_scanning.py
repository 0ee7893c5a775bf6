"""Virus scanning against a real clamd (tests/clamav.py): verdicts, quarantine, and failing closed
while the scanner is down, until the periodic re-queue clears every pending version."""

import io
import socket
import time

import pikepdf
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import conditions, queries
from applications.enums import EventKind, ScanStatus
from applications.models import AuditEvent, DocumentVersion
from applications.scanning import ClamdScanner, ScannerUnavailable, _verdict, get_scanner
from applications.services.documents import upload_document
from applications.services.scans import scan_version
from applications.tasks import requeue_pending_scans_task
from tests import factories
from tests.applications.corpus import eicar
from tests.applications.test_validators import PDF, pdf_of_size
from tests.clamav import SIGNATURE, STREAM_MAX_BYTES

pytestmark = pytest.mark.django_db


def infected_pdf() -> bytes:
    """A valid PDF that passes every structural check and carries EICAR in an unused stream."""
    document = pikepdf.open(io.BytesIO(PDF))
    document.Root.Payload = document.make_stream(eicar())
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=False)
    return buffer.getvalue()


@pytest.fixture
def slot(draft):
    return factories.DocumentRequirementFactory(programme=draft.cohort.programme, max_size_mb=2)


def upload(applicant, draft, slot, content, name="plan.pdf"):
    return upload_document(
        actor=applicant,
        application_id=draft.pk,
        requirement_id=slot.pk,
        upload=SimpleUploadedFile(name, content),
    )


# --- The client -----------------------------------------------------------------------------------


def test_clamd_scanner_pings_and_tells_clean_from_infected(clamd):
    scanner = get_scanner()

    assert scanner.ping() is True
    assert scanner.scan(io.BytesIO(PDF)).clean is True
    verdict = scanner.scan(io.BytesIO(infected_pdf()))
    assert verdict.clean is False
    assert verdict.signature.startswith(SIGNATURE)


def test_clamd_scanner_over_tcp(clamd, settings):
    settings.CLAMAV_URL = clamd.tcp_url
    scanner = get_scanner()
    assert scanner.family == socket.AF_INET
    assert scanner.ping() is True
    assert scanner.scan(io.BytesIO(infected_pdf())).signature.startswith(SIGNATURE)


def test_clamd_scanner_past_the_stream_limit_gives_no_verdict(clamd):
    with pytest.raises(ScannerUnavailable):
        get_scanner().scan(io.BytesIO(b"\0" * (STREAM_MAX_BYTES + 100_000)))


def test_clamd_scanner_down_does_not_answer(tmp_path):
    scanner = ClamdScanner(f"unix://{tmp_path}/nobody.sock", timeout=1)
    assert scanner.ping() is False
    with pytest.raises(ScannerUnavailable):
        scanner.scan(io.BytesIO(PDF))


def test_get_scanner_is_none_without_configuration(settings):
    settings.CLAMAV_URL = None
    assert get_scanner() is None


def test_get_scanner_reads_a_tcp_address(settings):
    settings.CLAMAV_URL = "tcp://clamav:3310"
    scanner = get_scanner()
    assert (scanner.address, scanner.timeout) == (("clamav", 3310), settings.CLAMAV_TIMEOUT)


@pytest.mark.parametrize("url", ["clamav:3310", "tcp://clamav", "unix://", "http://clamav:3310"])
def test_get_scanner_refuses_an_unreadable_address(settings, url):
    settings.CLAMAV_URL = url
    with pytest.raises(ImproperlyConfigured):
        get_scanner()


@pytest.mark.parametrize(
    "reply", ["INSTREAM size limit exceeded. ERROR", "", "stream: something else"]
)
def test_verdict_without_ok_or_found_is_no_verdict(reply):
    with pytest.raises(ScannerUnavailable):
        _verdict(reply)


# --- The pipeline ---------------------------------------------------------------------------------


def test_clean_upload_is_marked_clean_by_clamav(
    clamd, applicant, draft, slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(applicant, draft, slot, PDF)

    version.refresh_from_db()
    assert (version.scan_status, version.scanned_by) == (ScanStatus.CLEAN, "ClamAV")
    assert AuditEvent.objects.get(kind=EventKind.DOCUMENT_SCANNED).data == {
        "result": "clean",
        "scanner": "ClamAV",
    }


def test_infected_upload_is_quarantined_hidden_and_blocks_submission(
    clamd, client, applicant, programme_admin, draft, slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(applicant, draft, slot, infected_pdf())

    version.refresh_from_db()
    assert version.scan_status == ScanStatus.QUARANTINED
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_SCANNED)
    assert event.data["result"] == "quarantined"
    assert event.data["signature"].startswith(SIGNATURE)
    assert f"Document “{slot.name}” failed the security check; upload a clean file." in (
        conditions.submission_problems(draft)
    )
    with pytest.raises(DocumentVersion.DoesNotExist):
        queries.version_visible_to(programme_admin, version.pk)
    client.force_login(applicant)
    download = reverse("applications:document-download", args=[version.pk])
    assert client.get(download).status_code == 404


def test_upload_past_the_scanner_limit_stays_pending(
    clamd, applicant, draft, slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(applicant, draft, slot, pdf_of_size(STREAM_MAX_BYTES + 200_000))

    version.refresh_from_db()
    assert version.scan_status == ScanStatus.PENDING
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_SCANNED).exists()


def test_scanner_down_keeps_twenty_uploads_pending_and_hidden_until_it_returns(
    clamd, client, applicant, programme_admin, draft, slot, django_capture_on_commit_callbacks
):
    clamd.stop()
    requirements = [slot] + [
        factories.DocumentRequirementFactory(programme=draft.cohort.programme, max_size_mb=2)
        for _n in range(19)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        versions = [upload(applicant, draft, requirement, PDF) for requirement in requirements]
    ids = [version.pk for version in versions]

    assert set(
        DocumentVersion.objects.filter(pk__in=ids).values_list("scan_status", flat=True)
    ) == {ScanStatus.PENDING}
    for version_id in ids:
        with pytest.raises(DocumentVersion.DoesNotExist):
            queries.version_visible_to(programme_admin, version_id)
    client.force_login(programme_admin)
    staff_page = client.get(reverse("applications:staff-document-list", args=[draft.pk]))
    assert staff_page.content.decode().count("/download/") == 0
    assert len([p for p in conditions.document_problems(draft) if "still being checked" in p]) == 20

    requeue_pending_scans_task.delay()  # the scanner is still down: nothing changes
    assert DocumentVersion.objects.filter(pk__in=ids, scan_status=ScanStatus.PENDING).count() == 20

    clamd.start()
    back = time.monotonic()
    while DocumentVersion.objects.filter(pk__in=ids, scan_status=ScanStatus.CLEAN).count() < 20:
        assert time.monotonic() - back < 60
        requeue_pending_scans_task.delay()  # what beat does every minute (portal/beat.py)

    assert set(DocumentVersion.objects.filter(pk__in=ids).values_list("scanned_by", flat=True)) == {
        "ClamAV"
    }
    staff_page = client.get(reverse("applications:staff-document-list", args=[draft.pk]))
    assert staff_page.content.decode().count("/download/") == 20


def test_scan_version_leaves_a_decided_version_alone(clamd, draft):
    version = factories.DocumentVersionFactory(
        document__application=draft, scan_status=ScanStatus.QUARANTINED
    )
    assert scan_version(version_id=version.pk) == ScanStatus.QUARANTINED
