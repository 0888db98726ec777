"""Double-submission guard: each editor carries a one-time token; a second POST of the same
token (double click, resubmitted form) is sent to what the first one created."""

from __future__ import annotations

import secrets

from django.core.cache import cache

WINDOW = 60 * 30


def new_token() -> str:
    return secrets.token_urlsafe(16)


def _key(user_id: int, token: str) -> str:
    return f"submit:{user_id}:{token}"


def claim(user_id: int, token: str | None) -> str | None:
    """None if this submission is new (and now claimed); otherwise the URL of what the earlier
    submission created ("" while it is still being processed)."""
    if not token:
        return None
    if cache.add(_key(user_id, token), "", WINDOW):
        return None
    return cache.get(_key(user_id, token), "")


def complete(user_id: int, token: str | None, url: str) -> None:
    if token:
        cache.set(_key(user_id, token), url, WINDOW)


def release(user_id: int, token: str | None) -> None:
    if token:
        cache.delete(_key(user_id, token))
