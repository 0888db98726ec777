"""Members banned from visiting (禁止访问) see one clear page instead of a site full of 404s,
with the way to appeal. They can still log in and out and reach their appeals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fupan.permissions.moderation import is_banned_from_visiting

# The pages a member banned from visiting may still open (static files are served before us).
ALLOWED_VIEWS = frozenset(
    {
        "moderation:appeals",
        "moderation:appeal",
        "accounts:login",
        "accounts:logout",
        "core:language",
        "core:captcha",
    }
)


class VisitBanMiddleware:
    """After ``PermissionsMiddleware``: answers 403 with the ban page for every other view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        # Guests without a session cost nothing here; members are loaded once for the request.
        if not request.user.is_authenticated:
            return None
        if not is_banned_from_visiting(request.perms):  # type: ignore[attr-defined]
            return None
        return render(request, "moderation/visit_banned.jinja", {}, status=403)
