"""Guest pages from the cache (fupan.core.pagecache): what a guest sees right after each change,
what the cached responses carry, and that members never get a guest's copy."""

import re

import pytest
from django.test import Client

from fupan.core.actions import do_update_site_settings
from fupan.forum.actions import (
    do_approve_post,
    do_close_thread,
    do_create_reply,
    do_create_thread,
    do_delete_post,
    do_edit_post,
    do_hide_post,
    do_merge_threads,
    do_move_thread,
    do_split_thread,
    do_stick_thread,
    do_vote_post,
)
from fupan.forum.actions.posting import do_recommend_thread
from fupan.forum.models import Post, Thread
from fupan.forum.viewcounts import pending_views


def served_from_cache(response) -> bool:
    return 'cache;desc="hit"' in response["Server-Timing"]


def page(client, url: str) -> str:
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_a_guests_second_visit_is_served_from_the_cache_without_a_query(
    guest_client, thread, django_assert_num_queries
):
    first = guest_client.get(f"/t/{thread.pk}/")
    assert not served_from_cache(first) and "Page cache On" in first.content.decode()
    with django_assert_num_queries(0):
        second = guest_client.get(f"/t/{thread.pk}/")
    assert served_from_cache(second) and second.content == first.content
    assert not served_from_cache(guest_client.get("/"))  # the index's first visit renders it
    with django_assert_num_queries(0):
        assert served_from_cache(guest_client.get("/"))
    guest_client.get(f"/f/{thread.board_id}/")
    with django_assert_num_queries(0):
        assert served_from_cache(guest_client.get(f"/f/{thread.board_id}/"))


@pytest.mark.django_db
def test_guest_pages_carry_no_cookie_and_no_vary_cookie_so_a_cdn_may_keep_them(
    guest_client, thread
):
    for url in ("/", f"/f/{thread.board_id}/", f"/t/{thread.pk}/", f"/t/{thread.pk}/read/"):
        for response in (guest_client.get(url), guest_client.get(url)):  # miss, then hit
            assert response.status_code == 200, url
            assert not response.cookies, url
            assert "cookie" not in response.get("Vary", "").lower(), url
            assert response["Cache-Control"].startswith("public"), url
            assert "csrfmiddlewaretoken" not in response.content.decode(), url


@pytest.mark.django_db
def test_an_unchanged_page_answers_if_none_match_with_304(guest_client, thread):
    etag = guest_client.get(f"/t/{thread.pk}/")["ETag"]
    again = guest_client.get(f"/t/{thread.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""


@pytest.mark.django_db
def test_compressed_copies_are_kept_per_encoding(guest_client, thread):
    br = guest_client.get(f"/t/{thread.pk}/", HTTP_ACCEPT_ENCODING="br")
    plain = guest_client.get(f"/t/{thread.pk}/")
    again = guest_client.get(f"/t/{thread.pk}/", HTTP_ACCEPT_ENCODING="br")
    assert br["Content-Encoding"] == "br" and served_from_cache(again)
    assert again["Content-Encoding"] == "br" and again.content == br.content
    assert not plain.has_header("Content-Encoding") and b"</html>" in plain.content


@pytest.mark.django_db
def test_unknown_query_parameters_are_never_cached(guest_client, thread):
    guest_client.get(f"/t/{thread.pk}/?utm_source=x")
    assert not served_from_cache(guest_client.get(f"/t/{thread.pk}/?utm_source=x"))
    guest_client.get(f"/t/{thread.pk}/?page=1")
    assert served_from_cache(guest_client.get(f"/t/{thread.pk}/?page=1"))


@pytest.mark.django_db
def test_a_reader_preference_gets_its_own_private_copy(guest_client, thread):
    guest_client.get(f"/t/{thread.pk}/")
    guest_client.cookies["fupan_noimg"] = "1"
    response = guest_client.get(f"/t/{thread.pk}/")
    assert not served_from_cache(response) and "no-images" in response.content.decode()
    assert response["Cache-Control"].startswith("private")


@pytest.mark.django_db
def test_members_are_never_served_a_guests_copy(guest_client, member_client, member, thread):
    guest_client.get(f"/t/{thread.pk}/")
    response = member_client.get(f"/t/{thread.pk}/")
    assert not served_from_cache(response)
    html = response.content.decode()
    assert member.username in html and 'name="body"' in html  # their name, the quick reply
    assert "Cookie" in response["Vary"]
    # …and a member's page is never stored for guests.
    assert "fastpostmessage" not in page(guest_client, f"/t/{thread.pk}/")


@pytest.mark.django_db
def test_guest_sees_a_new_reply_at_once_on_every_page_that_shows_it(
    guest_client, member, thread, board
):
    urls = ["/", f"/f/{board.pk}/", f"/t/{thread.pk}/"]
    for url in urls:
        page(guest_client, url)
    do_create_reply(thread, acting_user=member, body="刚刚发表的新回复")
    assert "刚刚发表的新回复" in page(guest_client, f"/t/{thread.pk}/")
    assert not served_from_cache(guest_client.get(f"/f/{board.pk}/"))  # the list was stale
    assert not served_from_cache(guest_client.get("/"))  # so was the index (its counts)
    assert served_from_cache(guest_client.get("/"))  # …cached again after one render


@pytest.mark.django_db
def test_guest_sees_a_reply_posted_through_the_page(guest_client, member_client, thread):
    page(guest_client, f"/t/{thread.pk}/")
    token = member_client.get(f"/t/{thread.pk}/").context["reply_token"]
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "从网页发的回复", "token": token})
    assert "从网页发的回复" in page(guest_client, f"/t/{thread.pk}/")


@pytest.mark.django_db
def test_guest_sees_edits_votes_hiding_and_deletions_at_once(
    guest_client, thread, member, other_member
):
    url = f"/t/{thread.pk}/"
    reply = Post.objects.get(thread=thread, position=2)
    page(guest_client, url)
    do_edit_post(reply, acting_user=member, body="改过的内容")
    assert "改过的内容" in page(guest_client, url)
    do_vote_post(reply, acting_user=other_member, value=1)
    assert '<span class="n">1</span>' in page(guest_client, url)
    do_hide_post(reply, acting_user=member, hidden=True)
    assert "改过的内容" not in page(guest_client, url)
    do_delete_post(Post.objects.get(thread=thread, position=3), acting_user=member)
    assert '<p class="deleted xg1">' in page(guest_client, url)


@pytest.mark.django_db
def test_guest_sees_a_thread_rated_at_once(guest_client, thread, other_member):
    page(guest_client, f"/t/{thread.pk}/")
    do_recommend_thread(thread, acting_user=other_member, value=1)
    assert served_from_cache(guest_client.get(f"/t/{thread.pk}/")) is False


@pytest.mark.django_db
def test_guest_sees_an_edited_title_in_the_board_list(guest_client, thread, member, board):
    page(guest_client, f"/f/{board.pk}/")
    first = Post.objects.get(thread=thread, position=1)
    do_edit_post(first, acting_user=member, body="正文", title="改过的标题")
    assert "改过的标题" in page(guest_client, f"/f/{board.pk}/")


@pytest.mark.django_db
def test_guest_sees_moderation_at_once(
    guest_client, thread_factory, board, board_factory, moderator, member
):
    thread = thread_factory(board, title="要处理的主题", replies=3)
    other = board_factory("另一个版块")
    for url in (f"/t/{thread.pk}/", f"/f/{board.pk}/", f"/f/{other.pk}/"):
        page(guest_client, url)
    do_close_thread(thread, acting_user=moderator, closed=True)
    assert "badge-closed" in page(guest_client, f"/t/{thread.pk}/")
    do_stick_thread(thread, acting_user=moderator, level=3)  # shown on every board's list
    assert "要处理的主题" in page(guest_client, f"/f/{other.pk}/")
    do_stick_thread(thread, acting_user=moderator, level=0)
    assert "要处理的主题" not in page(guest_client, f"/f/{other.pk}/")
    do_move_thread(thread, acting_user=moderator, board=other)
    assert "要处理的主题" in page(guest_client, f"/f/{other.pk}/")
    assert "要处理的主题" not in page(guest_client, f"/f/{board.pk}/")


@pytest.mark.django_db
def test_guest_sees_merges_splits_and_approvals_at_once(
    guest_client, thread_factory, board, moderator, member
):
    source = thread_factory(board, title="被合并的主题", body="源主题正文")
    target = thread_factory(board, title="合并目标", replies=1)
    page(guest_client, f"/t/{target.pk}/")
    page(guest_client, f"/t/{source.pk}/")
    do_merge_threads(source, target, acting_user=moderator)
    assert "源主题正文" in page(guest_client, f"/t/{target.pk}/")
    assert guest_client.get(f"/t/{source.pk}/").status_code == 301
    split_off = Post.objects.get(thread=target, position=2)
    new = do_split_thread(target, [split_off], acting_user=moderator, title="分出来的主题")
    assert "分出来的主题" in page(guest_client, f"/f/{board.pk}/")
    assert guest_client.get(f"/t/{new.pk}/").status_code == 200
    pending = do_create_reply(target, acting_user=member, body="等待审核的回复", pending=True)
    assert "等待审核的回复" not in page(guest_client, f"/t/{target.pk}/")
    do_approve_post(pending, acting_user=moderator)
    assert "等待审核的回复" in page(guest_client, f"/t/{target.pk}/")


@pytest.mark.django_db
def test_guest_sees_a_new_thread_and_site_settings_at_once(guest_client, board, member):
    page(guest_client, "/")
    page(guest_client, f"/f/{board.pk}/")
    do_create_thread(board, acting_user=member, title="全新的主题", body="内容")
    assert "全新的主题" in page(guest_client, f"/f/{board.pk}/")
    do_update_site_settings(acting_user=None, site_name="改名后的论坛")
    assert "改名后的论坛" in page(guest_client, "/")


@pytest.mark.django_db
def test_a_change_in_the_admin_makes_every_guest_page_stale(admin_client, guest_client, board):
    page(guest_client, "/")
    response = admin_client.post(f"/admin/forum/board/{board.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not served_from_cache(guest_client.get("/"))


@pytest.mark.django_db
def test_a_jammer_boards_threads_are_drawn_anew_for_every_guest(
    guest_client, board_factory, thread_factory
):
    thread = thread_factory(board_factory(jammer=True), body="一\n二\n三")
    first = guest_client.get(f"/t/{thread.pk}/")
    assert "Page cache On" not in first.content.decode()
    assert not served_from_cache(guest_client.get(f"/t/{thread.pk}/"))


@pytest.mark.django_db
def test_a_cached_thread_page_still_counts_its_views(guest_client, thread):
    for _ in range(3):
        guest_client.get(f"/t/{thread.pk}/")
    assert pending_views(thread.pk) == 3


@pytest.mark.django_db
def test_views_are_written_every_n_views(guest_client, thread, settings):
    settings.FUPAN_VIEWS_FLUSH_EVERY = 3
    for _ in range(3):
        guest_client.get(f"/t/{thread.pk}/")
    assert Thread.objects.get(pk=thread.pk).views == 3 and pending_views(thread.pk) == 0
    # The flush made the page stale: the next guest sees the written count.
    assert "<span>4</span>" in page(guest_client, f"/t/{thread.pk}/")


@pytest.mark.django_db
def test_a_guest_logs_in_from_a_cached_page_and_replies_with_csrf_checks(thread, user_factory):
    user_factory("登录会员", password="secret-pass-9")
    browser = Client(enforce_csrf_checks=True)
    browser.get(f"/t/{thread.pk}/")
    cached = browser.get(f"/t/{thread.pk}/")
    assert served_from_cache(cached)
    login_link = re.search(r'href="(/login/\?next=[^"]+)"', cached.content.decode())
    assert login_link, "the guest page offers a login link, not a form"
    form = browser.get(login_link.group(1).replace("&amp;", "&"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    done = browser.post(
        "/login/",
        {
            "csrfmiddlewaretoken": token,
            "login": "登录会员",
            "password": "secret-pass-9",
            "next": f"/t/{thread.pk}/",
        },
    )
    assert done.status_code == 302
    member_page = browser.get(f"/t/{thread.pk}/")
    assert not served_from_cache(member_page)
    html = member_page.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    reply_token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    posted = browser.post(
        f"/t/{thread.pk}/reply/",
        {"csrfmiddlewaretoken": token, "body": "登录后马上回复", "token": reply_token},
    )
    assert posted.status_code in (200, 302)
    assert "登录后马上回复" in page(Client(), f"/t/{thread.pk}/")
