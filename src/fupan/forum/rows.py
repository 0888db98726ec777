"""A board's thread-list rows, drawn once and kept by what they show.

A list reads each thread as a :class:`Listed`, the columns it shows straight from the database.
``forum/_thread_row.jinja`` reads nothing but a :class:`Row` — those fields as the row shows them,
times already formatted — so a row's HTML follows from its Listed, the render's language, URL
prefix and time zone, and the list's settings, and until when its times read the same (``3 分钟前``
becomes ``4 分钟前``; an item's highlight runs out). It is kept in the process by exactly that, as
floors are (``forum/floors.py``): a new reply, a view count flushed or a title edited is a
different Listed, so nothing is invalidated. A board page of twenty threads then costs a dict
lookup per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from django.utils import timezone
from markupsafe import Markup

from fupan.core.jinja2 import dzdate, shown_time
from fupan.core.page_state import current_language, current_zone
from fupan.core.routes import script_prefix

ROW_MEMORY = 4000  # rows kept per process, about 2 KB each with their key


class Listed(NamedTuple):
    """A thread as a list shows it: the columns a board page reads (``LISTED_COLUMNS``), not the
    thread's whole row. A list reads twenty of them per page, so each is a plain tuple straight
    from the database — no model instance, no converters for columns nobody shows."""

    id: int
    board_id: int
    type_id: int | None
    type_name: str | None
    title: str
    author_id: int | None
    author_name: str
    created_at: datetime
    sticky: int
    digest: int
    highlight: str
    highlight_until: datetime | None
    sticky_until: datetime | None
    closed: bool
    has_images: bool
    replies: int
    views: int
    max_position: int
    last_post_at: datetime
    last_poster_name: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def current_highlight(self) -> str:
        """As ``Thread.current_highlight``: the colour, unless an item's highlight has run out."""
        return _highlight(self, timezone.now())


# ``values_list(*LISTED_COLUMNS)`` reads a Listed's fields in order.
LISTED_COLUMNS = tuple("type__name" if name == "type_name" else name for name in Listed._fields)


def _highlight(thread: Listed, now: datetime) -> str:
    until = thread.highlight_until
    return "" if thread.highlight and until is not None and until <= now else thread.highlight


class Row(NamedTuple):
    language: str
    prefix: str
    sticky: bool
    pk: int
    board_id: int
    closed: bool
    type_id: int | None
    type_name: str  # "" unless the board shows type prefixes
    title: str
    highlight: str
    digest: int
    has_images: bool
    author_id: int | None
    author_name: str
    created: str
    replies: int
    views: int
    last_poster_name: str
    last_page: int
    last_post: str  # the shown time (HTML)


def thread_rows_html(
    threads: Iterable[Listed], board: Any, site: Any, *, sticky: bool = False
) -> Markup:
    """A list's rows, each from its kept drawing (one call per list: what the rows share is
    read once)."""
    shared = (
        current_language(),
        script_prefix(),
        current_zone(),
        sticky,
        site.posts_per_page,
        board.thread_types_prefix,
    )
    now = timezone.now()
    kept = _kept
    drawn = []
    for thread in threads:
        key = (thread, shared)
        found = kept.get(key)
        if found is None or (found[1] is not None and now >= found[1]):
            found = _draw(thread, shared, now)
            if key not in kept and len(kept) >= ROW_MEMORY:
                kept.pop(next(iter(kept), None), None)  # the oldest drawing
            kept[key] = found
        drawn.append(found[0])
    return Markup("".join(drawn))


_kept: dict[tuple[Listed, tuple[Any, ...]], tuple[str, datetime | None]] = {}


def _draw(thread: Listed, shared: tuple[Any, ...], now: datetime) -> tuple[str, datetime | None]:
    """A row's HTML and until when it reads so (None: for good)."""
    from django.template.loader import get_template

    language, prefix, _zone, sticky, per_page, prefixed = shared
    last_post, until = shown_time(thread.last_post_at, now)
    highlight_until = thread.highlight_until
    if thread.highlight and highlight_until is not None and highlight_until > now:
        until = highlight_until if until is None else min(until, highlight_until)
    row = Row(
        language=language,
        prefix=prefix,
        sticky=sticky,
        pk=thread.id,
        board_id=thread.board_id,
        closed=thread.closed,
        type_id=thread.type_id,
        type_name=(thread.type_name or "") if thread.type_id and prefixed else "",
        title=thread.title,
        highlight=_highlight(thread, now),
        digest=thread.digest,
        has_images=thread.has_images,
        author_id=thread.author_id,
        author_name=thread.author_name,
        created=dzdate(thread.created_at),
        replies=thread.replies,
        views=thread.views,
        last_poster_name=thread.last_poster_name,
        last_page=(thread.max_position - 1) // per_page + 1,
        last_post=last_post,
    )
    template = get_template("forum/_thread_row.jinja").template  # type: ignore[attr-defined]
    return template.render(r=row), until


def forget_rows() -> None:
    _kept.clear()
