from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fupan.forum.viewcounts import do_flush_view_counts


class Command(BaseCommand):
    help = "Write the thread view counts buffered in the cache (run from cron if you like)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = do_flush_view_counts()
        self.stdout.write(f"{written} views written.")
