"""Searching: which posts match, in the order a reader would agree with, that this viewer may read.

Ranking is done here, the same on every backend, in tiers, each newest first:
1. the thread title contains the query (title hits above body hits),
2. the post contains it (exact phrase),
3. for queries of three or more characters, posts containing every character/word, scattered
   (given at most ``SCATTERED_BUDGET_MS``: on a huge site a rare combination of common characters
   would otherwise read most of the index).
Sorting by time keeps only exact matches (tiers 1–2), newest first. Results are capped at
``MAX_RESULTS`` (Discuz caps at ``maxsearchresults``) and the id list is cached for a few minutes so
paging does not search again."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fupan.core.pagination import Pager, page_count
from fupan.search.backends import get_backend
from fupan.search.text import Query, normalize, parse_query

MAX_RESULTS = 500  # Discuz: maxsearchresults, 500 by default
PER_PAGE = 20
CACHE_SECONDS = 300
SNIPPET_CHARS = 160
SINCE_DAYS = (1, 7, 30, 90, 365)
# The scattered-characters tier only adds low-ranked results: past this time it is cut off and
# the exact matches found so far are the answer.
SCATTERED_BUDGET_MS = 100

Scope = Literal["all", "title"]
Sort = Literal["relevance", "time"]


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    scope: Scope = "all"
    board_id: int | None = None
    author_id: int | None = None
    days: int | None = None
    sort: Sort = "relevance"

    @property
    def query(self) -> Query:
        return parse_query(self.q)


def readable_board_ids(perms: Any, board_id: int | None = None) -> list[int]:
    """Boards whose threads this viewer may read (one query; the board table is small); with
    ``board_id``, that board and its sub-boards only."""
    from fupan.forum.models import Board
    from fupan.permissions import can_view_board

    boards = [
        b
        for b in Board.objects.all()
        if not b.is_category
        and can_view_board(perms, b)
        and (perms.is_admin or perms.board_allows(b.pk, "can_read", True))
    ]
    if board_id is None:
        return [b.pk for b in boards]
    return [b.pk for b in boards if b.pk == board_id or b.parent_id == board_id]


def find_author_id(username: str) -> int | None:
    """The id of the member with this name (as members type it: case and width do not matter)."""
    from fupan.accounts.models import User, username_key

    return (
        User.objects.filter(username_key=username_key(username))
        .values_list("id", flat=True)
        .first()
    )


def _cache_key(board_ids: list[int], params: SearchParams, query: Query) -> str:
    from fupan.search.indexing import generation

    raw = repr((board_ids, query.terms, params.scope, params.author_id, params.days, params.sort))
    return f"search:v1:{generation()}:" + hashlib.sha1(raw.encode()).hexdigest()


def find_post_ids(perms: Any, params: SearchParams) -> list[int]:
    """Every matching post id the viewer may read, best first, at most ``MAX_RESULTS``."""
    query = params.query
    if query.is_empty:
        return []
    board_ids = readable_board_ids(perms, params.board_id)
    if not board_ids:
        return []
    key = _cache_key(board_ids, params, query)
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.now() - timedelta(days=params.days) if params.days else None
    backend = get_backend()
    found: list[int] = []
    seen: set[int] = set()

    def take(fields: str, mode: str, budget_ms: int | None = None) -> None:
        room = MAX_RESULTS - len(found)
        if room <= 0:
            return
        for pid in backend.search(
            query,
            fields=fields,  # type: ignore[arg-type]
            mode=mode,  # type: ignore[arg-type]
            board_ids=board_ids,
            author_id=params.author_id,
            since=since,
            limit=room + len(seen),
            budget_ms=budget_ms,
        ):
            if pid not in seen:
                seen.add(pid)
                found.append(pid)
                if len(found) >= MAX_RESULTS:
                    return

    if params.scope == "title":
        take("title", "phrase")
        if params.sort == "relevance" and query.token_count >= 3:
            take("title", "scattered", SCATTERED_BUDGET_MS)
    elif params.sort == "time":
        take("any", "phrase")
    else:
        take("title", "phrase")
        take("body", "phrase")
        if query.token_count >= 3:
            take("any", "scattered", SCATTERED_BUDGET_MS)
    cache.set(key, found, CACHE_SECONDS)
    return found


# Highlighting ----------------------------------------------------------------------------------


def _pattern(query: Query) -> re.Pattern[str] | None:
    words = sorted({w for w in query.words if w}, key=len, reverse=True)
    if not words:
        return None
    parts = []
    for word in words:
        # Between tokens the text may hold spaces or punctuation the index ignored.
        chars = [re.escape(c) for c in word if not c.isspace()]
        parts.append(r"[\s\W_]{0,3}".join(chars) if len(chars) <= 40 else re.escape(word))
    return re.compile("|".join(parts), re.IGNORECASE)


def highlight(text: str, query: Query, *, width: int | None = None) -> SafeString:
    """``text`` escaped, with every occurrence of the query's words in ``<mark>``; with ``width``,
    cut to a window of about that many characters around the first occurrence."""
    pattern = _pattern(query)
    folded = normalize(text)
    if len(folded) != len(text):  # a rare character changed length when folded: match as is
        folded = text
    if width is not None and len(text) > width:
        first = pattern.search(folded) if pattern else None
        start = max(0, (first.start() if first else 0) - width // 4)
        end = min(len(text), start + width)
        prefix, suffix = ("…" if start else ""), ("…" if end < len(text) else "")
        text, folded = text[start:end], folded[start:end]
    else:
        prefix = suffix = ""
    out, last = [], 0
    if pattern:
        for m in pattern.finditer(folded):
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(text[m.start() : m.end()])}</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe(escape(prefix) + "".join(out) + escape(suffix))


# Results page ----------------------------------------------------------------------------------


@dataclass
class Result:
    post: Any
    thread: Any
    title: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    params: SearchParams
    query: Query
    results: list[Result] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    pager: Pager = field(default_factory=lambda: Pager(1, 1))


def fetch_search_page(perms: Any, params: SearchParams, *, page: int) -> SearchPage:
    """One page of results with highlighted titles and snippets (a search on a cold cache, then
    one query for the page's posts and threads)."""
    from fupan.forum.models import Post, Thread
    from fupan.markup import plain_text
    from fupan.permissions import can_read_thread

    query = params.query
    ids = find_post_ids(perms, params)
    pages = page_count(len(ids), PER_PAGE)
    page = min(max(page, 1), pages)
    chunk = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    posts = {
        p.pk: p for p in Post.objects.filter(pk__in=chunk).select_related("thread", "thread__board")
    }
    results = []
    for pid in chunk:
        post = posts.get(pid)
        # The index lags a moment behind: check what it says against the post as it is now.
        if (
            post is None
            or post.state != Post.State.VISIBLE
            or post.hidden
            or post.thread.state != Thread.State.VISIBLE
            or not can_read_thread(perms, post.thread)
        ):
            continue
        results.append(
            Result(
                post=post,
                thread=post.thread,
                title=highlight(post.thread.title, query),
                snippet=highlight(plain_text(post.body or ""), query, width=SNIPPET_CHARS),
            )
        )
    return SearchPage(
        params=params,
        query=query,
        results=results,
        total=len(ids),
        capped=len(ids) >= MAX_RESULTS,
        pager=Pager(page, pages),
    )


def parse_days(raw: str | None) -> int | None:
    """A "within N days" filter from the query string; anything else means any time."""
    try:
        days = int(raw or 0)
    except ValueError:
        return None
    return days if days in SINCE_DAYS else None
