"""DOCX and XLSX: the zip's central directory is checked before any member is read, then every
XML part is parsed with defusedxml (no DTDs, no entities)."""

import stat
import zipfile
import zlib
from pathlib import PurePosixPath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.utils.translation import gettext as _

from applications.content import refuse

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The main part's content type names the kind of document, whatever the file is called.
_MAIN_PART = {
    "docx": ".wordprocessingml.document.main+xml",
    "xlsx": ".spreadsheetml.sheet.main+xml",
}
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vnd.ms-office.activex", "vbadata")
# Relationships that make Word or Excel fetch something from outside when the file is opened.
_FETCHING_RELATIONS = ("/attachedtemplate", "/oleobject", "/frame", "/subdocument")
_MAX_RATIO = 100  # uncompressed ÷ compressed, per member, past a small size
_RATIO_FLOOR = 1024 * 1024


def inspect(upload, extension: str, name: str) -> None:
    try:
        archive = zipfile.ZipFile(upload)  # reads the central directory only
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise refuse(
            "office_malformed",
            _("“%(name)s” is damaged or is not a valid Office document."),
            name,
        ) from None
    with archive:
        members = archive.infolist()
        _check_directory(members, name)
        names = {member.filename for member in members}
        _check_macros(names, name)
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels")):
                _parse_xml(archive, member, extension, name)
        if "[Content_Types].xml" not in names:
            raise refuse(
                "office_malformed",
                _("“%(name)s” is damaged or is not a valid Office document."),
                name,
            )


def _check_directory(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > settings.DOCUMENT_ZIP_MAX_ENTRIES:
        raise refuse(
            "zip_entries", _("“%(name)s” holds too many parts to be an ordinary document."), name
        )
    total = 0
    for member in members:
        path = member.filename.replace("\\", "/")
        parts = PurePosixPath(path).parts
        if path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in parts:
            raise refuse(
                "zip_path", _("“%(name)s” contains parts with unsafe paths. Save it again."), name
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise refuse("zip_symlink", _("“%(name)s” contains a symbolic link."), name)
        if member.flag_bits & 0x1:
            raise refuse(
                "office_encrypted",
                _(
                    "“%(name)s” is encrypted or password-protected. Upload a copy without a password."
                ),
                name,
            )
        total += member.file_size
        ratio_bomb = member.file_size > _RATIO_FLOOR and member.file_size > _MAX_RATIO * max(
            member.compress_size, 1
        )
        if ratio_bomb or total > settings.DOCUMENT_ZIP_MAX_UNCOMPRESSED_BYTES:
            raise refuse(
                "zip_bomb",
                _("“%(name)s” expands to far more data than a document holds (a “zip bomb”)."),
                name,
            )


def _check_macros(names: set[str], name: str) -> None:
    lowered = " ".join(names).lower()
    if "vbaproject.bin" in lowered or "/activex/" in lowered or "vbadata.xml" in lowered:
        raise _macro_refusal(name)


def _macro_refusal(name: str):
    return refuse(
        "office_macros",
        _("“%(name)s” contains macros. Save it as a plain .docx or .xlsx without macros."),
        name,
    )


def _parse_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, extension: str, name: str):
    try:
        with archive.open(member) as stream:
            # Never trust the declared size: read at most one byte past it.
            data = stream.read(member.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError):
        # A bad checksum, corrupt compressed data, or a compression method nobody saves Office
        # documents with.
        raise refuse(
            "office_malformed",
            _("“%(name)s” is damaged or is not a valid Office document."),
            name,
        ) from None
    if len(data) > member.file_size:  # pragma: no cover - zipfile checks sizes itself first
        raise refuse("zip_bomb", _("“%(name)s” is damaged."), name)
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise refuse(
            "office_xml_entities",
            _("“%(name)s” contains XML declarations that are not allowed in documents."),
            name,
        ) from None
    except ParseError:
        raise refuse(
            "office_malformed",
            _("“%(name)s” is damaged or is not a valid Office document."),
            name,
        ) from None
    if member.filename == "[Content_Types].xml":
        _check_content_types(root, extension, name)
    elif member.filename.endswith(".rels"):
        _check_relations(root, name)


def _check_content_types(root, extension: str, name: str) -> None:
    declared = [element.get("ContentType", "").lower() for element in root]
    if any(marker in declared_type for declared_type in declared for marker in _MACRO_MARKERS):
        raise _macro_refusal(name)
    if not any(declared_type.endswith(_MAIN_PART[extension]) for declared_type in declared):
        raise refuse(
            "office_wrong_kind",
            _("“%(name)s” is not a %(type)s document inside, whatever its name says.")
            % {"name": "%(name)s", "type": extension.upper()},
            name,
        )


def _check_relations(root, name: str) -> None:
    for relation in root:
        kind = relation.get("Type", "").lower()
        if relation.get("TargetMode") == "External" and kind.endswith(_FETCHING_RELATIONS):
            raise refuse(
                "office_external",
                _(
                    "“%(name)s” loads content from outside the file when opened. Save it as a self-contained document."
                ),
                name,
            )
