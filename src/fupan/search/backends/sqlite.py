"""SQLite FTS5 (the embedded default). Every token is one unicode61 token, so a Chinese word is an
FTS5 phrase of characters and one- and two-character queries work (the trigram tokenizer cannot
look those up). The table is created by migration ``search.0001`` (creating an FTS5 table inside
a transaction breaks later savepoints)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from fupan.search.backends.base import Doc, Fields, Mode, SearchBackend
from fupan.search.text import Query

TABLE = "search_fts"
_CHUNK = 500


def _phrase(term: Sequence[str]) -> str:
    # Tokens hold only letters, digits and CJK characters: nothing to escape inside the quotes.
    text = '"' + " ".join(term) + '"'
    return text + "*" if not _is_cjk(term[-1]) and len(term[-1]) >= 2 else text


def _is_cjk(token: str) -> bool:
    return len(token) == 1 and ord(token) >= 0x3000


def match_expression(query: Query, *, fields: Fields, mode: Mode) -> str:
    if mode == "phrase":
        parts = [_phrase(term) for term in query.terms]
    else:
        parts = sorted({f'"{tok}"' for term in query.terms for tok in term})
    expr = " AND ".join(parts)
    if fields == "any":
        return f"{{title body}} : ({expr})"
    return f"{fields} : ({expr})"


class SqliteBackend(SearchBackend):
    def upsert(self, docs: Sequence[Doc]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(docs), _CHUNK):
                chunk = docs[start : start + _CHUNK]
                self._delete(cursor, [d.post_id for d in chunk])
                cursor.executemany(
                    f"INSERT INTO {TABLE} (rowid, title, body, board_id, thread_id, author_id, created)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            d.post_id,
                            d.title,
                            d.body,
                            d.board_id,
                            d.thread_id,
                            d.author_id,
                            int(d.created.timestamp()),
                        )
                        for d in chunk
                    ],
                )

    def _delete(self, cursor: object, post_ids: Sequence[int]) -> None:
        if post_ids:
            marks = ",".join(["%s"] * len(post_ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", list(post_ids))  # type: ignore[attr-defined]

    def delete(self, post_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(post_ids), _CHUNK):
                self._delete(cursor, post_ids[start : start + _CHUNK])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

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
        sql = [f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"]
        params: list[object] = [match_expression(query, fields=fields, mode=mode)]
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

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", [f"{TABLE}%"])
                return int(cursor.fetchone()[0] or 0)
            except Exception:  # dbstat is optional in SQLite builds
                return 0
