"""PNG and JPEG: decoded with Pillow under a pixel cap and re-encoded, so metadata (EXIF, GPS,
comments) and anything appended after the image data are dropped. The re-encoded bytes are stored."""

import io
import struct
import warnings
import zlib

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from applications.content import Inspected, refuse

_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}
_CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def inspect(upload, extension: str, name: str) -> Inspected:
    expected = _FORMATS[extension]
    malformed = refuse("image_malformed", _("“%(name)s” is a damaged or incomplete image."), name)
    if expected == "PNG" and not png_chunks_intact(upload):
        raise malformed
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=[expected])
            width, height = image.size
            if width * height > settings.DOCUMENT_IMAGE_MAX_PIXELS:
                raise _too_many_pixels(name)
            image.load()
            # Malformed metadata can fail here too, when the orientation is read.
            return Inspected(_CONTENT_TYPES[expected], _reencode(image, expected))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise malformed from None


def png_chunks_intact(stream) -> bool:
    """Every chunk's CRC matches and the file ends with IEND (Pillow skips some of these checks)."""
    stream.seek(8)  # the signature was checked when the type was sniffed
    while header := stream.read(8):
        if len(header) < 8:
            return False
        length, kind = struct.unpack(">I4s", header)
        crc = zlib.crc32(kind)
        remaining = length
        while remaining:
            block = stream.read(min(remaining, 1024 * 1024))
            if not block:
                return False
            crc = zlib.crc32(block, crc)
            remaining -= len(block)
        stored = stream.read(4)
        if len(stored) < 4 or struct.unpack(">I", stored)[0] != crc:
            return False
        if kind == b"IEND":
            return True
    return False


def _too_many_pixels(name: str):
    return refuse(
        "image_pixels",
        _("“%(name)s” has too many pixels (at most %(limit)s megapixels). Scale it down.")
        % {"name": "%(name)s", "limit": settings.DOCUMENT_IMAGE_MAX_PIXELS // 1_000_000},
        name,
    )


def _reencode(image: Image.Image, image_format: str) -> bytes:
    image = ImageOps.exif_transpose(image)  # keep the orientation the metadata described
    if image_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA")
    output = io.BytesIO()
    # No exif, icc_profile or text chunks are passed on: only the pixels survive.
    image.save(output, format=image_format, **({"quality": 90} if image_format == "JPEG" else {}))
    return output.getvalue()
