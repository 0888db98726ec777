"""Rules for members' credit history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fupan.permissions.core import UserPerms
from fupan.permissions.forum import LoginRequired


def can_view_credit_log(perms: UserPerms, member: Any) -> bool:
    """A member's credit history is theirs and the administrators' to read."""
    return perms.is_authenticated and (perms.user_id == member.pk or perms.is_admin)


def check_view_credit_log_permission(perms: UserPerms, member: Any) -> None:
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in to see a credit history."))
    if not can_view_credit_log(perms, member):
        raise PermissionDenied(_("Only the member and the administrators can see this history."))
