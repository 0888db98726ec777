"""Discuz-style page links: ``1 2 3 4 5 … 20 下一页``."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil


def page_count(total: int, per_page: int) -> int:
    return max(1, ceil(total / per_page)) if per_page > 0 else 1


def parse_page(raw: str | None, *, last: int | None = None) -> int:
    """A page number from the query string; junk means page 1, too big means the last page."""
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        page = 1
    page = max(page, 1)
    if last is not None:
        page = min(page, last)
    return page


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def numbers(self, around: int = 4) -> list[int | None]:
        """Page numbers to show, ``None`` for a gap."""
        if self.pages <= 1:
            return []
        wanted = {
            1,
            self.pages,
            *range(max(1, self.page - around), min(self.pages, self.page + around) + 1),
        }
        out: list[int | None] = []
        previous = 0
        for number in sorted(wanted):
            if number - previous > 1:
                out.append(None)
            out.append(number)
            previous = number
        return out
