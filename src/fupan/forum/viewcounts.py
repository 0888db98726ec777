"""Thread view counts, buffered and written in batches (Discuz's ``optimizeviews``).

A view adds one to the thread's pending count in the cache — a Redis hash when ``REDIS_URL`` is
set (HINCRBY, shared by all workers), else a dictionary in the process — never an UPDATE. The
pending counts are written by ``do_flush_view_counts`` (one UPDATE per thread, in one
transaction) when ``FUPAN_VIEWS_FLUSH_EVERY`` views (100) have gathered or a minute has passed
since the last flush, as a django-tasks task (run by the worker in production), and by
``fupan manage flush_view_counts``. The thread page shows the stored count plus its pending one.
A flush makes the pages of the threads it wrote stale, so a cached guest page is at most one flush
behind.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

_HASH = "views:pending"
_SINCE = "views:since-flush"
_TIMER = "views:flush-timer"


def flush_every() -> int:
    return int(getattr(settings, "FUPAN_VIEWS_FLUSH_EVERY", 100))


def flush_seconds() -> int:
    """A flush at least this often while there are views (0: only every N views, as in tests)."""
    return int(getattr(settings, "FUPAN_VIEWS_FLUSH_SECONDS", 60))


def _redis() -> Any | None:
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache) or isinstance(getattr(cache, "_wrapped", None), RedisCache):
        return cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    return None


class _LocalBuffer:
    """Pending views of this process (the in-process cache is this process's too)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[int, int] = {}
        self.total = 0
        self.last_flush = time.monotonic()

    def add(self, thread_id: int) -> tuple[int, bool]:
        with self.lock:
            count = self.pending.get(thread_id, 0) + 1
            self.pending[thread_id] = count
            self.total += 1
            seconds = flush_seconds()
            due = self.total >= flush_every() or bool(
                seconds and time.monotonic() - self.last_flush >= seconds
            )
        return count, due

    def peek(self, thread_id: int) -> int:
        return self.pending.get(thread_id, 0)

    def take(self) -> dict[int, int]:
        with self.lock:
            taken, self.pending, self.total = self.pending, {}, 0
            self.last_flush = time.monotonic()
        return taken


_local = _LocalBuffer()


def count_thread_view(thread_id: int) -> int:
    """One more view of the thread; returns its views not yet written (this one included) and
    starts a flush when one is due."""
    client = _redis()
    if client is None:
        pending, due = _local.add(thread_id)
    else:
        pipe = client.pipeline(transaction=False)
        pipe.hincrby(cache.make_key(_HASH), str(thread_id), 1)
        pipe.incr(cache.make_key(_SINCE))
        seconds = flush_seconds()
        if seconds:
            pipe.set(cache.make_key(_TIMER), 1, nx=True, ex=seconds)
        pending, since, *timer_started = pipe.execute()
        due = since >= flush_every() or any(timer_started)
        if due:
            client.delete(cache.make_key(_SINCE))
    if due:
        from fupan.forum.tasks import flush_view_counts

        flush_view_counts.enqueue()
    return int(pending)


def pending_views(thread_id: int) -> int:
    client = _redis()
    if client is None:
        return _local.peek(thread_id)
    return int(client.hget(cache.make_key(_HASH), str(thread_id)) or 0)


def _take_pending() -> dict[int, int]:
    client = _redis()
    if client is None:
        return _local.take()
    taken = cache.make_key(f"views:flushing:{uuid.uuid4().hex}")
    try:
        client.rename(cache.make_key(_HASH), taken)  # atomic: new views go to a fresh hash
    except Exception:  # no pending views at all
        return {}
    raw = client.hgetall(taken)
    client.delete(taken)
    return {int(k): int(v) for k, v in raw.items()}


def do_flush_view_counts() -> int:
    """Write the pending view counts (one UPDATE per thread, in one transaction) and make those
    threads' cached pages and their boards' lists stale. Returns the number of views written."""
    from fupan.core.pagecache import bump, generation_key
    from fupan.forum.models import Thread

    pending = _take_pending()
    if not pending:
        return 0
    with transaction.atomic():
        for thread_id, count in sorted(pending.items()):
            Thread.objects.filter(pk=thread_id).update(views=F("views") + count)
        boards = set(Thread.objects.filter(pk__in=list(pending)).values_list("board_id", flat=True))
        bump(
            [generation_key("thread", t) for t in pending]
            + [generation_key("board", b) for b in boards]
        )
    return sum(pending.values())


def forget_pending_views() -> None:
    """Drop this process's pending views without writing them (test isolation)."""
    _local.take()


def _flush_at_exit() -> None:
    """A worker recycled by gunicorn writes what it was holding."""
    if not _local.pending:
        return
    # The database may be gone at shutdown: then nothing more can be done.
    with contextlib.suppress(Exception):
        do_flush_view_counts()


atexit.register(_flush_at_exit)
