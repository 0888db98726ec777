"""Keeping the search index in step with the posts.

Actions call ``schedule_reindex`` inside their transaction; the index is updated after commit by a
background task (django-tasks: at once by default, a worker in production). A post is in the
index exactly when a reader could see it: visible, not hidden by a moderator, in a visible thread.
Permissions per board are applied when searching."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django_tasks import task

from fupan.search.backends import Doc, get_backend
from fupan.search.text import index_text

CHUNK = 1000


def _searchable(post: Any, thread: Any) -> bool:
    from fupan.forum.models import Post, Thread

    return (
        post.state == Post.State.VISIBLE
        and not post.hidden
        and thread.state == Thread.State.VISIBLE
        and thread.redirect_to_id is None
    )


def doc_for(post: Any, thread: Any) -> Doc:
    from fupan.markup import plain_text

    return Doc(
        post_id=post.pk,
        thread_id=thread.pk,
        board_id=thread.board_id,
        author_id=post.author_id,
        created=post.created_at,
        title=index_text(thread.title) if post.is_first else "",
        body=index_text(plain_text(post.body or "")),
    )


GENERATION_KEY = "search:generation"


def generation() -> int:
    """Changes whenever the index does: cached result lists carry it, so none outlives a change."""
    from django.core.cache import cache

    return int(cache.get(GENERATION_KEY) or 0)


def _changed() -> None:
    from django.core.cache import cache

    if not cache.add(GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 1, timeout=None)


def reindex_posts(post_ids: Iterable[int]) -> tuple[int, int]:
    """Bring these posts' index entries up to date. Returns (indexed, removed)."""
    from fupan.forum.models import Post

    ids = sorted(set(post_ids))
    backend = get_backend()
    indexed = removed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        posts = (
            Post.objects.filter(pk__in=chunk)
            .select_related("thread")
            .only(
                "id",
                "body",
                "author_id",
                "created_at",
                "is_first",
                "state",
                "hidden",
                "thread__id",
                "thread__title",
                "thread__board_id",
                "thread__state",
                "thread__redirect_to_id",
            )
        )
        docs, keep = [], set()
        for post in posts:
            if _searchable(post, post.thread):
                docs.append(doc_for(post, post.thread))
                keep.add(post.pk)
        gone = [i for i in chunk if i not in keep]
        with backend.writing():
            backend.delete(gone)
            backend.upsert(docs)
        indexed += len(docs)
        removed += len(gone)
    _changed()
    return indexed, removed


def reindex_threads(thread_ids: Iterable[int]) -> tuple[int, int]:
    from fupan.forum.models import Post

    ids = list(Post.objects.filter(thread_id__in=set(thread_ids)).values_list("id", flat=True))
    return reindex_posts(ids)


@task()
def update_search_index(post_ids: list[int], thread_ids: list[int]) -> list[int]:
    """The background half of ``schedule_reindex``."""
    a = reindex_posts(post_ids) if post_ids else (0, 0)
    b = reindex_threads(thread_ids) if thread_ids else (0, 0)
    return [a[0] + b[0], a[1] + b[1]]


def schedule_reindex(*, posts: Iterable[int] = (), threads: Iterable[int] = ()) -> None:
    """After the current transaction commits, update the index entries of these posts and of
    every post of these threads (a move, merge, split, delete or restore of a whole thread)."""
    post_ids = sorted({int(p) for p in posts})
    thread_ids = sorted({int(t) for t in threads})
    if post_ids or thread_ids:
        transaction.on_commit(lambda: update_search_index.enqueue(post_ids, thread_ids))


def rebuild(progress: Callable[[int, int], None] | None = None, *, chunk: int = 2000) -> int:
    """Empty the index and index every searchable post again, in id order. ``progress(done,
    total)`` is called after each chunk. Returns the number of posts indexed."""
    from fupan.forum.models import Post, Thread

    backend = get_backend()
    backend.begin_rebuild()
    total = Post.objects.count()
    done = indexed = 0
    last = 0
    threads: dict[int, Any] = {}
    while True:
        posts = list(
            Post.objects.filter(pk__gt=last)
            .order_by("pk")
            .only(
                "id", "thread_id", "body", "author_id", "created_at", "is_first", "state", "hidden"
            )[:chunk]
        )
        if not posts:
            break
        need = {p.thread_id for p in posts} - threads.keys()
        if need:
            if len(threads) > 50_000:
                threads.clear()
            for t in Thread.objects.filter(pk__in=need).only(
                "id", "title", "board_id", "state", "redirect_to_id"
            ):
                threads[t.pk] = t
        docs = [
            doc_for(p, threads[p.thread_id])
            for p in posts
            if p.thread_id in threads and _searchable(p, threads[p.thread_id])
        ]
        with transaction.atomic():
            backend.upsert(docs)
        indexed += len(docs)
        done += len(posts)
        last = posts[-1].pk
        if progress:
            progress(done, total)
    backend.end_rebuild()
    _changed()
    return indexed
