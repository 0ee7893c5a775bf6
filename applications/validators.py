"""Checks on uploaded files, reused by forms and services.

The extension must be allowed by the document requirement, and the file's content must be of the
type its extension claims (magic bytes via `filetype`). Deeper parsing comes with the hardened
pipeline; this is the gate every upload passes.
"""

import unicodedata
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTENT_TYPES = {
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


def validate_upload(upload, requirement) -> str:
    """Raise ValidationError with a specific message, or return the content type to store."""
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
    sniffed = filetype.guess(upload)
    upload.seek(0)
    if sniffed is None or sniffed.extension != _SNIFFED_AS[extension]:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a %(type)s file, whatever its name says. Please upload the real document."
            )
            % {"name": name, "type": extension.upper()},
            code="content",
        )
    return CONTENT_TYPES[extension]
