"""Background work for attachments (django-tasks: run at once by default, by a worker in
production)."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django_tasks import task

from fupan.attachments.images import make_thumbnail
from fupan.attachments.models import Attachment

THUMB_SIZE = 300


@task()
def make_attachment_thumbnail(attachment_id: int) -> bool:
    """Draw the thumbnail of an image attachment (guests see it; lists use it)."""
    attachment = Attachment.objects.filter(pk=attachment_id, is_image=True).first()
    if attachment is None or attachment.thumbnail:
        return False
    with attachment.file.open("rb") as fh:
        data = fh.read()
    attachment.thumbnail.save(
        f"{secrets.token_hex(8)}.jpg", ContentFile(make_thumbnail(data, THUMB_SIZE)), save=False
    )
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=attachment.thumbnail.name)
    return True
