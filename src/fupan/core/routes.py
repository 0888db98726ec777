"""URLs by route name, cheaply: ``url(name, *ids)`` for the links a page prints by the dozen.

Django's ``reverse`` matches the arguments against the route's pattern on every call (about
70 µs); a thread page of twenty posts asks for some seventy URLs. For a route whose arguments are
all non-negative integers the URL is the same text around the numbers, so the first call reverses
once with marker numbers and keeps the text between them; later calls join the pieces. Short
words (``small``, ``big``) are handled the same way with marker words. Calls with keyword
arguments or other text, and routes the markers do not fit, go to ``reverse`` every time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# Values no route holds, one per argument; found in the reversed URL to cut it into pieces.
_MARKER = 8_642_097_531_000
_WORD = re.compile(r"[A-Za-z0-9_-]{1,40}")

_pieces: dict[tuple[Any, ...], tuple[str, ...] | None] = {}
_lock = threading.Lock()
_page_prefix: ContextVar[str | None] = ContextVar("fupan_page_script_prefix", default=None)


@contextmanager
def page_script_prefix() -> Iterator[None]:
    """For one page render: the script prefix read once, not at every ``url`` (it is a
    context-local read each time)."""
    reset = _page_prefix.set(get_script_prefix())
    try:
        yield
    finally:
        _page_prefix.reset(reset)


def script_prefix() -> str:
    """The script prefix URLs are built with (the render's, read once per page)."""
    return _page_prefix.get() or get_script_prefix()


def _marker(i: int, kind: type) -> int | str:
    return _MARKER + i if kind is int else f"fupanmark{i}x"


def _split(name: str, kinds: tuple[type, ...]) -> tuple[str, ...] | None:
    args = [_marker(i, kind) for i, kind in enumerate(kinds)]
    markers = [str(a) for a in args]
    try:
        built = reverse(name, args=args or None)
    except Exception:  # a pattern the markers do not fit: reverse each call
        return None
    pieces: list[str] = []
    rest = built
    for marker in markers:
        if rest.count(marker) != 1:
            return None
        head, rest = rest.split(marker)
        pieces.append(head)
    pieces.append(rest)
    return tuple(pieces)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``reverse(name, args=args, kwargs=kwargs)``, from kept pieces when every argument is an
    integer ≥ 0 (ids, floors, pages) or a short plain word."""
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    for a in args:
        kind = type(a)
        if not ((kind is int and a >= 0) or (kind is str and _WORD.fullmatch(a))):
            return reverse(name, args=args or None)
    kinds = tuple(map(type, args))
    key = (_page_prefix.get() or get_script_prefix(), name, kinds)
    try:
        pieces = _pieces[key]
    except KeyError:
        pieces = _split(name, kinds)
        with _lock:
            _pieces[key] = pieces
    if pieces is None:
        return reverse(name, args=args or None)
    if not args:
        return pieces[0]
    out = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        out.append(arg if type(arg) is str else str(arg))
        out.append(piece)
    return "".join(out)


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **_: Any) -> None:
    if setting == "ROOT_URLCONF":
        with _lock:
            _pieces.clear()
