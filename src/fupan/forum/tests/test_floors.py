"""Floors drawn once and kept by what they show (``forum/floors.py``): a reader's second view
draws nothing anew, and whatever changes a floor — a vote, an edit, a moderator's flag, who is
looking — shows at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fupan.forum.actions import do_edit_post, do_vote_post
from fupan.forum.actions.moderation import do_hide_post
from fupan.forum.floors import _CSRF_MARK, _kept
from fupan.forum.models import Post
from fupan.testing.plugin import uncached_guest_pages


@pytest.fixture(autouse=True)
def _rendered_for_guests():
    uncached_guest_pages()  # the kept drawings are forgotten before each test (testing/plugin.py)


def _page(client: Client, thread) -> str:
    response = client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_second_view_draws_no_floor_again(guest_client, thread):
    first = _page(guest_client, thread)
    drawn = _kept.cache_info()
    assert drawn.misses == 3 and drawn.hits == 0  # the thread's three floors
    again = _page(guest_client, thread)
    assert _kept.cache_info().misses == 3 and _kept.cache_info().hits == 3
    assert again.count('class="post') == first.count('class="post') == 3


@pytest.mark.django_db
def test_a_vote_an_edit_and_a_hidden_post_show_on_the_next_view(
    guest_client, thread, other_member, moderator
):
    _page(guest_client, thread)
    reply = Post.objects.get(thread=thread, position=2)
    do_vote_post(reply, acting_user=other_member, value=1)
    html = _page(guest_client, thread)
    votes = re.search(rf'id="votes_{reply.pk}">(.*?)\n</span>', html, re.S)
    assert votes and '<span class="n">1</span>' in votes.group(1)

    do_edit_post(reply, acting_user=reply.author, body="改过的回复")
    html = _page(guest_client, thread)
    assert "改过的回复" in html and "第2楼的回复" not in html

    do_hide_post(Post.objects.get(pk=reply.pk), acting_user=moderator, hidden=True)
    html = _page(guest_client, thread)
    assert "改过的回复" not in html
    assert f'class="t_f hidden-post" id="postmessage_{reply.pk}"' in html


@pytest.mark.django_db
def test_each_viewer_sees_their_own_floor(
    guest_client, member_client, other_member_client, thread, other_member
):
    reply = Post.objects.get(thread=thread, position=3)
    guest_html = _page(guest_client, thread)
    other_html = _page(other_member_client, thread)
    # Another member may vote on the reply (a form); a guest is sent to log in.
    assert f'action="/p/{reply.pk}/vote/"' in other_html
    assert f'action="/p/{reply.pk}/vote/"' not in guest_html
    assert f"/login/?next=/p/{reply.pk}/" in guest_html
    do_vote_post(reply, acting_user=other_member, value=-1)
    other_html = _page(other_member_client, thread)
    votes = re.search(rf'id="votes_{reply.pk}">(.*?)\n</span>', other_html, re.S)
    assert votes and "vote-oppose voted" in votes.group(1) and "<form" not in votes.group(1)
    # The author may edit their posts, others may not; every guest sees the same floors.
    assert f'href="/p/{reply.pk}/edit/"' in _page(member_client, thread)
    assert f'href="/p/{reply.pk}/edit/"' not in other_html
    assert _page(Client(), thread).count("<article") == _page(guest_client, thread).count(
        "<article"
    )


@pytest.mark.django_db
def test_kept_floors_carry_the_viewers_own_csrf_token(moderator_client, thread):
    moderator_client.get(f"/t/{thread.pk}/")  # drawn and kept
    html = _page(moderator_client, thread)  # printed from the kept floors
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 4  # hide and warn on each reply
    assert _CSRF_MARK not in html and "\x00" not in html
    reply = Post.objects.get(thread=thread, position=2)
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = moderator_client.cookies
    response = checked.post(
        f"/p/{reply.pk}/moderate/", {"action": "hide", "csrfmiddlewaretoken": tokens[-1]}
    )
    assert response.status_code in (200, 302)
    assert Post.objects.get(pk=reply.pk).hidden


@pytest.mark.django_db
def test_jammer_floors_are_never_kept(guest_client, board_factory, thread_factory):
    thread = thread_factory(board_factory(jammer=True), body="一\n二\n三", replies=1)
    _page(guest_client, thread)
    _page(guest_client, thread)
    assert _kept.cache_info().currsize == 0
