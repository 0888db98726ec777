"""Work done in a second process while the main one writes: rendering post bodies (Discuz code →
HTML) is the costliest part of importing a post. Pure functions on pure data: no Django here, so
a spawned worker starts fast and holds no database connection."""

from __future__ import annotations

import resource

from fupan.markup import MarkupOptions, render_bbcode


def render_many(items: list[tuple[str, MarkupOptions]]) -> list[str]:
    return [render_bbcode(body, options) for body, options in items]


def peak_memory_kib() -> int:
    """This worker's peak resident memory (ru_maxrss, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
