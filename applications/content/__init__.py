"""Parsing uploaded files to prove they are the documents they claim to be.

Magic bytes only say how a file starts; these checks read its structure. Each refusal is a
ValidationError with its own code and message. `inspect_content` returns what to store: the
content type and, for images, the re-encoded bytes that replace the upload.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Inspected:
    content_type: str
    # Bytes to store instead of the upload (re-encoded images); None keeps the upload as sent.
    replacement: bytes | None = None


def refuse(code: str, message: str, name: str) -> ValidationError:
    return ValidationError(message % {"name": name}, code=code)


def inspect_content(upload, extension: str, name: str) -> Inspected:
    from applications.content import images, office, pdf

    upload.seek(0)
    try:
        if extension == "pdf":
            pdf.inspect(upload, name)
            return Inspected("application/pdf")
        if extension in ("docx", "xlsx"):
            office.inspect(upload, extension, name)
            return Inspected(office.CONTENT_TYPES[extension])
        if extension in ("png", "jpg", "jpeg"):
            return images.inspect(upload, extension, name)
    finally:
        upload.seek(0)
    raise refuse("type", _("“%(name)s” is not a type of file this portal accepts."), name)
