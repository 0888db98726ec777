"""Writes to notifications, favourites and follows.

The forum and moderation actions call ``notify_*`` inside their own transaction, so a notification
exists exactly when the reply, vote or decision does; emails are sent after commit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.core.errors import ErrorCode, FupanError
from fupan.inbox.models import Favorite, Notification, ThreadFollow

Kind = Notification.Kind

# Kinds whose unread rows fold repeated events ("甲 and 3 others"), and the key they fold on.
_FOLD_ON = {Kind.REPLY: "thread_id", Kind.FOLLOW: "thread_id", Kind.VOTE: "post_id"}
MAX_MENTIONS = 10
EXCERPT = 120

# @username, as Discuz writes it: up to the next space, punctuation or end of the text.
_MENTION = re.compile(r"(?<![\w@])@([^\s@,，。:：;；!！?？'\"<>\[\]()（）]{2,15})")
# The quote header links to the quoted post: ours (/p/N/) or Discuz's (goto=findpost … pid=N).
_QUOTED = re.compile(r"\[quote\].*?\[url=[^\]]*?(?:/p/(\d+)/|[?&]pid=(\d+))", re.S)


def mentioned_usernames(body: str) -> list[str]:
    """The @names in a post body (outside quotes: quoting a mention does not repeat it)."""
    without_quotes = re.sub(r"\[quote\].*?\[/quote\]", "", body, flags=re.S | re.I)
    names: list[str] = []
    for match in _MENTION.finditer(without_quotes):
        name = match.group(1)
        if name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def quoted_post_ids(body: str) -> list[int]:
    return [int(a or b) for a, b in _QUOTED.findall(body)][:MAX_MENTIONS]


def excerpt_of(body: str) -> str:
    from fupan.markup import plain_text

    text = " ".join(plain_text(re.sub(r"\[quote\].*?\[/quote\]", "", body, flags=re.S)).split())
    return text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")


def notify(
    recipient_ids: Iterable[int],
    kind: str,
    *,
    actor: Any = None,
    thread: Any = None,
    post: Any = None,
    verb: str = "",
    excerpt: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> list[Notification]:
    """Notify members of one event. The actor is never notified of their own doing, nor is anyone
    who blocked the actor. Unread rows of a folding kind for the same thread (votes: post) count
    one more event instead of adding a row. Returns the new rows."""
    from fupan.accounts.queries import blocked_among

    now = now or timezone.now()
    actor_id = getattr(actor, "pk", None)
    ids = sorted({int(i) for i in recipient_ids if i and i != actor_id})
    if actor_id is not None:
        ids = [i for i in ids if i not in blocked_among(ids, sender_id=actor_id)]
    if not ids:
        return []
    thread_id = getattr(thread, "pk", None) or getattr(post, "thread_id", None)
    subject = (getattr(thread, "title", "") or "")[:255]
    fields = {
        "actor_id": actor_id,
        "actor_name": getattr(actor, "username", "") or "",
        "post_id": getattr(post, "pk", None),
        "excerpt": excerpt[:200],
        "created_at": now,
    }
    fold_on = _FOLD_ON.get(kind)
    folded: set[int] = set()
    if fold_on:
        key = thread_id if fold_on == "thread_id" else fields["post_id"]
        unread = Notification.objects.filter(
            user_id__in=ids, kind=kind, is_new=True, **{fold_on: key}
        )
        folded = set(unread.values_list("user_id", flat=True))
        if folded:
            unread.update(count=F("count") + 1, subject=subject, verb=verb, **fields)
    fresh = [i for i in ids if i not in folded]
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid,
                kind=kind,
                verb=verb,
                thread_id=thread_id,
                subject=subject,
                reason=reason[:200],
                **fields,
            )
            for uid in fresh
        ]
    )
    if fresh:
        get_user_model().objects.filter(pk__in=fresh).update(
            new_notifications=F("new_notifications") + 1
        )
        _email_after_commit(fresh, kind)
    return rows


def _email_after_commit(user_ids: list[int], kind: str) -> None:
    from fupan.inbox.tasks import email_notifications

    def enqueue() -> None:
        email_notifications.enqueue(user_ids, kind)

    transaction.on_commit(enqueue)


def _can_read(user: Any, thread: Any) -> bool:
    from fupan.permissions import can_read_thread, resolve_perms

    return can_read_thread(resolve_perms(user), thread)


def notify_new_post(post: Any, thread: Any, *, now: datetime | None = None) -> None:
    """A post became visible: tell those it concerns, each once, in this order — those it
    @mentions, those it quotes, the thread's author (a reply), the thread's followers."""
    from fupan.forum.models import Post

    author = post.author
    if author is None:
        return
    body = post.body or ""
    excerpt = excerpt_of(body)
    told: set[int] = {author.pk}
    user_model = get_user_model()

    names = mentioned_usernames(body)
    if names:
        from fupan.accounts.models import username_key

        keys = [username_key(n) for n in names]
        for user in user_model.objects.filter(username_key__in=keys, is_active=True).exclude(
            pk__in=told
        ):
            if _can_read(user, thread):
                notify(
                    [user.pk],
                    Kind.MENTION,
                    actor=author,
                    thread=thread,
                    post=post,
                    excerpt=excerpt,
                    now=now,
                )
            told.add(user.pk)
    if post.is_first:
        return
    quoted = quoted_post_ids(body)
    if quoted:
        quoted_authors = set(
            Post.objects.filter(pk__in=quoted, thread_id=thread.pk)
            .exclude(author_id__in=told)
            .exclude(author_id__isnull=True)
            .values_list("author_id", flat=True)
        )
        notify(
            quoted_authors,
            Kind.QUOTE,
            actor=author,
            thread=thread,
            post=post,
            excerpt=excerpt,
            now=now,
        )
        told |= quoted_authors
    if thread.author_id and thread.author_id not in told:
        notify(
            [thread.author_id],
            Kind.REPLY,
            actor=author,
            thread=thread,
            post=post,
            excerpt=excerpt,
            now=now,
        )
        told.add(thread.author_id)
    followers = [
        f
        for f in ThreadFollow.objects.filter(thread_id=thread.pk)
        .exclude(user_id__in=told)
        .select_related("user")
        if f.user.is_active and _can_read(f.user, thread)
    ]
    if followers:
        notify(
            [f.user_id for f in followers],
            Kind.FOLLOW,
            actor=author,
            thread=thread,
            post=post,
            excerpt=excerpt,
            now=now,
        )


def notify_vote(post: Any, *, actor: Any, support: bool) -> None:
    """Someone supported (or opposed) a reply: its author hears of it, folded per post."""
    if post.author_id:
        notify(
            [post.author_id],
            Kind.VOTE,
            actor=actor,
            thread=post.thread,
            post=post,
            verb="support" if support else "oppose",
            excerpt=excerpt_of(post.body or ""),
        )


def notify_moderation(
    member_id: int | None,
    *,
    actor: Any,
    action: str,
    thread: Any = None,
    post: Any = None,
    reason: str = "",
) -> None:
    """A moderator acted on a member's thread, post or account (the moderation log's row)."""
    if member_id:
        notify(
            [member_id],
            Kind.MODERATION,
            actor=actor,
            thread=thread,
            post=post,
            verb=action,
            reason=reason,
        )


def notify_report_outcome(
    reporter_id: int | None,
    *,
    actor: Any,
    outcome: str,
    note: str,
    thread: Any = None,
    post: Any = None,
) -> None:
    if reporter_id:
        notify(
            [reporter_id],
            Kind.REPORT,
            actor=actor,
            thread=thread,
            post=post,
            verb=outcome,
            reason=note,
        )


def do_mark_notifications_read(user: Any) -> int:
    """Everything in the member's notifications is read (what viewing the list does)."""
    with transaction.atomic():
        n = Notification.objects.filter(user_id=user.pk, is_new=True).update(is_new=False)
        get_user_model().objects.filter(pk=user.pk).update(new_notifications=0)
    user.new_notifications = 0
    return n


def do_delete_notification(user: Any, notification_id: int) -> None:
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, user_id=user.pk)
            .first()
        )
        if row is None:
            return
        row.delete()
        if row.is_new:
            get_user_model().objects.filter(pk=user.pk, new_notifications__gt=0).update(
                new_notifications=F("new_notifications") - 1
            )


# Favourites and follows ------------------------------------------------------------------------

MAX_FAVORITES = 1000


def do_add_favorite(user: Any, *, thread: Any = None, board: Any = None) -> Favorite:
    """收藏 a thread or a board. Adding it again is harmless. The thread's favourite count
    (Discuz ``favtimes``) counts members who keep it."""
    from fupan.forum.models import Thread

    if (thread is None) == (board is None):
        raise FupanError(ErrorCode.BAD_REQUEST, _("Choose a thread or a board to keep."))
    if Favorite.objects.filter(user_id=user.pk).count() >= MAX_FAVORITES:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("You keep %(n)d favourites, the most allowed; remove some first.")
            % {"n": MAX_FAVORITES},
        )
    target = {"thread": thread} if thread is not None else {"board": board}
    try:
        with transaction.atomic():
            favorite = Favorite.objects.create(user_id=user.pk, **target)
            if thread is not None:
                Thread.objects.filter(pk=thread.pk).update(favorites=F("favorites") + 1)
                _purge_favorite_count(thread)
    except IntegrityError:
        return Favorite.objects.get(user_id=user.pk, **target)
    return favorite


def do_remove_favorite(user: Any, *, thread: Any = None, board: Any = None) -> None:
    from fupan.forum.models import Thread

    target = {"thread": thread} if thread is not None else {"board": board}
    with transaction.atomic():
        deleted, _rows = Favorite.objects.filter(user_id=user.pk, **target).delete()
        if deleted and thread is not None:
            Thread.objects.filter(pk=thread.pk, favorites__gt=0).update(
                favorites=F("favorites") - 1
            )
            _purge_favorite_count(thread)


def _purge_favorite_count(thread: Any) -> None:
    """The thread's pages show how many keep it."""
    from fupan.forum.caching import purge_thread_pages

    purge_thread_pages([(thread.pk, 0, 0)], listing=False)


def do_follow_thread(user: Any, thread: Any) -> ThreadFollow:
    follow, _created = ThreadFollow.objects.get_or_create(user_id=user.pk, thread_id=thread.pk)
    return follow


def do_unfollow_thread(user: Any, thread: Any) -> None:
    ThreadFollow.objects.filter(user_id=user.pk, thread_id=thread.pk).delete()
