"""Small request helpers shared by views."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def parse_int(raw: str | None) -> int | None:
    try:
        value = int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None
    if value is not None and not (0 < value < 2**31):
        return None
    return value


def client_ip(request: HttpRequest) -> str | None:
    # Behind a reverse proxy, set FUPAN_TRUSTED_PROXY handling in the proxy's config (documented);
    # REMOTE_ADDR is what we trust here.
    return request.META.get("REMOTE_ADDR") or None


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
