"""PostgreSQL: ``tsvector`` columns of one-character CJK tokens (the ``simple`` configuration: no
stemming, no stop words) with GIN indexes; a Chinese word is a ``<->`` phrase of characters. Needs
no extension and works in any database locale (pg_trgm needs a UTF-8 locale and 3+ characters)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from fupan.search.backends.base import Doc, Fields, Mode, SearchBackend
from fupan.search.text import Query

TABLE = "search_entry"
_CHUNK = 500


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _is_cjk(token: str) -> bool:
    return len(token) == 1 and ord(token) >= 0x3000


def tsquery_text(query: Query, *, mode: Mode) -> str:
    if mode == "phrase":
        parts = []
        for term in query.terms:
            lexemes = [_lexeme(t) for t in term]
            if not _is_cjk(term[-1]) and len(term[-1]) >= 2:
                lexemes[-1] += ":*"
            parts.append("(" + " <-> ".join(lexemes) + ")")
        return " & ".join(parts)
    return " & ".join(sorted({_lexeme(tok) for term in query.terms for tok in term}))


class PostgresBackend(SearchBackend):
    def upsert(self, docs: Sequence[Doc]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(docs), _CHUNK):
                chunk = docs[start : start + _CHUNK]
                cursor.executemany(
                    f"INSERT INTO {TABLE} (post_id, thread_id, board_id, author_id, created, title, body)"
                    " VALUES (%s, %s, %s, %s, %s, to_tsvector('simple', %s), to_tsvector('simple', %s))"
                    " ON CONFLICT (post_id) DO UPDATE SET thread_id = EXCLUDED.thread_id,"
                    " board_id = EXCLUDED.board_id, author_id = EXCLUDED.author_id,"
                    " created = EXCLUDED.created, title = EXCLUDED.title, body = EXCLUDED.body",
                    [
                        (
                            d.post_id,
                            d.thread_id,
                            d.board_id,
                            d.author_id,
                            d.created,
                            d.title,
                            d.body,
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
    ) -> list[int]:
        if query.is_empty or not board_ids or limit <= 0:
            return []
        tsq = "to_tsquery('simple', %s)"
        if fields == "any":
            where = [f"(title @@ {tsq} OR body @@ {tsq})"]
            text = tsquery_text(query, mode=mode)
            params: list[object] = [text, text]
        else:
            where = [f"{fields} @@ {tsq}"]
            params = [tsquery_text(query, mode=mode)]
        where.append("board_id = ANY(%s)")
        params.append(list(board_ids))
        if author_id is not None:
            where.append("author_id = %s")
            params.append(author_id)
        if since is not None:
            where.append("created >= %s")
            params.append(since)
        sql = f"SELECT post_id FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY post_id DESC LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
            return int(cursor.fetchone()[0] or 0)
