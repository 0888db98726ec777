"""Per-attachment rules (Discuz ``forum_attachment.php``): 阅读权限 — the group read access a
member needs (``readperm``) — and 售价 — a price in credits paid once (``price``, the purchase
logged as ``BAC``). The uploader, administrators and the board's moderators get the file as it
is (Discuz: ``adminid > 0`` skips the read permission, ``forum_attachmentdown`` the price)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.core.site import get_site_settings
from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired


def _exempt(perms: UserPerms, attachment: Any, board_id: int) -> bool:
    return perms.is_authenticated and (
        attachment.uploader_id == perms.user_id or perms.moderates(board_id)
    )


def can_read_attachment(perms: UserPerms, attachment: Any, board_id: int) -> bool:
    """Whether the viewer's read access reaches the attachment's read permission."""
    if not attachment.read_access or _exempt(perms, attachment, board_id):
        return True
    return perms.group.read_access >= attachment.read_access


def check_read_attachment_permission(perms: UserPerms, attachment: Any, board_id: int) -> None:
    if can_read_attachment(perms, attachment, board_id):
        return
    message = _(
        "This attachment needs read permission %(need)d; your user group (%(group)s) has %(have)d."
    ) % {
        "need": attachment.read_access,
        "group": perms.group.title,
        "have": perms.group.read_access,
    }
    if not perms.is_authenticated:
        raise LoginRequired(message)
    raise PermissionDenied(message)


def attachment_price(attachment: Any, *, now: datetime | None = None) -> int:
    """What a reader pays for the attachment now: its price, or nothing once the site's
    最高出售时限 (``max_charge_hours`` after the upload) has passed — Discuz's ``maxchargespan``,
    where the price then drops to 0 for everyone."""
    if not attachment.price:
        return 0
    hours = get_site_settings().max_charge_hours
    if hours and attachment.created_at <= (now or timezone.now()) - timedelta(hours=hours):
        return 0
    return int(attachment.price)


def must_buy_attachment(perms: UserPerms, attachment: Any, board_id: int, *, bought: bool) -> bool:
    """Whether the viewer has to pay before getting a priced attachment (``bought``: they have
    a purchase of it)."""
    return (
        bool(attachment_price(attachment))
        and not bought
        and not _exempt(perms, attachment, board_id)
    )


def check_buy_attachment_permission(perms: UserPerms, attachment: Any, board_id: int) -> None:
    """A member may buy a priced attachment they may read."""
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in to buy an attachment."))
    check_read_attachment_permission(perms, attachment, board_id)
    if not attachment_price(attachment):
        raise PermissionDenied(_("This attachment is free."))
