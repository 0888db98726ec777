"""Rebuild every denormalised counter from the rows it counts (Misago's ``synchronize*``).

The actions keep counters right as they go; these functions recompute them from scratch, for
repairs, after an import, and in tests that prove the actions never drift.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fupan.forum.models import Board, Post, PostVote, Thread


def _count(qs, field: str = "id") -> Coalesce:  # type: ignore[no-untyped-def]
    """A correlated COUNT subquery that answers 0 rather than NULL."""
    sub = qs.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def synchronize_threads(thread_ids: list[int] | None = None) -> int:
    """Replies, highest floor and last post of threads (all threads when ``thread_ids`` is None)."""
    visible = Post.objects.filter(thread=OuterRef("pk"), state=Post.State.VISIBLE)
    last = visible.order_by("-position")
    qs = Thread.objects.all() if thread_ids is None else Thread.objects.filter(pk__in=thread_ids)
    return qs.update(
        replies=_count(visible.filter(is_first=False), "thread"),
        max_position=Coalesce(
            Subquery(
                Post.objects.filter(thread=OuterRef("pk"))
                .order_by()
                .values("thread")
                .annotate(m=Max("position"))
                .values("m"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        last_post_at=Coalesce(Subquery(last.values("created_at")[:1]), F("created_at")),
        last_poster_id=Coalesce(Subquery(last.values("author_id")[:1]), F("author_id")),
        last_poster_name=Coalesce(Subquery(last.values("author_name")[:1]), F("author_name")),
    )


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))


def synchronize_boards(board_ids: list[int] | None = None) -> int:
    """Threads, posts, today's posts and last post of boards."""
    threads = Thread.objects.filter(board=OuterRef("pk"), state=Thread.State.VISIBLE)
    posts = Post.objects.filter(
        thread__board=OuterRef("pk"), thread__state=Thread.State.VISIBLE, state=Post.State.VISIBLE
    )
    last = threads.order_by("-last_post_at", "-id")
    qs = Board.objects.all() if board_ids is None else Board.objects.filter(pk__in=board_ids)
    return qs.update(
        threads=_count(threads, "board"),
        posts=_count(posts, "thread__board"),
        today_posts=_count(posts.filter(created_at__gte=_start_of_today()), "thread__board"),
        today_date=timezone.localdate(),
        last_thread_id=Subquery(last.values("id")[:1]),
        last_thread_title=Coalesce(Subquery(last.values("title")[:1]), Value("")),
        last_post_at=Subquery(last.values("last_post_at")[:1]),
        last_poster_id=Subquery(last.values("last_poster_id")[:1]),
        last_poster_name=Coalesce(Subquery(last.values("last_poster_name")[:1]), Value("")),
    )


def synchronize_users(user_ids: list[int] | None = None) -> int:
    """Posts and threads of members (visible posts in visible threads)."""
    user_model = get_user_model()
    posts = Post.objects.filter(
        author=OuterRef("pk"), state=Post.State.VISIBLE, thread__state=Thread.State.VISIBLE
    )
    threads = Thread.objects.filter(author=OuterRef("pk"), state=Thread.State.VISIBLE)
    qs = (
        user_model.objects.all() if user_ids is None else user_model.objects.filter(pk__in=user_ids)
    )
    return qs.update(posts=_count(posts, "author"), threads=_count(threads, "author"))


def synchronize_post_votes(post_ids: list[int] | None = None) -> int:
    """支持/反对 counts of posts from their votes (all posts when ``post_ids`` is None)."""
    votes = PostVote.objects.filter(post=OuterRef("pk"))
    qs = Post.objects.all() if post_ids is None else Post.objects.filter(pk__in=post_ids)
    return qs.update(
        support=_count(votes.filter(value=PostVote.Value.SUPPORT), "post"),
        oppose=_count(votes.filter(value=PostVote.Value.OPPOSE), "post"),
    )


def synchronize_all() -> dict[str, int]:
    from fupan.accounts.stats import synchronize_member_stats
    from fupan.core.pagecache import bump_site

    with transaction.atomic():
        result = {
            "threads": synchronize_threads(),
            "boards": synchronize_boards(),
            "users": synchronize_users(),
        }
        synchronize_member_stats()
        bump_site()  # counts may have changed on any page
    return result


def counter_snapshot() -> dict[str, list[tuple]]:
    """Every counter, for comparing the actions' bookkeeping with a recount."""
    user_model = get_user_model()
    return {
        "threads": list(
            Thread.objects.order_by("pk").values_list(
                "pk",
                "replies",
                "max_position",
                "last_post_at",
                "last_poster_id",
                "last_poster_name",
            )
        ),
        "boards": list(
            Board.objects.order_by("pk").values_list(
                "pk",
                "threads",
                "posts",
                "today_posts",
                "last_thread_id",
                "last_thread_title",
                "last_post_at",
                "last_poster_id",
                "last_poster_name",
            )
        ),
        "users": list(user_model.objects.order_by("pk").values_list("pk", "posts", "threads")),
    }


__all__ = [
    "counter_snapshot",
    "synchronize_all",
    "synchronize_boards",
    "synchronize_post_votes",
    "synchronize_threads",
    "synchronize_users",
]
