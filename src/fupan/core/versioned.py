"""Site-wide data every request needs — the site settings, user groups, each group's board
permissions, the board tree — kept in each process and checked against one version key, the site
generation token ``gen:site`` (``fupan.core.pagecache``).

Each request reads that token once (``GuestPageCacheMiddleware``; with Redis one round trip, and
a guest's cached page reads it in the same ``get_many`` as the page); everything memoised under
the same token is then used as it is, without a cache read or unpickling per call. Any change to
such data bumps the token (``bump_site``: now and after commit), so every process reloads it, once,
at its next request — there is no per-process copy that can stay stale. Outside a request
(management commands, tasks, tests) the token is read on every call.

Values handed out are shared by the threads of a process: treat them as read-only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")

_memo: dict[str, tuple[str, Any]] = {}
_lock = threading.Lock()
_request_token: ContextVar[str | None] = ContextVar("fupan_site_token", default=None)


def site_token() -> str:
    token = _request_token.get()
    if token is None:
        from fupan.core.pagecache import SITE, current_tokens

        (token,) = current_tokens([SITE], cache.get_many([SITE]))
    return token


@contextmanager
def request_token(token: str) -> Iterator[None]:
    """For the length of one request, the site token read at its start."""
    reset = _request_token.set(token)
    try:
        yield
    finally:
        _request_token.reset(reset)


def site_changed(token: str) -> None:
    """The site token was just bumped by this request: it sees its own change at once."""
    if _request_token.get() is not None:
        _request_token.set(token)


def versioned(name: str, load: Callable[[], T]) -> T:
    """``load()``'s value, memoised in this process until the site token changes."""
    token = site_token()
    found = _memo.get(name)
    if found is not None and found[0] == token:
        return found[1]  # type: ignore[no-any-return]
    value = load()
    with _lock:
        _memo[name] = (token, value)
    return value


def forget(name: str) -> None:
    """Load ``name`` again at its next use in this process (e.g. a group created since)."""
    with _lock:
        _memo.pop(name, None)
