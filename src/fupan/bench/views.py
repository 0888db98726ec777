"""The bare view ``fupan bench http`` compares pages with: served only when ``FUPAN_BENCH=1``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bare_view(request: HttpRequest) -> HttpResponse:
    """A fixed two-byte response through the same middleware and server as every page."""
    return HttpResponse(b"ok", content_type="text/plain")
