"""收藏 and 关注: members keep threads and boards, follow threads, and find them again."""

from __future__ import annotations

import pytest

from fupan.forum.models import BoardPermission, Thread
from fupan.inbox.models import Favorite, ThreadFollow
from fupan.testing.html import visible_text


@pytest.mark.django_db
def test_a_member_favourites_a_thread_and_finds_it_in_favourites(member_client, member, thread):
    page = visible_text(member_client.get(f"/t/{thread.pk}/").content.decode())
    assert "收藏 0" in page
    response = member_client.post(f"/t/{thread.pk}/favorite/")
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    assert Thread.objects.get(pk=thread.pk).favorites == 1
    page = visible_text(member_client.get(f"/t/{thread.pk}/").content.decode())
    assert "已收藏 1" in page and "已加入收藏" in page
    listing = visible_text(member_client.get("/favorites/").content.decode())
    assert "测试主题" in listing
    member_client.post(f"/t/{thread.pk}/favorite/", {"remove": "1"})
    assert Thread.objects.get(pk=thread.pk).favorites == 0
    assert "测试主题" not in visible_text(member_client.get("/favorites/").content.decode())


@pytest.mark.django_db
def test_favouriting_twice_counts_once(member_client, thread):
    member_client.post(f"/t/{thread.pk}/favorite/")
    member_client.post(f"/t/{thread.pk}/favorite/")
    assert Favorite.objects.count() == 1 and Thread.objects.get(pk=thread.pk).favorites == 1


@pytest.mark.django_db
def test_htmx_swaps_the_buttons(member_client, thread, htmx_headers):
    html = member_client.post(f"/t/{thread.pk}/favorite/", **htmx_headers).content.decode()
    assert "<html" not in html and 'aria-pressed="true"' in html and "已收藏" in html
    html = member_client.post(f"/t/{thread.pk}/follow/", **htmx_headers).content.decode()
    assert "已关注" in html
    assert ThreadFollow.objects.filter(thread=thread).count() == 1


@pytest.mark.django_db
def test_boards_are_favourited_from_the_board_page(member_client, board):
    assert "收藏本版" in member_client.get(f"/f/{board.pk}/").content.decode()
    member_client.post(f"/f/{board.pk}/favorite/")
    assert "已收藏" in member_client.get(f"/f/{board.pk}/").content.decode()
    listing = visible_text(member_client.get("/favorites/?type=board").content.decode())
    assert board.name in listing


@pytest.mark.django_db
def test_removing_from_the_favourites_page(member_client, other_member_client, thread):
    member_client.post(f"/t/{thread.pk}/favorite/")
    favorite = Favorite.objects.get()
    other_member_client.post(f"/favorites/{favorite.pk}/delete/")  # not theirs
    assert Favorite.objects.exists()
    member_client.post(f"/favorites/{favorite.pk}/delete/")
    assert not Favorite.objects.exists() and Thread.objects.get(pk=thread.pk).favorites == 0


@pytest.mark.django_db
def test_guests_are_asked_to_log_in_and_nothing_is_kept(guest_client, thread):
    page = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert f"/login/?next=/t/{thread.pk}/" in page
    assert guest_client.post(f"/t/{thread.pk}/favorite/").status_code == 403
    assert guest_client.get("/favorites/").status_code == 302
    assert not Favorite.objects.exists()


@pytest.mark.django_db
def test_a_thread_the_member_cannot_read_cannot_be_kept(
    member_client, member, board_factory, thread_factory, user_factory
):
    hidden = board_factory("内部")
    thread = thread_factory(hidden, author=user_factory())
    BoardPermission.objects.create(board=hidden, group_id=member.group_id, can_view=False)
    from fupan.permissions.core import purge_board_overrides

    purge_board_overrides()
    assert member_client.post(f"/t/{thread.pk}/favorite/").status_code == 404
    assert member_client.post(f"/t/{thread.pk}/follow/").status_code == 404
    assert not Favorite.objects.exists() and not ThreadFollow.objects.exists()


@pytest.mark.django_db
def test_followed_threads_page(member_client, thread_factory, board, user_factory):
    thread = thread_factory(board, author=user_factory(), title="桥梁维修进展")
    member_client.post(f"/t/{thread.pk}/follow/")
    listing = visible_text(member_client.get("/following/").content.decode())
    assert "桥梁维修进展" in listing
    member_client.post(f"/t/{thread.pk}/follow/", {"remove": "1", "next": "/following/"})
    assert "桥梁维修进展" not in visible_text(member_client.get("/following/").content.decode())


@pytest.mark.django_db
def test_a_thread_no_longer_readable_can_still_be_unfollowed(
    member_client, member, board_factory, thread_factory, user_factory
):
    hidden = board_factory("后来隐藏")
    thread = thread_factory(hidden, author=user_factory(), title="曾经关注")
    member_client.post(f"/t/{thread.pk}/follow/")
    BoardPermission.objects.create(board=hidden, group_id=member.group_id, can_view=False)
    from fupan.permissions.core import purge_board_overrides

    purge_board_overrides()
    listing = visible_text(member_client.get("/following/").content.decode())
    assert "曾经关注" not in listing and "您已无权查看的主题" in listing
    response = member_client.post(f"/following/{thread.pk}/remove/")
    assert response.status_code == 302 and not ThreadFollow.objects.exists()


@pytest.mark.django_db
def test_favourites_and_following_query_budgets(
    member_client, board, thread_factory, user_factory, django_assert_num_queries
):
    for i in range(5):
        thread = thread_factory(board, author=user_factory(), title=f"收藏{i}")
        member_client.post(f"/t/{thread.pk}/favorite/")
        member_client.post(f"/t/{thread.pk}/follow/")
    member_client.get("/favorites/")
    with django_assert_num_queries(3):  # member, count, page
        assert member_client.get("/favorites/").status_code == 200
    with django_assert_num_queries(3):
        assert member_client.get("/following/").status_code == 200
