"""Files attached to a participant's report: upload through the document pipeline, scanning,
what staff see, who may download, and the download's headers."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from applications.enums import EventKind, ScanStatus
from applications.models import AuditEvent, ReportAttachment
from applications.services import scans
from applications.services.report_attachments import open_attachment
from tests import factories
from tests.applications.corpus import image_bytes
from tests.applications.test_validators import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(applicant):
    participation = factories.ParticipationFactory(
        application__organisation=applicant.organisation, application__created_by=applicant
    )
    return factories.ReportFactory(participation=participation)


def upload_url(report) -> str:
    return reverse(
        "participations:report-attachment-upload",
        args=[report.participation.application_id, report.pk],
    )


def form_url(report) -> str:
    return reverse(
        "participations:report-file", args=[report.participation.application_id, report.pk]
    )


def download_url(attachment) -> str:
    return reverse("participations:report-attachment-download", args=[attachment.pk])


def upload(client, report, name: str, content: bytes):
    return client.post(upload_url(report), {"file": SimpleUploadedFile(name, content)}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def stored_files() -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def clean_attachment(client, report, name="Client complaints Q1.pdf") -> ReportAttachment:
    upload(client, report, name, PDF)
    attachment = ReportAttachment.objects.get(original_name=name)
    assert scans.scan_attachment(attachment_id=attachment.pk) == ScanStatus.CLEAN
    attachment.refresh_from_db()
    return attachment


def test_upload_is_stored_pending_hashed_and_audited(client, applicant, report):
    client.force_login(applicant)
    response = upload(client, report, "../../Complaints log.pdf", PDF)

    assert response.redirect_chain == [(form_url(report), 302)]
    attachment = ReportAttachment.objects.get()
    assert (attachment.report, attachment.original_name) == (report, "Complaints log.pdf")
    assert (attachment.scan_status, attachment.content_type) == ("pending", "application/pdf")
    assert attachment.size == len(PDF)
    assert attachment.storage_key.startswith("reports/")
    assert "Complaints" not in attachment.storage_key
    with open_attachment(attachment) as stream:
        assert stream.read() == PDF
    assert messages_of(response) == [
        "“Complaints log.pdf” attached. It is checked for viruses before the regulator sees it."
    ]
    content = response.content.decode()
    assert "Complaints log.pdf" in content
    assert '<span class="badge text-bg-secondary">Being checked</span>' in content
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_UPLOADED)
    assert event.subject == f"report_attachment:{attachment.pk}"
    assert event.actor == applicant
    assert event.data["sha256"] == attachment.sha256


def test_scan_clears_the_attachment_and_records_the_verdict(client, applicant, report):
    client.force_login(applicant)
    attachment = clean_attachment(client, report)
    assert attachment.scan_status == ScanStatus.CLEAN
    assert attachment.scanned_at is not None
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_SCANNED)
    assert event.subject == f"report_attachment:{attachment.pk}"
    assert event.data == {"result": "clean", "scanner": "structural checks only"}
    # A second scan (beat's requeue racing a worker) changes nothing.
    assert scans.scan_attachment(attachment_id=attachment.pk) == ScanStatus.CLEAN
    assert AuditEvent.objects.filter(kind=EventKind.DOCUMENT_SCANNED).count() == 1


def test_pending_attachments_are_handed_to_the_requeue(client, applicant, report):
    client.force_login(applicant)
    upload(client, report, "figures.pdf", PDF)
    attachment = ReportAttachment.objects.get()
    assert scans.pending_attachment_ids() == [attachment.pk]


def test_image_is_stored_re_encoded(client, applicant, report):
    client.force_login(applicant)
    upload(client, report, "screenshot.png", image_bytes(Image.new("RGB", (40, 30), "teal"), "PNG"))
    attachment = ReportAttachment.objects.get()
    assert attachment.content_type == "image/png"
    with open_attachment(attachment) as stream:
        assert stream.read().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "invoice.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8,
            "“invoice.pdf” is a program, not a document. Programs cannot be uploaded.",
        ),
        (
            "report.pdf",
            b"<html><script>alert(1)</script></html>",
            "“report.pdf” is a web page, SVG drawing or other markup, which cannot be uploaded.",
        ),
        (
            "run.sh",
            b"#!/bin/sh\nrm -rf /\n",
            "“run.sh” is not an accepted file type here. Accepted: PDF, DOCX, XLSX, PNG, JPG, JPEG.",
        ),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_hostile_file_is_refused_with_a_message_and_nothing_stored(
    client, applicant, report, name, content, message
):
    client.force_login(applicant)
    response = upload(client, report, name, content)

    assert messages_of(response) == [message]
    assert ReportAttachment.objects.count() == 0
    assert stored_files() == []
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_UPLOADED).exists()


def test_oversized_file_is_refused_while_streaming(client, applicant, report, settings):
    settings.DOCUMENT_DEFAULT_MAX_MB = 1
    client.force_login(applicant)
    response = upload(client, report, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert messages_of(response) == ["The file is larger than the 1 MB limit for this document."]
    assert ReportAttachment.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize("state", ["filed", "accepted"])
def test_a_filed_report_takes_no_more_files(client, applicant, report, state):
    report.state = state
    report.filed_at = timezone.now()
    report.save()
    client.force_login(applicant)
    response = client.post(
        upload_url(report), {"file": SimpleUploadedFile("late.pdf", PDF)}, follow=True
    )
    assert messages_of(response)[0] == (
        "Files can be attached only to a report not yet filed (or returned to you)."
    )
    assert ReportAttachment.objects.count() == 0
    assert stored_files() == []


def test_a_returned_report_takes_files(client, applicant, report):
    report.state = "returned"
    report.filed_at = timezone.now()
    report.save()
    client.force_login(applicant)
    upload(client, report, "corrected figures.pdf", PDF)
    assert ReportAttachment.objects.get().original_name == "corrected figures.pdf"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_applicant", 404),
        ("reviewer", 404),
        ("programme_admin", 403),  # sees the application, may not report for the firm
    ],
)
def test_only_the_participant_may_upload(client, report, role, status, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(upload_url(report), {"file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == status
    assert ReportAttachment.objects.count() == 0
    assert stored_files() == []


# --- Staff see clean files only --------------------------------------------------------------


def test_staff_page_lists_clean_attachments_only(client, applicant, programme_admin, report):
    client.force_login(applicant)
    clean = clean_attachment(client, report, "Clean figures.pdf")
    upload(client, report, "Still checking.pdf", PDF)
    quarantined = ReportAttachment.objects.create(
        report=report,
        storage_key="reports/quarantined",
        original_name="Infected.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=applicant,
        scan_status=ScanStatus.QUARANTINED,
    )

    client.force_login(programme_admin)
    content = client.get(
        reverse("participations:staff-detail", args=[report.participation.application_id])
    ).content.decode()
    assert f'<a href="{download_url(clean)}">Clean figures.pdf</a>' in content
    assert "Still checking.pdf" not in content
    assert "Infected.pdf" not in content
    assert client.get(download_url(quarantined)).status_code == 404


# --- Download ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("applicant", 200),
        ("co_member", 200),
        ("programme_admin", 200),
        ("other_applicant", 404),
        ("reviewer", 404),
        ("panel_reviewer", 404),
        ("deactivated_admin", 302),  # signed out: sent to sign in
    ],
)
def test_download_scoping(client, applicant, report, role, status, request):
    client.force_login(applicant)
    attachment = clean_attachment(client, report)
    client.logout()
    if role == "panel_reviewer":
        user = factories.ReviewerFactory()
        report.participation.application.cohort.panel.add(user)
        factories.ReviewerAssignmentFactory(
            application=report.participation.application, reviewer=user, declaration="no_conflict"
        )
    elif role == "deactivated_admin":
        user = factories.ProgrammeAdminFactory(is_active=False)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(download_url(attachment))
    assert response.status_code == status
    downloads = AuditEvent.objects.filter(kind=EventKind.DOCUMENT_DOWNLOADED)
    assert downloads.count() == (1 if status == 200 else 0)


def test_download_anonymous_is_sent_to_sign_in(client, applicant, report):
    client.force_login(applicant)
    attachment = clean_attachment(client, report)
    client.logout()
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_pending_attachment_is_served_to_no_one(client, applicant, report):
    client.force_login(applicant)
    upload(client, report, "figures.pdf", PDF)
    attachment = ReportAttachment.objects.get()
    assert client.get(download_url(attachment)).status_code == 404


def test_download_headers_and_audit(client, applicant, programme_admin, report):
    client.force_login(applicant)
    attachment = clean_attachment(client, report, "Жалобы клиентов.pdf")
    client.force_login(programme_admin)
    response = client.get(download_url(attachment), REMOTE_ADDR="10.0.0.7")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        'attachment; filename="______ ________.pdf"; '
        "filename*=UTF-8''%D0%96%D0%B0%D0%BB%D0%BE%D0%B1%D1%8B%20"
        "%D0%BA%D0%BB%D0%B8%D0%B5%D0%BD%D1%82%D0%BE%D0%B2.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_DOWNLOADED)
    assert (event.actor, event.subject, event.ip_address) == (
        programme_admin,
        f"report_attachment:{attachment.pk}",
        "10.0.0.7",
    )
    assert event.data == {"report": report.pk, "sha256": attachment.sha256}
