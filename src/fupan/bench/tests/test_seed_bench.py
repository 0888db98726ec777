"""``fupan bench seed`` builds a consistent site: its counters are the rows' own, and on
PostgreSQL the rows the recount rewrote are vacuumed (run outside a transaction, as the command
runs)."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from fupan.bench import seed
from fupan.forum.models import Board, Post, Thread


@pytest.mark.django_db(transaction=True)
def test_a_small_seeded_site_counts_what_it_holds(site):
    out = io.StringIO()
    seed.run(
        users=60,
        threads=40,
        posts=400,
        mega=1,
        mega_replies=120,
        search_index=False,
        out=out,
    )
    assert "done" in out.getvalue()
    mega = Thread.objects.order_by("-max_position").first()
    replies = Post.objects.filter(thread=mega, is_first=False, state=Post.State.VISIBLE)
    assert mega.replies == replies.count() >= 100  # the visible ones (a few are not)
    assert Post.objects.count() >= 400
    for board in Board.objects.all():
        own = Thread.objects.filter(board=board, state=Thread.State.VISIBLE).count()
        assert board.threads >= own  # a board's count also holds its sub-boards'
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'forum_thread'"
            )
            assert cursor.fetchone()[0] is not None  # vacuumed after the recount
