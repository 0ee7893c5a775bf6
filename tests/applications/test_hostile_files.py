"""Forty-odd hostile files through the real upload view: each refused with its own message,
leaving nothing in storage, nothing in the temporary upload folder and no rows."""

import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from applications.enums import EventKind
from applications.models import AuditEvent, Document, DocumentVersion
from tests import factories
from tests.applications import corpus as c
from tests.applications.test_validators import PDF, pdf_of_size

LIMIT = 1024 * 1024

MALFORMED_PDF = "“{}” is damaged or is not a valid PDF."
ENCRYPTED = "“{}” is encrypted or password-protected. Upload a copy without a password."
JAVASCRIPT = "“{}” contains JavaScript. Save or print it as a plain PDF without scripts."
LAUNCH = "“{}” tries to launch other programs. Upload a plain PDF."
EMBEDDED = "“{}” has files embedded in it. Upload each document separately, as a plain PDF."
OPEN_ACTION = "“{}” runs an action when it is opened. Save or print it as a plain PDF."
AUTO_ACTIONS = "“{}” contains automatic actions (triggered on pages or fields). Upload a plain PDF."
MACROS = "“{}” contains macros. Save it as a plain .docx or .xlsx without macros."
BOMB = "“{}” expands to far more data than a document holds (a “zip bomb”)."
ENTRIES = "“{}” holds too many parts to be an ordinary document."
UNSAFE_PATH = "“{}” contains parts with unsafe paths. Save it again."
SYMLINK = "“{}” contains a symbolic link."
XML_DECLARATIONS = "“{}” contains XML declarations that are not allowed in documents."
MALFORMED_OFFICE = "“{}” is damaged or is not a valid Office document."
EXTERNAL = (
    "“{}” loads content from outside the file when opened. Save it as a self-contained document."
)
PIXELS = "“{}” has too many pixels (at most 40 megapixels). Scale it down."
BROKEN_IMAGE = "“{}” is a damaged or incomplete image."
PROGRAM = "“{}” is a program, not a document. Programs cannot be uploaded."
ARCHIVE = "“{}” is a compressed archive. Upload the document itself, not an archive."
MARKUP = "“{}” is a web page, SVG drawing or other markup, which cannot be uploaded."
SCRIPT = "“{}” is a script, which cannot be uploaded."
NOT_TYPE = (
    "The content of “{}” is not a {} file, whatever its name says. Please upload the real document."
)
NOT_ACCEPTED = "“{}” is not an accepted file type here. Accepted: PDF, DOCX, XLSX, PNG, JPG, JPEG."
WRONG_KIND = "“{}” is not a {} document inside, whatever its name says."
JPEG = c.image_bytes(Image.new("RGB", (64, 48), "navy"), "JPEG")
PNG = c.image_bytes(Image.new("RGB", (64, 48), "teal"), "PNG")


def case(name, content, message, *args):
    """`content` is bytes, or a function making them when the test runs (the large ones)."""
    return pytest.param(name, content, message.format(name, *args), id=name)


CASES = [
    # PDF: active content, attachments, encryption, damage
    case("names-javascript.pdf", c.pdf_with(c._names_javascript), JAVASCRIPT),
    case("open-action-js.pdf", c.pdf_with(c._open_action_js), JAVASCRIPT),
    case("widget-js.pdf", c.pdf_with(c._widget_js), JAVASCRIPT),
    case(
        "js-in-object-stream.pdf",
        c.pdf_with(c._widget_js, object_stream_mode=c.pikepdf.ObjectStreamMode.generate),
        JAVASCRIPT,
    ),
    case("xfa-form.pdf", c.pdf_with(c._xfa), JAVASCRIPT),
    case("launch.pdf", c.pdf_with(c._launch), LAUNCH),
    case("attachment.pdf", c.pdf_with(c._embedded_file), EMBEDDED),
    case("attachment-annotation.pdf", c.pdf_with(c._file_attachment_annotation), EMBEDDED),
    case("open-action.pdf", c.pdf_with(c._open_action_goto), OPEN_ACTION),
    case("page-actions.pdf", c.pdf_with(c._page_additional_actions), AUTO_ACTIONS),
    case("password.pdf", c.encrypted_pdf(user="secret"), ENCRYPTED),
    case("owner-password-only.pdf", c.encrypted_pdf(user=""), ENCRYPTED),
    case("header-only.pdf", b"%PDF-1.7\n%%EOF\n", MALFORMED_PDF),
    case("garbage-after-header.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, MALFORMED_PDF),
    case("no-pages.pdf", c.pdf_without_pages(), MALFORMED_PDF),
    # DOCX/XLSX: the zip directory, macros, XML
    case("macros.docx", c.docx(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")), MACROS),
    case("macro-enabled.docx", c.docx(main=c.DOCM_MAIN), MACROS),
    case("activex.docx", c.docx(("word/activeX/activeX1.xml", "<ax/>")), MACROS),
    case(
        "ratio-bomb.docx", lambda: c.docx(("word/media/blank.bin", c.zeros(50 * 1024 * 1024))), BOMB
    ),
    case(
        "many-parts.docx", lambda: c.docx(*[(f"word/p{n}.bin", b"") for n in range(2001)]), ENTRIES
    ),
    case("traversal.docx", c.docx(("../../etc/cron.d/x", b"x")), UNSAFE_PATH),
    case("absolute.docx", c.docx(("/etc/passwd", b"x")), UNSAFE_PATH),
    case("drive.docx", c.docx(("C:/Windows/x.dll", b"x")), UNSAFE_PATH),
    case("symlink.docx", c.docx((c.symlink_member(), "/etc/shadow")), SYMLINK),
    case("password.docx", c.encrypted_flag_docx(), ENCRYPTED),
    case("xxe.docx", c.docx(document_xml=c.XXE), XML_DECLARATIONS),
    case("billion-laughs.docx", c.docx(("word/extra.xml", c.LAUGHS)), XML_DECLARATIONS),
    case("broken-xml.docx", c.docx(document_xml="<w:document><unclosed>"), MALFORMED_OFFICE),
    case(
        "corrupt-data.docx",
        c.corrupt_member(c.docx(), "word/document.xml", "data"),
        MALFORMED_OFFICE,
    ),
    case(
        "deflate64.docx",
        c.corrupt_member(c.docx(), "word/document.xml", "method"),
        MALFORMED_OFFICE,
    ),
    case("remote-template.docx", c.external_template_docx(), EXTERNAL),
    case(
        "spreadsheet-inside.docx",
        c.docx(main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        WRONG_KIND,
        "DOCX",
    ),
    case("plain-zip.xlsx", c.zipped([("figures.csv", "a,b\n1,2\n")]), ARCHIVE),
    # Images
    case("pixel-bomb.png", c.huge_png, PIXELS),
    case("truncated.png", c.truncated(PNG), BROKEN_IMAGE),
    case("truncated.jpg", c.truncated(JPEG), BROKEN_IMAGE),
    case("bad-crc.png", c.png_with_bad_crc(), BROKEN_IMAGE),
    case("png-named.jpg", PNG, NOT_TYPE, "JPG"),
    # Other types, whatever their name says
    case("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", MARKUP),
    case("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', MARKUP),
    case("setup.pdf", c.exe_bytes(), PROGRAM),
    case("daemon.docx", c.elf_bytes(), PROGRAM),
    case("install.pdf", b"#!/bin/sh\nrm -rf ~\n", SCRIPT),
    case("figures.pdf", c.gzip_bytes(), ARCHIVE),
    case("eicar.pdf", c.eicar(), NOT_TYPE, "PDF"),
    case("docx-named.pdf", c.docx(), NOT_TYPE, "PDF"),
    case("pdf-named.xlsx", PDF, NOT_TYPE, "XLSX"),
    case("index.html", b"<html></html>", NOT_ACCEPTED),
    case("drawing.svg", b"<svg/>", NOT_ACCEPTED),
    case("macro.docm", c.docx(), NOT_ACCEPTED),
    case("archive.zip", c.zipped([("a.txt", "a")]), NOT_ACCEPTED),
]


@pytest.fixture
def temp_dir(settings, tmp_path):
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def slot(draft):
    return factories.DocumentRequirementFactory(
        programme=draft.cohort.programme,
        max_size_mb=1,
        allowed_extensions="pdf,docx,xlsx,png,jpg,jpeg",
    )


def upload(client, draft, slot, files):
    url = reverse(
        "applications:document-upload", kwargs={"pk": draft.pk, "requirement_id": slot.pk}
    )
    response = client.post(url, files, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def assert_nothing_kept(tmp_path, temp_dir):
    stored = [path for path in (tmp_path / "uploads").rglob("*") if path.is_file()]
    assert stored == []
    assert list(temp_dir.iterdir()) == []
    assert DocumentVersion.objects.count() == 0
    assert Document.objects.count() == 0
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_UPLOADED).exists()


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "content", "message"), CASES)
def test_hostile_file_is_refused_with_its_message_and_nothing_kept(
    client, applicant, draft, slot, temp_dir, tmp_path, name, content, message
):
    content = content() if callable(content) else content
    assert len(content) <= LIMIT  # refused for what it is, not for its size
    client.force_login(applicant)

    messages = upload(client, draft, slot, {"file": SimpleUploadedFile(name, content)})

    assert messages == [message]
    assert_nothing_kept(tmp_path, temp_dir)


def test_rtl_override_hiding_an_executable_is_refused(
    client, applicant, draft, slot, temp_dir, tmp_path
):
    client.force_login(applicant)
    # Shown as "invoiceexe.pdf" by a bidirectional display; really "invoice‮fdp.exe".
    messages = upload(
        client, draft, slot, {"file": SimpleUploadedFile("invoice\u202efdp.exe", c.exe_bytes())}
    )
    assert messages == [NOT_ACCEPTED.format("invoicefdp.exe")]
    assert_nothing_kept(tmp_path, temp_dir)


def test_empty_file_is_refused(client, applicant, draft, slot, temp_dir, tmp_path):
    client.force_login(applicant)
    assert upload(client, draft, slot, {"file": SimpleUploadedFile("plan.pdf", b"")}) == [
        "The file is empty."
    ]
    assert_nothing_kept(tmp_path, temp_dir)


def test_one_byte_over_the_limit_is_refused(client, applicant, draft, slot, temp_dir, tmp_path):
    client.force_login(applicant)
    files = {"file": SimpleUploadedFile("plan.pdf", pdf_of_size(LIMIT + 1))}
    assert upload(client, draft, slot, files) == [
        "The file is larger than the 1 MB limit for this document."
    ]
    assert_nothing_kept(tmp_path, temp_dir)


def test_two_files_in_one_request_are_refused(client, applicant, draft, slot, temp_dir, tmp_path):
    client.force_login(applicant)
    files = {"file": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]}
    assert upload(client, draft, slot, files) == ["Upload one file at a time."]
    assert_nothing_kept(tmp_path, temp_dir)


def test_zip_past_the_total_uncompressed_limit_is_refused(
    client, applicant, draft, slot, temp_dir, tmp_path, settings
):
    settings.DOCUMENT_ZIP_MAX_UNCOMPRESSED_BYTES = 4096
    content = c.docx(("word/media/noise.bin", bytes(range(256)) * 20))  # incompressible-ish
    client.force_login(applicant)
    messages = upload(client, draft, slot, {"file": SimpleUploadedFile("big.docx", content)})
    assert messages == [BOMB.format("big.docx")]
    assert_nothing_kept(tmp_path, temp_dir)


def test_application_total_past_the_setting_is_refused_and_keeps_the_new_file_out(
    client, applicant, draft, slot, temp_dir, tmp_path, settings
):
    settings.APPLICATION_MAX_TOTAL_MB = 1
    document = factories.DocumentFactory(application=draft, requirement=slot)
    existing = factories.DocumentVersionFactory(document=document, content=pdf_of_size(LIMIT - 500))
    client.force_login(applicant)

    messages = upload(client, draft, slot, {"file": SimpleUploadedFile("more.pdf", PDF)})

    assert messages == [
        "This application already holds 1.0 MB of documents; this file would take it past the 1 MB allowed in total."
    ]
    assert list(DocumentVersion.objects.all()) == [existing]
    stored = [path.name for path in (tmp_path / "uploads").rglob("*") if path.is_file()]
    assert stored == [existing.storage_key.removeprefix("documents/")]
    assert list(temp_dir.iterdir()) == []


def test_zip_members_are_counted_from_the_central_directory():
    archive = zipfile.ZipFile(__import__("io").BytesIO(c.docx()))
    assert archive.namelist() == ["[Content_Types].xml", "word/document.xml"]
