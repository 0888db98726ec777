"""Which cached guest pages a forum change makes stale (see ``fupan.core.pagecache``).

Generations: ``gen:thread:<tid>`` (every page of a thread, its reading mode and floor jumps),
``gen:board:<fid>`` (every page of a board's list), ``gen:index`` (the forum index). A new reply
makes its thread's pages, its board's list (and the parent boards', which show sub-board counts)
and the index stale; a vote only its thread's pages. A thread stuck across a category shows on
its sibling boards' lists too, so their lists are made stale with it; one stuck site-wide shows
on every list, so it makes the whole site stale (rare).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fupan.core.pagecache import SITE, bump, generation_key

INDEX = "gen:index"


def thread_generations(thread_id: int, **_: Any) -> list[str]:
    return [generation_key("thread", thread_id)]


def board_generations(board_id: int, **_: Any) -> list[str]:
    return [generation_key("board", board_id)]


def index_generations(**_: Any) -> list[str]:
    return [INDEX]


def board_parents() -> dict[int, int | None]:
    """Every board's parent, cached until anything site-wide changes (board edits bump the site
    generation). One query on a cold cache."""
    from fupan.core.versioned import versioned
    from fupan.forum.models import Board

    return versioned("board-parents", lambda: dict(Board.objects.values_list("id", "parent_id")))


# A board's settings: what its thread pages read of it. Its counters and last post (changed by
# every post, with UPDATE … F()) are not among them.
BOARD_SETTINGS = (
    "id",
    "parent_id",
    "kind",
    "name",
    "description",
    "rules",
    "display_order",
    "is_visible",
    "jammer",
    "review_posts",
    "allow_smilies",
    "allow_bbcode",
    "allow_images",
    "thread_types_enabled",
    "thread_types_required",
    "thread_types_listable",
    "thread_types_prefix",
)


def _board_settings() -> dict[int, tuple[Any, ...]]:
    from fupan.forum.models import Board

    return {row[0]: row for row in Board.objects.values_list(*BOARD_SETTINGS)}


def board_with_parent(board_id: int) -> Any:
    """The board (with its parent) as a thread page reads it: its settings, kept in each process
    until anything site-wide changes (a board's save bumps the site generation), so a thread's
    row is read without joining its board and the board's parent. A new instance each call;
    its counters are deferred fields (read from the database if asked for). None for a board
    not known (yet) to this process."""
    from fupan.forum.models import Board

    rows = versioned_board_settings()
    row = rows.get(board_id)
    if row is None:
        return None
    board = Board.from_db("default", BOARD_SETTINGS, row)
    parent_id = row[1]
    if parent_id is not None:
        parent = rows.get(parent_id)
        if parent is None:
            return None
        board.parent = Board.from_db("default", BOARD_SETTINGS, parent)
    return board


def versioned_board_settings() -> dict[int, tuple[Any, ...]]:
    from fupan.core.versioned import versioned

    return versioned("board-settings", _board_settings)


_TYPE_FIELDS = ("id", "board_id", "name", "display_order", "moderators_only")


def thread_type(type_id: int) -> Any:
    """A thread type (分类), from the types kept in each process under the site generation (a
    saved type bumps it); a new instance each call. None for a type not known (yet) here."""
    from fupan.core.versioned import versioned
    from fupan.forum.models import ThreadType

    rows = versioned(
        "thread-types",
        lambda: {row[0]: row for row in ThreadType.objects.values_list(*_TYPE_FIELDS)},
    )
    row = rows.get(type_id)
    return None if row is None else ThreadType.from_db("default", _TYPE_FIELDS, row)


def _listing_keys(board_ids: Iterable[int], sticky_levels: Iterable[int] = ()) -> list[str]:
    """The lists that show threads of ``board_ids``: the boards, their ancestors (sub-board
    counts), the index, and for category/site-wide sticky threads the boards they are shown on."""
    from fupan.forum.models import Thread

    parents = board_parents()
    ids: set[int] = set()
    levels = set(sticky_levels)
    for board_id in board_ids:
        node: int | None = board_id
        while node is not None and node not in ids:
            ids.add(node)
            node = parents.get(node)
        if Thread.Sticky.CATEGORY in levels:
            parent = parents.get(board_id)
            ids.update(b for b, p in parents.items() if p is not None and p == parent)
    keys = [generation_key("board", b) for b in sorted(ids)] + [INDEX]
    if Thread.Sticky.GLOBAL in levels:
        keys.append(SITE)  # shown on every board's list (rare: a site-wide sticky changed)
    return keys


def purge_thread_pages(
    threads: Iterable[Any], *, listing: bool = True, sticky_levels: Iterable[int] = ()
) -> None:
    """The guest pages of ``threads`` changed; with ``listing`` also the lists showing them (their
    title, counts, last post, marks or position in the list). ``threads`` are Thread objects or
    (thread id, board id, sticky level) triples."""
    keys: list[str] = []
    boards: list[int] = []
    levels = set(sticky_levels)
    for thread in threads:
        if isinstance(thread, tuple):
            thread_id, board_id, sticky = thread
        else:
            thread_id, board_id, sticky = thread.pk, thread.board_id, thread.sticky
        keys.append(generation_key("thread", thread_id))
        boards.append(board_id)
        levels.add(sticky)
    if listing:
        keys += _listing_keys(boards, levels)
    bump(keys)


def purge_board_pages(board_ids: Iterable[int]) -> None:
    """A board's list changed without any one thread's pages changing (e.g. views flushed)."""
    bump(_listing_keys(board_ids))


def purge_index() -> None:
    """The index changed (members, newest member)."""
    bump([INDEX])
