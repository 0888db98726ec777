"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("FUPAN_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; Django's database calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        pytest.skip(
            "browser tests need Debian's chromium: apt-get install -y chromium fonts-noto-cjk"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


ARTIFACTS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "test-results"
)


@pytest.fixture
def artifact_path():
    """Where a test saves a screenshot for people to look at (CI keeps ./test-results/)."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    return lambda name: os.path.join(ARTIFACTS, name)


@pytest.fixture
def page_factory(browser, live_server):
    contexts = []

    def make(*, width: int = 1280, javascript: bool = True, mobile: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            base_url=live_server.url,
            user_agent=(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
                if mobile
                else None
            ),
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page = context.new_page()
        page.csp_errors = []
        page.console_errors = []

        def on_console(msg):
            if "Content Security Policy" in msg.text:
                page.csp_errors.append(msg.text)
            elif msg.type == "error":
                page.console_errors.append(msg.text)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()
