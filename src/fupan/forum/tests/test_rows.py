"""Thread-list rows drawn once and kept by what they show (``forum/rows.py``)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from fupan.core.actions import do_update_site_settings
from fupan.forum import rows
from fupan.forum.actions import do_create_reply
from fupan.forum.models import Thread
from fupan.testing.plugin import uncached_guest_pages


@pytest.fixture(autouse=True)
def _rendered_for_guests():
    uncached_guest_pages()  # the kept drawings are forgotten before each test (testing/plugin.py)


@pytest.fixture
def draws(monkeypatch):
    """The rows drawn (not taken from the kept drawings), by thread id."""
    drawn: list[int] = []
    draw = rows._draw

    def counted(thread, shared, now):
        drawn.append(thread.id)
        return draw(thread, shared, now)

    monkeypatch.setattr(rows, "_draw", counted)
    return drawn


@pytest.fixture
def clock(monkeypatch):
    """The site's clock, stopped, and moved on by hand: ``clock.shift(timedelta(...))``."""

    class Clock:
        now = timezone.now()

        def shift(self, delta):
            self.now += delta

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def _row(html: str, thread_id: int) -> str:
    found = re.search(
        rf'<tr class="[^"]*">(?:(?!</tr>).)*?href="/t/{thread_id}/"(?:(?!</tr>).)*</tr>', html, re.S
    )
    assert found, f"no row for thread {thread_id}"
    return found.group()


@pytest.mark.django_db
def test_rows_are_drawn_once_and_a_reply_shows_at_once(
    guest_client, board, thread_factory, member, other_member, draws
):
    threads = [thread_factory(board, author=member, replies=1) for _ in range(3)]
    # Last replies shown in full (a time in seconds reads differently the next second).
    Thread.objects.filter(board=board).update(last_post_at=timezone.now() - timedelta(days=30))
    guest_client.get(f"/f/{board.pk}/")
    assert sorted(draws) == sorted(t.pk for t in threads)
    guest_client.get(f"/f/{board.pk}/")
    assert len(draws) == 3  # all three kept
    do_create_reply(threads[0], acting_user=other_member, body="新的回复")
    row = _row(guest_client.get(f"/f/{board.pk}/").content.decode(), threads[0].pk)
    assert f"<cite>{other_member.username}</cite>" in row
    assert '<span title="回复">2</span>' in row or '<span title="Replies">2</span>' in row
    assert draws[3:] == [threads[0].pk]  # only the replied-to thread drawn again


@pytest.mark.django_db
def test_a_kept_row_moves_on_with_its_relative_time(
    guest_client, board, thread_factory, member, draws, clock
):
    thread = thread_factory(board, author=member)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=timezone.now() - timedelta(minutes=3))
    assert "3 分钟前" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    assert "3 分钟前" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    assert draws == [thread.pk]
    clock.shift(timedelta(minutes=1))
    assert "4 分钟前" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    assert draws == [thread.pk, thread.pk]


@pytest.mark.django_db
def test_a_row_in_seconds_is_kept_within_its_second(
    guest_client, board, thread_factory, member, draws, clock
):
    thread = thread_factory(board, author=member)
    at = timezone.now() - timedelta(seconds=9, microseconds=500_000)  # 9.5 s ago
    Thread.objects.filter(pk=thread.pk).update(last_post_at=at)
    assert "9 秒前" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    clock.shift(timedelta(milliseconds=300))
    assert "9 秒前" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    assert draws == [thread.pk]
    clock.shift(timedelta(milliseconds=300))
    assert "10 秒前" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    assert draws == [thread.pk, thread.pk]


@pytest.mark.django_db
def test_a_kept_highlight_runs_out(guest_client, board, thread_factory, member, clock):
    thread = thread_factory(board, author=member)
    Thread.objects.filter(pk=thread.pk).update(
        highlight="#EE1B2E",
        highlight_until=timezone.now() + timedelta(minutes=30),
        last_post_at=timezone.now() - timedelta(days=30),  # a time shown in full, for good
    )
    assert "color:#EE1B2E" in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)
    clock.shift(timedelta(minutes=31))
    assert "color:" not in _row(guest_client.get(f"/f/{board.pk}/").content.decode(), thread.pk)


@pytest.mark.django_db
def test_rows_kept_are_capped(guest_client, board, thread_factory, member, monkeypatch):
    monkeypatch.setattr(rows, "ROW_MEMORY", 2)
    threads = [thread_factory(board, author=member) for _ in range(3)]
    html = guest_client.get(f"/f/{board.pk}/").content.decode()
    assert all(_row(html, t.pk) for t in threads)
    assert len(rows._kept) == 2


@pytest.mark.django_db
def test_a_kept_pager_links_to_the_pages_of_its_own_list(
    guest_client, board, thread_factory, member
):
    do_update_site_settings(acting_user=None, threads_per_page=2)
    for _ in range(5):
        thread_factory(board, author=member)
    by_replies = guest_client.get(f"/f/{board.pk}/?order=replies&page=2").content.decode()
    plain = guest_client.get(f"/f/{board.pk}/?page=2").content.decode()
    pager = re.compile(r'<nav class="pg".*?</nav>', re.S)
    assert '?order=replies&amp;page=3"' in pager.search(by_replies).group()
    assert 'href="?page=3"' in pager.search(plain).group()
    assert '<strong aria-current="page">2</strong>' in pager.search(plain).group()
    assert "order=" not in pager.search(plain).group()
