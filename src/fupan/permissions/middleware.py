from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from fupan.permissions.core import resolve_perms


class PermissionsMiddleware:
    """Sets ``request.perms``, resolved on first use (a static file never pays for it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.perms = SimpleLazyObject(lambda: resolve_perms(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
