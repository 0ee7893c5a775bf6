"""Checks on uploaded files, reused by forms and services.

The extension must be allowed by the document requirement, and the file's content must be of the
type its extension claims (magic bytes via `filetype`). Deeper parsing comes with the hardened
pipeline; this is the gate every upload passes.
"""

import unicodedata
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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
_SNIFFED_AS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
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
        kept = f"{stem[: MAX_NAME_LENGTH - len(ext) - 1]}.{ext}" if dot and len(ext) <= 8 else kept[:MAX_NAME_LENGTH]
    return kept


def validate_upload(upload, requirement) -> str:
    """Raise ValidationError with a specific message, or return the content type to store."""
    extension = extension_of(upload.name)
    allowed = requirement.extensions
    if extension not in allowed or extension not in CONTENT_TYPES:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type here. Accepted: %(allowed)s.")
            % {"name": clean_file_name(upload.name), "allowed": ", ".join(ext.upper() for ext in allowed)},
            code="extension",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > requirement.max_size_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit for this document is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(requirement.max_size_bytes)},
            code="size",
        )
    upload.seek(0)
    sniffed = filetype.guess(upload)
    upload.seek(0)
    if sniffed is None or sniffed.extension != _SNIFFED_AS[extension]:
        raise ValidationError(
            _("The content of “%(name)s” is not a %(type)s file, whatever its name says. Please upload the real document.")
            % {"name": clean_file_name(upload.name), "type": extension.upper()},
            code="content",
        )
    return CONTENT_TYPES[extension]
