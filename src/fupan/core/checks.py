"""System checks: bad configuration stops start-up with a message that says how to fix it."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_deployment_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    messages: list[Any] = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        folder = os.path.dirname(str(settings.DATABASES["default"]["NAME"]))
        if folder and os.path.exists(folder) and not os.access(folder, os.W_OK):
            messages.append(
                Error(
                    f"The database folder {folder} is not writable.",
                    hint="Make it writable, or set FUPAN_VAR_DIR to a writable folder.",
                    id="fupan.E001",
                )
            )
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        messages.append(
            Error(
                "ALLOWED_HOSTS is empty, so every request would be refused.",
                hint="Set ALLOWED_HOSTS=bbs.example.com (comma-separated) in the environment.",
                id="fupan.E002",
            )
        )
    if settings.DEBUG and not os.environ.get("FUPAN_TESTING"):
        messages.append(
            Warning(
                "FUPAN_DEBUG is on: error pages show internals.",
                hint="Unset FUPAN_DEBUG (or set it to 0) on a public site.",
                id="fupan.W001",
            )
        )
    return messages
