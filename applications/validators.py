"""Checks on uploaded files, reused by forms and services.

The extension must be allowed by the document requirement, the file's first bytes must be of the
type its extension claims (magic bytes via `filetype`), and then the file is parsed
(applications.content): PDFs with pikepdf, DOCX/XLSX through their zip directory and defusedxml,
images decoded and re-encoded with Pillow. This is the gate every upload passes.
"""

import unicodedata
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from applications.content import Inspected, inspect_content

CONTENT_TYPES = {  # also the allow-list: nothing else is ever accepted
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
# What `filetype` calls each type; jpeg and jpg are one.
_SNIFFED_AS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "png": "png",
    "jpg": "jpg",
    "jpeg": "jpg",
}
MAX_NAME_LENGTH = 120


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def clean_file_name(name: str) -> str:
    """A display name without paths, control or bidirectional-override characters, bounded."""
    name = PurePath(name.replace("\\", "/")).name
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    kept = " ".join(kept.split()).strip(". ") or "document"
    if len(kept) > MAX_NAME_LENGTH:
        stem, dot, ext = kept.rpartition(".")
        if dot and 0 < len(ext) <= 8:
            kept = f"{stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip('. ')}.{ext}"
        else:
            kept = kept[:MAX_NAME_LENGTH]
    return kept


def accepted_types_label(requirement) -> str:
    """The requirement's allowed types as people write them: "PDF, DOCX"."""
    return ", ".join(ext.upper() for ext in requirement.extensions)


def too_large_message(requirement) -> str:
    """Said by the browser check and by the server when the upload streams past the limit."""
    return _("The file is larger than the %(limit)s MB limit for this document.") % {
        "limit": requirement.max_size_mb
    }


def wrong_type_message(requirement) -> str:
    return _("This document must be one of these file types: %(types)s.") % {
        "types": accepted_types_label(requirement)
    }


def validate_upload(upload, requirement) -> Inspected:
    """Raise ValidationError with a specific message, or say what to store (content type, and the
    re-encoded bytes for images)."""
    # Checked on the name we store and show, so the stored name's extension is the one checked.
    name = clean_file_name(upload.name)
    extension = extension_of(name)
    if extension not in requirement.extensions or extension not in CONTENT_TYPES:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type here. Accepted: %(allowed)s.")
            % {"name": name, "allowed": accepted_types_label(requirement)},
            code="extension",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > requirement.max_size_bytes:
        raise ValidationError(too_large_message(requirement), code="size")
    upload.seek(0)
    head = upload.read(8192)  # what filetype reads to tell DOCX and XLSX from a plain zip
    upload.seek(0)
    sniffed = filetype.guess(head)
    if sniffed is None or sniffed.extension != _SNIFFED_AS[extension]:
        raise _content_refusal(head, sniffed, name, extension)
    return inspect_content(upload, extension, name)


_EXECUTABLES = {"exe", "elf", "dex", "dcm", "macho", "class", "wasm", "deb", "rpm", "msi"}
_ARCHIVES = {"zip", "rar", "7z", "gz", "bz2", "xz", "tar", "cab", "zst", "lz", "ar", "Z"}


def _content_refusal(head: bytes, sniffed, name: str, extension: str) -> ValidationError:
    """The most useful thing to say about content that is not what its extension claims."""
    kind = sniffed.extension if sniffed else None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if kind in _EXECUTABLES or head.startswith((b"MZ", b"\x7fELF")):
        message, code = (
            _("“%(name)s” is a program, not a document. Programs cannot be uploaded."),
            "executable",
        )
    elif kind in _ARCHIVES:
        message, code = (
            _("“%(name)s” is a compressed archive. Upload the document itself, not an archive."),
            "archive",
        )
    elif (
        text.startswith((b"<", b"<?xml"))
        or b"<svg" in text
        or b"<html" in text
        or b"<script" in text
    ):
        message, code = (
            _("“%(name)s” is a web page, SVG drawing or other markup, which cannot be uploaded."),
            "markup",
        )
    elif text.startswith((b"#!", b"@echo", b"' ", b"function ", b"var ", b"import ", b"<?php")):
        message, code = _("“%(name)s” is a script, which cannot be uploaded."), "script"
    else:
        message, code = (
            _(
                "The content of “%(name)s” is not a %(type)s file, whatever its name says. Please upload the real document."
            ),
            "content",
        )
    return ValidationError(message % {"name": name, "type": extension.upper()}, code=code)
