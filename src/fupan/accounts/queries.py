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
