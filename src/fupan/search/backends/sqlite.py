"""SQLite FTS5 (the embedded default). Every token is one unicode61 token, so a Chinese word is an
FTS5 phrase of characters and one- and two-character queries work (the trigram tokenizer cannot
look those up). Titles (first posts only) and post texts are separate tables, so a title lookup
reads only the titles' index, and post texts are also stored as CJK character pairs (bigrams):
a Chinese word of two or more characters is looked up among the pairs, whose doclists are far
shorter than those of single characters. The tables are created by migrations (creating an FTS5 table inside a
transaction breaks later savepoints)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.db import OperationalError, connection

from fupan.search.backends.base import Doc, Fields, Mode, SearchBackend
from fupan.search.text import Query, bigram_text, is_cjk

TITLES = "search_title"
BODIES = "search_body"
PAIRS = "search_body2"
_CHUNK = 500


def _phrase(term: Sequence[str]) -> str:
    # Tokens hold only letters, digits and CJK characters: nothing to escape inside the quotes.
    text = '"' + " ".join(term) + '"'
    return text + "*" if not is_cjk(term[-1]) and len(term[-1]) >= 2 else text


def _paired(term: Sequence[str]) -> bool:
    return len(term) >= 2 and all(is_cjk(tok) for tok in term)


def match_expression(query: Query, *, mode: Mode) -> str:
    """The FTS5 query over single tokens (titles, and post texts for what pairs cannot find)."""
    if mode == "phrase":
        return " AND ".join(_phrase(term) for term in query.terms)
    return " AND ".join(sorted({f'"{tok}"' for term in query.terms for tok in term}))


def pairs_expression(terms: Sequence[Sequence[str]]) -> str:
    """The FTS5 query over character pairs: 涪江大桥 → "涪江 江大 大桥"."""
    return " AND ".join('"' + " ".join(a + b for a, b in pairwise(term)) + '"' for term in terms)


def _within(budget_ms: int, run: Callable[[], list[int]]) -> list[int]:
    """``run()``, interrupted (answering nothing) once it has taken ``budget_ms``."""
    import sqlite3

    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + budget_ms / 1000

    def check() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw.set_progress_handler(check, 1000)
    try:
        return run()
    except OperationalError as exc:
        if isinstance(exc.__cause__, sqlite3.OperationalError) and "interrupt" in str(exc):
            return []
        raise
    finally:
        raw.set_progress_handler(None, 0)


class SqliteBackend(SearchBackend):
    def upsert(self, docs: Sequence[Doc]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(docs), _CHUNK):
                chunk = docs[start : start + _CHUNK]
                self._delete(cursor, [d.post_id for d in chunk])
                meta = {
                    d.post_id: (d.board_id, d.author_id, int(d.created.timestamp())) for d in chunk
                }
                titled = [(d.post_id, d.title, *meta[d.post_id]) for d in chunk if d.title]
                if titled:
                    cursor.executemany(
                        f"INSERT INTO {TITLES} (rowid, title, board_id, author_id, created)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        titled,
                    )
                cursor.executemany(
                    f"INSERT INTO {BODIES} (rowid, body, board_id, author_id, created)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [(d.post_id, d.body, *meta[d.post_id]) for d in chunk],
                )
                cursor.executemany(
                    f"INSERT INTO {PAIRS} (rowid, body2, board_id, author_id, created)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [(d.post_id, bigram_text(d.body), *meta[d.post_id]) for d in chunk],
                )

    def _delete(self, cursor: Any, post_ids: Sequence[int]) -> None:
        if post_ids:
            marks = ",".join(["%s"] * len(post_ids))
            for table in (TITLES, BODIES, PAIRS):
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", list(post_ids))

    def delete(self, post_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(post_ids), _CHUNK):
                self._delete(cursor, post_ids[start : start + _CHUNK])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            for table in (TITLES, BODIES, PAIRS):
                cursor.execute(f"DELETE FROM {table}")

    def _search(
        self,
        table: str,
        expr: str,
        board_ids: Sequence[int],
        author_id: int | None,
        since: datetime | None,
        limit: int,
    ) -> list[int]:
        sql = [f"SELECT rowid FROM {table} WHERE {table} MATCH %s"]
        params: list[object] = [expr]
        sql.append(f"AND board_id IN ({','.join(['%s'] * len(board_ids))})")
        params += list(board_ids)
        if author_id is not None:
            sql.append("AND author_id = %s")
            params.append(author_id)
        if since is not None:
            sql.append("AND created >= %s")
            params.append(int(since.timestamp()))
        sql.append("ORDER BY rowid DESC LIMIT %s")
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(" ".join(sql), params)
            return [row[0] for row in cursor.fetchall()]

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
        if budget_ms is not None:
            return _within(
                budget_ms,
                lambda: self.search(
                    query,
                    fields=fields,
                    mode=mode,
                    board_ids=board_ids,
                    author_id=author_id,
                    since=since,
                    limit=limit,
                ),
            )
        found: set[int] = set()
        if fields in ("title", "any"):
            expr = match_expression(query, mode=mode)
            found.update(self._search(TITLES, expr, board_ids, author_id, since, limit))
        if fields in ("body", "any"):
            found.update(self._search_bodies(query, mode, board_ids, author_id, since, limit))
        return sorted(found, reverse=True)[:limit]

    def _search_bodies(
        self,
        query: Query,
        mode: Mode,
        board_ids: Sequence[int],
        author_id: int | None,
        since: datetime | None,
        limit: int,
    ) -> list[int]:
        """Chinese terms of 2+ characters are looked up as pairs; the rest as single tokens; a
        post must match both."""
        if mode != "phrase":
            expr = match_expression(query, mode=mode)
            return self._search(BODIES, expr, board_ids, author_id, since, limit)
        paired = [t for t in query.terms if _paired(t)]
        single = [t for t in query.terms if not _paired(t)]
        if not single:
            return self._search(PAIRS, pairs_expression(paired), board_ids, author_id, since, limit)
        expr = match_expression(Query(raw=query.raw, terms=tuple(single)), mode="phrase")
        if not paired:
            return self._search(BODIES, expr, board_ids, author_id, since, limit)
        # Both kinds: the single-token part narrows, the pairs confirm (one query, joined).
        return self._search_joined(
            expr, pairs_expression(paired), board_ids, author_id, since, limit
        )

    def _search_joined(
        self,
        expr: str,
        pairs: str,
        board_ids: Sequence[int],
        author_id: int | None,
        since: datetime | None,
        limit: int,
    ) -> list[int]:
        sql = [
            f"SELECT b.rowid FROM {BODIES} b JOIN {PAIRS} p ON p.rowid = b.rowid"
            f" WHERE {BODIES} MATCH %s AND {PAIRS} MATCH %s"
        ]
        params: list[object] = [expr, pairs]
        sql.append(f"AND b.board_id IN ({','.join(['%s'] * len(board_ids))})")
        params += list(board_ids)
        if author_id is not None:
            sql.append("AND b.author_id = %s")
            params.append(author_id)
        if since is not None:
            sql.append("AND b.created >= %s")
            params.append(int(since.timestamp()))
        sql.append("ORDER BY b.rowid DESC LIMIT %s")
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(" ".join(sql), params)
            return [row[0] for row in cursor.fetchall()]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {BODIES}")
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s OR name LIKE %s",
                    [f"{TITLES}%", f"{BODIES}%"],
                )
                return int(cursor.fetchone()[0] or 0)
            except Exception:  # dbstat is optional in SQLite builds
                return 0
