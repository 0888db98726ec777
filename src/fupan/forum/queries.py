"""Reads for the forum pages, each in a fixed number of queries (budgets asserted in tests).

Prefetch steps load everything a page shows — authors, attachments, hot replies, the viewer's
votes — so that templates never query.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from fupan.accounts.stats import fetch_member_stats
from fupan.attachments.models import Attachment
from fupan.core.pagination import Pager, page_count
from fupan.core.prepared import Prepared
from fupan.core.site import get_site_settings
from fupan.forum.models import Board, Post, PostVote, Thread, ThreadRecommend, ThreadType
from fupan.forum.rows import LISTED_COLUMNS, Listed
from fupan.permissions import UserPerms, can_view_board, filter_threads_queryset
from fupan.permissions.forum import pending_threads_shown, thread_row

# Index ----------------------------------------------------------------------------------------


@dataclass
class IndexPage:
    categories: list[Board]
    total_threads: int
    total_posts: int
    today_posts: int
    yesterday_posts: int
    members: int
    newest_member: Any


def board_today_posts(board: Board, today: date | None = None) -> int:
    return board.today_posts if board.today_date == (today or timezone.localdate()) else 0


_all_boards = Prepared(lambda: Board.objects.all())  # the index's tree (fupan.core.prepared)


def fetch_board_tree(perms: UserPerms) -> list[Board]:
    """Categories with ``.boards`` (and each board with ``.subs``): one query."""
    today = timezone.localdate()
    boards = [b for b in _all_boards() if can_view_board(perms, b)]
    by_parent: dict[int | None, list[Board]] = {}
    for board in boards:
        board.today = board_today_posts(board, today)  # type: ignore[attr-defined]
        by_parent.setdefault(board.parent_id, []).append(board)
    for board in boards:
        board.subs = by_parent.get(board.pk, [])  # type: ignore[attr-defined]
        board.boards = board.subs  # type: ignore[attr-defined]
    return [b for b in by_parent.get(None, []) if b.is_category]


def fetch_index(perms: UserPerms) -> IndexPage:
    """Two queries: the board tree and the member totals — every figure is a counter."""
    categories = fetch_board_tree(perms)
    all_boards = [b for c in categories for b in c.boards for b in [b, *b.subs]]  # type: ignore[attr-defined]
    stats = fetch_member_stats()
    newest = (
        SimpleNamespace(pk=stats.newest_id, username=stats.newest_name) if stats.newest_id else None
    )
    return IndexPage(
        categories=categories,
        total_threads=sum(b.threads for b in all_boards),
        total_posts=sum(b.posts for b in all_boards),
        today_posts=sum(b.today for b in all_boards),  # type: ignore[attr-defined]
        yesterday_posts=0,
        members=stats.members,
        newest_member=newest,
    )


# Board ----------------------------------------------------------------------------------------

# Every order ends with the id, so a row's sort key is unique and a page can start at a key.
BOARD_ORDERS = {
    "lastpost": ("-last_post_at", "-id"),
    "dateline": ("-created_at", "-id"),
    "replies": ("-replies", "-last_post_at", "-id"),
    "views": ("-views", "-last_post_at", "-id"),
}

# Pages that start within this many rows of either end of a list are read with a small OFFSET
# (exact, and cheap on the list's index); deeper pages start at a key from the page map.
SHALLOW_ROWS = 400
# How long a board's page map is used before it is built again (seconds).
PAGE_MAP_TTL = 300
PAGE_MAP_CHUNK = 50  # pages per cache entry (a deep page reads and unpickles one)


def _still_sticky(now: Any) -> Q:
    return Q(sticky_until__isnull=True) | Q(sticky_until__gt=now)


# A board page's reads, their SQL prepared once (fupan.core.prepared).
_sub_boards = Prepared(lambda board_id: Board.objects.filter(parent_id=board_id))
_thread_types = Prepared(lambda board_id: ThreadType.objects.filter(board_id=board_id))
_stickies = Prepared(
    lambda board_id, now: (
        Thread.objects.filter(
            Q(board_id=board_id, sticky__gt=0) | Q(sticky__gt=Thread.Sticky.BOARD),
            state=Thread.State.VISIBLE,
        )
        .filter(_still_sticky(now))
        .order_by("-sticky", "-last_post_at")
        .values_list(*LISTED_COLUMNS, "board__parent_id")
    )
)
_shallow_list = Prepared(
    lambda board_id, now, *, order, start, limit: (
        Thread.objects.filter(board_id=board_id, state=Thread.State.VISIBLE)
        .filter(Q(sticky=0) | Q(sticky_until__lte=now))
        .order_by(*BOARD_ORDERS[order])
        .values_list(*LISTED_COLUMNS)[start : start + limit]
    )
)

# Threads awaiting review on a member's page 1: their own, or all of them for moderators.
_pending_own = Prepared(
    lambda board_id, user_id, *, order, limit: (
        Thread.objects.filter(board_id=board_id, state=Thread.State.PENDING, author_id=user_id)
        .order_by(*BOARD_ORDERS[order])
        .values_list(*LISTED_COLUMNS)[:limit]
    )
)
_pending_all = Prepared(
    lambda board_id, *, order, limit: (
        Thread.objects.filter(board_id=board_id, state=Thread.State.PENDING)
        .order_by(*BOARD_ORDERS[order])
        .values_list(*LISTED_COLUMNS)[:limit]
    )
)

_own_stickies = Prepared(
    lambda board_id, now: (
        Thread.objects.filter(board_id=board_id, state=Thread.State.VISIBLE, sticky__gt=0)
        .filter(_still_sticky(now))
        .values_list("id", flat=True)
    )
)
# A deep page: the rows at and after its first row's sort key (``key``: one value per field of
# the order, from the page map), read along the list's index.
_keyset_list = Prepared(
    lambda board_id, now, *key, order, limit: (
        Thread.objects.filter(board_id=board_id, state=Thread.State.VISIBLE)
        .filter(Q(sticky=0) | Q(sticky_until__lte=now))
        .filter(_at_or_after(BOARD_ORDERS[order], key))
        .order_by(*BOARD_ORDERS[order])
        .values_list(*LISTED_COLUMNS)[:limit]
    )
)


@dataclass
class BoardPage:
    board: Board
    subs: list[Board]
    types: list[ThreadType]
    sticky: list[Listed]
    threads: list[Listed]
    pager: Pager
    type_filter: ThreadType | None
    digest_only: bool
    order: str


def fetch_board_page(
    perms: UserPerms,
    board: Board,
    *,
    page: int,
    type_id: int | None = None,
    digest_only: bool = False,
    order: str = "lastpost",
) -> BoardPage:
    """One page of a board's thread list at a cost that does not grow with the board.

    The list is the board's visible threads in ``order``; the page count comes from the board's
    counter (a COUNT only for a type or digest filter). Pages near either end are read with an
    OFFSET of at most ``SHALLOW_ROWS`` index entries; a deep page (page 5,000 of 10,000) starts at
    the sort key of its first row, taken from the board's page map (``_page_start``), and reads
    ``WHERE key <= start ORDER BY key LIMIT 20`` — never an OFFSET over the rows before it.
    Threads waiting for review that the viewer may see (their own; all for moderators) are shown
    on page 1 with the stickies."""
    settings = get_site_settings()
    per_page = settings.threads_per_page
    subs = [b for b in _sub_boards(board.pk) if can_view_board(perms, b)]
    types = _thread_types(board.pk) if board.thread_types_enabled else []
    type_filter = next((t for t in types if t.pk == type_id), None)
    order = order if order in BOARD_ORDERS else "lastpost"
    ordering = BOARD_ORDERS[order]

    now = timezone.now()
    filtered = type_filter is not None or digest_only

    def listed() -> Any:
        """The list as a queryset: for filtered and deep pages (the first pages are prepared)."""
        base = Thread.objects.filter(board=board, state=Thread.State.VISIBLE)
        if type_filter is not None:
            base = base.filter(type=type_filter)
        if digest_only:
            base = base.filter(digest__gt=0)
        return base

    sticky: list[Listed] = []
    pending: list[Any] = []  # rows of LISTED_COLUMNS
    if page == 1 and not filtered:
        # Two index lookups (this board's stickies; every category/site-wide sticky, a short
        # list), then the category stickies of other categories are dropped here: a condition on
        # the board's category in SQL would make the database scan every thread.
        sticky = [
            t
            for *row, parent_id in _stickies(board.pk, now)
            for t in [Listed._make(row)]
            if t.board_id == board.pk
            or t.sticky == Thread.Sticky.GLOBAL
            or (board.parent_id and parent_id == board.parent_id)
        ]
    shown = pending_threads_shown(perms, board)
    if page == 1 and shown and not filtered:
        # Prepared: a member's every board page 1 asks.
        pending = (
            _pending_all(board.pk, order=order, limit=per_page)
            if shown == "all"
            else _pending_own(board.pk, perms.user_id, order=order, limit=per_page)
        )
    elif page == 1 and perms.is_authenticated:
        pending_qs = filter_threads_queryset(
            perms, Thread.objects.filter(board=board, state=Thread.State.PENDING), board
        )
        if type_filter is not None:
            pending_qs = pending_qs.filter(type=type_filter)
        if not digest_only:
            pending = list(pending_qs.order_by(*ordering).values_list(*LISTED_COLUMNS)[:per_page])
    if filtered:
        total = listed().count()
    else:
        # The board's counter already counts its visible threads: no COUNT(*) over the board.
        total = max(
            0,
            board.threads
            - (
                sum(1 for t in sticky if t.board_id == board.pk)
                if page == 1
                else len(_own_stickies(board.pk, now))
            ),
        )
    pages = page_count(total, per_page)
    page = min(page, pages)
    start = (page - 1) * per_page
    if not filtered and start <= SHALLOW_ROWS:
        # The pages read most (the first few): one prepared query.
        threads = _shallow_list(board.pk, now, order=order, start=start, limit=per_page)
    else:

        def rows() -> Any:
            base = listed()
            # A thread whose item-sticky ran out lists with the others again.
            normal = base.filter(Q(sticky=0) | Q(sticky_until__lte=now)) if not filtered else base
            return normal.values_list(*LISTED_COLUMNS)

        threads = _list_page(
            rows,
            ordering,
            # The page map numbers the list without the sticky condition: that needs each thread's
            # row, while the rest is answered from the list's index alone. Pages may then start a
            # few rows (the board's stickies) off, as with any drift between builds.
            map_qs=listed,
            start=(page - 1) * per_page,
            per_page=per_page,
            total=total,
            map_key=f"board-map:{board.pk}:{order}:{type_filter.pk if type_filter else 0}:{int(digest_only)}",
            keyset=None
            if filtered
            else lambda key: _keyset_list(board.pk, now, *key, order=order, limit=per_page),
        )
    threads = [Listed._make(row) for row in threads]
    if pending:
        threads = sorted(
            [*map(Listed._make, pending), *threads], key=lambda t: _sort_key(t, ordering)
        )[: per_page + len(pending)]
    return BoardPage(
        board=board,
        subs=subs,
        types=types,
        sticky=sticky,
        threads=threads,
        pager=Pager(page, pages),
        type_filter=type_filter,
        digest_only=digest_only,
        order=order,
    )


def _sort_key(row: Any, ordering: tuple[str, ...]) -> tuple[Any, ...]:
    """A key that sorts rows as ``ordering`` does (every field descending)."""
    return tuple(_Desc(getattr(row, name.lstrip("-"))) for name in ordering)


class _Desc:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return bool(self.value > other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value


def _at_or_after(ordering: tuple[str, ...], key: tuple[Any, ...]) -> Q:
    """Rows at ``key`` or after it in ``ordering`` (every field descending, the last unique).

    The leading ``first <= value`` bound lets the database start its index scan at the key."""
    names = [name.lstrip("-") for name in ordering]
    cond = Q(**{f"{names[-1]}__lte": key[-1], **dict(zip(names[:-1], key[:-1], strict=True))})
    for depth in range(len(names) - 2, -1, -1):
        cond |= Q(
            **{
                f"{names[depth]}__lt": key[depth],
                **dict(zip(names[:depth], key[:depth], strict=True)),
            }
        )
    return Q(**{f"{names[0]}__lte": key[0]}) & cond


def _list_page(
    qs: Callable[[], Any],
    ordering: tuple[str, ...],
    *,
    start: int,
    per_page: int,
    total: int,
    map_key: str,
    map_qs: Callable[[], Any],
    keyset: Callable[[tuple[Any, ...]], list[Any]] | None = None,
) -> list[Any]:
    """Rows ``start … start + per_page`` of the queryset ``qs()`` in ``ordering`` without an
    OFFSET over the rows before them (see ``fetch_board_page``). ``keyset(key)``, if given, reads
    a deep page from its first row's key as ``qs()`` would (a prepared query). The querysets are
    made only when asked for: a deep page usually needs neither."""
    if start <= SHALLOW_ROWS:
        return list(qs().order_by(*ordering)[start : start + per_page])
    from_end = total - start - per_page  # rows after this page
    if from_end <= SHALLOW_ROWS:
        reverse = tuple(name.lstrip("-") for name in ordering)
        rows = list(qs().order_by(*reverse)[max(0, from_end) : total - start])
        return rows[::-1]
    key = _page_start(map_qs, ordering, start // per_page, per_page, map_key)
    if key is None:  # the list shrank since the map was built: count back from the end
        reverse = tuple(name.lstrip("-") for name in ordering)
        return list(qs().order_by(*reverse)[max(0, from_end) : total - start])[::-1]
    if keyset is not None:
        return keyset(key)
    return list(qs().filter(_at_or_after(ordering, key)).order_by(*ordering)[:per_page])


def _page_start(
    qs: Callable[[], Any], ordering: tuple[str, ...], index: int, per_page: int, map_key: str
) -> tuple[Any, ...] | None:
    """The sort key of the first row of page ``index + 1``, from the list's page map.

    The map holds every page's first key. It is built by one scan of the list's index (a window
    function numbering the rows, keeping every ``per_page``-th) and kept in the cache for
    ``PAGE_MAP_TTL`` seconds, in chunks of ``PAGE_MAP_CHUNK`` pages, so a deep page costs one
    cache read and one short index range. Between builds a page starts at the same thread even
    as newer replies push threads to the top, so a reader paging deep sees a steady list; page
    numbers drift by the threads bumped or started since (at most five minutes' worth)."""
    chunk, offset = divmod(index, PAGE_MAP_CHUNK)
    key = f"{map_key}:{per_page}:{chunk}"
    stored = cache.get(key)
    now = time.time()
    if stored is None or stored[0] < now - PAGE_MAP_TTL:
        names = [name.lstrip("-") for name in ordering]
        numbered = (
            qs()
            .order_by()
            .annotate(row_number=Window(RowNumber(), order_by=[F(name).desc() for name in names]))
            .annotate(page_row=F("row_number") % per_page)
            .filter(page_row=1 % per_page)
            .values_list(*names)
        )
        starts = [tuple(row) for row in numbered]
        chunks = {
            f"{map_key}:{per_page}:{n}": (
                now,
                starts[n * PAGE_MAP_CHUNK : (n + 1) * PAGE_MAP_CHUNK],
            )
            for n in range(len(starts) // PAGE_MAP_CHUNK + 1)
        }
        cache.set_many(chunks, timeout=PAGE_MAP_TTL * 10)
        stored = chunks.get(key, (now, []))
    starts_in_chunk = stored[1]
    return starts_in_chunk[offset] if offset < len(starts_in_chunk) else None


# Thread ---------------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    thread: Thread
    posts: list[Post]  # in display order; hot replies follow the first post on page 1
    pager: Pager
    author_id: int | None
    reverse: bool
    hot_ids: set[int] = field(default_factory=set)
    my_votes: dict[int, int] = field(default_factory=dict)


def floor_label(position: int, labels: Sequence[str]) -> str:
    return labels[position - 1] if 0 < position <= len(labels) else f"{position}#"


def floor_page(thread: Thread, position: int, per_page: int) -> int:
    """The page a floor is on in the default (oldest first) order."""
    return max(1, (position - 1) // per_page + 1)


# A page's posts with the little of their authors a floor shows (``forum/presenters.py``):
# the member row is some forty columns, most of them never read there.
_AUTHOR_SHOWN = ("author__avatar_version", "author__signature")


def _with_authors(qs: Any) -> Any:
    return qs.select_related("author").only(
        *(f.name for f in Post._meta.concrete_fields), *_AUTHOR_SHOWN
    )


def _with_my_votes(qs: Any, user_id: int) -> Any:
    """Each post with the member's own vote on it (``my_vote``: 1, -1 or None), read in the same
    query as the posts — one index lookup per floor on (post, user) instead of a round trip."""
    return qs.annotate(
        my_vote=Subquery(
            PostVote.objects.filter(post_id=OuterRef("pk"), user_id=user_id).values("value")[:1]
        )
    )


def _post_qs(thread: Thread) -> Any:
    return _with_authors(Post.objects.filter(thread=thread))


# The reads of every thread page, their SQL prepared once (fupan.core.prepared).
def _build_floor_range(
    thread_id: int, low: int, high: int, voter: int | None = None, *, limit: int
) -> Any:
    qs = _with_authors(Post.objects.filter(thread_id=thread_id, position__range=(low, high)))
    if voter is not None:
        qs = _with_my_votes(qs, voter)
    return qs.order_by("position")[:limit]


def _build_hot_replies(
    thread_id: int, min_votes: int, voter: int | None = None, *, limit: int
) -> Any:
    qs = (
        _with_authors(Post.objects)
        .filter(
            Q(support__gt=0) | Q(oppose__gt=0),
            thread_id=thread_id,
            state=Post.State.VISIBLE,
            is_first=False,
        )
        .annotate(vote_total=F("support") + F("oppose"))
        .filter(vote_total__gte=min_votes)
    )
    if voter is not None:
        qs = _with_my_votes(qs, voter)
    # The expression as in post_hot_idx, so the index gives the order.
    return qs.order_by((F("support") + F("oppose")).desc(), "position")[:limit]


# A guest's page, and a member's: the same posts, each with the member's own vote (a member's
# page with votes on; the builder's ``voter`` is then a parameter like the others).
_floor_range = Prepared(_build_floor_range)
_hot_replies = Prepared(_build_hot_replies)
_floor_range_voted = Prepared(_build_floor_range)
_hot_replies_voted = Prepared(_build_hot_replies)
_attachments_of = Prepared(
    lambda post_ids: Attachment.objects.filter(post_id__in=post_ids).order_by("id")
)
_floor = Prepared(
    lambda thread_id, position: Post.objects.filter(thread_id=thread_id, position=position).only(
        "id", "position", "thread_id"
    )[:1]
)


def _build_marked_thread(pk: int, user_id: int) -> Any:
    from fupan.inbox.models import Favorite, ThreadFollow  # inbox builds on forum

    return thread_row(pk).annotate(
        kept=Exists(Favorite.objects.filter(user_id=user_id, thread_id=OuterRef("pk"))),
        followed=Exists(ThreadFollow.objects.filter(user_id=user_id, thread_id=OuterRef("pk"))),
        my_recommend=Subquery(
            ThreadRecommend.objects.filter(thread_id=OuterRef("pk"), user_id=user_id).values(
                "value"
            )[:1]
        ),
    )[:1]


_marked_thread = Prepared(_build_marked_thread)


def marked_thread_loader(user_id: int) -> Callable[[int], list[Thread]]:
    """How a member's thread page reads the thread (for ``access_thread_by_id``): the row and,
    in the same query, the member's marks on it — ``kept`` (favourites), ``followed``, and
    ``my_recommend`` (their 顶 1 / 踩 -1; 0 when imported from Discuz, which kept no direction;
    None when they have not voted)."""
    return lambda pk: _marked_thread(pk, user_id)


def _is_hot(post: Post, min_votes: int) -> bool:
    """``_build_hot_replies``'s condition, for a post already read."""
    return (
        (post.support > 0 or post.oppose > 0)
        and post.state == Post.State.VISIBLE
        and not post.is_first
        and post.support + post.oppose >= min_votes
    )


def _of_thread(posts: list[Post], thread: Thread) -> list[Post]:
    """``post.thread`` is the thread already loaded (as ``filter(thread=thread)`` gives)."""
    field = Post._meta.get_field("thread")
    for post in posts:
        field.set_cached_value(post, thread)
    return posts


def fetch_thread_page(
    perms: UserPerms,
    thread: Thread,
    *,
    page: int,
    author_id: int | None = None,
    reverse: bool = False,
) -> ThreadPage:
    """One page of floors. Pages are position ranges (floor numbers never change), so a deep page
    is one index range scan, not an OFFSET; a deleted floor shows as a gap marker."""
    settings = get_site_settings()
    per_page = settings.posts_per_page
    # A member's own votes come with the posts (``my_vote``), not in a query of their own.
    voter = perms.user_id if perms.is_authenticated and settings.votes_enabled else None

    def shown(qs: Any) -> Any:
        return _with_my_votes(_with_authors(qs), voter) if voter else _with_authors(qs)

    if author_id is not None:
        # One author's floors are not a position range: one scan of the (thread, author, state,
        # position) index numbers them and keeps each page's first floor (and so the page count),
        # then the page is a range from that floor — no OFFSET over the author's earlier floors.
        qs = Post.objects.filter(thread=thread, author_id=author_id, state=Post.State.VISIBLE)
        direction = F("position").desc() if reverse else F("position").asc()
        starts = list(
            qs.annotate(row_number=Window(RowNumber(), order_by=[direction]))
            .annotate(page_row=F("row_number") % per_page)
            .filter(page_row=1 % per_page)
            .values_list("position", flat=True)
        )
        pages = max(1, len(starts))
        page = min(page, pages)
        if not starts:
            posts = []
        elif reverse:
            posts = list(
                shown(qs).filter(position__lte=starts[page - 1]).order_by("-position")[:per_page]
            )
        else:
            posts = list(
                shown(qs).filter(position__gte=starts[page - 1]).order_by("position")[:per_page]
            )
    else:
        top = thread.max_position
        pages = page_count(top, per_page)
        page = min(page, pages)
        if not reverse:
            low, high = (page - 1) * per_page + 1, page * per_page
            # The LIMIT (never more than a page) makes PostgreSQL walk (thread, position): its
            # estimate for floors 1-10 of a 100,000-floor thread is tens of thousands of rows,
            # and without it it read the whole thread by the thread index (78 ms) and sorted.
            if voter:
                found = _floor_range_voted(thread.pk, low, high, voter, limit=high - low + 1)
            else:
                found = _floor_range(thread.pk, low, high, limit=high - low + 1)
            posts = _of_thread(found, thread)
        else:
            # Newest first, the first post still opens page 1 (Discuz's 倒序浏览).
            high = top - (page - 1) * per_page + (0 if page == 1 else 1)
            low = max(2, top - page * per_page + 2)
            cond = Q(position__range=(low, high))
            if page == 1:
                cond |= Q(position=1)
            posts = sorted(
                shown(Post.objects.filter(thread=thread))
                .filter(cond)
                .order_by("-position")[: high - low + 2],
                key=lambda p: (not p.is_first, -p.position),
            )

    hot_ids: set[int] = set()
    if page == 1 and author_id is None and settings.hot_replies and settings.votes_enabled:
        min_votes, limit = settings.hot_reply_min_votes, settings.hot_replies
        if not reverse and thread.max_position <= per_page:
            # The whole thread is on this page (most threads): its hot replies are among the
            # posts just read, chosen as _build_hot_replies chooses them, without a query.
            hot = sorted(
                (p for p in posts if _is_hot(p, min_votes)),
                key=lambda p: (-(p.support + p.oppose), p.position),
            )[:limit]
        elif voter:
            hot = _of_thread(_hot_replies_voted(thread.pk, min_votes, voter, limit=limit), thread)
        else:
            hot = _of_thread(_hot_replies(thread.pk, min_votes, limit=limit), thread)
        if hot:
            hot_ids = {p.pk for p in hot}
            rest = [p for p in posts if p.pk not in hot_ids]
            first = [p for p in rest if p.is_first]
            others = [p for p in rest if not p.is_first]
            posts = first + hot + others

    prefetch_attachments(posts, buyer_id=perms.user_id)
    my_votes = (
        {p.pk: p.my_vote for p in posts if p.my_vote and not p.is_first}  # type: ignore[attr-defined]
        if voter
        else {}
    )
    return ThreadPage(
        thread=thread,
        posts=posts,
        pager=Pager(page, pages),
        author_id=author_id,
        reverse=reverse,
        hot_ids=hot_ids,
        my_votes=my_votes,
    )


def prefetch_attachments(posts: list[Post], *, buyer_id: int | None = None) -> None:
    """Set ``post.attachment_list`` on each post with one query (none when no post has files);
    with ``buyer_id``, priced attachments get ``bought`` (one more query, only when the page has
    a priced attachment)."""
    ids = [p.pk for p in posts if p.has_attachments]
    by_post: dict[int, list[Attachment]] = {}
    if ids:
        priced: dict[int, Attachment] = {}
        for attachment in _attachments_of(ids):
            by_post.setdefault(attachment.post_id, []).append(attachment)  # type: ignore[arg-type]
            if attachment.price:
                priced[attachment.pk] = attachment
        if priced and buyer_id:
            from fupan.attachments.models import AttachmentPurchase

            for aid in AttachmentPurchase.objects.filter(
                user_id=buyer_id, attachment_id__in=list(priced)
            ).values_list("attachment_id", flat=True):
                priced[aid].bought = True  # type: ignore[attr-defined]
    for post in posts:
        post.attachment_list = by_post.get(post.pk, [])  # type: ignore[attr-defined]


def fetch_first_post(thread: Thread) -> Post | None:
    post = _post_qs(thread).filter(position=1).first()
    if post is not None:
        prefetch_attachments([post])
    return post


def find_floor(thread: Thread, position: int) -> Post | None:
    found = _floor(thread.pk, position) if 0 < position < 2**63 else []
    return _of_thread(found, thread)[0] if found else None


def fetch_review_queue(perms: UserPerms, *, page: int, per_page: int) -> tuple[int, list[Post]]:
    """Posts waiting for review in the boards the viewer moderates (all boards for super
    moderators), oldest first: two queries."""
    qs = Post.objects.filter(state=Post.State.PENDING)
    if not perms.is_super_moderator:
        qs = qs.filter(thread__board_id__in=perms.moderated_board_ids)
    total = qs.count()
    start = (max(page, 1) - 1) * per_page
    posts = list(
        qs.select_related("thread", "thread__board", "author").order_by("created_at", "id")[
            start : start + per_page
        ]
    )
    return total, posts
