"""The Redis cache keeps one client per server and stays correct when threads share it."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis server) for the Redis cache"
)


def test_one_client_serves_every_operation_and_every_thread() -> None:
    from fupan.core.redis_cache import RedisCache

    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}"})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client

    cache.set("n", 0)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(200):
                cache.incr("n")
                assert cache.get("n") >= 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.get("n") == 1600
    assert cache.get_many(["n", "missing"]) == {"n": 1600}
    cache.delete("n")
