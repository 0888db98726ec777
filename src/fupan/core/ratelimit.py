"""Fixed-window rate limits kept in the cache (Redis in production, so shared by all workers)."""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while ``limit`` attempts per ``window`` seconds are not exceeded."""
    if limit <= 0:
        return True
    bucket = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit


def claim_interval(scope: str, key: str, *, seconds: int) -> bool:
    """True if no other claim for ``key`` happened in the last ``seconds`` (flood control)."""
    if seconds <= 0:
        return True
    return cache.add(f"iv:{scope}:{key}", 1, timeout=seconds)


def release_interval(scope: str, key: str) -> None:
    cache.delete(f"iv:{scope}:{key}")


def exceeded(scope: str, key: str, *, limit: int, window: int) -> bool:
    """True if ``limit`` attempts were already counted in this window (does not count one)."""
    if limit <= 0:
        return False
    bucket = int(time.time() // window)
    return (cache.get(f"rl:{scope}:{key}:{bucket}") or 0) >= limit
