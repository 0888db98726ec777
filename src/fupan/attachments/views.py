"""Permission-gated serving of attachment files and thumbnails."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fupan.attachments.models import Attachment, AttachmentPurchase
from fupan.core.site import get_site_settings
from fupan.permissions import (
    can_download_attachments,
    can_read_thread,
    can_see_post,
    can_view_images,
)
from fupan.permissions.attachments import (
    check_buy_attachment_permission,
    check_read_attachment_permission,
    must_buy_attachment,
)

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def _access_attachment(request: HttpRequest, attachment_id: int) -> Attachment:
    perms = request.perms  # type: ignore[attr-defined]
    attachment = (
        Attachment.objects.select_related("post", "post__thread", "post__thread__board")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404(_("This attachment does not exist."))
    if attachment.post is None:
        # An upload not yet in a post: only its uploader sees it (in the editor).
        if request.user.is_authenticated and attachment.uploader_id == request.user.pk:
            return attachment
        raise Http404(_("This attachment does not exist."))
    post = attachment.post
    if not can_read_thread(perms, post.thread) or not can_see_post(perms, post):
        raise Http404(_("This attachment does not exist."))
    return attachment


def _bought(perms: Any, attachment: Attachment) -> bool:
    """Whether the viewer bought this priced attachment (one query, none when it is free)."""
    if not attachment.price or not perms.is_authenticated:
        return False
    return AttachmentPurchase.objects.filter(
        attachment_id=attachment.pk, user_id=perms.user_id
    ).exists()


def _check_may_get(perms: Any, attachment: Attachment) -> None:
    """The board lets the viewer have this kind of file (images / other files)."""
    board = attachment.post.thread.board  # type: ignore[union-attr]
    if attachment.is_image and not can_view_images(perms, board):
        raise PermissionDenied(_("You need to log in to see full-size images."))
    if not attachment.is_image and not can_download_attachments(perms, board):
        raise PermissionDenied(_("You need to log in to download or view attachments."))


@require_GET
def file_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = _access_attachment(request, attachment_id)
    perms = request.perms  # type: ignore[attr-defined]
    if attachment.post is None:
        return _serve(attachment)
    _check_may_get(perms, attachment)
    board_id = attachment.post.thread.board_id
    check_read_attachment_permission(perms, attachment, board_id)
    if must_buy_attachment(perms, attachment, board_id, bought=_bought(perms, attachment)):
        return redirect("attachments:buy", attachment.pk)
    if attachment.is_image:
        response = FileResponse(
            attachment.file.open("rb"), content_type=CONTENT_TYPES.get(attachment.image_format)
        )
        response["Cache-Control"] = "private, max-age=86400"
        return response
    Attachment.objects.filter(pk=attachment.pk).update(downloads=F("downloads") + 1)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _serve(attachment: Attachment) -> HttpResponse:
    if attachment.is_image:
        response = FileResponse(
            attachment.file.open("rb"), content_type=CONTENT_TYPES.get(attachment.image_format)
        )
    else:
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
    if attachment.post is None:
        allowed = True  # its uploader, checked above
    else:
        board = attachment.post.thread.board
        allowed = can_view_images(perms, board) or (
            not perms.is_authenticated and get_site_settings().guest_view_thumb
        )
    if not attachment.is_image or not allowed:
        raise Http404(_("This attachment does not exist."))
    if attachment.post is not None:
        # A thumbnail gives the picture away: not before the read permission and the price.
        board_id = attachment.post.thread.board_id
        check_read_attachment_permission(perms, attachment, board_id)
        if must_buy_attachment(perms, attachment, board_id, bought=_bought(perms, attachment)):
            raise PermissionDenied(_("Buy this attachment to see it."))
    if not attachment.thumbnail:
        # Not drawn yet (the background task is queued): draw it now rather than fail.
        from fupan.attachments.tasks import make_attachment_thumbnail

        make_attachment_thumbnail.call(attachment.pk)
        attachment.refresh_from_db(fields=["thumbnail"])
    response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = (
        "private, max-age=86400" if attachment.post is None else "public, max-age=86400"
    )
    return response


@require_POST
def upload_view(request: HttpRequest) -> HttpResponse:
    """The editor's upload (drag-and-drop or file picker, by fetch): one file in, its
    ``[attach]N[/attach]`` code out as JSON. Errors are JSON with a message the editor shows."""
    from django.http import JsonResponse
    from django.urls import reverse

    from fupan.attachments.actions import do_upload_attachment, max_upload_size
    from fupan.core import ratelimit
    from fupan.core.errors import FupanError
    from fupan.core.http import parse_int
    from fupan.permissions import access_board_by_id, check_upload_attachments_permission
    from fupan.permissions.forum import LoginRequired

    perms = request.perms  # type: ignore[attr-defined]
    board = access_board_by_id(perms, parse_int(request.POST.get("board")) or 0)
    try:
        check_upload_attachments_permission(perms, board)
    except LoginRequired as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("No file was sent.")}, status=400)
    if not ratelimit.hit("upload", str(request.user.pk), limit=120, window=3600):
        return JsonResponse({"error": _("Too many uploads; please try again later.")}, status=429)
    limit = max_upload_size(perms.group)
    data = upload.read(limit + 1)  # one byte over is enough for the action to refuse it
    try:
        attachment = do_upload_attachment(
            acting_user=request.user, filename=upload.name or "", data=data, max_size=limit
        )
    except FupanError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status)
    return JsonResponse(
        {
            "id": attachment.pk,
            "filename": attachment.filename,
            "size": attachment.size,
            "is_image": attachment.is_image,
            "code": f"[attach]{attachment.pk}[/attach]",
            "thumb": reverse("attachments:thumb", args=[attachment.pk])
            if attachment.is_image
            else "",
        }
    )


@require_http_methods(["GET", "POST"])
def buy_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """购买附件: the price and the member's balance, and the button (POST, or htmx swapping the
    box). Bought once, the page offers the file."""
    from fupan.accounts.credits import credit_names
    from fupan.attachments.actions import TRADE_CREDIT, do_buy_attachment
    from fupan.core.errors import FupanError
    from fupan.forum.presenters import login_url_for
    from fupan.permissions.attachments import attachment_price
    from fupan.permissions.forum import LoginRequired

    attachment = _access_attachment(request, attachment_id)
    if attachment.post is None:
        raise Http404(_("This attachment does not exist."))
    perms = request.perms  # type: ignore[attr-defined]
    board_id = attachment.post.thread.board_id
    buy_url = reverse("attachments:buy", args=[attachment.pk])
    error = notice = ""
    status = 200
    if request.method == "POST":
        if not perms.is_authenticated:
            return redirect(login_url_for(buy_url))
        try:
            _check_may_get(perms, attachment)
            check_buy_attachment_permission(perms, attachment, board_id)
            do_buy_attachment(attachment, acting_user=request.user)
        except LoginRequired:
            return redirect(login_url_for(buy_url))
        except (FupanError, PermissionDenied) as exc:
            error = exc.message if isinstance(exc, FupanError) else str(exc)
            status = exc.status if isinstance(exc, FupanError) else 403
        else:
            notice = _("You bought %(name)s.") % {"name": attachment.filename}
            if not request.htmx:  # type: ignore[attr-defined]
                from django.contrib import messages

                messages.success(request, notice)
                return redirect(buy_url)
    context = {
        "attachment": attachment,
        "post": attachment.post,
        "thread": attachment.post.thread,
        "bought": not must_buy_attachment(
            perms, attachment, board_id, bought=_bought(perms, attachment)
        ),
        "price": attachment_price(attachment),
        "credit_name": credit_names().get(TRADE_CREDIT, ""),
        "balance": getattr(request.user, f"extcredits{TRADE_CREDIT}", 0),
        "login_url": login_url_for(buy_url),
        "error": error,
        "notice": notice,
    }
    template = "attachments/_buy.jinja" if request.htmx else "attachments/buy.jinja"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)
