"""Writes by members: threads, replies, edits, deletion and restoring, votes, views.

Each ``do_*`` action validates its input (``check_*``), owns its transaction and row locks, keeps
every denormalised counter right (board threads/posts/today/last post, thread replies/last post/
max position, member posts/threads) and defers side effects to ``transaction.on_commit``.
Permission checks belong to the caller (``fupan.permissions``); actions enforce the rules that
must hold whoever calls them (closed threads, one vote per member, floors never reused).

Lock order, to keep concurrent writers free of deadlocks: thread row → board row → member row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.accounts.credits import apply_credit_rule, undo_credit_rule
from fupan.attachments.actions import bind_attachments
from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.caching import purge_thread_pages
from fupan.forum.models import Board, Post, PostRevision, PostVote, Thread, ThreadType
from fupan.forum.rendering import render_body
from fupan.inbox.actions import notify_new_post, notify_vote
from fupan.markup import RENDERER_VERSION
from fupan.moderation.log import Action, record
from fupan.moderation.queries import (
    WordTarget,
    apply_word_filter,
    format_word_list,
    get_word_filter,
)
from fupan.search.indexing import schedule_reindex

TITLE_MAX_LENGTH = 80
BODY_MAX_LENGTH = 20000
_SPACE_RE = re.compile(r"\s+")
# What counts as "empty": whitespace, including full-width spaces and zero-width characters.
_INVISIBLE_RE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u3000]+")


# Validation -----------------------------------------------------------------------------------


def check_title(title: str | None) -> str:
    title = _SPACE_RE.sub(" ", title or "").strip()
    if not _INVISIBLE_RE.sub("", title):
        raise FupanError(ErrorCode.TITLE_EMPTY, _("Please enter a title."), field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise FupanError(
            ErrorCode.TITLE_TOO_LONG,
            _("The title is %(length)d characters long; at most %(max)d are allowed.")
            % {"length": len(title), "max": TITLE_MAX_LENGTH},
            field="title",
        )
    return title


def check_body(body: str | None) -> str:
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").rstrip()
    body = body.replace("\x00", "")
    if not _INVISIBLE_RE.sub("", body):
        raise FupanError(
            ErrorCode.BODY_EMPTY, _("Please write something in the post."), field="body"
        )
    if len(body) > BODY_MAX_LENGTH:
        raise FupanError(
            ErrorCode.BODY_TOO_LONG,
            _("The post is %(length)d characters long; at most %(max)d are allowed.")
            % {"length": len(body), "max": BODY_MAX_LENGTH},
            field="body",
        )
    return body


def _filter_words(text: str, *, what: WordTarget) -> tuple[str, bool]:
    """The sensitive-word list applied to a checked title or body: replace words replaced (and the
    result checked again: a replacement may change its length), block words refused with
    ``FupanError``; True if a review word was found."""
    filtered, review = apply_word_filter(text, what=what)
    if filtered != text:
        filtered = check_title(filtered) if what == "title" else check_body(filtered)
    return filtered, review


def check_thread_type(
    board: Board, thread_type: ThreadType | None, *, moderator: bool, allowed: bool = True
) -> ThreadType | None:
    """The thread type, checked; ``allowed`` is False where the member's group may not choose
    types in this board (then none is required of them either)."""
    if not allowed:
        if thread_type is not None:
            raise FupanError(
                ErrorCode.TYPE_INVALID,
                _("Your user group may not choose thread types in this board."),
                field="type",
            )
        return None
    if thread_type is not None:
        if not board.thread_types_enabled or thread_type.board_id != board.pk:
            raise FupanError(
                ErrorCode.TYPE_INVALID,
                _("Please choose one of this board's thread types."),
                field="type",
            )
        if thread_type.moderators_only and not moderator:
            raise FupanError(
                ErrorCode.TYPE_INVALID, _("Only moderators may use this thread type."), field="type"
            )
        return thread_type
    if board.thread_types_enabled and board.thread_types_required:
        raise FupanError(ErrorCode.TYPE_REQUIRED, _("Please choose a thread type."), field="type")
    return None


# Counters -------------------------------------------------------------------------------------


def _bump_board(
    board_id: int, *, thread: Thread, when: datetime, poster: Any, threads: int
) -> None:
    today = timezone.localdate()
    posted_today = int(timezone.localdate(when) == today)
    connection = transaction.get_connection()
    day = connection.ops.adapt_datefield_value(today)
    count, date = connection.ops.quote_name("today_posts"), connection.ops.quote_name("today_date")
    _update_last_post(
        Board,
        board_id,
        when=when,
        counts={"threads": threads, "posts": 1},
        also=[
            (
                f"{count} = CASE WHEN {date} = %s THEN {count} + %s ELSE %s END",
                [day, posted_today, posted_today],
            ),
            (f"{date} = %s", [day]),
        ],
        latest={
            "last_thread_id": thread.pk,
            "last_thread_title": thread.title,
            "last_poster_id": poster.pk,
            "last_poster_name": poster.username,
        },
    )


def _update_last_post(
    model: Any,
    pk: int,
    *,
    when: datetime,
    counts: dict[str, int],
    latest: dict[str, Any],
    set_values: dict[str, Any] | None = None,
    also: Sequence[tuple[str, Sequence[Any]]] = (),
) -> None:
    """One UPDATE of a thread's or board's row for a new post: add ``counts``, set ``set_values``,
    and set ``latest`` and ``last_post_at`` only if ``when`` is at least as recent as the row's
    last post (two posts committing out of order keep the newer as the last). Written as SQL:
    the ORM compiled this statement's CASE expressions anew at every reply, about 2 ms for the
    board's — four times what the statement itself takes."""
    connection = transaction.get_connection()
    ops = connection.ops
    q = ops.quote_name
    newer = f"{q('last_post_at')} IS NULL OR {q('last_post_at')} <= %s"
    at = ops.adapt_datetimefield_value(when)
    sets: list[str] = []
    params: list[Any] = []
    for column, n in counts.items():
        sets.append(f"{q(column)} = {q(column)} + %s")
        params.append(n)
    for column, value in (set_values or {}).items():
        sets.append(f"{q(column)} = %s")
        params.append(value)
    for clause, values in also:
        sets.append(clause)
        params.extend(values)
    for column, value in {**latest, "last_post_at": at}.items():
        sets.append(f"{q(column)} = CASE WHEN {newer} THEN %s ELSE {q(column)} END")
        params.extend([at, value])
    table, key = q(model._meta.db_table), q(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE {key} = %s", [*params, pk])


def _refresh_board_last_post(board_id: int) -> None:
    last = (
        Thread.objects.filter(board_id=board_id, state=Thread.State.VISIBLE)
        .order_by("-last_post_at", "-id")
        .values("id", "title", "last_post_at", "last_poster_id", "last_poster_name")
        .first()
    )
    Board.objects.filter(pk=board_id).update(
        last_thread_id=last["id"] if last else None,
        last_thread_title=last["title"] if last else "",
        last_post_at=last["last_post_at"] if last else None,
        last_poster_id=last["last_poster_id"] if last else None,
        last_poster_name=last["last_poster_name"] if last else "",
    )


def _refresh_thread_last_post(thread_id: int) -> None:
    last = (
        Post.objects.filter(thread_id=thread_id, state=Post.State.VISIBLE)
        .order_by("-position")
        .values("created_at", "author_id", "author_name")
        .first()
    )
    if last:
        Thread.objects.filter(pk=thread_id).update(
            last_post_at=last["created_at"],
            last_poster_id=last["author_id"],
            last_poster_name=last["author_name"],
        )


def _decrement_today(board_id: int, created_at: datetime, count: int = 1) -> None:
    today = timezone.localdate()
    if count and timezone.localdate(created_at) == today:
        Board.objects.filter(pk=board_id, today_date=today).update(
            today_posts=Greatest(F("today_posts") - count, 0)
        )


# Threads and replies --------------------------------------------------------------------------


def do_create_thread(
    board: Board,
    *,
    acting_user: Any,
    title: str,
    body: str,
    thread_type: ThreadType | None = None,
    moderator: bool = False,
    types_allowed: bool = True,
    client: int = Post.Client.WEB,
    ip: str | None = None,
    now: datetime | None = None,
    attachment_ids: list[int] | None = None,
    pending: bool = False,
) -> Thread:
    """Start a thread in ``board`` with its first post (floor 1).

    Preconditions: the caller checked ``check_start_thread_permission``. Side effects: board
    threads/posts/today/last post, member threads/posts — or, with ``pending``, none of them: the
    thread waits in the review queue, seen only by its author and the moderators, and counts
    when ``do_approve_post`` approves it.

    Sensitive words (词语过滤): replace words are replaced in what is stored, a block word refuses
    the thread (nothing is written), a review word makes it ``pending`` unless ``moderator``."""
    title, review_title = _filter_words(check_title(title), what="title")
    body, review_body = _filter_words(check_body(body), what="body")
    pending = pending or ((review_title or review_body) and not moderator)
    thread_type = check_thread_type(board, thread_type, moderator=moderator, allowed=types_allowed)
    if board.is_category:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("Threads are started in a board, not in a category.")
        )
    now = now or timezone.now()
    html = render_body(body, board)
    with transaction.atomic():
        thread = Thread.objects.create(
            board=board,
            type=thread_type,
            title=title,
            author=acting_user,
            author_name=acting_user.username,
            created_at=now,
            last_post_at=now,
            last_poster=acting_user,
            last_poster_name=acting_user.username,
            max_position=1,
            state=Thread.State.PENDING if pending else Thread.State.VISIBLE,
        )
        thread.first_post = Post.objects.create(
            thread=thread,
            position=1,
            is_first=True,
            state=Post.State.PENDING if pending else Post.State.VISIBLE,
            author=acting_user,
            author_name=acting_user.username,
            body=body,
            html=html,
            html_version=RENDERER_VERSION,
            created_at=now,
            client=client,
            ip=ip,
        )
        bind_attachments(thread.first_post, attachment_ids or [], acting_user=acting_user)
        if not pending:
            _bump_board(board.pk, thread=thread, when=now, poster=acting_user, threads=1)
            get_user_model().objects.filter(pk=acting_user.pk).update(
                posts=F("posts") + 1, threads=F("threads") + 1
            )
            apply_credit_rule(acting_user, "post", board=board, related=thread)
            notify_new_post(thread.first_post, thread, now=now)
            schedule_reindex(posts=[thread.first_post.pk])
            purge_thread_pages([thread])
    return thread


def do_create_reply(
    thread: Thread,
    *,
    acting_user: Any,
    body: str,
    moderator: bool = False,
    client: int = Post.Client.WEB,
    ip: str | None = None,
    now: datetime | None = None,
    attachment_ids: list[int] | None = None,
    pending: bool = False,
) -> Post:
    """Add a reply at the next floor of ``thread`` (with ``pending``: a floor held for it while it
    waits in the review queue; it counts when approved).

    The thread row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers
    with ``BEGIN IMMEDIATE``) so two replies arriving at once get floors N and N+1, never the same
    floor, and a floor freed by a deletion is never reused. Refuses a closed thread unless the
    caller moderates it. Side effects: thread replies/last post, board posts/today/last post,
    member posts. Sensitive words as in ``do_create_thread``."""
    body, review = _filter_words(check_body(body), what="body")
    pending = pending or (review and not moderator)
    now = now or timezone.now()
    html = render_body(body, thread.board)
    with transaction.atomic():
        locked = (
            Thread.objects.select_for_update()
            .only("id", "max_position", "closed", "state")
            .get(pk=thread.pk)
        )
        if locked.closed and not moderator:
            raise FupanError(
                ErrorCode.THREAD_CLOSED,
                _("This thread is closed; it accepts no new replies."),
                status=403,
            )
        if locked.state != Thread.State.VISIBLE:
            raise FupanError(
                ErrorCode.BAD_REQUEST, _("This thread is not open for replies."), status=403
            )
        position = locked.max_position + 1
        post = Post.objects.create(
            thread=thread,
            position=position,
            author=acting_user,
            author_name=acting_user.username,
            body=body,
            html=html,
            html_version=RENDERER_VERSION,
            created_at=now,
            client=client,
            ip=ip,
            state=Post.State.PENDING if pending else Post.State.VISIBLE,
        )
        if pending:
            Thread.objects.filter(pk=thread.pk).update(max_position=position)
        else:
            _update_last_post(
                Thread,
                thread.pk,
                when=now,
                counts={"replies": 1},
                set_values={"max_position": position},
                latest={"last_poster_id": acting_user.pk, "last_poster_name": acting_user.username},
            )
        bind_attachments(post, attachment_ids or [], acting_user=acting_user)
        if not pending:
            _bump_board(thread.board_id, thread=thread, when=now, poster=acting_user, threads=0)
            get_user_model().objects.filter(pk=acting_user.pk).update(posts=F("posts") + 1)
            apply_credit_rule(acting_user, "reply", board=thread.board, related=post)
            notify_new_post(post, thread, now=now)
            schedule_reindex(posts=[post.pk])
        # A held floor still moves the thread's last page; the lists change only when it counts.
        purge_thread_pages([thread], listing=not pending)
    thread.max_position = position
    if not pending:
        thread.replies += 1
    return post


def do_edit_post(
    post: Post,
    *,
    acting_user: Any,
    body: str,
    title: str | None = None,
    thread_type: ThreadType | None = None,
    moderator: bool = False,
    types_allowed: bool = True,
    now: datetime | None = None,
    attachment_ids: list[int] | None = None,
) -> Post:
    """Change a post's body (and, for a first post, the thread's title and type), keeping the
    previous version as a revision. Shown as "本帖最后由 … 于 … 编辑".

    Sensitive words: replace words are replaced, a block word refuses the edit. A review word in
    an edit by a non-moderator sends a visible reply back to the review queue: it stops counting
    (as if deleted: thread, board, member, credits) until ``do_approve_post`` lets it out again;
    a post already waiting stays waiting. A thread once published does not go back to review
    (its replies would vanish with it), so a review word refuses an edit of its first post."""
    body, review = _filter_words(check_body(body), what="body")
    thread = post.thread
    if post.is_first:
        title, review_title = _filter_words(
            check_title(title if title is not None else thread.title), what="title"
        )
        review = review or review_title
        if types_allowed:
            thread_type = check_thread_type(thread.board, thread_type, moderator=moderator)
        else:
            thread_type = thread.type  # a group that may not choose types keeps the current one
    review = review and not moderator
    if review and post.is_first and post.state == Post.State.VISIBLE:
        _refuse_review_of_published_thread(title or "", body)
    now = now or timezone.now()
    html = render_body(body, thread.board, bbcode_off=post.bbcode_off, smilies_off=post.smilies_off)
    with transaction.atomic():
        if review and post.state == Post.State.VISIBLE:
            locked_thread = Thread.objects.select_for_update().get(pk=thread.pk)
            current = Post.objects.select_for_update().get(pk=post.pk)
            if current.state == Post.State.VISIBLE:
                Post.objects.filter(pk=post.pk).update(state=Post.State.PENDING)
                if locked_thread.state == Thread.State.VISIBLE:
                    _uncount_reply(locked_thread, current)
                post.state = Post.State.PENDING
        PostRevision.objects.create(
            post=post,
            title=thread.title if post.is_first else "",
            body=post.body,
            edited_at=now,
            editor=acting_user,
            editor_name=acting_user.username,
        )
        Post.objects.filter(pk=post.pk).update(
            body=body,
            html=html,
            html_version=RENDERER_VERSION,
            edited_at=now,
            edited_by_name=acting_user.username,
            edit_count=F("edit_count") + 1,
        )
        bind_attachments(post, attachment_ids or [], acting_user=acting_user)
        schedule_reindex(posts=[post.pk])  # a first post carries the thread's title
        if post.is_first and (title != thread.title or thread_type != thread.type):
            Thread.objects.filter(pk=thread.pk).update(title=title, type=thread_type)
            Board.objects.filter(pk=thread.board_id, last_thread_id=thread.pk).update(
                last_thread_title=title
            )
            thread.title = title  # type: ignore[assignment]
            thread.type = thread_type
        purge_thread_pages([thread], listing=post.is_first or review)
    post.body, post.html, post.html_version = body, html, RENDERER_VERSION
    post.edited_at, post.edited_by_name = now, acting_user.username
    post.edit_count += 1
    return post


def _refuse_review_of_published_thread(title: str, body: str) -> None:
    word_filter = get_word_filter()
    words = word_filter.scan(title).review + word_filter.scan(body).review
    raise FupanError(
        ErrorCode.WORD_BLOCKED,
        _(
            "The thread contains words that a moderator would have to review: %(words)s. A "
            "published thread cannot go back to the review queue; please remove them."
        )
        % {"words": format_word_list(list(dict.fromkeys(words)))},
        field="body",
    )


def do_delete_post(post: Post, *, acting_user: Any, reason: str = "") -> None:
    """Delete a reply (its floor stays empty and is never reused). Deleting a first post deletes
    the thread. Side effects: thread replies/last post, board posts/today/last post, member posts."""
    if post.is_first:
        do_delete_thread(post.thread, acting_user=acting_user, reason=reason)
        return
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.state == Post.State.DELETED:
            return
        was_visible = current.state == Post.State.VISIBLE
        Post.objects.filter(pk=post.pk).update(state=Post.State.DELETED)
        if was_visible and thread.state == Thread.State.VISIBLE:
            _uncount_reply(thread, current)
        record(acting_user, Action.DELETE_POST, post=current, reason=reason)
        schedule_reindex(posts=[current.pk])
        purge_thread_pages([thread])
    post.state = Post.State.DELETED


def _uncount_reply(thread: Thread, current: Post) -> None:
    """A visible reply of a visible thread stops counting (it was just deleted or sent back to
    review; its state is already written). The caller holds the thread's and the post's locks."""
    Thread.objects.filter(pk=thread.pk).update(replies=Greatest(F("replies") - 1, 0))
    _refresh_thread_last_post(thread.pk)
    Board.objects.filter(pk=thread.board_id).update(posts=Greatest(F("posts") - 1, 0))
    _decrement_today(thread.board_id, current.created_at)
    _refresh_board_last_post(thread.board_id)
    if current.author_id:
        get_user_model().objects.filter(pk=current.author_id).update(
            posts=Greatest(F("posts") - 1, 0)
        )
        undo_credit_rule(current.author_id, "reply", board=thread.board, related=current)


def do_delete_thread(thread: Thread, *, acting_user: Any, reason: str = "") -> None:
    """Move a thread to the recycle bin. Its posts stop counting for the board and their authors."""
    user_model = get_user_model()
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.state != Thread.State.VISIBLE:
            if current.state == Thread.State.PENDING:
                Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
            return
        Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
        visible = Post.objects.filter(thread_id=thread.pk, state=Post.State.VISIBLE)
        total = visible.count()
        today = timezone.localdate()
        start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
        today_count = visible.filter(created_at__gte=start_of_today).count()
        Board.objects.filter(pk=current.board_id).update(
            threads=Greatest(F("threads") - 1, 0), posts=Greatest(F("posts") - total, 0)
        )
        _decrement_today(current.board_id, timezone.now(), today_count)
        _refresh_board_last_post(current.board_id)
        per_author = (
            visible.exclude(author_id=None).values("author_id").annotate(n=Count("id")).order_by()
        )
        for row in per_author:
            user_model.objects.filter(pk=row["author_id"]).update(
                posts=Greatest(F("posts") - row["n"], 0)
            )
        if current.author_id:
            user_model.objects.filter(pk=current.author_id).update(
                threads=Greatest(F("threads") - 1, 0)
            )
        _credits_for_thread(current, visible, restore=False)
        record(acting_user, Action.DELETE_THREAD, thread=current, reason=reason)
        schedule_reindex(threads=[current.pk])
        purge_thread_pages([current])
    thread.state = Thread.State.RECYCLED


def _credits_for_thread(thread: Thread, visible: Any, *, restore: bool) -> None:
    """Take back (or pay again) what a thread's posts earned: the thread's rule for its author,
    the reply rule for every visible reply."""
    first = visible.filter(is_first=True).values_list("author_id", flat=True).first()
    if first:
        undo_credit_rule(first, "post", board=thread.board, related=thread, restore=restore)
    replies = (
        visible.filter(is_first=False)
        .exclude(author_id=None)
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in replies:
        undo_credit_rule(
            row["author_id"],
            "reply",
            board=thread.board,
            times=row["n"],
            related=thread,
            restore=restore,
        )


# Votes ----------------------------------------------------------------------------------------


def do_vote_post(post: Post, *, acting_user: Any, value: int) -> Post:
    """Record one support (+1) or oppose (-1) vote by ``acting_user`` on ``post``.

    A member votes once per post and may not vote on their own post or on a first post (Discuz
    ``postreview``). Returns the post with fresh counts."""
    if value not in (PostVote.Value.SUPPORT, PostVote.Value.OPPOSE):
        raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown vote."))
    if post.is_first:
        raise FupanError(
            ErrorCode.VOTE_FIRST_POST, _("The first post of a thread cannot be voted on.")
        )
    if post.author_id == acting_user.pk:
        raise FupanError(ErrorCode.VOTE_OWN_POST, _("You cannot vote on your own post."))
    if post.state != Post.State.VISIBLE:
        raise FupanError(ErrorCode.BAD_REQUEST, _("This post cannot be voted on."))
    counter = "support" if value == PostVote.Value.SUPPORT else "oppose"
    try:
        with transaction.atomic():
            PostVote.objects.create(
                post=post, user=acting_user, thread_id=post.thread_id, value=value
            )
            Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
            notify_vote(post, actor=acting_user, support=value == PostVote.Value.SUPPORT)
            purge_thread_pages([(post.thread_id, 0, 0)], listing=False)
    except IntegrityError:
        raise FupanError(
            ErrorCode.ALREADY_VOTED, _("You have already voted on this post.")
        ) from None
    post.refresh_from_db(fields=["support", "oppose"])
    return post


def do_recommend_thread(thread: Thread, *, acting_user: Any, value: int) -> Thread:
    """One 顶 (+1) or 踩 (-1) by ``acting_user`` on ``thread``, once per member (Discuz
    ``forum_misc.php?action=recommend``). Preconditions: the caller checked
    ``check_recommend_thread_permission``. Side effects: the thread's ``recommend_add`` or
    ``recommend_sub``. Returns the thread with fresh counts."""
    from fupan.forum.models import ThreadRecommend

    if value not in (ThreadRecommend.Value.ADD, ThreadRecommend.Value.SUBTRACT):
        raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown vote."))
    if thread.author_id == acting_user.pk:
        raise FupanError(ErrorCode.VOTE_OWN_POST, _("You cannot rate your own thread."))
    counter = "recommend_add" if value == ThreadRecommend.Value.ADD else "recommend_sub"
    try:
        with transaction.atomic():
            ThreadRecommend.objects.create(thread=thread, user=acting_user, value=value)
            Thread.objects.filter(pk=thread.pk).update(**{counter: F(counter) + 1})
            purge_thread_pages([(thread.pk, 0, 0)], listing=False)
    except IntegrityError:
        raise FupanError(
            ErrorCode.ALREADY_VOTED, _("You have already rated this thread.")
        ) from None
    thread.refresh_from_db(fields=["recommend_add", "recommend_sub"])
    return thread


# Views ----------------------------------------------------------------------------------------


def do_count_thread_view(thread: Thread) -> None:
    """One more view of ``thread``: buffered in the cache and written in batches
    (``fupan.forum.viewcounts``); ``thread.views`` becomes the stored count plus the pending one."""
    from fupan.forum.viewcounts import count_thread_view

    thread.views += count_thread_view(thread.pk, stored=thread.views)


def do_restore_post(post: Post, *, acting_user: Any) -> None:
    """Undo ``do_delete_post`` for a reply: the floor shows again and counts again."""
    if post.is_first:
        do_restore_thread(post.thread, acting_user=acting_user)
        return
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.state != Post.State.DELETED:
            return
        Post.objects.filter(pk=post.pk).update(state=Post.State.VISIBLE)
        if thread.state == Thread.State.VISIBLE:
            Thread.objects.filter(pk=thread.pk).update(replies=F("replies") + 1)
            _refresh_thread_last_post(thread.pk)
            Board.objects.filter(pk=thread.board_id).update(posts=F("posts") + 1)
            today = timezone.localdate()
            if timezone.localdate(current.created_at) == today:
                Board.objects.filter(pk=thread.board_id, today_date=today).update(
                    today_posts=F("today_posts") + 1
                )
            _refresh_board_last_post(thread.board_id)
            if current.author_id:
                get_user_model().objects.filter(pk=current.author_id).update(posts=F("posts") + 1)
                undo_credit_rule(
                    current.author_id, "reply", board=thread.board, related=current, restore=True
                )
        record(acting_user, Action.RESTORE_POST, post=current)
        schedule_reindex(posts=[current.pk])
        purge_thread_pages([thread])
    post.state = Post.State.VISIBLE


def do_restore_thread(thread: Thread, *, acting_user: Any) -> None:
    """Bring a thread back from the recycle bin; its visible posts count again."""
    user_model = get_user_model()
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.state != Thread.State.RECYCLED:
            return
        Thread.objects.filter(pk=thread.pk).update(state=Thread.State.VISIBLE)
        # A thread turned down in review had its first post deleted too: it comes back with it.
        Post.objects.filter(thread_id=thread.pk, is_first=True, state=Post.State.DELETED).update(
            state=Post.State.VISIBLE
        )
        visible = Post.objects.filter(thread_id=thread.pk, state=Post.State.VISIBLE)
        total = visible.count()
        today = timezone.localdate()
        start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
        today_count = visible.filter(created_at__gte=start_of_today).count()
        Board.objects.filter(pk=current.board_id).update(
            threads=F("threads") + 1, posts=F("posts") + total
        )
        if today_count:
            Board.objects.filter(pk=current.board_id, today_date=today).update(
                today_posts=F("today_posts") + today_count
            )
        _refresh_board_last_post(current.board_id)
        per_author = (
            visible.exclude(author_id=None).values("author_id").annotate(n=Count("id")).order_by()
        )
        for row in per_author:
            user_model.objects.filter(pk=row["author_id"]).update(posts=F("posts") + row["n"])
        if current.author_id:
            user_model.objects.filter(pk=current.author_id).update(threads=F("threads") + 1)
        _credits_for_thread(current, visible, restore=True)
        record(acting_user, Action.RESTORE_THREAD, thread=current)
        schedule_reindex(threads=[current.pk])
        purge_thread_pages([current])
    thread.state = Thread.State.VISIBLE
