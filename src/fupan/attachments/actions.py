"""Uploading attachments and binding them to posts.

An upload is stored at once, unbound (``post`` empty), so the editor can insert
``[attach]N[/attach]`` while the member is still writing; the post action binds the member's
unbound uploads to the post in its own transaction. Images are checked by content, re-encoded
without EXIF and thumbnailed in the background after commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.attachments.files import check_file, extension
from fupan.attachments.images import check_image
from fupan.attachments.models import Attachment, AttachmentPurchase
from fupan.core.errors import ErrorCode, FupanError

MAX_FILENAME = 120
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "bmp", "heic"}
DEFAULT_MAX_SIZE = 10 * 1024 * 1024
UNBOUND_LIFETIME = timedelta(days=1)


def clean_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    name = "".join(c for c in name if c.isprintable())
    return (name or "file")[-MAX_FILENAME:]


def max_upload_size(group: Any) -> int:
    site_max = getattr(settings, "FUPAN_MAX_UPLOAD_SIZE", DEFAULT_MAX_SIZE)
    group_max = getattr(group, "max_attach_size", 0) or site_max
    return min(group_max, site_max)


def do_upload_attachment(
    *, acting_user: Any, filename: str, data: bytes, max_size: int
) -> Attachment:
    """Store one uploaded file for ``acting_user``, not yet bound to a post.

    Refuses (FupanError, nothing stored) an empty or too large file, an image that is damaged or
    has too many pixels, and a non-image whose content does not match an allowed type."""
    filename = clean_filename(filename)
    if not data:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("“%(name)s” is empty.") % {"name": filename}, field="files"
        )
    if max_size and len(data) > max_size:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("“%(name)s” is %(size)s; you may upload at most %(max)s.")
            % {
                "name": filename,
                "size": filesizeformat(len(data)),
                "max": filesizeformat(max_size),
            },
            field="files",
        )
    image = check_image(data)
    if image is None:
        if extension(filename) in IMAGE_EXTENSIONS:
            raise FupanError(
                ErrorCode.BAD_REQUEST,
                _("“%(name)s” is not a valid image (or is damaged); it was not attached.")
                % {"name": filename},
                field="files",
            )
        check_file(filename, data)
    attachment = Attachment(
        post=None,
        uploader=acting_user,
        filename=filename,
        size=len(image.data) if image else len(data),
        is_image=image is not None,
        image_format=image.format if image else "",
        width=image.width if image else 0,
        height=image.height if image else 0,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        attachment.file.save(filename, ContentFile(image.data if image else data), save=False)
        attachment.save()
        if image is not None:
            from fupan.attachments.tasks import make_attachment_thumbnail

            transaction.on_commit(lambda: make_attachment_thumbnail.enqueue(attachment.pk))
    return attachment


def bind_attachments(post: Any, attachment_ids: list[int], *, acting_user: Any) -> list[Attachment]:
    """Attach the member's own unbound uploads ``attachment_ids`` to ``post`` (call inside the
    post action's transaction). Ids of other members' or already bound files are ignored."""
    from fupan.forum.models import Post, Thread

    if not attachment_ids:
        return []
    attachments = list(
        Attachment.objects.select_for_update().filter(
            pk__in=attachment_ids, uploader=acting_user, post__isnull=True
        )
    )
    if not attachments:
        return []
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(post=post)
    Post.objects.filter(pk=post.pk).update(has_attachments=True)
    changes = {"has_attachments": True}
    if any(a.is_image for a in attachments):
        changes["has_images"] = True
    Thread.objects.filter(pk=post.thread_id).update(**changes)
    post.has_attachments = True
    for attachment in attachments:
        attachment.post = post
    return attachments


def do_add_attachment(
    post: Any, *, acting_user: Any, filename: str, data: bytes, max_size: int = 0
) -> Attachment:
    """Upload and bind in one step (imports, the demo)."""
    with transaction.atomic():
        attachment = do_upload_attachment(
            acting_user=acting_user, filename=filename, data=data, max_size=max_size
        )
        bind_attachments(post, [attachment.pk], acting_user=acting_user)
    return attachment


def do_delete_unbound_attachments(*, older_than: timedelta = UNBOUND_LIFETIME) -> int:
    """Remove uploads never bound to a post (the member gave up writing)."""
    cutoff = timezone.now() - older_than
    stale = list(Attachment.objects.filter(post__isnull=True, created_at__lt=cutoff))
    for attachment in stale:
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
    Attachment.objects.filter(pk__in=[a.pk for a in stale]).delete()
    return len(stale)


# Buying a priced attachment (售价) --------------------------------------------------------------

# Discuz pays for attachments with ``creditstransextra[1]``, by default extcredits2 (金钱).
TRADE_CREDIT = 2
REASON_BUY_ATTACHMENT = "buy_attachment"  # Discuz BAC
REASON_SELL_ATTACHMENT = "sell_attachment"  # Discuz SAC


def do_buy_attachment(attachment: Attachment, *, acting_user: Any) -> AttachmentPurchase:
    """``acting_user`` buys ``attachment`` at its price, once.

    Preconditions: the caller checked ``check_buy_attachment_permission``. A second purchase
    returns the first, charging nothing. Refuses with ``FupanError`` (INSUFFICIENT_CREDITS),
    changing nothing, when the member cannot pay. Side effects: the price leaves the buyer's
    trade credit (ledger "buy_attachment") and goes to the uploader (ledger "sell_attachment"),
    the purchase is recorded."""
    from django.contrib.auth import get_user_model

    from fupan.accounts.credits import do_change_credits
    from fupan.permissions.attachments import attachment_price

    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        bought = AttachmentPurchase.objects.filter(
            attachment_id=locked.pk, user_id=acting_user.pk
        ).first()
        if bought is not None:
            return bought
        price = attachment_price(locked)
        if not price:
            raise FupanError(ErrorCode.NOT_FOR_SALE, _("This attachment is free."), status=409)
        seller = None
        if locked.uploader_id and locked.uploader_id != acting_user.pk:
            seller = get_user_model().objects.filter(pk=locked.uploader_id).first()
        changes = [(acting_user, -price, REASON_BUY_ATTACHMENT)]
        if seller is not None:
            changes.append((seller, price, REASON_SELL_ATTACHMENT))
        # Members are locked in id order, so two members buying from each other never deadlock.
        for user, delta, reason in sorted(changes, key=lambda c: c[0].pk):
            do_change_credits(
                user,
                acting_user=acting_user,
                deltas={TRADE_CREDIT: delta},
                reason=reason,
                text=locked.filename[:200],
                related=locked.post,
            )
        return AttachmentPurchase.objects.create(
            attachment_id=locked.pk, user_id=acting_user.pk, price=price
        )
