"""PostgreSQL: ``tsvector`` columns in the ``simple`` configuration (no stemming, no stop words)
with GIN indexes — ``title`` and ``body`` of single tokens (every CJK character one lexeme), and
``body2`` of CJK character pairs. A Chinese query of two or more characters is looked up in
``body2`` (one lexeme for a two-character word, a ``<->`` phrase of pairs for longer ones), a
single character or a word with latin letters in ``body``. Needs no extension and works in any
database locale (pg_trgm needs a UTF-8 locale and 3+ characters)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from django.db import OperationalError, connection, transaction

from fupan.search.backends.base import Doc, Fields, Mode, SearchBackend
from fupan.search.text import Query, bigram_text, is_cjk

TABLE = "search_entry"
_CHUNK = 500
_TSQ = "to_tsquery('simple', %s)"


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _phrase(term: Sequence[str]) -> str:
    lexemes = [_lexeme(t) for t in term]
    if not is_cjk(term[-1]) and len(term[-1]) >= 2:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def _pairs(term: Sequence[str]) -> str:
    pairs = [_lexeme(a + b) for a, b in pairwise(term)]
    return "(" + " <-> ".join(pairs) + ")"


def tsquery_text(query: Query, *, mode: Mode) -> str:
    """The query over single tokens (``title``, ``body``)."""
    if mode == "phrase":
        return " & ".join(_phrase(term) for term in query.terms)
    return " & ".join(sorted({_lexeme(tok) for term in query.terms for tok in term}))


def body_condition(query: Query, *, mode: Mode) -> tuple[str, list[object]]:
    """SQL matching post texts: all-Chinese terms of 2+ characters against the pairs."""
    if mode != "phrase":
        return f"body @@ {_TSQ}", [tsquery_text(query, mode=mode)]
    paired = [t for t in query.terms if len(t) >= 2 and all(is_cjk(tok) for tok in t)]
    single = [t for t in query.terms if t not in paired]
    conds, params = [], []
    if paired:
        conds.append(f"body2 @@ {_TSQ}")
        params.append(" & ".join(_pairs(t) for t in paired))
    if single:
        conds.append(f"body @@ {_TSQ}")
        params.append(" & ".join(_phrase(t) for t in single))
    return "(" + " AND ".join(conds) + ")", params


class PostgresBackend(SearchBackend):
    def upsert(self, docs: Sequence[Doc]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(docs), _CHUNK):
                chunk = docs[start : start + _CHUNK]
                cursor.executemany(
                    f"INSERT INTO {TABLE} (post_id, thread_id, board_id, author_id, created, title,"
                    " body, body2) VALUES (%s, %s, %s, %s, %s, to_tsvector('simple', %s),"
                    " to_tsvector('simple', %s), to_tsvector('simple', %s))"
                    " ON CONFLICT (post_id) DO UPDATE SET thread_id = EXCLUDED.thread_id,"
                    " board_id = EXCLUDED.board_id, author_id = EXCLUDED.author_id,"
                    " created = EXCLUDED.created, title = EXCLUDED.title, body = EXCLUDED.body,"
                    " body2 = EXCLUDED.body2",
                    [
                        (
                            d.post_id,
                            d.thread_id,
                            d.board_id,
                            d.author_id,
                            d.created,
                            d.title,
                            d.body,
                            bigram_text(d.body),
                        )
                        for d in chunk
                    ],
                )

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
            # Two lookups merged: an OR of two GIN conditions makes PostgreSQL read every match
            # to sort them, where each alone can walk the newest posts and stop at ``limit``.
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
            found.update(
                self.search(
                    query,
                    fields="body",
                    mode=mode,
                    board_ids=board_ids,
                    author_id=author_id,
                    since=since,
                    limit=limit,
                    budget_ms=budget_ms,
                )
            )
            return sorted(found, reverse=True)[:limit]
        if fields == "title":
            match, params = f"title @@ {_TSQ}", [tsquery_text(query, mode=mode)]
        else:
            match, params = body_condition(query, mode=mode)
        where = [match, "board_id = ANY(%s)"]
        params.append(list(board_ids))
        if author_id is not None:
            where.append("author_id = %s")
            params.append(author_id)
        if since is not None:
            where.append("created >= %s")
            params.append(since)
        sql = f"SELECT post_id FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY post_id DESC LIMIT %s"
        params.append(limit)
        if budget_ms is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return [row[0] for row in cursor.fetchall()]
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [int(budget_ms)])
                cursor.execute(sql, params)
                return [row[0] for row in cursor.fetchall()]
        except OperationalError as exc:
            if "statement timeout" in str(exc):
                return []
            raise

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
            return int(cursor.fetchone()[0] or 0)
