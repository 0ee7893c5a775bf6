"""The gate every uploaded file passes, whatever it is attached to (DESIGN.md §5): extension and
content must agree, the name is cleaned, images are re-encoded, and the bytes are stored under a
random key with their SHA-256."""

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from applications.validators import clean_file_name, validate_upload


@contextmanager
def stored_upload(upload, rules, *, folder: str) -> Iterator[dict]:
    """Check `upload` against `rules` (raising ValidationError, with nothing stored), store it,
    and give the fields of its StoredFile row. If the block recording that row fails, the stored
    file is deleted again: no row, so no file either."""
    inspected = validate_upload(upload, rules)
    name = clean_file_name(upload.name)
    if inspected.replacement is not None:  # images are stored re-encoded
        upload = ContentFile(inspected.replacement, name=name)
        sha256 = hashlib.sha256(inspected.replacement).hexdigest()
    else:
        # HashingUploadHandler computed it while the file streamed in; a file from elsewhere
        # (a test, a command) is read once more.
        sha256 = getattr(upload, "sha256", None) or _hash(upload)
    key = default_storage.save(f"{folder}/{uuid.uuid4().hex}", upload)
    try:
        yield {
            "storage_key": key,
            "original_name": name,
            "size": upload.size,
            "sha256": sha256,
            "content_type": inspected.content_type,
        }
    except BaseException:
        default_storage.delete(key)
        raise


def _hash(upload) -> str:
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()
