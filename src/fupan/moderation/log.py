"""Writing the moderation log. Every moderation action calls ``record`` inside its transaction, so
a log row exists exactly when the change does, and so does the notification of the member it
concerns."""

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
    row = ModAction.objects.create(
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
    _notify_member(actor, action, thread=thread, post=post, member=member, reason=reason)
    return row


# The member a moderation action concerns hears of it, except where it concerns nobody in
# particular (IP bans) or someone else (a report's outcome goes to its reporter, not the reported).
_NOT_NOTIFIED = {Action.BAN_IP, Action.UNBAN_IP, Action.RESOLVE_REPORT}


def _notify_member(
    actor: Any, action: str, *, thread: Any, post: Any, member: Any, reason: str
) -> None:
    from fupan.inbox.actions import notify_moderation

    if action in _NOT_NOTIFIED:
        return
    if member is not None:
        member_id = member.pk
    elif post is not None:
        member_id = post.author_id
    elif thread is not None:
        member_id = thread.author_id
    else:
        return
    notify_moderation(
        member_id, actor=actor, action=action, thread=thread, post=post, reason=reason or ""
    )
