"""What may be uploaded besides images, checked by content — never trusting the name alone."""

from __future__ import annotations

import zipfile
from io import BytesIO

from django.utils.translation import gettext as _

from fupan.core.errors import ErrorCode, FupanError

# extension -> check of the first bytes (None: checked separately)
_SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "rar": (b"Rar!\x1a\x07",),
    "7z": (b"7z\xbc\xaf\x27\x1c",),
    "gz": (b"\x1f\x8b",),
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "ppt": (b"\xd0\xcf\x11\xe0",),
    "docx": None,
    "xlsx": None,
    "pptx": None,
    "mp4": None,
    "txt": None,
}
ALLOWED_EXTENSIONS = tuple(sorted(_SIGNATURES))
_OFFICE_MARKERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_file(filename: str, data: bytes) -> None:
    """Raise FupanError unless ``data`` really is a file of an allowed kind named by ``filename``."""
    ext = extension(filename)
    if ext not in _SIGNATURES:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("Files of this type cannot be attached. Allowed: images and %(list)s.")
            % {"list": ", ".join(ALLOWED_EXTENSIONS)},
            field="files",
        )
    signatures = _SIGNATURES[ext]
    if signatures is not None:
        ok = data.startswith(signatures)
    elif ext in _OFFICE_MARKERS:
        ok = _is_office_zip(data, _OFFICE_MARKERS[ext])
    elif ext == "mp4":
        ok = len(data) > 12 and data[4:8] == b"ftyp"
    else:  # txt: text in UTF-8 or GB18030, no NUL bytes
        ok = b"\x00" not in data and (_decodes(data, "utf-8") or _decodes(data, "gb18030"))
    if not ok:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("“%(name)s” is not really a .%(ext)s file; it was not attached.")
            % {"name": filename, "ext": ext},
            field="files",
        )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _is_office_zip(data: bytes, marker: str) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return any(name.startswith(marker) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
