from __future__ import annotations

from typing import Any

from fupan.forum.models import Post, Thread


def fetch_profile_activity(user: Any, *, limit: int = 10) -> dict[str, list[Any]]:
    """A member's latest visible threads and replies (two queries)."""
    threads = list(
        Thread.objects.filter(author=user, state=Thread.State.VISIBLE, board__is_visible=True)
        .select_related("board")
        .order_by("-created_at")[:limit]
    )
    replies = list(
        Post.objects.filter(
            author=user,
            is_first=False,
            state=Post.State.VISIBLE,
            thread__state=Thread.State.VISIBLE,
            thread__board__is_visible=True,
        )
        .select_related("thread")
        .order_by("-created_at")[:limit]
    )
    return {"threads": threads, "replies": replies}


def fetch_credit_log(user: Any, *, page: int, per_page: int = 20) -> tuple[list[Any], Any]:
    """One page of a member's credit ledger, newest first, each row with ``.label`` (two
    queries: the count and the page)."""
    from fupan.accounts.credits import ledger_label
    from fupan.accounts.models import CreditLedger
    from fupan.core.pagination import Pager, page_count

    qs = CreditLedger.objects.filter(user_id=user.pk)
    pages = page_count(qs.count(), per_page)
    page = min(page, pages)
    entries = list(qs.order_by("-created_at", "-id")[(page - 1) * per_page : page * per_page])
    for entry in entries:
        entry.label = ledger_label(entry)  # type: ignore[attr-defined]
    return entries, Pager(page, pages)


def fetch_member_posts(
    user: Any, *, kind: str, page: int, per_page: int = 20
) -> tuple[int, list[Any]]:
    """One page of a member's threads (kind="threads") or replies (kind="replies"), newest first:
    a count and a page query."""
    if kind == "threads":
        qs = Thread.objects.filter(
            author=user, state=Thread.State.VISIBLE, board__is_visible=True
        ).select_related("board")
    else:
        qs = Post.objects.filter(
            author=user,
            is_first=False,
            state=Post.State.VISIBLE,
            thread__state=Thread.State.VISIBLE,
            thread__board__is_visible=True,
        ).select_related("thread", "thread__board")
    total = qs.count()
    start = (max(page, 1) - 1) * per_page
    return total, list(qs.order_by("-created_at", "-id")[start : start + per_page])


def is_blocked(user_id: int, *, by_user_id: int) -> bool:
    """Whether ``by_user_id`` has blocked ``user_id`` (one query)."""
    from fupan.accounts.models import Block

    return Block.objects.filter(user_id=by_user_id, blocked_id=user_id).exists()


def blocked_among(user_ids: list[int], *, sender_id: int) -> set[int]:
    """Of ``user_ids``, those who have blocked ``sender_id`` (one query)."""
    from fupan.accounts.models import Block

    if not user_ids:
        return set()
    return set(
        Block.objects.filter(user_id__in=user_ids, blocked_id=sender_id).values_list(
            "user_id", flat=True
        )
    )


def fetch_blocked(user: Any) -> list[Any]:
    """The members ``user`` has blocked, newest first, each ``Block`` with ``.blocked``."""
    from fupan.accounts.models import Block

    return list(Block.objects.filter(user_id=user.pk).select_related("blocked"))
