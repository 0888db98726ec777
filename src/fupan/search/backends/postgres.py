"""PostgreSQL: ``tsvector`` columns in the ``simple`` configuration (no stemming, no stop words)
with GIN indexes — ``title`` and ``body`` of single tokens (every CJK character one lexeme),
``body2`` of CJK character pairs and ``body3`` of character triples. Needs no extension and works
in any database locale (pg_trgm needs a UTF-8 locale and 3+ characters).

A GIN index answers an AND of lexemes exactly, but a *phrase* (``<->``) only approximately: to
check positions PostgreSQL reads each candidate row's tsvector, which at a million posts costs
more than the lookup itself. So a Chinese word is looked up as one lexeme wherever it can be —
one character in ``body``, two in ``body2``, three in ``body3`` — and a longer one as the AND of
its triples, whose few false candidates (the triples apart) are then checked with the exact
phrase on one page of ids at a time. The tsvectors are kept out of line (``toast_tuple_target``),
so the rows a lookup visits are small."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import OperationalError, connection, transaction

from fupan.search.backends.base import Doc, Fields, Mode, SearchBackend
from fupan.search.text import Query, is_cjk, ngrams

TABLE = "search_entry"
_CHUNK = 500
# Vectors and queries are written as literals from our own tokens, not parsed by PostgreSQL's text
# search parser: both sides see exactly the same lexemes, and it is several times faster.
_TSQ = "%s::tsquery"
_MAX_POSITIONS = 256  # PostgreSQL keeps at most this many positions per lexeme
_MAX_POSITION = 16383
_MAX_LEXEME = 500  # longer "words" (2,046 bytes is PostgreSQL's limit) are not searched for
# A word of this many CJK characters is one lexeme of this column.
_GRAM_COLUMN = {1: "body", 2: "body2", 3: "body3"}
_GIN_COLUMNS = ("title", "body", "body2", "body3")


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def tsvector_literal(lexemes: Sequence[str]) -> str:
    """A ``tsvector`` of these lexemes at positions 1, 2, 3 …"""
    positions: dict[str, list[int]] = {}
    for pos, lex in enumerate(lexemes, 1):
        seen = positions.get(lex)
        if seen is None:
            positions[lex] = [pos]
        elif len(seen) < _MAX_POSITIONS:
            seen.append(pos)
    return " ".join(
        f"{_lexeme(lex)}:{','.join(str(min(p, _MAX_POSITION)) for p in pos)}"
        for lex, pos in positions.items()
        if len(lex) <= _MAX_LEXEME
    )


def lexemes_literal(lexemes: Sequence[str]) -> str:
    """A ``tsvector`` of these lexemes without positions (an AND of lexemes needs none)."""
    return " ".join(_lexeme(lex) for lex in set(lexemes) if len(lex) <= _MAX_LEXEME)


def _phrase(term: Sequence[str]) -> str:
    lexemes = [_lexeme(t) for t in term]
    if not is_cjk(term[-1]) and len(term[-1]) >= 2:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


@dataclass
class Lookup:
    """What a body search asks of each column: ``find`` (tsquery parts, ANDed; exact in the GIN
    index or a short phrase over single tokens) and ``check`` (exact phrases the found ids must
    also match: words of four or more characters)."""

    find: dict[str, list[str]] = field(default_factory=dict)
    check: dict[str, list[str]] = field(default_factory=dict)
    # (column, lexeme, term) of every plain lexeme in ``find``, for estimating how common a match
    # is; None when ``find`` also holds phrases or prefixes (then it is not estimated).
    lexemes: list[tuple[str, str, int]] | None = field(default_factory=list)

    def add(self, part: dict[str, list[str]], column: str, text: str) -> None:
        if text not in part.setdefault(column, []):
            part[column].append(text)

    def add_lexeme(self, column: str, lexeme: str, term: int) -> None:
        self.add(self.find, column, _lexeme(lexeme))
        if self.lexemes is not None:
            self.lexemes.append((column, lexeme, term))

    def add_other(self, column: str, text: str) -> None:
        self.add(self.find, column, text)
        self.lexemes = None


def title_lookup(query: Query, *, mode: Mode) -> Lookup:
    """Titles are single tokens with positions: words as phrases (checked by PostgreSQL, titles
    are short), one-token words as lexemes."""
    lookup = Lookup()
    if mode != "phrase":
        for i, tok in enumerate(sorted({tok for term in query.terms for tok in term})):
            lookup.add_lexeme("title", tok, i)
        return lookup
    for i, term in enumerate(query.terms):
        if len(term) == 1 and (is_cjk(term[0]) or len(term[0]) < 2):
            lookup.add_lexeme("title", term[0], i)
        else:
            lookup.add_other("title", _phrase(term))
    return lookup


def _runs(term: Sequence[str]) -> list[list[str]]:
    """The term cut into runs of CJK characters and single other tokens."""
    runs: list[list[str]] = []
    for tok in term:
        if is_cjk(tok) and runs and is_cjk(runs[-1][-1]):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return runs


def body_lookup(query: Query, *, mode: Mode) -> Lookup:
    """Every term as lexemes the GIN indexes answer exactly: a run of one, two or three CJK
    characters is one lexeme of ``body``, ``body2`` or ``body3``, a longer run the AND of its
    triples, a latin word a lexeme of ``body`` (the last one as a prefix). A term that is not
    exactly one such lexeme is then checked as a phrase of single tokens (``body``)."""
    lookup = Lookup()
    if mode != "phrase":
        for i, tok in enumerate(sorted({tok for term in query.terms for tok in term})):
            lookup.add_lexeme("body", tok, i)
        return lookup
    for i, term in enumerate(query.terms):
        runs = _runs(term)
        for run in runs:
            if not is_cjk(run[0]):
                if run is runs[-1] and len(run[0]) >= 2:
                    lookup.add_other("body", _lexeme(run[0]) + ":*")
                else:
                    lookup.add_lexeme("body", run[0], i)
            elif len(run) in _GRAM_COLUMN:
                lookup.add_lexeme(_GRAM_COLUMN[len(run)], "".join(run), i)
            else:
                for j in range(len(run) - 2):
                    lookup.add_lexeme("body3", "".join(run[j : j + 3]), i)
        if len(runs) > 1 or len(term) > 3:
            lookup.add(lookup.check, "body", _phrase(term))
    return lookup


# How common each column's most common lexemes are (PostgreSQL's statistics, read once an hour).
_FREQUENCIES: dict[str, tuple[float, dict[str, dict[str, float]]]] = {}
_FREQUENCIES_TTL = 3600.0
# A match at least this common is found fastest by walking the newest posts and testing each
# (a few thousand rows for a page of results); a less common one the statistics know by a bitmap
# of its GIN matches among the newest posts only (a window where about ``WINDOW_SLACK`` times
# the results wanted are expected); a rare one by a bitmap of all its matches.
WALK_ABOVE = 0.1
WINDOW_SLACK = 3


def lexeme_frequencies(cursor) -> dict[str, dict[str, float]]:
    """Per column, lexeme → share of rows; under ``""``, ``{"max_id": …}`` — the highest post id
    when the statistics were taken (newer posts only widen a window counted back from it)."""
    key = str(connection.settings_dict.get("NAME"))
    now = time.monotonic()
    cached = _FREQUENCIES.get(key)
    if cached is not None and now - cached[0] < _FREQUENCIES_TTL:
        return cached[1]
    cursor.execute(
        "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs,"
        " histogram_bounds::text::text[] FROM pg_stats"
        " WHERE schemaname = current_schema() AND tablename = %s",
        [TABLE],
    )
    found: dict[str, dict[str, float]] = {}
    for name, elems, freqs, bounds in cursor.fetchall():
        found[name] = dict(zip(elems or [], freqs or [], strict=False))
        if name == "post_id" and bounds:
            found[""] = {"max_id": float(bounds[-1])}
    _FREQUENCIES[key] = (now, found)
    return found


def estimated_share(lookup: Lookup, frequencies: dict[str, dict[str, float]]) -> float:
    """The share of indexed posts a lookup matches, as far as the statistics tell: a lexeme
    outside a column's most common ones counts as common as the least common of them (at most).
    The parts of one word come together (the rarest bounds it); words are taken as independent.
    0 when there is nothing to go by."""
    if not lookup.lexemes:
        return 0.0
    per_term: dict[int, float] = {}
    for column, lexeme, term in lookup.lexemes:
        known = frequencies.get(column)
        if not known:
            return 0.0
        share = known.get(lexeme, min(known.values()))
        per_term[term] = min(per_term.get(term, 1.0), share)
    return math.prod(per_term.values())


def _conditions(parts: dict[str, list[str]]) -> tuple[list[str], list[object]]:
    conds, params = [], []
    for column, texts in sorted(parts.items()):
        conds.append(f"{column} @@ {_TSQ}")
        params.append(" & ".join(texts))
    return conds, params


class PostgresBackend(SearchBackend):
    def upsert(self, docs: Sequence[Doc]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(docs), _CHUNK):
                chunk = docs[start : start + _CHUNK]
                rows = []
                for d in chunk:
                    singles = d.body.split()
                    pairs, triples = ngrams(singles)
                    rows.append(
                        (
                            d.post_id,
                            d.thread_id,
                            d.board_id,
                            d.author_id,
                            d.created,
                            tsvector_literal(d.title.split()),
                            tsvector_literal(singles),
                            lexemes_literal(pairs),
                            lexemes_literal(triples),
                        )
                    )
                cursor.executemany(
                    f"INSERT INTO {TABLE} (post_id, thread_id, board_id, author_id, created, title,"
                    " body, body2, body3) VALUES (%s, %s, %s, %s, %s, %s::tsvector, %s::tsvector,"
                    " %s::tsvector, %s::tsvector)"
                    " ON CONFLICT (post_id) DO UPDATE SET thread_id = EXCLUDED.thread_id,"
                    " board_id = EXCLUDED.board_id, author_id = EXCLUDED.author_id,"
                    " created = EXCLUDED.created, title = EXCLUDED.title, body = EXCLUDED.body,"
                    " body2 = EXCLUDED.body2, body3 = EXCLUDED.body3",
                    rows,
                )

    def begin_rebuild(self) -> None:
        # Filling GIN indexes row by row is several times slower than building them at the end.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")
            for column in _GIN_COLUMNS:
                cursor.execute(f"DROP INDEX IF EXISTS {TABLE}_{column}_gin")

    def end_rebuild(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for column in _GIN_COLUMNS:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {TABLE}_{column}_gin ON {TABLE} USING gin ({column})"
                )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction whose commit does not wait for the disk (``synchronous_commit`` off
        for it alone): the index is derived from the posts, and after a crash of the machine
        itself at most the last fraction of a second of index updates would be missing — which
        ``rebuild_search_index`` restores. A reply then pays one disk flush, not two."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            yield

    def delete(self, post_ids: Sequence[int]) -> None:
        if post_ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE post_id = ANY(%s)", [list(post_ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def search(
        self,
        query: Query,
        *,
        fields: Fields,
        mode: Mode,
        board_ids: Sequence[int],
        author_id: int | None = None,
        since: datetime | None = None,
        limit: int,
        budget_ms: int | None = None,
    ) -> list[int]:
        if query.is_empty or not board_ids or limit <= 0:
            return []
        if fields == "any":
            # Two lookups merged (each can stop at ``limit``; an OR of them could not), sharing
            # one time budget.
            started = time.monotonic()
            found = set(
                self.search(
                    query,
                    fields="title",
                    mode=mode,
                    board_ids=board_ids,
                    author_id=author_id,
                    since=since,
                    limit=limit,
                    budget_ms=budget_ms,
                )
            )
            left_ms = None
            if budget_ms is not None:
                left_ms = budget_ms - int((time.monotonic() - started) * 1000)
                if left_ms <= 0:
                    return sorted(found, reverse=True)[:limit]
            found.update(
                self.search(
                    query,
                    fields="body",
                    mode=mode,
                    board_ids=board_ids,
                    author_id=author_id,
                    since=since,
                    limit=limit,
                    budget_ms=left_ms,
                )
            )
            return sorted(found, reverse=True)[:limit]
        deadline = None if budget_ms is None else time.monotonic() + budget_ms / 1000
        if fields == "title":
            lookup = title_lookup(query, mode=mode)
        else:
            lookup = body_lookup(query, mode=mode)
        where, params = _conditions(lookup.find)
        where.append("board_id = ANY(%s)")
        params.append(list(board_ids))
        if author_id is not None:
            where.append("author_id = %s")
            params.append(author_id)
        if since is not None:
            where.append("created >= %s")
            params.append(since)
        if deadline is None:
            with connection.cursor() as cursor:
                return self._search(cursor, where, params, lookup, limit, None)
        try:
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
            ):  # a timeout ends at the savepoint
                return self._search(cursor, where, params, lookup, limit, deadline)
        except OperationalError as exc:
            if "statement timeout" in str(exc):
                return []
            raise

    def _search(self, cursor, where, params, lookup: Lookup, limit, deadline) -> list[int]:
        stats = lexeme_frequencies(cursor)
        share = estimated_share(lookup, stats)
        max_id = stats.get("", {}).get("max_id")
        if share >= WALK_ABOVE and not lookup.check:
            plan: tuple[str, int, int] = ("walk", 0, 0)
        elif share and max_id is not None:
            width = int(WINDOW_SLACK * limit / share) + 1
            plan = ("window", int(max_id) - width, width)
        else:
            plan = ("bitmap", 0, 0)
        if lookup.check:
            check = {column: " & ".join(texts) for column, texts in lookup.check.items()}
            return self._ids(cursor, where, params, limit, deadline, plan=plan, check=check)
        return self._ids(cursor, where, params, limit, deadline, plan=plan)

    @staticmethod
    def _run(
        cursor, sql: str, params: list[object], deadline: float | None, *, walk: bool = False
    ) -> list[int]:
        """``sql``'s ids, planned our way: the planner does not count reading a row's tsvector
        (out of line) as costly. ``walk``: the primary key newest first, testing each row (a very
        common match: a page of results within a few thousand rows); otherwise a bitmap of the
        GIN matches, which reads no tsvector at all. The settings hold for this statement only
        (sent with it in one round trip: one implicit transaction, or undone after it inside an
        open one)."""
        plan = "enable_bitmapscan" if walk else "enable_indexscan"
        before = [f"SET LOCAL {plan} = off", "SET LOCAL enable_seqscan = off"]
        after = [f"SET LOCAL {plan} TO DEFAULT", "SET LOCAL enable_seqscan TO DEFAULT"]
        if deadline is not None:
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            before.append(f"SET LOCAL statement_timeout = {left_ms}")
            after.append("SET LOCAL statement_timeout TO DEFAULT")
        cursor.execute("; ".join([*before, sql, *after]), params)
        raw = cursor.cursor
        while raw.description is None and raw.nextset():
            pass
        return [row[0] for row in raw.fetchall()]

    def _ids(
        self,
        cursor,
        where,
        params,
        limit,
        deadline,
        *,
        before=None,
        plan=("bitmap", 0, 0),
        check=None,
    ):
        """Up to ``limit`` ids newest first (older than ``before``). With a ``window`` plan the
        newest posts from its low id are looked at first, the older ones only if they fall short."""
        where, params = list(where), list(params)
        if before is not None:
            where.append("post_id < %s")
            params.append(before)
        kind, low, width = plan
        if kind == "window" and (before is None or before > low):
            # The newest posts first, each older window eight times as wide, until enough.
            found: list[int] = []
            upper = None
            while True:
                conds, args = list(where), list(params)
                if low > 0:
                    conds.append("post_id >= %s")
                    args.append(low)
                if upper is not None:
                    conds.append("post_id < %s")
                    args.append(upper)
                found += self._ids(cursor, conds, args, limit - len(found), deadline, check=check)
                if len(found) >= limit or low <= 0:
                    return found
                width *= 8
                upper, low = low, low - width
        sql = f"SELECT post_id FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY post_id DESC"
        if check:
            # The exact phrases, tested newest first on the candidates (sorted, not yet read)
            # until enough pass: each test reads a tsvector. A function call, so the planner
            # does not answer it from the index of single characters.
            columns = sorted(check)
            sql = (
                f"SELECT post_id FROM (SELECT post_id, {', '.join(columns)} FROM {TABLE}"
                f" WHERE {' AND '.join(where)} ORDER BY post_id DESC OFFSET 0) c WHERE "
                + " AND ".join(f"ts_match_vq({column}, {_TSQ})" for column in columns)
            )
            params = [*params, *(check[column] for column in columns)]
        return self._run(cursor, sql + " LIMIT %s", [*params, limit], deadline, walk=kind == "walk")

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
            return int(cursor.fetchone()[0] or 0)
