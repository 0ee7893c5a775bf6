"""The streaming CSV and XLSX writers: exact bytes for CSV, a workbook openpyxl reads for XLSX,
formula injection neutralised in both, and rows written before the row iterator is exhausted."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from applications import spreadsheets

HEADER = ["Reference", "Name", "Score"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+77011234567", "'+77011234567"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Steppe = Digital", "Steppe = Digital"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_formula_starts_only(text, expected):
    assert spreadsheets.neutralise(text) == expected


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (14, "O"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index, letters):
    assert spreadsheets.column_letter(index) == letters


def test_csv_is_utf8_with_bom_quoted_and_neutralised(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    rows = [
        ["SBX-1", "ТОО «Степь», Алматы", Decimal("3.50")],
        ["SBX-2", "=cmd|' /C calc'!A0", None],
        ["SBX-3", "line one\nline two", 4],
        [datetime(2026, 3, 1, 6, 30, tzinfo=UTC), date(2026, 3, 2), "Қазақ"],
    ]

    body = b"".join(spreadsheets.csv_chunks(HEADER, rows))

    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig") == (
        "Reference,Name,Score\r\n"
        'SBX-1,"ТОО «Степь», Алматы",3.50\r\n'
        "SBX-2,'=cmd|' /C calc'!A0,\r\n"
        'SBX-3,"line one\nline two",4\r\n'
        "2026-03-01 11:30,2026-03-02,Қазақ\r\n"
    )


def test_csv_flushes_in_chunks_of_the_given_size():
    rows = [[f"SBX-{n}", "x" * 50, n] for n in range(10)]

    chunks = list(spreadsheets.csv_chunks(HEADER, rows, flush_bytes=100))

    assert len(chunks) == 5
    assert all(len(chunk) >= 100 for chunk in chunks[:-1])


def _workbook(chunks) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))


def test_xlsx_opens_in_openpyxl_with_the_exact_cells():
    rows = [
        ["SBX-1", "ТОО «Степь» & <Co>", Decimal("3.50")],
        ["SBX-2", "=1+1", 4],
        ["SBX-3", "bell\x07 and form feed\x0c gone", None],
        ["SBX-4", "«Дала» ЖШС\nекінші жол", 0],
    ]

    workbook = _workbook(spreadsheets.xlsx_chunks(HEADER, rows, sheet_name="Applications"))

    assert workbook.sheetnames == ["Applications"]
    sheet = workbook["Applications"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Reference", "Name", "Score"],
        ["SBX-1", "ТОО «Степь» & <Co>", 3.5],
        ["SBX-2", "'=1+1", 4],
        ["SBX-3", "bell and form feed gone", None],
        ["SBX-4", "«Дала» ЖШС\nекінші жол", 0],
    ]
    assert sheet["A1"].font.b is True
    assert sheet["A2"].font.b is False
    assert sheet.freeze_panes == "A2"


def test_xlsx_has_the_parts_a_workbook_needs():
    archive = zipfile.ZipFile(io.BytesIO(b"".join(spreadsheets.xlsx_chunks(HEADER, []))))

    assert archive.namelist() == [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ]
    assert archive.testzip() is None


def test_xlsx_cuts_a_cell_at_excels_limit():
    workbook = _workbook(spreadsheets.xlsx_chunks(["Long"], [["y" * 40000]]))

    assert len(workbook.active["A2"].value) == 32767


def test_sheet_rows_are_written_before_the_rows_are_all_read():
    read = []

    def rows():
        for n in range(1000):
            read.append(n)
            yield [f"SBX-{n}", "name", n]

    chunks = spreadsheets.sheet_chunks(HEADER, rows())
    next(chunks)  # the sheet's start and its header row
    first_row = next(chunks)

    assert first_row == (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">SBX-0</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t xml:space="preserve">name</t></is></c>'
        b'<c r="C2"><v>0</v></c></row>'
    )
    assert read == [0]


@pytest.mark.parametrize("flush_bytes", [1, 100, 4096, 16 * 1024])
def test_xlsx_is_whole_whatever_the_flush_size(flush_bytes):
    """stream-zip 0.0.84 truncates an archive whose local header ends on a chunk boundary
    (uktrade/stream-zip#189); a chunk of 1 byte would hit it on the first header."""
    rows = [[f"SBX-{n}", "ТОО «Степь»" * 20, n] for n in range(2000)]

    chunks = list(spreadsheets.xlsx_chunks(HEADER, rows, flush_bytes=flush_bytes))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert _workbook(chunks).active.max_row == 2001
