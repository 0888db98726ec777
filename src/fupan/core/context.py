from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupan.core.site import get_site_settings


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site": get_site_settings(),
        "perms": getattr(request, "perms", None),
        "is_htmx": bool(getattr(request, "htmx", False)),
    }
