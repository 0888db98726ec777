"""Rules for member actions: who may ban whom."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fupan.accounts.groups import get_group
from fupan.accounts.models import Ban, UserGroup
from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired


def _is_staff_target(target: Any) -> bool:
    group = get_group(target.group_id)
    return group.admin_role != UserGroup.AdminRole.NONE or target.is_superuser


def can_ban_user(perms: UserPerms, target: Any, kind: str = Ban.Kind.POST) -> bool:
    """Posting bans: any moderator (版主 and up). Visit bans: super moderators and administrators.
    Nobody bans themselves, and only administrators ban staff (moderators and above)."""
    if not perms.is_authenticated or target.pk == perms.user_id:
        return False
    if _is_staff_target(target) and not perms.is_admin:
        return False
    if kind == Ban.Kind.VISIT:
        return perms.is_super_moderator
    return perms.is_super_moderator or bool(perms.moderated_board_ids)


def check_ban_user_permission(perms: UserPerms, target: Any, kind: str = Ban.Kind.POST) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not can_ban_user(perms, target, kind):
        raise PermissionDenied(_("You may not ban this member this way."))


def can_ban_ip(perms: UserPerms) -> bool:
    return perms.is_authenticated and perms.is_super_moderator


def check_ban_ip_permission(perms: UserPerms) -> None:
    if not can_ban_ip(perms):
        raise PermissionDenied(_("Only super moderators and administrators may ban IP addresses."))
