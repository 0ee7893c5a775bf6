"""validators.validate_upload and clean_file_name: the gate every uploaded file passes.

The small real files made here (a PDF, a DOCX, a PNG) are reused by the other document tests.
"""

import io
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import DocumentRequirement
from applications.validators import (
    CONTENT_TYPES,
    MAX_NAME_LENGTH,
    clean_file_name,
    too_large_message,
    validate_upload,
    wrong_type_message,
)


def _pdf_with_padding(padding: int) -> bytes:
    """A real one-page PDF (pikepdf) carrying `padding` bytes in an unused stream."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    if padding:
        document.Root.Padding = document.make_stream(b"x" * padding)
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=False, deterministic_id=True, min_version="1.4")
    return buffer.getvalue()


PDF = _pdf_with_padding(0)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes (the padding stream is grown until it fits)."""
    padding = max(size - len(PDF) - 60, 1)
    for _attempt in range(5):
        content = _pdf_with_padding(padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise AssertionError(f"no PDF of exactly {size} bytes")


def docx_bytes() -> bytes:
    """A real, minimal Word document: what `filetype` recognises as DOCX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("[Content_Types].xml", date_time=(2026, 1, 1, 0, 0, 0)),
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        archive.writestr(
            zipfile.ZipInfo("word/document.xml", date_time=(2026, 1, 1, 0, 0, 0)),
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Business plan</w:t></w:r></w:p></w:body>'
            "</w:document>",
        )
    return buffer.getvalue()


def requirement(**fields) -> DocumentRequirement:
    # Never saved: the validators read only these two fields.
    return DocumentRequirement(**{"allowed_extensions": "pdf,docx", "max_size_mb": 1, **fields})


def refusal(upload, req=None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload, req or requirement())
    return caught.value


def test_pdf_of_size_is_exact():
    assert len(pdf_of_size(5000)) == 5000
    assert pdf_of_size(5000).startswith(b"%PDF-1.4")


def test_validate_upload_pdf_returns_its_content_type():
    assert validate_upload(SimpleUploadedFile("plan.pdf", PDF), requirement()).content_type == (
        "application/pdf"
    )


def test_validate_upload_docx_returns_its_content_type():
    assert (
        validate_upload(SimpleUploadedFile("Plan.DOCX", docx_bytes()), requirement()).content_type
        == CONTENT_TYPES["docx"]
    )


def test_validate_upload_extension_not_allowed_is_refused():
    error = refusal(SimpleUploadedFile("setup.exe", b"MZ\x90\x00"))
    assert error.code == "extension"
    assert error.messages == ["“setup.exe” is not an accepted file type here. Accepted: PDF, DOCX."]


def test_validate_upload_allowed_type_outside_known_types_is_refused():
    error = refusal(
        SimpleUploadedFile("data.zip", b"PK\x03\x04"), requirement(allowed_extensions="zip")
    )
    assert error.messages == ["“data.zip” is not an accepted file type here. Accepted: ZIP."]


def test_validate_upload_hidden_extension_after_override_character_is_refused():
    # Shown as "reportexe.pdf" by a browser honouring U+202E; really an .exe.
    error = refusal(SimpleUploadedFile("report\u202efdp.exe", b"MZ\x90\x00"))
    assert error.messages == [
        "“reportfdp.exe” is not an accepted file type here. Accepted: PDF, DOCX."
    ]


def test_validate_upload_png_named_pdf_is_refused():
    error = refusal(SimpleUploadedFile("report.pdf", PNG))
    assert error.code == "content"
    assert error.messages == [
        "The content of “report.pdf” is not a PDF file, whatever its name says. Please upload the real document."
    ]


def test_validate_upload_pdf_named_docx_is_refused():
    error = refusal(SimpleUploadedFile("plan.docx", PDF))
    assert error.messages == [
        "The content of “plan.docx” is not a DOCX file, whatever its name says. Please upload the real document."
    ]


def test_validate_upload_empty_file_is_refused():
    error = refusal(SimpleUploadedFile("plan.pdf", b""))
    assert error.code == "empty"
    assert error.messages == ["The file is empty."]


def test_validate_upload_over_size_is_refused():
    error = refusal(SimpleUploadedFile("plan.pdf", pdf_of_size(1024 * 1024 + 1)))
    assert error.code == "size"
    assert error.messages == ["The file is larger than the 1 MB limit for this document."]


def test_validate_upload_exactly_the_limit_is_accepted():
    assert (
        validate_upload(
            SimpleUploadedFile("plan.pdf", pdf_of_size(1024 * 1024)), requirement()
        ).content_type
        == "application/pdf"
    )


def test_limit_messages_come_from_the_requirement():
    req = requirement(allowed_extensions="pdf, XLSX", max_size_mb=25)
    assert too_large_message(req) == "The file is larger than the 25 MB limit for this document."
    assert wrong_type_message(req) == "This document must be one of these file types: PDF, XLSX."


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("C:\\Users\\aigerim\\Desktop\\plan.pdf", "plan.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/home/aigerim/plan.pdf", "plan.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("plan\u200b.pdf", "plan.pdf"),
        ("pl\x00an\x1f\x7f.pdf", "plan.pdf"),
        ("  business \t  plan .pdf ", "business plan .pdf"),
        ("Бизнес-план 2026.pdf", "Бизнес-план 2026.pdf"),
        ("..", "document"),
        ("\u202e", "document"),
    ],
)
def test_clean_file_name_strips_what_is_unsafe(raw, cleaned):
    assert clean_file_name(raw) == cleaned


def test_clean_file_name_bounds_length_keeping_the_extension():
    cleaned = clean_file_name("a" * 300 + ".docx")
    assert len(cleaned) == MAX_NAME_LENGTH
    assert cleaned == "a" * (MAX_NAME_LENGTH - 5) + ".docx"


def test_clean_file_name_bounds_length_without_an_extension():
    assert clean_file_name("b" * 300) == "b" * MAX_NAME_LENGTH
