"""Django's Redis cache, with one Redis client per server kept for the process.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache
operation; the connection comes from the pool, but the object's construction (its table of
response callbacks, some 170 entries) costs about as much as the round trip to Redis itself.
Every request reads the site token from the cache, a member's request its session too, so this
is paid on every page. A ``redis.Redis`` object is safe to share between threads (each command
takes a connection from the pool), so one per server is kept and reused.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._lock = threading.Lock()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            with self._lock:
                client = self._clients.get(index)
                if client is None:
                    client = self._client(connection_pool=self._get_connection_pool(write))
                    self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClients
