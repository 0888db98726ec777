"""Checking and processing uploaded images with Pillow."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from fupan.core.errors import ErrorCode, FupanError

MAX_PIXELS = 40_000_000  # 40 megapixels: larger is a decompression bomb, not a photo
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # re-encoded without EXIF
    format: str
    width: int
    height: int


def check_image(data: bytes) -> CheckedImage | None:
    """The image in ``data`` re-encoded without metadata, or None if ``data`` is not an image.

    Raises FupanError for images that are too large in pixels or in an unsupported format."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            width, height = probe.size
    except Image.DecompressionBombError:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("The image has far more pixels than a photo; at most %(max)d megapixels are allowed.")
            % {"max": MAX_PIXELS // 1_000_000},
            field="files",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if fmt not in ALLOWED_FORMATS:
        return None
    if width * height > MAX_PIXELS:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("The image is %(w)d×%(h)d pixels; at most %(max)d megapixels are allowed.")
            % {"w": width, "h": height, "max": MAX_PIXELS // 1_000_000},
            field="files",
        )
    try:
        with Image.open(io.BytesIO(data)) as img:
            if fmt == "GIF":
                # Keep animations as uploaded (GIF carries no EXIF).
                img.verify()
                return CheckedImage(data=data, format=fmt, width=width, height=height)
            img = ImageOps.exif_transpose(img)  # apply the camera's rotation before dropping EXIF
            out = io.BytesIO()
            if fmt == "JPEG":
                img.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif fmt == "PNG":
                img.save(out, "PNG", optimize=True)
            else:
                img.save(out, fmt)
            width, height = img.size
            return CheckedImage(data=out.getvalue(), format=fmt, width=width, height=height)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("The image file is damaged and cannot be read.")
        ) from None


def make_thumbnail(data: bytes, size: int) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.seek(0)
        thumb = ImageOps.exif_transpose(img.convert("RGB"))
        thumb.thumbnail((size, size))
        out = io.BytesIO()
        thumb.save(out, "JPEG", quality=80)
        return out.getvalue()
