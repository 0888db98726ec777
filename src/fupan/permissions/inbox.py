"""Who may keep favourites, follow threads and read notifications: members, each their own."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired


def can_keep_favorites(perms: UserPerms) -> bool:
    return perms.is_authenticated and perms.user.is_active


def check_keep_favorites_permission(perms: UserPerms) -> None:
    """Favourites (收藏) and follows (关注) are a member's own; guests are asked to log in."""
    if not can_keep_favorites(perms):
        raise LoginRequired(_("You need to log in to keep favourites and follow threads."))
