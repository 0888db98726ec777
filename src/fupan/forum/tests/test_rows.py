"""Thread-list rows drawn once and kept by what they show (``forum/rows.py``)."""

from __future__ import annotations

import re

import pytest

from fupan.forum.actions import do_create_reply
from fupan.forum.rows import _drawn
from fupan.testing.plugin import uncached_guest_pages


@pytest.fixture(autouse=True)
def _rendered_for_guests():
    uncached_guest_pages()  # the kept drawings are forgotten before each test (testing/plugin.py)


def _row(html: str, thread_id: int) -> str:
    found = re.search(
        rf'<tr class="[^"]*">(?:(?!</tr>).)*?href="/t/{thread_id}/"(?:(?!</tr>).)*</tr>', html, re.S
    )
    assert found, f"no row for thread {thread_id}"
    return found.group()


@pytest.mark.django_db
def test_rows_are_drawn_once_and_a_reply_shows_at_once(
    guest_client, board, thread_factory, member, other_member
):
    threads = [thread_factory(board, author=member, replies=1) for _ in range(3)]
    guest_client.get(f"/f/{board.pk}/")
    assert _drawn.cache_info().misses == 3
    guest_client.get(f"/f/{board.pk}/")
    assert _drawn.cache_info().misses == 3 and _drawn.cache_info().hits == 3
    do_create_reply(threads[0], acting_user=other_member, body="新的回复")
    row = _row(guest_client.get(f"/f/{board.pk}/").content.decode(), threads[0].pk)
    assert f"<cite>{other_member.username}</cite>" in row
    assert '<span title="回复">2</span>' in row or '<span title="Replies">2</span>' in row
    assert _drawn.cache_info().misses == 4  # only the replied-to thread drawn again
