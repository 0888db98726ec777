"""Per-request measurements and request flags.

``RequestStatsMiddleware`` gives each request a stopwatch and a query counter, read by the footer
("Processed in 0.012345 second(s), 5 queries") and sent as a ``Server-Timing`` header.
``ClientMiddleware`` records whether the request comes from a phone browser (来自手机).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from fupan.core.page_state import page_language_and_zone

MOBILE_UA = re.compile(
    r"Mobile|Android|iPhone|iPod|iPad|Windows Phone|HarmonyOS|MicroMessenger|MQQBrowser|UCBrowser",
    re.IGNORECASE,
)


class RequestStats:
    __slots__ = ("queries", "started")

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.queries = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


class RequestStatsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stats = RequestStats()
        request.stats = stats  # type: ignore[attr-defined]
        wrappers = [connections[alias].execute_wrapper(stats) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["Server-Timing"] = (
            f'app;dur={stats.elapsed * 1000:.1f}, db;desc="{stats.queries} queries"'
        )
        return response


NO_IMAGES_COOKIE = "fupan_noimg"
LAYOUT_COOKIE = "fupan_layout"
CLIENT_WEB = 0
CLIENT_MOBILE_WEB = 1


class ClientMiddleware:
    """Sets ``request.client`` (a ``Post.Client`` value) and ``request.is_mobile``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ua = request.headers.get("User-Agent", "")
        request.is_mobile = bool(MOBILE_UA.search(ua))  # type: ignore[attr-defined]
        request.client = CLIENT_MOBILE_WEB if request.is_mobile else CLIENT_WEB  # type: ignore[attr-defined]
        # Reader preferences from the footer switches (cookies, so they work for guests too).
        request.no_images = request.COOKIES.get(NO_IMAGES_COOKIE) == "1"  # type: ignore[attr-defined]
        request.touch_layout = request.COOKIES.get(LAYOUT_COOKIE) == "touch"  # type: ignore[attr-defined]
        return self.get_response(request)


class LanguageMiddleware:
    """The site's language (Simplified Chinese) for everyone, unless the visitor chose another
    with the footer switch (a cookie). Unlike Django's LocaleMiddleware the browser's
    Accept-Language is ignored: a Chinese community site is Chinese, whatever the browser says,
    and a page does not vary by a header that caches cannot see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        # Read once for the request: the view's shown times and the presenters, not only the
        # templates, ask for the language and zone many times a page.
        with page_language_and_zone():
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
