"""Who may search (Discuz ``allowsearch`` per user group). Which posts a search may show is the
read permission of their boards and threads (``permissions.forum``)."""

from __future__ import annotations

from fupan.permissions.core import UserPerms


def can_search(perms: UserPerms) -> bool:
    return bool(perms.group.allow_search) or perms.is_admin
