"""Thread view counts, buffered and written in batches (Discuz's ``optimizeviews``).

A view adds one to the thread's pending count, never an UPDATE. Pending views wait in two places:

- in the process, a dictionary of thread → views;
- with ``REDIS_URL``, then in a Redis hash shared by all workers. A worker hands its dictionary
  on to the hash (one pipeline of HINCRBY) when a page that shows a thread's count needs the
  count across workers, and it learnt it more than ``FUPAN_VIEWS_PUSH_SECONDS`` (1 s) ago; and
  at least that often while views wait. A busy thread's views then cost about one round trip to
  Redis per worker and second, not one each (``count_thread_view``).

The pending counts are written by ``do_flush_view_counts`` (one UPDATE per thread, in one
transaction) when ``FUPAN_VIEWS_FLUSH_EVERY`` views (100) have gathered or
``FUPAN_VIEWS_FLUSH_SECONDS`` (a minute) have passed since the last flush, as a django-tasks task
(run by the worker in production), and by ``fupan manage flush_view_counts``.

The thread page shows the stored count plus the pending one: the shared count as the worker last
handed on (Redis answers HINCRBY with the new total) plus its own views since. Another worker's
views of the last second show once either of them hands on. A flush makes the pages of the
threads it wrote stale, so a cached guest page is at most one flush behind.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F

# Threads whose shared count a worker remembers (a few MB at most).
SHARED_MEMORY = 20_000
_HASH = "views:pending"
_SINCE = "views:since-flush"
_TIMER = "views:flush-timer"


def flush_every() -> int:
    return int(getattr(settings, "FUPAN_VIEWS_FLUSH_EVERY", 100))


def flush_seconds() -> int:
    """A flush at least this often while there are views (0: only every N views, as in tests)."""
    return int(getattr(settings, "FUPAN_VIEWS_FLUSH_SECONDS", 60))


def push_seconds() -> float:
    """With Redis, a worker hands its waiting views on at least this often."""
    return float(getattr(settings, "FUPAN_VIEWS_PUSH_SECONDS", 1.0))


def _redis() -> Any | None:
    """The Redis client behind the default cache; None when the cache is this process's own."""
    from django.core.cache.backends.redis import RedisCache

    # ``caches[...]``, not ``cache``: that is a proxy, no instance of the backend's class.
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return backend._cache.get_client(write=True)
    return None


class _Waiting:
    """This process's views not yet written (no Redis) or not yet handed on to Redis."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[int, int] = {}
        self.total = 0
        self.since = time.monotonic()  # of the last flush (no Redis) or hand-on (Redis)
        # With Redis: thread → (its stored count, its shared pending count, when learnt), as
        # the last hand-on that included it answered.
        self.shared: dict[int, tuple[int | None, int, float]] = {}

    def add(self, thread_id: int) -> tuple[int, int, float]:
        """Counts the view; returns the thread's waiting views, all waiting views, and the
        seconds since the last take."""
        with self.lock:
            count = self.counts[thread_id] = self.counts.get(thread_id, 0) + 1
            self.total += 1
            return count, self.total, time.monotonic() - self.since

    def peek(self, thread_id: int) -> int:
        return self.counts.get(thread_id, 0)

    def take(self) -> dict[int, int]:
        with self.lock:
            taken, self.counts, self.total = self.counts, {}, 0
            self.since = time.monotonic()
        return taken

    def learn(self, totals: dict[int, int], stored: tuple[int, int] | None = None) -> None:
        """A hand-on's answer: each thread's shared pending count now, and for the thread whose
        page is being drawn its stored count (``(thread, count)``)."""
        now = time.monotonic()
        with self.lock:
            if len(self.shared) > SHARED_MEMORY:
                self.shared.clear()
            for thread_id, total in totals.items():
                known = self.shared.get(thread_id)
                if known is not None:
                    self.shared[thread_id] = (known[0], total, now)
            if stored is not None:
                thread_id, count = stored
                self.shared[thread_id] = (count, totals.get(thread_id, 0), now)


_waiting = _Waiting()


def _hand_on(client: Any, views: dict[int, int]) -> tuple[dict[int, int], bool]:
    """Adds ``views`` to the shared hash in one round trip. Returns each thread's shared pending
    count after it, and whether a flush is due."""
    if not views:
        return {}, False
    key = cache.make_key
    pipe = client.pipeline(transaction=False)
    for thread_id, count in views.items():
        pipe.hincrby(key(_HASH), str(thread_id), count)
    pipe.incrby(key(_SINCE), sum(views.values()))
    seconds = flush_seconds()
    if seconds:
        pipe.set(key(_TIMER), 1, nx=True, ex=seconds)
    answers = pipe.execute()
    totals = dict(zip(views, answers, strict=False))
    since = answers[len(views)]
    due = since >= flush_every() or (bool(seconds) and bool(answers[-1]))
    if due:
        client.delete(key(_SINCE))
    return totals, due


def count_thread_view(thread_id: int, *, stored: int | None = None, shown: bool = True) -> int:
    """One more view of the thread; starts a flush when one is due. Returns the thread's views
    not yet written, this one included, for a page that shows the count (``shown``; ``stored``:
    the count the page read from the database).

    With Redis, a view waits in the process, and the worker's waiting views are handed on
    together (one round trip, answered with each thread's count across workers):

    - a page that shows the count, at once — unless this worker learnt the thread's shared count
      less than ``FUPAN_VIEWS_PUSH_SECONDS`` ago and nothing was written since (its stored count
      is the same): that count plus this worker's views since is shown, without a round trip;
    - a page from the guest page cache (``shown=False``: its count was printed when it was
      cached), after ``FUPAN_VIEWS_PUSH_SECONDS``; it returns 0.

    So a worker hands on at most about once a second for a busy thread, and another worker's
    views show within that second."""
    client = _redis()
    mine, total, elapsed = _waiting.add(thread_id)
    if client is None:
        seconds = flush_seconds()
        pending = mine
        due = total >= flush_every() or bool(seconds and elapsed >= seconds)
    else:
        interval = push_seconds()
        calm = elapsed < interval and total < flush_every()
        if not shown:
            if calm:
                return 0
        elif calm and stored is not None:
            known = _waiting.shared.get(thread_id)
            if known is not None and known[0] == stored and time.monotonic() - known[2] < interval:
                return known[1] + mine
        totals, due = _hand_on(client, _waiting.take())
        _waiting.learn(totals, None if stored is None or not shown else (thread_id, stored))
        pending = totals.get(thread_id, 0) if shown else 0
    if due:
        from fupan.forum.tasks import flush_view_counts

        flush_view_counts.enqueue()
    return int(pending)


def pending_views(thread_id: int) -> int:
    """The thread's views not yet written, of all workers (and this process's not handed on)."""
    client = _redis()
    mine = _waiting.peek(thread_id)
    if client is None:
        return mine
    return int(client.hget(cache.make_key(_HASH), str(thread_id)) or 0) + mine


def _take_pending() -> dict[int, int]:
    client = _redis()
    if client is None:
        return _waiting.take()
    _hand_on(client, _waiting.take())
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
    _waiting.shared.clear()  # the stored counts change
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
    """Drop this process's waiting views and learnt counts without writing them (test
    isolation)."""
    _waiting.take()
    _waiting.shared.clear()


def _at_exit() -> None:
    """A worker recycled by gunicorn hands on (Redis) or writes what it was holding."""
    if not _waiting.counts:
        return
    # Redis or the database may be gone at shutdown: then nothing more can be done.
    with contextlib.suppress(Exception):
        client = _redis()
        if client is None:
            do_flush_view_counts()
        else:
            _hand_on(client, _waiting.take())


atexit.register(_at_exit)
