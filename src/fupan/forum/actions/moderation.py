"""Moderators' writes to threads and posts: close, stick, digest, highlight, move, merge, split,
hide and warn. Permission checks belong to the caller (``fupan.permissions``); each action keeps
the counters of every board, thread and member it touches, like ``posting``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, Max, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupan.accounts.credits import apply_credit_rule, undo_credit_rule
from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions.posting import (
    _refresh_board_last_post,
    _refresh_thread_last_post,
    check_title,
)
from fupan.forum.caching import purge_thread_pages
from fupan.forum.models import Board, Post, PostVote, Thread
from fupan.inbox.actions import notify_new_post
from fupan.moderation.log import Action, record
from fupan.search.indexing import schedule_reindex

HIGHLIGHT_COLOURS = {
    "#FF0000": gettext_lazy("red"),
    "#FF8C00": gettext_lazy("orange"),
    "#008000": gettext_lazy("green"),
    "#0000FF": gettext_lazy("blue"),
    "#800080": gettext_lazy("purple"),
    "#808080": gettext_lazy("grey"),
}
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))


def _lock(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


def do_close_thread(thread: Thread, *, acting_user: Any, closed: bool, reason: str = "") -> Thread:
    """Close a thread to new replies (moderators may still reply), or open it again."""
    with transaction.atomic():
        current = _lock(thread)
        Thread.objects.filter(pk=thread.pk).update(closed=closed)
        record(acting_user, Action.CLOSE if closed else Action.OPEN, thread=thread, reason=reason)
        purge_thread_pages([current])
    thread.closed = closed
    return thread


def do_stick_thread(
    thread: Thread, *, acting_user: Any, level: int, until: datetime | None = None, reason: str = ""
) -> Thread:
    """置顶: 1 in its board, 2 in its category, 3 everywhere; 0 unsticks. ``until`` ends it."""
    if level not in (0, 1, 2, 3):
        raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown sticky level."))
    with transaction.atomic():
        current = _lock(thread)
        Thread.objects.filter(pk=thread.pk).update(
            sticky=level, sticky_until=until if level else None
        )
        # Lists where it was stuck and lists where it is stuck now.
        purge_thread_pages([current], sticky_levels=[level])
        record(
            acting_user,
            Action.STICK,
            thread=thread,
            reason=reason,
            detail=f"{level}" + (f" → {until:%Y-%m-%d %H:%M}" if until and level else ""),
        )
    thread.sticky, thread.sticky_until = level, (until if level else None)
    return thread


def do_digest_thread(thread: Thread, *, acting_user: Any, level: int, reason: str = "") -> Thread:
    """精华 level 1–3, or 0 to remove it. The author's digest count follows (it feeds credits)."""
    if level not in (0, 1, 2, 3):
        raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown digest level."))
    with transaction.atomic():
        current = _lock(thread)
        was, now = current.digest > 0, level > 0
        Thread.objects.filter(pk=thread.pk).update(digest=level)
        if current.author_id and was != now:
            get_user_model().objects.filter(pk=current.author_id).update(
                digest_posts=F("digest_posts") + 1 if now else Greatest(F("digest_posts") - 1, 0)
            )
            author = get_user_model().objects.get(pk=current.author_id)
            if now:
                apply_credit_rule(
                    author, "digest", board=current.board, related=current, allow_negative=True
                )
            else:
                undo_credit_rule(author.pk, "digest", board=current.board, related=current)
        record(acting_user, Action.DIGEST, thread=thread, reason=reason, detail=str(level))
        purge_thread_pages([current])
    thread.digest = level
    return thread


def do_highlight_thread(
    thread: Thread,
    *,
    acting_user: Any,
    colour: str,
    until: datetime | None = None,
    reason: str = "",
) -> Thread:
    """Show the title in a colour in lists (an empty colour removes the highlight)."""
    colour = (colour or "").strip().upper()
    if colour and not _HEX.match(colour):
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("A highlight colour is written like #FF0000."), field="colour"
        )
    with transaction.atomic():
        current = _lock(thread)
        Thread.objects.filter(pk=thread.pk).update(
            highlight=colour, highlight_until=until if colour else None
        )
        record(acting_user, Action.HIGHLIGHT, thread=thread, reason=reason, detail=colour)
        purge_thread_pages([current])
    thread.highlight, thread.highlight_until = colour, (until if colour else None)
    return thread


def _visible_post_counts(thread_id: int) -> tuple[int, int]:
    visible = Post.objects.filter(thread_id=thread_id, state=Post.State.VISIBLE)
    return visible.count(), visible.filter(created_at__gte=_start_of_today()).count()


def _shift_board(board_id: int, *, threads: int, posts: int, today: int) -> None:
    day = timezone.localdate()
    Board.objects.filter(pk=board_id).update(
        threads=Greatest(F("threads") + threads, 0),
        posts=Greatest(F("posts") + posts, 0),
        # A board whose count is from an earlier day starts today's count afresh.
        today_posts=Case(
            When(today_date=day, then=Greatest(F("today_posts") + today, 0)),
            default=Value(max(today, 0)),
        ),
        today_date=day,
    )


def do_move_thread(thread: Thread, *, acting_user: Any, board: Board, reason: str = "") -> Thread:
    """Move a thread to another board; both boards' counts and last posts follow. A thread type
    that does not exist in the new board is dropped."""
    if board.is_category:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("Threads cannot be moved into a category."), field="board"
        )
    with transaction.atomic():
        current = _lock(thread)
        old_board_id = current.board_id
        if old_board_id == board.pk:
            return thread
        keep_type = (
            current.type_id is not None and board.thread_types.filter(pk=current.type_id).exists()
        )
        Thread.objects.filter(pk=thread.pk).update(
            board=board, type_id=current.type_id if keep_type else None
        )
        if current.state == Thread.State.VISIBLE:
            posts, today = _visible_post_counts(thread.pk)
            _shift_board(old_board_id, threads=-1, posts=-posts, today=-today)
            _shift_board(board.pk, threads=1, posts=posts, today=today)
            _refresh_board_last_post(old_board_id)
            _refresh_board_last_post(board.pk)
        record(
            acting_user,
            Action.MOVE,
            thread=thread,
            board=board,
            reason=reason,
            detail=f"{old_board_id} → {board.pk}",
        )
        schedule_reindex(threads=[thread.pk])
        purge_thread_pages([current, (current.pk, board.pk, current.sticky)])
    thread.board, thread.board_id = board, board.pk
    if not keep_type:
        thread.type, thread.type_id = None, None
    return thread


def do_merge_threads(
    source: Thread, target: Thread, *, acting_user: Any, reason: str = ""
) -> Thread:
    """Append ``source``'s posts to ``target`` (after its last floor, keeping their order and gaps);
    ``source`` is recycled and its address leads to ``target``."""
    if source.pk == target.pk:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("A thread cannot be merged into itself."), field="target"
        )
    user_model = get_user_model()
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {
            t.pk: t
            for t in Thread.objects.select_for_update()
            .filter(pk__in=[first, second])
            .order_by("pk")
        }
        src, dst = locked[source.pk], locked[target.pk]
        if src.state != Thread.State.VISIBLE or dst.state != Thread.State.VISIBLE:
            raise FupanError(ErrorCode.BAD_REQUEST, _("Only visible threads can be merged."))
        offset = dst.max_position
        moved_visible, moved_today = _visible_post_counts(src.pk)
        top = Post.objects.filter(thread_id=src.pk).aggregate(m=Max("position"))["m"] or 0
        Post.objects.filter(thread_id=src.pk).update(
            thread_id=dst.pk, position=F("position") + offset, is_first=False
        )
        PostVote.objects.filter(thread_id=src.pk).update(thread_id=dst.pk)
        Thread.objects.filter(pk=dst.pk).update(
            max_position=offset + top,
            replies=F("replies") + moved_visible,
            has_images=dst.has_images or src.has_images,
            has_attachments=dst.has_attachments or src.has_attachments,
        )
        _refresh_thread_last_post(dst.pk)
        Thread.objects.filter(pk=src.pk).update(
            state=Thread.State.RECYCLED,
            redirect_to=dst.pk,
            replies=0,
            max_position=0,
            last_post_at=src.created_at,
            last_poster_id=src.author_id,
            last_poster_name=src.author_name,
        )
        # The source thread stops counting; its posts now count in the target's board.
        _shift_board(src.board_id, threads=-1, posts=-moved_visible, today=-moved_today)
        _shift_board(dst.board_id, threads=0, posts=moved_visible, today=moved_today)
        _refresh_board_last_post(src.board_id)
        if dst.board_id != src.board_id:
            _refresh_board_last_post(dst.board_id)
        if src.author_id:
            user_model.objects.filter(pk=src.author_id).update(
                threads=Greatest(F("threads") - 1, 0)
            )
        record(
            acting_user,
            Action.MERGE,
            thread=target,
            reason=reason,
            detail=f"{source.pk} → {target.pk}",
        )
        schedule_reindex(threads=[source.pk, target.pk])
        purge_thread_pages([src, dst])
    return target


def do_split_thread(
    thread: Thread, posts: list[Post], *, acting_user: Any, title: str, reason: str = ""
) -> Thread:
    """Move some replies of ``thread`` into a new thread in the same board. They become floors
    1, 2, … of the new thread in their old order; their old floors stay empty."""
    title = check_title(title)
    ids = {p.pk for p in posts}
    user_model = get_user_model()
    with transaction.atomic():
        current = _lock(thread)
        chosen = list(
            Post.objects.select_for_update()
            .filter(thread_id=current.pk, pk__in=ids, is_first=False)
            .exclude(state=Post.State.DELETED)
            .order_by("position")
        )
        if not chosen:
            raise FupanError(
                ErrorCode.BAD_REQUEST, _("Choose at least one reply to split off."), field="posts"
            )
        head = chosen[0]
        new = Thread.objects.create(
            board_id=current.board_id,
            title=title,
            author_id=head.author_id,
            author_name=head.author_name,
            created_at=head.created_at,
            last_post_at=chosen[-1].created_at,
            last_poster_id=chosen[-1].author_id,
            last_poster_name=chosen[-1].author_name,
            max_position=len(chosen),
            state=current.state,
        )
        for number, post in enumerate(chosen, start=1):
            Post.objects.filter(pk=post.pk).update(
                thread_id=new.pk, position=number, is_first=number == 1
            )
        PostVote.objects.filter(post_id__in=[p.pk for p in chosen]).update(thread_id=new.pk)
        visible = [p for p in chosen if p.state == Post.State.VISIBLE]
        new_replies = max(0, len(visible) - (1 if head.state == Post.State.VISIBLE else 0))
        attachments = Post.objects.filter(thread_id=new.pk, has_attachments=True).exists()
        Thread.objects.filter(pk=new.pk).update(replies=new_replies, has_attachments=attachments)
        Thread.objects.filter(pk=current.pk).update(
            replies=Greatest(F("replies") - len(visible), 0)
        )
        _refresh_thread_last_post(current.pk)
        _refresh_thread_last_post(new.pk)
        if current.state == Thread.State.VISIBLE:
            _shift_board(current.board_id, threads=1, posts=0, today=0)
            _refresh_board_last_post(current.board_id)
            if head.author_id:
                user_model.objects.filter(pk=head.author_id).update(threads=F("threads") + 1)
        record(acting_user, Action.SPLIT, thread=current, reason=reason, detail=f"→ {new.pk}")
        schedule_reindex(threads=[current.pk, new.pk])
        purge_thread_pages([current, new])
    new.refresh_from_db()
    return new


def do_hide_post(post: Post, *, acting_user: Any, hidden: bool, reason: str = "") -> Post:
    """屏蔽: readers see "该帖被管理员或版主屏蔽" instead of the post; moderators still see it."""
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).update(hidden=hidden)
        record(acting_user, Action.HIDE if hidden else Action.UNHIDE, post=post, reason=reason)
        schedule_reindex(posts=[post.pk])
        purge_thread_pages([(post.thread_id, 0, 0)], listing=False)
    post.hidden = hidden
    return post


def do_warn_post(post: Post, *, acting_user: Any, warned: bool, reason: str = "") -> Post:
    """警告: the post carries a warning mark (and its author a warning on record)."""
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).update(warned=warned)
        record(acting_user, Action.WARN if warned else Action.UNWARN, post=post, reason=reason)
        purge_thread_pages([(post.thread_id, 0, 0)], listing=False)
    post.warned = warned
    return post


def do_approve_post(post: Post, *, acting_user: Any) -> Post:
    """Let a post from the review queue out: it shows and counts as if posted now approved. A
    first post approves its whole thread."""
    user_model = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        thread = _lock(post.thread)
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.state != Post.State.PENDING:
            raise FupanError(ErrorCode.BAD_REQUEST, _("This post is no longer waiting for review."))
        Post.objects.filter(pk=post.pk).update(state=Post.State.VISIBLE)
        posted_today = int(timezone.localdate(current.created_at) == today)
        if current.is_first:
            Thread.objects.filter(pk=thread.pk).update(state=Thread.State.VISIBLE)
            _shift_board(thread.board_id, threads=1, posts=1, today=posted_today)
            if current.author_id:
                user_model.objects.filter(pk=current.author_id).update(
                    posts=F("posts") + 1, threads=F("threads") + 1
                )
        else:
            Thread.objects.filter(pk=thread.pk).update(replies=F("replies") + 1)
            _refresh_thread_last_post(thread.pk)
            _shift_board(thread.board_id, threads=0, posts=1, today=posted_today)
            if current.author_id:
                user_model.objects.filter(pk=current.author_id).update(posts=F("posts") + 1)
        if current.author_id:
            # Paid on approval, as if posted now (Discuz grants credits when a post is audited).
            apply_credit_rule(
                user_model.objects.get(pk=current.author_id),
                "post" if current.is_first else "reply",
                board=thread.board,
                related=current,
                allow_negative=True,
            )
        _refresh_board_last_post(thread.board_id)
        record(acting_user, Action.APPROVE, post=post)
        schedule_reindex(posts=[post.pk])
        purge_thread_pages([thread])
        current.thread = thread
        notify_new_post(current, thread)
    post.state = Post.State.VISIBLE
    return post


def do_reject_post(post: Post, *, acting_user: Any, reason: str = "") -> Post:
    """Turn down a post from the review queue: it is deleted (a first post takes its thread to
    the recycle bin). Nothing counted it, so no counter changes."""
    with transaction.atomic():
        thread = _lock(post.thread)
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.state != Post.State.PENDING:
            raise FupanError(ErrorCode.BAD_REQUEST, _("This post is no longer waiting for review."))
        Post.objects.filter(pk=post.pk).update(state=Post.State.DELETED)
        if current.is_first:
            Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
        record(acting_user, Action.REJECT, post=post, reason=reason)
        schedule_reindex(threads=[post.thread_id])
        purge_thread_pages([thread])
    post.state = Post.State.DELETED
    return post


__all__ = [
    "HIGHLIGHT_COLOURS",
    "do_approve_post",
    "do_close_thread",
    "do_digest_thread",
    "do_hide_post",
    "do_highlight_thread",
    "do_merge_threads",
    "do_move_thread",
    "do_reject_post",
    "do_split_thread",
    "do_stick_thread",
    "do_warn_post",
]
