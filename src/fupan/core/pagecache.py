"""Guest pages from the cache, invalidated by generation tokens.

A guest (no session cookie) asking for a page whose view is marked ``@guest_cache(...)`` gets the
copy made for the last guest, as long as every *generation* the page depends on is unchanged:
``gen:site`` (settings, groups, permissions, boards, words — anything site-wide), plus the page's
own, e.g. ``gen:thread:42`` for a thread's pages or ``gen:board:7`` for a board's. The ``do_*``
actions bump the generations of what they change (``bump`` now and again after commit, so a page
rendered while the transaction was open is discarded too); nothing is ever deleted. A generation
is a random token, never a counter: a token evicted from the cache comes back as a new one, so an
old copy can never match again.

The lookup is one ``get_many`` (the page and its generations), before sessions, authentication or
CSRF run: no query. The stored copy is the final response, already compressed for the encoding the
browser accepts, so a hit costs a cache read and a write of bytes.

What a cached copy says of itself: the footer's "Processed in … second(s), N queries" are the
figures of the render that made it (followed by "Page cache On", as Discuz appends "Redis On"),
and its time line is when it was made; the real cost of every response is in its
``Server-Timing`` header. Copies live at most ``FUPAN_GUEST_CACHE_SECONDS`` (300 s), which also
bounds how old a relative time such as "3 分钟前" can get.

Guest copies never hold a CSRF token: a render that asked for one (a form) is not stored, and
guest pages offer login links instead of forms. They carry no ``Vary: Cookie`` and set no cookie,
so a CDN can keep them; a guest with a reader preference cookie (language, no-image mode, touch
layout) gets their own copy, marked ``private``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from fupan.core.versioned import request_token

SITE = "gen:site"
PREFERENCE_COOKIES = ("fupan_noimg", "fupan_layout")
_SKIPPED_HEADERS = {"set-cookie", "server-timing", "vary", "cache-control", "etag"}


def generation_key(scope: str, ident: int | str) -> str:
    return f"gen:{scope}:{ident}"


def _new_token() -> str:
    return secrets.token_hex(6)


def bump(keys: Iterable[str]) -> None:
    """New tokens for ``keys`` now and again after the current transaction commits."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return

    def apply() -> None:
        tokens = {key: _new_token() for key in keys}
        cache.set_many(tokens, timeout=None)
        if SITE in tokens:
            from fupan.core.versioned import site_changed

            site_changed(tokens[SITE])

    apply()
    transaction.on_commit(apply)


def bump_site() -> None:
    """Everything a guest sees may have changed (settings, groups, boards, words …)."""
    bump([SITE])


def current_tokens(keys: list[str], found: dict[str, Any]) -> tuple[str, ...]:
    """The tokens of ``keys`` (from ``found``, a ``get_many`` result); missing ones are created."""
    missing = [k for k in keys if k not in found]
    for key in missing:
        cache.add(key, _new_token(), timeout=None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return tuple(str(found.get(k, "")) for k in keys)


@dataclass(frozen=True)
class GuestCache:
    """How a view's guest pages are cached: the generations they depend on (from the URL's
    arguments), the query parameters that make a different page, and what a hit must still do."""

    generations: Callable[..., list[str]]
    params: tuple[str, ...] = ()
    on_hit: Callable[..., None] | None = None


def guest_cache(
    generations: Callable[..., list[str]] | None = None,
    *,
    params: tuple[str, ...] = (),
    on_hit: Callable[..., None] | None = None,
) -> Callable[[Any], Any]:
    """Mark a view's guest GETs as cacheable; ``generations(**url_kwargs)`` names the
    generations its page depends on besides ``gen:site``."""

    def mark(view: Any) -> Any:
        view.guest_cache = GuestCache(generations or (lambda **kw: []), params, on_hit)
        return view

    return mark


def expire_at(request: HttpRequest, moments: Iterable[Any]) -> None:
    """The page shows something that changes by itself at these times (an item's highlight or
    stick running out): a cached copy must not outlive the earliest one still to come."""
    from django.utils import timezone

    now = timezone.now()
    future = [m for m in moments if m is not None and m > now]
    if not future:
        return
    earliest = min(future)
    current = getattr(request, "page_cache_expires", None)
    if current is None or earliest < current:
        request.page_cache_expires = earliest  # type: ignore[attr-defined]


def _lifetime(request: HttpRequest) -> int:
    """Seconds a copy may be kept: FUPAN_GUEST_CACHE_SECONDS, never past local midnight (today's
    counts start again) nor past what the page said runs out (``expire_at``)."""
    from datetime import datetime, timedelta
    from datetime import time as day_time

    from django.utils import timezone

    now = timezone.localtime()
    midnight = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=1), day_time.min), now.tzinfo
    )
    limits = [getattr(settings, "FUPAN_GUEST_CACHE_SECONDS", 300), (midnight - now).total_seconds()]
    expires = getattr(request, "page_cache_expires", None)
    if expires is not None:
        limits.append((expires - now).total_seconds())
    return int(min(limits))


@dataclass
class Entry:
    tokens: tuple[str, ...]
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    etag: str
    made: float


def enabled() -> bool:
    return bool(getattr(settings, "FUPAN_GUEST_CACHE", True))


def _guest_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_HX_REQUEST" not in request.META


def _variant(request: HttpRequest, spec: GuestCache) -> tuple[str, bool] | None:
    """The page's cache key and whether the copy is private (a reader preference), or None when
    the request has parameters the page does not know (never cached: junk must not fill it)."""
    from fupan.core.compression import negotiated_encoding

    if any(name not in spec.params for name in request.GET):
        return None
    cookies = request.COOKIES
    prefs = [cookies.get(settings.LANGUAGE_COOKIE_NAME, "")]
    prefs += [cookies.get(name, "") for name in PREFERENCE_COOKIES]
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    raw = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            query,
            negotiated_encoding(request),
            *prefs,
        ]
    )
    return "gp:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest(), any(prefs)


def _cache_control(response: HttpResponseBase, private: bool) -> None:
    if private:
        response["Cache-Control"] = "private, max-age=0"
    else:
        # Shared caches may keep it; everyone asks again (an If-None-Match costs no render).
        response["Cache-Control"] = "public, max-age=0, must-revalidate"


def _from_entry(request: HttpRequest, entry: Entry, private: bool, started: float) -> HttpResponse:
    if request.META.get("HTTP_IF_NONE_MATCH") == entry.etag and entry.status == 200:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(entry.content, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
    response["ETag"] = entry.etag
    patch_vary_headers(response, ("Accept-Encoding",))
    _cache_control(response, private)
    response["Age"] = str(max(0, int(time.time() - entry.made)))
    elapsed = (time.perf_counter() - started) * 1000
    response["Server-Timing"] = f'app;dur={elapsed:.2f}, db;desc="0 queries", cache;desc="hit"'
    return response


def _banned(request: HttpRequest, token: str) -> bool:
    """The guest's address is banned: the page is not served from the cache, the normal stack
    answers (with its 403 page). The bans are kept in the process under the site token."""
    from fupan.accounts.bans import ip_is_banned
    from fupan.core.http import client_ip

    with request_token(token):
        return ip_is_banned(client_ip(request))


class GuestPageCacheMiddleware:
    """Outermost middleware: answers guests from the cache, stores what guests were given."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith((settings.STATIC_URL or "/static/", settings.MEDIA_URL)):
            return self.get_response(request)
        cacheable = self._cacheable(request)
        if cacheable is None:
            return self._uncached(request)
        spec, kwargs, key, private = cacheable
        started = time.perf_counter()
        generations = [SITE, *spec.generations(**kwargs)]
        found = cache.get_many([key, *generations])
        tokens = current_tokens(generations, found)
        entry: Entry | None = found.get(key)
        if entry is not None and entry.tokens == tokens and not _banned(request, tokens[0]):
            if spec.on_hit is not None:
                spec.on_hit(request, **kwargs)
            return _from_entry(request, entry, private, started)

        # The footer says so; a view that must not be cached sets it back to False.
        request.page_cache = True  # type: ignore[attr-defined]
        with request_token(tokens[0]):
            response = self.get_response(request)
        lifetime = _lifetime(request)
        if lifetime > 0 and self._storable(request, response):
            etag = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _SKIPPED_HEADERS
            ]
            cache.set(
                key,
                Entry(tokens, response.status_code, headers, response.content, etag, time.time()),
                timeout=lifetime,
            )
            response["ETag"] = etag
            self._strip_vary_cookie(response)
            _cache_control(response, private)
        return response

    def _cacheable(
        self, request: HttpRequest
    ) -> tuple[GuestCache, dict[str, Any], str, bool] | None:
        """The view's caching, URL arguments, cache key and privacy, for a guest's GET of a page
        marked ``@guest_cache``; None for anything else."""
        if not enabled() or not _guest_request(request):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        spec: GuestCache | None = getattr(match.func, "guest_cache", None)
        if spec is None:
            return None
        try:
            variant = _variant(request, spec)
        except Exception:  # DisallowedHost and the like: the normal stack answers
            return None
        if variant is None:
            return None
        return spec, match.kwargs, *variant

    def _uncached(self, request: HttpRequest) -> HttpResponseBase:
        (token,) = current_tokens([SITE], cache.get_many([SITE]))
        with request_token(token):
            response = self.get_response(request)
        # The Django admin writes rows directly: any change there may show anywhere.
        admin_write = request.method == "POST" and request.path.startswith("/admin/")
        if admin_write and response.status_code < 400:
            bump_site()
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
        if response.status_code not in (200, 301, 302) or response.streaming:
            return False
        # A view may decline (e.g. a jammer board's noise is drawn anew for every view).
        if response.cookies or not getattr(request, "page_cache", False):
            return False
        # A page that holds a CSRF token (a form) belongs to one browser only.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _strip_vary_cookie(response: HttpResponseBase) -> None:
        """Guests' pages do not depend on the session: a guest page is the same for all."""
        if not response.has_header("Vary"):
            return
        kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]
