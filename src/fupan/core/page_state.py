"""The language and time zone of the request (and of each page render), read once.

Django keeps both in context-locals (asgiref), several lookups per read; a thread page asks for
them a hundred times — every ``_()``, shown time, remembered floor or file size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone, translation

_page_language: ContextVar[str | None] = ContextVar("fupan_page_language", default=None)
_page_zone: ContextVar[Any] = ContextVar("fupan_page_zone", default=None)


@contextmanager
def page_language_and_zone() -> Iterator[None]:
    """For one request (``LanguageMiddleware``) and again for each page render: the active
    language and time zone read once, not at every ``_()`` or shown time (Django keeps each in
    a context-local, several lookups per read)."""
    reset = _page_language.set(translation.get_language() or "")
    reset_zone = _page_zone.set(timezone.get_current_timezone())
    try:
        yield
    finally:
        _page_zone.reset(reset_zone)
        _page_language.reset(reset)


def current_zone() -> Any:
    """``timezone.get_current_timezone()``, read once per request or render."""
    zone = _page_zone.get()
    return timezone.get_current_timezone() if zone is None else zone


def current_language() -> str:
    """``translation.get_language()``, read once per request or render."""
    language = _page_language.get()
    return translation.get_language() or "" if language is None else language
