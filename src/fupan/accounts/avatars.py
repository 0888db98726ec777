"""Avatars (头像) in Discuz's three sizes, drawn with Pillow from the member's upload."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from fupan.accounts.models import User
from fupan.attachments.images import check_image
from fupan.core.errors import ErrorCode, FupanError
from fupan.core.pagecache import bump_site

SIZES = {"small": 48, "middle": 120, "big": 200}
MAX_UPLOAD = 4 * 1024 * 1024


def avatar_path(user_id: int, size: str) -> str:
    # Discuz's layout: 000/00/00/01_avatar_middle.jpg (uid padded to nine digits).
    padded = f"{user_id:09d}"
    return f"avatars/{padded[:3]}/{padded[3:5]}/{padded[5:7]}/{padded[7:]}_avatar_{size}.jpg"


def _square(data: bytes, side: int) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.seek(0)
        square = ImageOps.fit(
            ImageOps.exif_transpose(img.convert("RGB")), (side, side), Image.LANCZOS
        )
        out = io.BytesIO()
        square.save(out, "JPEG", quality=88)
        return out.getvalue()


def do_set_avatar(user: Any, *, data: bytes, award_credits: bool = True) -> User:
    """Store a new avatar in the three sizes (checked as any uploaded image: content, pixels).
    The first avatar pays the 设置头像 credit rule once (not for an imported one:
    ``award_credits=False``, the old site paid it)."""
    if not data:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Choose a picture first."), field="avatar")
    if len(data) > MAX_UPLOAD:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("The picture is larger than 4 MB."), field="avatar"
        )
    image = check_image(data)
    if image is None:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("That file is not a picture (JPEG, PNG, GIF or WebP)."),
            field="avatar",
        )
    drawn = {size: _square(image.data, side) for size, side in SIZES.items()}
    with transaction.atomic():
        for size, content in drawn.items():
            path = avatar_path(user.pk, size)
            if default_storage.exists(path):
                default_storage.delete(path)
            default_storage.save(path, ContentFile(content))
        first = not User.objects.filter(pk=user.pk, avatar_version__gt=0).exists()
        User.objects.filter(pk=user.pk).update(avatar_version=F("avatar_version") + 1)
        if first and award_credits:
            from fupan.accounts.credits import apply_credit_rule

            apply_credit_rule(user, "setavatar")
        bump_site()  # shown beside every post of theirs, in any thread
    user.refresh_from_db(fields=["avatar_version"])
    return user


def do_remove_avatar(user: Any) -> None:
    for size in SIZES:
        path = avatar_path(user.pk, size)
        if default_storage.exists(path):
            default_storage.delete(path)
    User.objects.filter(pk=user.pk).update(avatar_version=0)
    bump_site()
    user.avatar_version = 0
