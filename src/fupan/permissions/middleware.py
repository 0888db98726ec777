from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from fupan.permissions.core import resolve_perms


def _unwrapped(user: Any) -> Any:
    """The member (or AnonymousUser) behind Django's lazy ``request.user``."""
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


class PermissionsMiddleware:
    """Sets ``request.perms``, and ``request.user`` to the member itself rather than Django's
    lazy stand-in (a page reads both some hundred times: each read through the stand-in is a
    proxy call). Static files and guests' cached pages are answered before this runs; every
    request that gets here has already loaded its user (``DailyVisitMiddleware``), and resolving
    the permissions costs no query for guests and ordinary members."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _unwrapped(request.user)
        request.user = user
        request.perms = resolve_perms(user)  # type: ignore[attr-defined]
        return self.get_response(request)
