"""Writing the moderation log. Every moderation action calls ``record`` inside its transaction, so
a log row exists exactly when the change does."""

from __future__ import annotations

from typing import Any

from fupan.moderation.models import ModAction

Action = ModAction.Action


def record(
    actor: Any,
    action: str,
    *,
    thread: Any = None,
    post: Any = None,
    board: Any = None,
    member: Any = None,
    reason: str = "",
    detail: str = "",
) -> ModAction:
    if thread is None and post is not None:
        thread = post.thread
    if board is None and thread is not None:
        board = thread.board
    subject = ""
    if thread is not None:
        subject = thread.title
    elif member is not None:
        subject = member.username
    return ModAction.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        board_id=getattr(board, "pk", None),
        thread_id=getattr(thread, "pk", None),
        post_id=getattr(post, "pk", None),
        member=member,
        subject=subject[:255],
        reason=(reason or "")[:200],
        detail=(detail or "")[:255],
    )
