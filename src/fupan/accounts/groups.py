"""Cached user groups: every request needs its group's permissions, none should query for them."""

from __future__ import annotations

from fupan.accounts.models import UserGroup
from fupan.core.pagecache import bump_site
from fupan.core.versioned import forget, versioned

CACHE_KEY = "user-groups:v1"


def get_groups() -> dict[int, UserGroup]:
    """Every group by id, kept in the process under the site version key (read-only)."""
    return versioned(CACHE_KEY, lambda: {group.id: group for group in UserGroup.objects.all()})


def get_group(group_id: int) -> UserGroup:
    groups = get_groups()
    group = groups.get(group_id)
    if group is None:  # a group created since this process loaded them
        forget(CACHE_KEY)
        group = get_groups().get(group_id) or UserGroup(id=group_id, title="?")
    return group


def group_for_credits(credits: int) -> UserGroup | None:
    """The member rank whose range holds ``credits`` (Discuz: higher <= credits < lower)."""
    for group in get_groups().values():
        if (
            group.kind == UserGroup.Kind.MEMBER
            and group.credits_higher <= credits < group.credits_lower
        ):
            return group
    return None


def purge_groups() -> None:
    """Groups changed: every process loads them again (and guest pages are made again)."""
    forget(CACHE_KEY)
    bump_site()
