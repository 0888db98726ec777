from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def send() -> Callable[..., Any]:
    """``send(client, to, body)``: post the compose form as a member would."""

    def post(client: Any, to: str, body: str, **extra: Any) -> Any:
        return client.post("/pm/new/", {"to": to, "body": body}, **extra)

    return post


@pytest.fixture
def reply() -> Callable[..., Any]:
    def post(client: Any, conversation_id: int, body: str, **extra: Any) -> Any:
        return client.post(f"/pm/{conversation_id}/", {"body": body}, **extra)

    return post


def header_badge(html: str) -> str | None:
    """The number on the header's Messages link, or None without a badge."""
    import re

    match = re.search(
        r'class="um-pm[^"]*">[^<]*(?:<span class="um-badge"[^>]*>(\d+)</span>)?', html
    )
    assert match, "no Messages link in the header"
    return match.group(1)
