from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupan.accounts.bans import ip_is_banned
from fupan.core.http import client_ip

# Still reachable from a banned address: static files and what explains the ban.
OPEN_PATHS = ("/static/", "/about/", "/favicon.ico", "/lang/")


class IPBanMiddleware:
    """禁止 IP: requests from a banned address or network get a clear 403 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(OPEN_PATHS) and ip_is_banned(client_ip(request)):
            return render(
                request,
                "core/message.jinja",
                {
                    "title": _("Your IP address is banned"),
                    "message": _(
                        "This site's administrators have banned your IP address (%(ip)s). If you think "
                        "this is a mistake, contact them through the about page."
                    )
                    % {"ip": client_ip(request)},
                },
                status=403,
            )
        return self.get_response(request)


VISIT_DAY_SESSION_KEY = "fupan_visit_day"


class DailyVisitMiddleware:
    """A member's first request of the day records the visit (and pays 每天登录), once across
    all their sessions (a cache key per member and day). The session remembers the day it saw,
    so later requests that day cost nothing: no cache round trip."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith("/static/"):
            from django.utils import timezone

            day = timezone.localdate()
            session = getattr(request, "session", None)
            if session is None or session.get(VISIT_DAY_SESSION_KEY) != day.isoformat():
                from django.core.cache import cache

                if cache.add(f"visited:{user.pk}:{day}", 1, timeout=86400):
                    from fupan.accounts.actions import do_record_visit

                    do_record_visit(user, ip=client_ip(request))
                if session is not None:
                    session[VISIT_DAY_SESSION_KEY] = day.isoformat()
        return self.get_response(request)
