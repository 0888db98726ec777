"""Who is asking: the member (or guest), their group and the boards they moderate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fupan.accounts.groups import get_group
from fupan.accounts.models import UserGroup


@dataclass
class UserPerms:
    user: Any  # User or AnonymousUser
    group: UserGroup
    moderated_board_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.is_authenticated else None

    @property
    def is_admin(self) -> bool:
        return self.is_authenticated and (
            self.group.admin_role == UserGroup.AdminRole.ADMIN or self.user.is_superuser
        )

    @property
    def is_super_moderator(self) -> bool:
        return self.is_admin or (
            self.is_authenticated and self.group.admin_role == UserGroup.AdminRole.SUPER_MODERATOR
        )

    def moderates(self, board_id: int) -> bool:
        return self.is_super_moderator or board_id in self.moderated_board_ids


def resolve_perms(user: Any) -> UserPerms:
    """Build the permissions of ``user``: no query for guests and ordinary members (groups are
    cached); one query for board moderators to learn their boards."""
    if not user.is_authenticated:
        return UserPerms(user=user, group=get_group(UserGroup.GUEST))
    group = get_group(user.group_id)
    moderated: frozenset[int] = frozenset()
    if group.admin_role == UserGroup.AdminRole.MODERATOR:
        from fupan.forum.models import BoardModerator

        moderated = frozenset(
            BoardModerator.objects.filter(user=user).values_list("board_id", flat=True)
        )
    return UserPerms(user=user, group=group, moderated_board_ids=moderated)
