"""A thread page around its floors, drawn once and kept by what it shows (``forum/frame.py``):
later views draw it from the kept copy, and a new reply, a favourite, a title edit, the reader's
own forms and every view counted show at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fupan.forum.actions import do_create_reply
from fupan.forum.frame import _drawn
from fupan.forum.models import Thread
from fupan.testing.plugin import uncached_guest_pages


@pytest.fixture(autouse=True)
def _rendered_for_guests():
    uncached_guest_pages()  # the kept drawings are forgotten before each test (testing/plugin.py)


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _views(html: str) -> int:
    found = re.search(r"(?:查看|Views): <span>(\d+)</span>", html)
    assert found
    return int(found.group(1))


@pytest.mark.django_db
def test_the_frame_is_drawn_once_and_each_view_still_counts(guest_client, thread):
    first = _page(guest_client, f"/t/{thread.pk}/")
    second = _page(guest_client, f"/t/{thread.pk}/")
    assert _drawn.cache_info().misses == 1 and _drawn.cache_info().hits == 1
    assert _views(second) == _views(first) + 1  # printed at every view, never kept
    assert "\x00" not in second
    assert f"<title>{thread.title} - {thread.board.name} - " in second
    assert "csrftoken" not in guest_client.cookies  # a guest's page stays cacheable


@pytest.mark.django_db
def test_a_reply_a_new_title_and_a_favourite_show_on_the_next_view(
    guest_client, member_client, other_member, thread
):
    url = f"/t/{thread.pk}/"
    before = _page(guest_client, url)
    replies = Thread.objects.get(pk=thread.pk).replies
    assert f"<span>{replies}</span>" in before
    do_create_reply(thread, acting_user=other_member, body="新的一楼")
    Thread.objects.filter(pk=thread.pk).update(title="改过的标题")
    after = _page(guest_client, url)
    assert (
        f"回复: <span>{replies + 1}</span>" in after
        or f"Replies: <span>{replies + 1}</span>" in after
    )
    assert '<span id="thread_subject">改过的标题</span>' in after
    assert "<title>改过的标题" in after

    page = _page(member_client, url)
    assert 'aria-pressed="false"' in page
    member_client.post(f"/t/{thread.pk}/favorite/", {"next": url})
    page = _page(member_client, url)
    assert 'class="btn-keep on" aria-pressed="true"' in page  # their own favourite, at once
    assert 'class="btn-keep on"' not in _page(Client(), url)


@pytest.mark.django_db
def test_each_member_gets_their_own_csrf_field_and_reply_token(
    member_client, other_member_client, thread
):
    url = f"/t/{thread.pk}/"
    member_client.get(url)  # drawn and kept
    pages = [_page(member_client, url), _page(other_member_client, url)]
    # Two members with the same rights and marks share one drawing, each with their own forms.
    assert _drawn.cache_info().currsize == 1 and _drawn.cache_info().hits == 2
    tokens = [re.search(r'name="token" value="([^"]+)"', p).group(1) for p in pages]
    assert tokens[0] != tokens[1]
    # The favourite form printed from the kept frame carries a token that passes the CSRF check.
    csrf = re.search(
        r'action="/t/\d+/favorite/".*?name="csrfmiddlewaretoken" value="([^"]+)"', pages[0], re.S
    ).group(1)
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = member_client.cookies
    response = checked.post(f"/t/{thread.pk}/favorite/", {"next": url, "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    assert 'aria-pressed="true"' in _page(member_client, url)


@pytest.mark.django_db
def test_moderators_get_their_tools_and_members_do_not(moderator_client, member_client, thread):
    url = f"/t/{thread.pk}/"
    assert 'id="modmenu"' in _page(moderator_client, url)
    assert 'id="modmenu"' in _page(moderator_client, url)  # from the kept frame too
    assert 'id="modmenu"' not in _page(member_client, url)


@pytest.mark.django_db
def test_pager_links_keep_the_pages_own_query(guest_client, board, thread_factory, member):
    from fupan.core.actions import do_update_site_settings

    do_update_site_settings(acting_user=None, posts_per_page=5)
    thread = thread_factory(board, author=member, replies=12)
    html = _page(guest_client, f"/t/{thread.pk}/?order=desc")
    assert 'href="?order=desc&amp;page=2"' in html
    html = _page(guest_client, f"/t/{thread.pk}/?page=2")
    assert 'href="?page=3"' in html and '<strong aria-current="page">2</strong>' in html
