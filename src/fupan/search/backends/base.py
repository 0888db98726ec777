"""The interface every search backend implements.

The index holds one document per visible post: its thread's title (first posts only), its text
as tokens (``fupan.search.text.index_text``), and what results are filtered by. A backend answers
``search`` with post ids, newest first — ranking across tiers is ``fupan.search.queries``'s job,
so it is the same on every engine."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import transaction

from fupan.search.text import Query

Fields = Literal["title", "body", "any"]
Mode = Literal["phrase", "scattered"]


@dataclass(frozen=True)
class Doc:
    post_id: int
    thread_id: int
    board_id: int
    author_id: int | None
    created: datetime
    title: str  # index text of the thread title, first posts only ("" otherwise)
    body: str  # index text of the post


class SearchBackend(ABC):
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Index changes made together: one transaction, one commit."""
        with transaction.atomic():
            yield

    @abstractmethod
    def upsert(self, docs: Sequence[Doc]) -> None:
        """Add or replace these documents."""

    @abstractmethod
    def delete(self, post_ids: Sequence[int]) -> None:
        """Take these posts out of the index (missing ones are ignored)."""

    @abstractmethod
    def clear(self) -> None:
        """Empty the index."""

    @abstractmethod
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
        """Ids of posts in ``board_ids`` matching ``query`` in ``fields``, newest first.

        ``phrase``: every term occurs as consecutive tokens (the text contains it);
        ``scattered``: every token occurs, anywhere. With ``budget_ms``, a search that runs
        longer is cut off and answers with nothing (for optional, low-ranked tiers)."""

    def begin_rebuild(self) -> None:
        """Before indexing every post again: empty the index (an engine may also set aside what
        makes bulk loading slow)."""
        self.clear()

    def end_rebuild(self) -> None:  # noqa: B027 — a hook; most engines need nothing here
        """After the last ``upsert`` of a rebuild: put back what ``begin_rebuild`` set aside."""

    @abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    @abstractmethod
    def size_bytes(self) -> int:
        """Space the index takes on disk (tables and indexes)."""
