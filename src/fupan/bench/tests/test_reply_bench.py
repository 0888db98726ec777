"""``fupan bench reply`` writes real replies and reports them (a tiny run)."""

from __future__ import annotations

import io

import pytest

from fupan.bench.reply import run
from fupan.forum.models import Post, Thread


@pytest.mark.django_db(transaction=True)
def test_the_reply_bench_writes_each_reply_and_prints_its_figures(site):
    out = io.StringIO()
    assert run(replies=5, out=out) == 0
    thread = Thread.objects.get(title="回帖测速")
    # 10 warm-up replies, 5 timed, 1 counted for its queries, after the first post.
    assert Post.objects.filter(thread=thread).count() == 17
    assert thread.max_position == 17
    text = out.getvalue()
    assert "do_create_reply, committed" in text and "| 5 |" in text
