"""The Discuz MySQL database being read: connection from a ``mysql://`` URL, table names with the
site's prefix, and keyset-paginated batches (``WHERE key > last ORDER BY key LIMIT n``), so reading
row 10,000,000 costs what reading row 1 does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors


@dataclass(frozen=True)
class SourceConfig:
    host: str
    port: int
    user: str
    password: str
    database: str
    prefix: str = "pre_"

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "pre_") -> SourceConfig:
        parts = urlsplit(url)
        if parts.scheme not in ("mysql", "mariadb"):
            raise ValueError(
                "the Discuz database is given as mysql://user:password@host:port/database"
            )
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ValueError("the mysql:// URL names no database (…:3306/discuz)")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            database=database,
            prefix=prefix,
        )

    @property
    def key(self) -> str:
        """Names this source in checkpoints: the same database read again resumes."""
        return f"mysql://{self.host}:{self.port}/{self.database}#{self.prefix}"


class Source:
    def __init__(self, config: SourceConfig) -> None:
        self.config = config
        # Text comes back as bytes (use_unicode=False): invalid UTF-8 in an old site must be
        # reported and repaired row by row, not crash the read.
        self.conn = pymysql.connect(
            host=config.host,
            port=config.port,
            user=config.user,
            password=config.password,
            database=config.database,
            charset="utf8mb4",
            use_unicode=False,
            cursorclass=pymysql.cursors.DictCursor,
            autocommit=True,
        )

    def close(self) -> None:
        self.conn.close()

    def table(self, name: str) -> str:
        """The quoted name of a table without its prefix (``forum_post`` → `pre_forum_post`)."""
        return f"`{self.config.prefix}{name}`"

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def tables(self) -> set[str]:
        """Table names without the prefix."""
        if not hasattr(self, "_tables"):
            with self.conn.cursor() as cur:
                cur.execute("SHOW TABLES")
                names = [next(iter(r.values())) for r in cur.fetchall()]
            prefix = self.config.prefix
            decoded = [n.decode() if isinstance(n, bytes) else n for n in names]
            self._tables = {n[len(prefix) :] for n in decoded if n.startswith(prefix)}
        return self._tables

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return [{_name(k): v for k, v in row.items()} for row in cur.fetchall()]

    def scalar(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None


def _name(key: Any) -> str:
    return key.decode() if isinstance(key, bytes) else key
