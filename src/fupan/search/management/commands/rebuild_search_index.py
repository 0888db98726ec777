"""``fupan manage rebuild_search_index``: index every searchable post again, with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from fupan.search.backends import get_backend
from fupan.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the posts (after an import, or if it went out of step)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk", type=int, default=2000, help="posts per batch")

    def handle(self, *args: Any, chunk: int, **options: Any) -> None:
        started = time.monotonic()
        out = self.stdout
        tty = sys.stdout.isatty()
        last_shown = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done < total and now - last_shown[0] < 0.5:
                return
            last_shown[0] = now
            width = 30
            filled = int(width * done / total) if total else width
            rate = done / max(now - started, 1e-6)
            line = (
                f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} posts  {rate:,.0f}/s"
            )
            if tty:
                out.write("\r" + line, ending="")
                out.flush()
            else:
                out.write(line)

        indexed = rebuild(progress, chunk=max(100, chunk))
        if tty:
            out.write("")
        elapsed = time.monotonic() - started
        size = get_backend().size_bytes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {indexed:,} posts in {elapsed:.1f} s"
                + (f"; the index takes {size / 1048576:,.1f} MB." if size else ".")
            )
        )
