"""A board's thread-list rows, drawn once and kept by what they show.

``forum/_thread_row.jinja`` reads nothing but a :class:`Row` — the thread's fields as the list
shows them, times already formatted — so equal Rows draw the same HTML and a drawn row is kept in
the process by its Row, as floors are (``forum/floors.py``): a new reply, a view count flushed,
a title edited or the time ``3 分钟前`` moving on is a different Row. A board page of twenty
threads spends most of its template time on these rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from markupsafe import Markup

from fupan.core.jinja2 import dzdate, dztime
from fupan.core.page_state import current_language
from fupan.core.routes import script_prefix

ROW_MEMORY = 4000  # rows kept per process, about 1.5 KB each with their key


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
    threads: Iterable[Any], board: Any, site: Any, *, sticky: bool = False
) -> Markup:
    """A list's rows, each drawn from its kept drawing (one call per list, not per row: what
    the rows share is read once)."""
    language, prefix = current_language(), script_prefix()
    per_page = site.posts_per_page
    prefixed = board.thread_types_prefix
    return Markup(
        "".join(
            [
                _drawn(
                    Row(
                        language=language,
                        prefix=prefix,
                        sticky=sticky,
                        pk=thread.pk,
                        board_id=thread.board_id,
                        closed=thread.closed,
                        type_id=thread.type_id,
                        type_name=thread.type.name if thread.type_id and prefixed else "",
                        title=thread.title,
                        highlight=thread.current_highlight,
                        digest=thread.digest,
                        has_images=thread.has_images,
                        author_id=thread.author_id,
                        author_name=thread.author_name,
                        created=dzdate(thread.created_at),
                        replies=thread.replies,
                        views=thread.views,
                        last_poster_name=thread.last_poster_name,
                        last_page=(thread.max_position - 1) // per_page + 1,
                        last_post=dztime(thread.last_post_at),
                    )
                )
                for thread in threads
            ]
        )
    )


@lru_cache(maxsize=ROW_MEMORY)
def _drawn(row: Row) -> str:
    from django.template.loader import get_template

    template = get_template("forum/_thread_row.jinja").template  # type: ignore[attr-defined]
    return template.render(r=row)


def forget_rows() -> None:
    _drawn.cache_clear()
