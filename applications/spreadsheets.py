"""Streaming CSV and XLSX writers: rows in, bytes out, one row in memory at a time.

Pure functions over iterables, so an export of 10,000 rows sends its first bytes after the first
rows are read and its memory stays flat whatever the number of rows.

- CSV: UTF-8 with a byte-order mark, so Excel reads Cyrillic and Kazakh letters.
- XLSX: a ZIP (stream-zip, data descriptors instead of sizes known in advance) of the few XML
  parts a workbook needs, the sheet written row by row with inline strings.

In both, a text cell that a spreadsheet would read as a formula (it starts with = + - @, a tab or
a carriage return) gets a leading apostrophe (CSV/formula injection), and characters XML forbids
are dropped from XLSX cells.
"""

import csv
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from stream_zip import ZIP_32, stream_zip

Cell = str | int | float | Decimal | date | datetime | None

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 does not allow, even escaped.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_CELL_LIMIT = 32767
# Bytes gathered before a chunk is handed to the server: small enough for a quick first byte,
# large enough that 10,000 rows are not 10,000 writes.
FLUSH_BYTES = 16 * 1024
# stream-zip 0.0.84 ends the archive early, silently, when a member's local header ends exactly on
# an output chunk boundary (uktrade/stream-zip#189). Output chunks larger than everything written
# between two headers rule that out: the five small parts before the sheet take about 2 KB in
# all, and the sheet, the only large member, is the last one, with no header after it.
ZIP_MIN_CHUNK = 8 * 1024
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as written, never evaluates."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def as_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


class _Echo:
    """csv.writer's file: hands back what it is given instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _buffered(pieces: Iterable[bytes], flush_bytes: int) -> Iterator[bytes]:
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= flush_bytes:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, flush_bytes: int | None = None
) -> Iterator[bytes]:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[bytes]:
        yield ("\ufeff" + writer.writerow([neutralise(str(name)) for name in header])).encode()
        for row in rows:
            yield writer.writerow([as_text(value) for value in row]).encode()

    return _buffered(lines(), flush_bytes or FLUSH_BYTES)


# --- XLSX ---------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Two cell formats: 0 plain, 1 bold (the header row).
STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet_name: str) -> str:
    name = escape(ILLEGAL_XML.sub("", str(sheet_name))[:31], {'"': "&quot;"})
    return (
        _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: Cell, style: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f'<c r="{reference}"{style}><v>{value}</v></c>'
    text = ILLEGAL_XML.sub("", as_text(value))[:EXCEL_CELL_LIMIT]
    return (
        f'<c r="{reference}" t="inlineStr"{style}>'
        f'<is><t xml:space="preserve">{escape(text)}</t></is></c>'
    )


def _row(number: int, letters: Sequence[str], values: Sequence[Cell], style: str = "") -> str:
    cells = "".join(
        _cell(f"{letter}{number}", value, style)
        for letter, value in zip(letters, values, strict=False)
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The worksheet XML, one row at a time; the header row bold and frozen."""
    letters = [column_letter(index) for index in range(len(header))]
    yield (
        _XML + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews><sheetData>"
        + _row(1, letters, [str(name) for name in header], ' s="1"')
    ).encode()
    for number, row in enumerate(rows, start=2):
        yield _row(number, letters, row).encode()
    yield b"</sheetData></worksheet>"


def xlsx_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet_name: str = "Sheet1",
    flush_bytes: int | None = None,
) -> Iterator[bytes]:
    flush_bytes = flush_bytes or FLUSH_BYTES
    modified = timezone.now()
    mode = 0o600

    def part(text: str) -> tuple:
        return (modified, mode, ZIP_32, (text.encode(),))

    members = [
        ("[Content_Types].xml", *part(CONTENT_TYPES)),
        ("_rels/.rels", *part(ROOT_RELS)),
        ("xl/workbook.xml", *part(_workbook(sheet_name))),
        ("xl/_rels/workbook.xml.rels", *part(WORKBOOK_RELS)),
        ("xl/styles.xml", *part(STYLES)),
        (
            "xl/worksheets/sheet1.xml",
            modified,
            mode,
            ZIP_32,
            _buffered(sheet_chunks(header, rows), flush_bytes),
        ),
    ]
    # Level 6 rather than stream-zip's 9: a third of the time for a few per cent more bytes.
    return stream_zip(
        members,
        chunk_size=max(flush_bytes, ZIP_MIN_CHUNK),
        get_compressobj=lambda: zlib.compressobj(wbits=-zlib.MAX_WBITS, level=6),
    )
