"""Floors under concurrent replies: no lost post, no duplicate floor (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from fupan.forum.actions import do_create_reply
from fupan.forum.models import Board, Post, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all

WORKERS = 8
REPLIES_EACH = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_get_distinct_consecutive_floors(board, thread_factory, user_factory):
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locking is tested on PostgreSQL: set DATABASE_URL=postgres://… (SQLite serialises writers)"
        )
    thread = thread_factory(board)
    people = [user_factory() for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def reply_many(person) -> None:
        try:
            barrier.wait()
            for i in range(REPLIES_EACH):
                do_create_reply(thread, acting_user=person, body=f"{person.username} 的第 {i} 条")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reply_many, args=(p,)) for p in people]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

    assert errors == []
    positions = list(
        Post.objects.filter(thread=thread).order_by("position").values_list("position", flat=True)
    )
    assert positions == list(range(1, WORKERS * REPLIES_EACH + 2))
    fresh = Thread.objects.get(pk=thread.pk)
    assert fresh.replies == WORKERS * REPLIES_EACH
    assert fresh.max_position == WORKERS * REPLIES_EACH + 1
    assert Board.objects.get(pk=board.pk).posts == WORKERS * REPLIES_EACH + 1
    before = counter_snapshot()
    synchronize_all()
    assert counter_snapshot() == before
