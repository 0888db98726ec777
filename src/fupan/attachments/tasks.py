"""Background work for attachments (django-tasks: run at once by default, by a worker in
production)."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django_tasks import task

from fupan.attachments.images import make_thumbnail
from fupan.attachments.models import Attachment


@task()
def make_attachment_thumbnail(attachment_id: int) -> bool:
    """Draw the small image guests see instead of the full one (Discuz ``guestviewthumb``), at the
    site's guest thumbnail size."""
    from fupan.core.site import get_site_settings

    attachment = Attachment.objects.filter(pk=attachment_id, is_image=True).first()
    if attachment is None or attachment.thumbnail:
        return False
    with attachment.file.open("rb") as fh:
        data = fh.read()
    attachment.thumbnail.save(
        f"{secrets.token_hex(8)}.jpg",
        ContentFile(make_thumbnail(data, get_site_settings().guest_thumb_size)),
        save=False,
    )
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=attachment.thumbnail.name)
    if attachment.post_id:
        # Guests are shown the thumbnail from now on: the thread's cached pages are stale.
        from fupan.forum.caching import purge_thread_pages
        from fupan.forum.models import Post

        thread_id = Post.objects.filter(pk=attachment.post_id).values_list("thread_id", flat=True)
        for tid in thread_id:
            purge_thread_pages([(tid, 0, 0)], listing=False)
    return True
