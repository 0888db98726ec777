"""Cached user groups: every request needs its group's permissions, none should query for them."""

from __future__ import annotations

from django.core.cache import cache

from fupan.accounts.models import UserGroup

CACHE_KEY = "user-groups:v1"


def get_groups() -> dict[int, UserGroup]:
    groups = cache.get(CACHE_KEY)
    if groups is None:
        groups = {group.id: group for group in UserGroup.objects.all()}
        cache.set(CACHE_KEY, groups, timeout=None)
    return groups


def get_group(group_id: int) -> UserGroup:
    groups = get_groups()
    group = groups.get(group_id)
    if group is None:  # a group created since the cache was filled
        purge_groups()
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
    cache.delete(CACHE_KEY)
