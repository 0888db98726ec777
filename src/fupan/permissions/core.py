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
    # board id -> {permission name: bool} where the board overrides the group (cached per group).
    board_overrides: dict[int, dict[str, bool]] = field(default_factory=dict)

    def board_allows(self, board_id: int, name: str, default: bool) -> bool:
        """The group's permission ``name`` in one board: the board's override, else ``default``."""
        override = self.board_overrides.get(board_id)
        if override is None:
            return default
        return override.get(name, default)

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


BOARD_OVERRIDES_KEY = "board-perms:v1:{group}"
PERMISSION_FIELDS = (
    "can_view",
    "can_read",
    "can_post",
    "can_reply",
    "can_upload",
    "can_view_images",
    "can_download",
    "can_use_types",
)


def board_overrides_for_group(group_id: int) -> dict[int, dict[str, bool]]:
    """Every board's overrides for one group, kept in the process under the site version key
    (one query when it changed; read-only)."""
    from fupan.core.versioned import versioned

    def load() -> dict[int, dict[str, bool]]:
        from fupan.forum.models import BoardPermission

        overrides: dict[int, dict[str, bool]] = {}
        for row in BoardPermission.objects.filter(group_id=group_id).values(
            "board_id", *PERMISSION_FIELDS
        ):
            board_id = row.pop("board_id")
            overrides[board_id] = {k: v for k, v in row.items() if v is not None}
        return overrides

    return versioned(BOARD_OVERRIDES_KEY.format(group=group_id), load)


def purge_board_overrides(group_id: int | None = None) -> None:
    """Board permissions changed: every process loads them again (a new site version)."""
    from fupan.core.pagecache import bump_site

    bump_site()


def resolve_perms(user: Any) -> UserPerms:
    """Build the permissions of ``user``: no query for guests and ordinary members (groups and
    board overrides are cached); one query for board moderators to learn their boards."""
    if not user.is_authenticated:
        return UserPerms(
            user=user,
            group=get_group(UserGroup.GUEST),
            board_overrides=board_overrides_for_group(UserGroup.GUEST),
        )
    group = get_group(user.group_id)
    if group.pk in (UserGroup.BANNED_POST, UserGroup.BANNED_VISIT):
        # A timed ban ends by itself: checked when the banned member is seen (banned members only).
        from fupan.accounts.bans import expire_ban_of

        if expire_ban_of(user):
            group = get_group(user.group_id)
    moderated: frozenset[int] = frozenset()
    if group.admin_role == UserGroup.AdminRole.MODERATOR:
        from fupan.forum.models import BoardModerator

        moderated = frozenset(
            BoardModerator.objects.filter(user=user).values_list("board_id", flat=True)
        )
    return UserPerms(
        user=user,
        group=group,
        moderated_board_ids=moderated,
        board_overrides=board_overrides_for_group(group.pk),
    )
