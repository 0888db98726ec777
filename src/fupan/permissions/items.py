"""Rules for the item shop (道具) and for using items on threads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from fupan.forum.models import Thread
from fupan.items.models import Item
from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired, can_read_thread


def can_buy_items(perms: UserPerms) -> bool:
    """Members of a group that takes part in the forum (may post or reply) use the shop; guests,
    banned members and members awaiting verification do not."""
    if not perms.is_authenticated or not perms.user.is_active:
        return False
    if perms.is_admin:
        return True
    group = perms.group
    return group.allow_visit and (group.allow_post or group.allow_reply)


def check_buy_items_permission(perms: UserPerms) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can buy items."))
    if not can_buy_items(perms):
        raise PermissionDenied(
            _("Your user group (%(group)s) may not use items.") % {"group": perms.group.title}
        )


def can_use_item_on_thread(perms: UserPerms, thread: Thread) -> bool:
    """Any thread the member can read and that is in its board's list (Discuz lets a member
    highlight, bump or stick anyone's thread; the author is the one who benefits)."""
    return (
        can_buy_items(perms)
        and thread.state == Thread.State.VISIBLE
        and not thread.board.is_category
        and can_read_thread(perms, thread)
    )


def check_use_item_on_thread_permission(perms: UserPerms, thread: Thread) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in before you can use items."))
    check_buy_items_permission(perms)
    if not can_use_item_on_thread(perms, thread):
        raise PermissionDenied(_("Items cannot be used on this thread."))


def access_item_by_id(perms: UserPerms, item_id: int | str | None) -> Item:
    """An item of the shop; a switched-off item loads too (the actions refuse it with a reason)."""
    try:
        return Item.objects.get(pk=int(item_id))  # type: ignore[arg-type]
    except (Item.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("This item does not exist.")) from None
