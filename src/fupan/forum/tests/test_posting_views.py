"""New thread, reply, edit, delete and preview views: guest, no permission, missing object, happy
path, htmx twin — and a rejected post always keeps its text."""

import pytest

from fupan.accounts.models import UserGroup
from fupan.core.actions import do_update_site_settings
from fupan.forum.models import Post, Thread

# New thread -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_guest_asking_for_the_new_thread_editor_is_sent_to_login(guest_client, board):
    response = guest_client.get(f"/f/{board.pk}/new/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_member_starts_a_thread_and_lands_on_it(member_client, board, member):
    advice = board.thread_types.get(name="建言献策")
    response = member_client.post(
        f"/f/{board.pk}/new/",
        {
            "title": "建议增开夜班公交",
            "body": "[b]晚上十点后[/b]没车了",
            "type": advice.pk,
            "token": "t1",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    assert thread.type == advice and thread.author == member
    page = member_client.get(response["Location"]).content.decode()
    assert "<strong>晚上十点后</strong>" in page


@pytest.mark.django_db
def test_new_thread_with_empty_title_keeps_the_body_and_says_why(member_client, board):
    response = member_client.post(
        f"/f/{board.pk}/new/", {"title": "  ", "body": "我写了很长的一段话"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "我写了很长的一段话" in html
    assert 'role="alert"' in html
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_new_thread_with_overlong_title_keeps_both_fields(member_client, board):
    title = "长" * 120
    response = member_client.post(f"/f/{board.pk}/new/", {"title": title, "body": "正文"})
    html = response.content.decode()
    assert response.status_code == 400 and title in html and "120" in html


@pytest.mark.django_db
def test_a_double_submitted_thread_is_created_once(member_client, board):
    data = {"title": "只发一次", "body": "双击了发帖按钮", "token": "same-token"}
    first = member_client.post(f"/f/{board.pk}/new/", data)
    second = member_client.post(f"/f/{board.pk}/new/", data)
    assert Thread.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


@pytest.mark.django_db
def test_banned_member_cannot_start_threads_and_keeps_the_text(client_for, user_factory, board):
    banned = user_factory("被禁言的", group=UserGroup.BANNED_POST)
    response = client_for(banned).post(f"/f/{board.pk}/new/", {"title": "标题", "body": "想说的话"})
    assert response.status_code == 403 and "想说的话" in response.content.decode()
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_new_thread_in_missing_board_is_404(member_client):
    assert member_client.get("/f/424242/new/").status_code == 404
    assert member_client.post("/f/424242/new/", {"title": "a", "body": "b"}).status_code == 404


@pytest.mark.django_db
def test_new_thread_preview_without_javascript_renders_and_keeps_the_text(member_client, board):
    response = member_client.post(
        f"/f/{board.pk}/new/", {"title": "预览", "body": "[i]斜体[/i]", "preview": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<i>斜体</i>" in html and "[i]斜体[/i]" in html
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_new_thread_htmx_twin_redirects_the_client(member_client, board, htmx_headers):
    response = member_client.post(
        f"/f/{board.pk}/new/", {"title": "htmx", "body": "正文"}, **htmx_headers
    )
    assert (
        response.status_code == 200 and response["HX-Redirect"] == f"/t/{Thread.objects.get().pk}/"
    )


@pytest.mark.django_db
def test_posting_too_fast_is_refused_with_the_text_kept(member_client, board):
    do_update_site_settings(acting_user=None, post_interval=30)
    member_client.post(f"/f/{board.pk}/new/", {"title": "第一帖", "body": "一"})
    response = member_client.post(
        f"/f/{board.pk}/new/", {"title": "第二帖", "body": "紧接着的第二帖"}
    )
    assert response.status_code == 429 and "紧接着的第二帖" in response.content.decode()
    assert Thread.objects.count() == 1


# Reply ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_replies_and_lands_on_the_new_floor(other_member_client, thread):
    response = other_member_client.post(
        f"/t/{thread.pk}/reply/", {"body": "同意楼主", "token": "r1"}
    )
    post = Post.objects.get(thread=thread, position=4)
    assert response.status_code == 302 and response["Location"].endswith(f"#pid{post.pk}")
    assert Thread.objects.get(pk=thread.pk).replies == 3


@pytest.mark.django_db
def test_reply_from_a_phone_is_marked_from_mobile(other_member_client, thread):
    other_member_client.post(
        f"/t/{thread.pk}/reply/",
        {"body": "手机回复"},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148",
    )
    post = Post.objects.get(thread=thread, position=4)
    assert post.client == Post.Client.MOBILE_WEB
    assert "来自手机" in other_member_client.get(f"/t/{thread.pk}/").content.decode()


@pytest.mark.django_db
def test_guest_reply_is_refused_but_the_text_comes_back(guest_client, thread):
    response = guest_client.post(f"/t/{thread.pk}/reply/", {"body": "游客想说的话"})
    html = response.content.decode()
    assert response.status_code == 403 and "游客想说的话" in html and "/login/" in html
    assert Post.objects.filter(thread=thread).count() == 3


@pytest.mark.django_db
def test_reply_to_closed_thread_is_refused_with_the_text_kept(member_client, board, thread_factory):
    closed = thread_factory(board, closed=True)
    response = member_client.post(f"/t/{closed.pk}/reply/", {"body": "关了还想回"})
    assert response.status_code == 403 and "关了还想回" in response.content.decode()
    assert Post.objects.filter(thread=closed).count() == 1


@pytest.mark.django_db
def test_empty_reply_is_refused(member_client, thread):
    response = member_client.post(f"/t/{thread.pk}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert Post.objects.filter(thread=thread).count() == 3


@pytest.mark.django_db
def test_reply_to_missing_thread_is_404(member_client):
    assert member_client.post("/t/424242/reply/", {"body": "x"}).status_code == 404


@pytest.mark.django_db
def test_quote_prefills_the_editor(other_member_client, thread):
    quoted = Post.objects.get(thread=thread, position=2)
    html = other_member_client.get(f"/t/{thread.pk}/reply/?quote={quoted.pk}").content.decode()
    assert "[quote]" in html and "第2楼的回复" in html


@pytest.mark.django_db
def test_quick_reply_with_htmx_appends_the_floor_and_resets_the_form(
    other_member_client, thread, htmx_headers
):
    response = other_member_client.post(
        f"/t/{thread.pk}/reply/",
        {"body": "快速回复", "quick": "1", "append": "1", "token": "q1"},
        **htmx_headers,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend"' in html and "快速回复" in html
    assert 'id="fastpostmessage"' in html and "></textarea>" in html  # a fresh, empty box


@pytest.mark.django_db
def test_quick_reply_error_with_htmx_keeps_the_text_in_the_box(
    member_client, board, thread_factory, htmx_headers
):
    closed = thread_factory(board, closed=True)
    response = member_client.post(
        f"/t/{closed.pk}/reply/", {"body": "保留我", "quick": "1"}, **htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 403 and "保留我</textarea>" in html and 'role="alert"' in html


# Edit and delete ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_author_edits_and_the_post_says_who_edited(member_client, thread, member):
    first = Post.objects.get(thread=thread, position=1)
    response = member_client.post(f"/p/{first.pk}/edit/", {"title": "新标题", "body": "新正文"})
    assert response.status_code == 302
    html = member_client.get(f"/t/{thread.pk}/").content.decode()
    assert "新正文" in html and "新标题" in html
    assert f"本帖最后由 {member.username}" in html


@pytest.mark.django_db
def test_another_member_cannot_edit(other_member_client, guest_client, thread):
    first = Post.objects.get(thread=thread, position=1)
    assert other_member_client.get(f"/p/{first.pk}/edit/").status_code == 403
    response = other_member_client.post(f"/p/{first.pk}/edit/", {"title": "x", "body": "篡改"})
    assert response.status_code == 403 and "篡改" in response.content.decode()
    assert Post.objects.get(pk=first.pk).body == "正文内容"
    assert guest_client.get(f"/p/{first.pk}/edit/").status_code == 302


@pytest.mark.django_db
def test_edit_of_missing_post_is_404(member_client):
    assert member_client.get("/p/424242/edit/").status_code == 404


@pytest.mark.django_db
def test_moderator_deletes_a_reply(moderator_client, member_client, thread):
    post = Post.objects.get(thread=thread, position=2)
    assert member_client.post(f"/p/{post.pk}/delete/").status_code == 403
    assert moderator_client.get(f"/p/{post.pk}/delete/").status_code == 200
    response = moderator_client.post(f"/p/{post.pk}/delete/", {"reason": "灌水"})
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).state == Post.State.DELETED
    assert Thread.objects.get(pk=thread.pk).replies == 1


# Preview --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_htmx_preview_renders_discuz_code(member_client, board, htmx_headers):
    response = member_client.post(
        "/preview/", {"body": "[b]粗体[/b]", "board": board.pk}, **htmx_headers
    )
    assert response.status_code == 200 and "<strong>粗体</strong>" in response.content.decode()


@pytest.mark.django_db
def test_guest_preview_is_refused(guest_client):
    assert guest_client.post("/preview/", {"body": "x"}).status_code == 403
