"""Permission-gated serving of attachment files and thumbnails."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupan.attachments.models import Attachment
from fupan.core.site import get_site_settings
from fupan.permissions import (
    can_download_attachments,
    can_read_thread,
    can_see_post,
    can_view_images,
)

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def _access_attachment(request: HttpRequest, attachment_id: int) -> Attachment:
    perms = request.perms  # type: ignore[attr-defined]
    attachment = (
        Attachment.objects.select_related("post", "post__thread", "post__thread__board")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or attachment.post is None:
        raise Http404(_("This attachment does not exist."))
    post = attachment.post
    if not can_read_thread(perms, post.thread) or not can_see_post(perms, post):
        raise Http404(_("This attachment does not exist."))
    return attachment


@require_GET
def file_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = _access_attachment(request, attachment_id)
    perms = request.perms  # type: ignore[attr-defined]
    board = attachment.post.thread.board  # type: ignore[union-attr]
    if attachment.is_image:
        if not can_view_images(perms, board):
            raise PermissionDenied(_("You need to log in to see full-size images."))
        response = FileResponse(
            attachment.file.open("rb"), content_type=CONTENT_TYPES.get(attachment.image_format)
        )
        response["Cache-Control"] = "private, max-age=86400"
        return response
    if not can_download_attachments(perms, board):
        raise PermissionDenied(_("You need to log in to download or view attachments."))
    Attachment.objects.filter(pk=attachment.pk).update(downloads=F("downloads") + 1)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def thumb_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = _access_attachment(request, attachment_id)
    perms = request.perms  # type: ignore[attr-defined]
    board = attachment.post.thread.board  # type: ignore[union-attr]
    allowed = can_view_images(perms, board) or (
        not perms.is_authenticated and get_site_settings().guest_view_thumb
    )
    if not attachment.is_image or not attachment.thumbnail or not allowed:
        raise Http404(_("This attachment does not exist."))
    response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
