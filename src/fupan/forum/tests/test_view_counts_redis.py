"""Thread views with Redis: workers share one pending count, and views of cached guest pages
wait in the worker and go to Redis together."""

from __future__ import annotations

import os
import uuid

import pytest

from fupan.forum import viewcounts
from fupan.forum.models import Thread
from fupan.forum.viewcounts import count_thread_view, do_flush_view_counts, pending_views

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL (a Redis server) for the shared count",
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "fupan.core.redis_cache.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", ""),
            "KEY_PREFIX": f"t-views-{uuid.uuid4().hex[:8]}",
        }
    }
    client = viewcounts._redis()
    assert client is not None, "the Redis cache is seen as Redis"
    yield client
    from django.core.cache import cache

    cache.clear()


def shared(client, thread: Thread) -> int:
    from django.core.cache import cache

    return int(client.hget(cache.make_key("views:pending"), str(thread.pk)) or 0)


def as_another_worker(monkeypatch) -> None:
    monkeypatch.setattr(viewcounts, "_waiting", viewcounts._Waiting())


def test_workers_count_views_of_a_thread_together(redis_cache, thread, monkeypatch):
    assert count_thread_view(thread.pk) == 1
    assert count_thread_view(thread.pk) == 2
    as_another_worker(monkeypatch)
    # The second worker's first view shows all three, not only its own.
    assert count_thread_view(thread.pk) == 3
    assert shared(redis_cache, thread) == 3
    assert do_flush_view_counts() == 3
    assert Thread.objects.get(pk=thread.pk).views == 3
    assert pending_views(thread.pk) == 0


def test_views_of_cached_pages_wait_in_the_worker_then_go_together(
    redis_cache, guest_client, member_client, thread, settings, monkeypatch
):
    settings.FUPAN_VIEWS_PUSH_SECONDS = 60
    guest_client.get(f"/t/{thread.pk}/")  # drawn: its count went to Redis with it
    for _ in range(3):
        guest_client.get(f"/t/{thread.pk}/")  # from the page cache
    assert shared(redis_cache, thread) == 1  # the cached views wait in this worker
    assert pending_views(thread.pk) == 4
    # A member's page shows them all: the count learnt a moment ago plus this worker's since.
    page = member_client.get(f"/t/{thread.pk}/")
    assert page.context["thread"].views == 5
    guest_client.get(f"/t/{thread.pk}/")
    assert shared(redis_cache, thread) == 1
    # Once the hand-on interval has passed, a cached view sends all that waits.
    viewcounts._waiting.since -= 61
    guest_client.get(f"/t/{thread.pk}/")
    assert shared(redis_cache, thread) == 7
    assert do_flush_view_counts() == 7
    assert Thread.objects.get(pk=thread.pk).views == 7


def test_a_flush_writes_the_views_waiting_in_the_worker_too(redis_cache, thread, settings):
    settings.FUPAN_VIEWS_PUSH_SECONDS = 60
    count_thread_view(thread.pk)
    count_thread_view(thread.pk, shown=False)
    count_thread_view(thread.pk, shown=False)
    assert shared(redis_cache, thread) == 1
    assert do_flush_view_counts() == 3
    assert Thread.objects.get(pk=thread.pk).views == 3


def test_every_hundred_views_across_workers_start_a_flush(
    redis_cache, thread, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FUPAN_VIEWS_FLUSH_EVERY = 4
    for _ in range(2):
        count_thread_view(thread.pk)
    as_another_worker(monkeypatch)
    count_thread_view(thread.pk)
    assert Thread.objects.get(pk=thread.pk).views == 0
    count_thread_view(thread.pk)  # the fourth view of all, on the second worker
    assert Thread.objects.get(pk=thread.pk).views == 4
    assert pending_views(thread.pk) == 0


def test_a_worker_shows_a_busy_threads_count_without_asking_redis_each_time(
    redis_cache, thread, settings, monkeypatch
):
    settings.FUPAN_VIEWS_PUSH_SECONDS = 60
    assert count_thread_view(thread.pk, stored=0) == 1  # asked: the shared count is learnt
    assert count_thread_view(thread.pk, stored=0) == 2  # learnt count + its own view since
    assert count_thread_view(thread.pk, stored=0) == 3
    assert shared(redis_cache, thread) == 1  # the two views since wait in this worker
    as_another_worker(monkeypatch)
    # Another worker sees what was handed on, and its own; the first worker's waiting two
    # show once either hands on again.
    assert count_thread_view(thread.pk, stored=0) == 2
    assert pending_views(thread.pk) == 2  # this worker's view of the thread, with the first's one


def test_after_a_flush_a_worker_asks_again(redis_cache, thread, settings, monkeypatch):
    settings.FUPAN_VIEWS_PUSH_SECONDS = 60
    assert count_thread_view(thread.pk, stored=0) == 1
    first = viewcounts._waiting
    as_another_worker(monkeypatch)
    assert count_thread_view(thread.pk, stored=0) == 2
    assert do_flush_view_counts() == 2  # written by the second worker
    monkeypatch.setattr(viewcounts, "_waiting", first)
    # The first worker's learnt count (1) is from before the write: the stored count it
    # is shown with is new, so it asks Redis rather than showing 2 + 1 + 1.
    assert count_thread_view(thread.pk, stored=2) == 1
    assert do_flush_view_counts() == 1
    assert Thread.objects.get(pk=thread.pk).views == 3
