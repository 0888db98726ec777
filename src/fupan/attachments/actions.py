"""Adding attachments to posts."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.attachments.images import check_image, make_thumbnail
from fupan.attachments.models import Attachment
from fupan.core.errors import ErrorCode, FupanError

THUMB_SIZE = 300
MAX_FILENAME = 120


def clean_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return (name or "file")[-MAX_FILENAME:]


def do_add_attachment(
    post: Any, *, acting_user: Any, filename: str, data: bytes, max_size: int = 0
) -> Attachment:
    """Store ``data`` as an attachment of ``post``. Images are checked by content (not name),
    re-encoded without EXIF and thumbnailed; the post and thread learn they carry files."""
    from fupan.forum.models import Post, Thread

    if max_size and len(data) > max_size:
        raise FupanError(ErrorCode.BAD_REQUEST, _("The file is larger than you may upload."))
    if not data:
        raise FupanError(ErrorCode.BAD_REQUEST, _("The file is empty."))
    image = check_image(data)
    attachment = Attachment(
        post=post,
        uploader=acting_user,
        filename=clean_filename(filename),
        size=len(image.data) if image else len(data),
        is_image=image is not None,
        image_format=image.format if image else "",
        width=image.width if image else 0,
        height=image.height if image else 0,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        attachment.file.save(
            attachment.filename, ContentFile(image.data if image else data), save=False
        )
        if image is not None:
            attachment.thumbnail.save(
                f"{secrets.token_hex(8)}.jpg",
                ContentFile(make_thumbnail(image.data, THUMB_SIZE)),
                save=False,
            )
        attachment.save()
        Post.objects.filter(pk=post.pk).update(has_attachments=True)
        changes = {"has_attachments": True}
        if image is not None:
            changes["has_images"] = True
        Thread.objects.filter(pk=post.thread_id).update(**changes)
    post.has_attachments = True
    return attachment
