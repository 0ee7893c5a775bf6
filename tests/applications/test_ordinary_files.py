"""Ordinary real-world documents, made with the libraries people's tools are built on, are accepted.

Images are stored re-encoded: metadata and anything appended are gone, and the SHA-256 recorded is
that of the bytes stored."""

import hashlib
import io

import openpyxl
import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as WordDocument
from docx.shared import Inches
from openpyxl.chart import BarChart, Reference
from PIL import Image

from applications.models import DocumentVersion
from tests import factories
from tests.applications.corpus import image_bytes


def _word(build) -> bytes:
    document = WordDocument()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _plain_word(document):
    document.add_heading("Business plan", level=1)
    document.add_paragraph("We offer remittances between Kazakhstan and Uzbekistan.")


def _word_with_table(document):
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(table.rows):
        for column, cell in enumerate(cells.cells):
            cell.text = f"{row}:{column}"


def _word_with_picture(document):
    picture = io.BytesIO(image_bytes(Image.new("RGB", (40, 30), "olive"), "PNG"))
    document.add_picture(picture, width=Inches(1))


def _word_in_russian_with_header(document):
    document.sections[0].header.paragraphs[0].text = "Политика ПОД/ФТ"
    document.add_paragraph("Қазақстан Республикасы, Алматы. Политика по противодействию отмыванию.")


def _workbook(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figures(workbook):
    sheet = workbook.active
    sheet.append(["Month", "Clients", "Volume, KZT"])
    for month in range(1, 13):
        sheet.append([month, month * 40, month * 1_250_000])


def _formulas_and_sheets(workbook):
    _figures(workbook)
    summary = workbook.create_sheet("Summary")
    summary["A1"] = "Total volume"
    summary["B1"] = "=SUM(Sheet!C2:C13)"


def _chart(workbook):
    _figures(workbook)
    chart = BarChart()
    chart.add_data(
        Reference(workbook.active, min_col=2, min_row=1, max_row=13), titles_from_data=True
    )
    workbook.active.add_chart(chart, "E2")


def _pdf(build, **options) -> bytes:
    document = pikepdf.new()
    for _page in range(3):
        document.add_blank_page(page_size=(595, 842))
    build(document)
    buffer = io.BytesIO()
    document.save(buffer, **options)
    return buffer.getvalue()


def _text_pages(document):
    font = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number, page in enumerate(document.pages, start=1):
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = document.make_stream(
            f"BT /F1 12 Tf 72 720 Td (Page {number}) Tj ET".encode()
        )


def _outline_and_link(document):
    _text_pages(document)
    with document.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Summary", 0))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([72, 700, 200, 720]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://nbk.kz")),
    )
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([document.make_indirect(link)]))


def _form_fields(document):
    field = document.make_indirect(
        pikepdf.Dictionary(
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"),
            Rect=pikepdf.Array([0, 0, 100, 20]),
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
        )
    )
    document.pages[0].Annots = pikepdf.Array([field])
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated
    return image_bytes(Image.new("RGB", (60, 40), "maroon"), "JPEG", exif=exif.tobytes())


def _png_with_text_and_tail() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "someone@example.kz")
    return (
        image_bytes(Image.new("RGBA", (50, 50), (0, 128, 0, 128)), "PNG", pnginfo=info)
        + b"TRAILING DATA"
    )


ORDINARY = [
    pytest.param("plan.docx", _word(_plain_word), id="docx-plain"),
    pytest.param("table.docx", _word(_word_with_table), id="docx-table"),
    pytest.param("picture.docx", _word(_word_with_picture), id="docx-picture"),
    pytest.param(
        "Политика ПОД-ФТ.docx", _word(_word_in_russian_with_header), id="docx-russian-header"
    ),
    pytest.param("figures.xlsx", _workbook(_figures), id="xlsx-figures"),
    pytest.param("model.xlsx", _workbook(_formulas_and_sheets), id="xlsx-formulas-sheets"),
    pytest.param("chart.xlsx", _workbook(_chart), id="xlsx-chart"),
    pytest.param("charter.pdf", _pdf(_text_pages), id="pdf-text"),
    pytest.param(
        "compressed.pdf",
        _pdf(_text_pages, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        id="pdf-object-streams",
    ),
    pytest.param("linked.pdf", _pdf(_outline_and_link), id="pdf-outline-uri-link"),
    pytest.param("form.pdf", _pdf(_form_fields), id="pdf-form-fields"),
    pytest.param("linearized.pdf", _pdf(_text_pages, linearize=True), id="pdf-linearized"),
    pytest.param("photo.jpg", _jpeg_with_exif(), id="jpeg-exif"),
    pytest.param(
        "scan.jpeg", image_bytes(Image.new("L", (80, 100), 200), "JPEG"), id="jpeg-greyscale"
    ),
    pytest.param(
        "cmyk.jpg",
        image_bytes(Image.new("CMYK", (30, 30), (0, 50, 100, 0)), "JPEG"),
        id="jpeg-cmyk",
    ),
    pytest.param("logo.png", _png_with_text_and_tail(), id="png-text-and-tail"),
    pytest.param("palette.png", image_bytes(Image.new("P", (20, 20), 3), "PNG"), id="png-palette"),
    pytest.param(
        "stamp.png", image_bytes(Image.new("I;16", (20, 20), 1000), "PNG"), id="png-16-bit"
    ),
]


@pytest.fixture
def slot(draft):
    return factories.DocumentRequirementFactory(
        programme=draft.cohort.programme,
        max_size_mb=5,
        allowed_extensions="pdf,docx,xlsx,png,jpg,jpeg",
    )


def test_ordinary_corpus_is_large_enough():
    assert len(ORDINARY) >= 15


@pytest.mark.parametrize(("name", "content"), ORDINARY)
def test_ordinary_file_is_accepted_and_stored_with_the_checksum_of_its_stored_bytes(
    client, applicant, draft, slot, name, content
):
    client.force_login(applicant)
    url = reverse(
        "applications:document-upload", kwargs={"pk": draft.pk, "requirement_id": slot.pk}
    )
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)

    version = DocumentVersion.objects.get()
    assert [str(m) for m in response.context["messages"]] == [
        f"“{name}” uploaded as version 1 of “{slot.name}”."
    ]
    with default_storage.open(version.storage_key, "rb") as stream:
        stored = stream.read()
    assert version.sha256 == hashlib.sha256(stored).hexdigest()
    assert version.size == len(stored)
    assert version.original_name == name
    if version.content_type.startswith("image/"):
        image = Image.open(io.BytesIO(stored))
        assert image.getexif() == {}
        assert "Author" not in image.info
        assert not stored.endswith(b"TRAILING DATA")
    else:
        assert stored == content


def test_jpeg_orientation_from_metadata_is_applied_before_it_is_dropped(
    client, applicant, draft, slot
):
    client.force_login(applicant)
    url = reverse(
        "applications:document-upload", kwargs={"pk": draft.pk, "requirement_id": slot.pk}
    )
    client.post(url, {"file": SimpleUploadedFile("photo.jpg", _jpeg_with_exif())})
    with default_storage.open(DocumentVersion.objects.get().storage_key, "rb") as stream:
        assert Image.open(stream).size == (40, 60)  # turned upright, as the phone meant it
