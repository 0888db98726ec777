"""Member totals for the index page, kept as counters (``MemberStats``), never ``COUNT(*)`` per view."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from fupan.accounts.models import MemberStats, User
from fupan.core.prepared import Prepared


def count_new_member(user: Any) -> None:
    """One more member, and the newest one (called inside the transaction that created ``user``)."""
    if not user.is_active:
        return
    updated = MemberStats.objects.filter(pk=1).update(
        members=F("members") + 1, newest_id=user.pk, newest_name=user.username
    )
    if not updated:
        synchronize_member_stats()


def synchronize_member_stats() -> MemberStats:
    """Recount active members and find the newest from the rows."""
    active = User.objects.filter(is_active=True)
    newest = active.order_by("-date_joined", "-pk").only("id", "username").first()
    stats, _ = MemberStats.objects.update_or_create(
        pk=1,
        defaults={
            "members": active.count(),
            "newest_id": newest.pk if newest else None,
            "newest_name": newest.username if newest else "",
        },
    )
    return stats


def fetch_member_stats() -> MemberStats:
    """One query; the first call on a new site builds the row."""
    found = _member_stats()
    return found[0] if found else synchronize_member_stats()


_member_stats = Prepared(lambda: MemberStats.objects.filter(pk=1)[:1])  # fupan.core.prepared
