"""Sensitive words (词语过滤) in titles and posts: replace words are stored replaced, a block word
refuses the post (kept in the editor), a review word sends a member's post to the review queue —
never a moderator's. Counters stay what a recount says."""

from __future__ import annotations

import pytest

from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions import do_create_reply, do_create_thread, do_edit_post
from fupan.forum.models import Post, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all
from fupan.moderation.actions import do_add_censor_words

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def word_list(db):
    do_add_censor_words(["傻瓜", "尼玛=你妈"], acting_user=None, action="replace")
    do_add_censor_words(["六合彩", "代开发票"], acting_user=None, action="block")
    do_add_censor_words(["刷单", "兼职"], acting_user=None, action="review")


def consistent() -> bool:
    before = counter_snapshot()
    synchronize_all()
    return counter_snapshot() == before


def visible_reply(thread_factory, board, author):
    thread = thread_factory(board, author=author, replies=1)
    return thread, Post.objects.select_related("thread", "thread__board").get(
        thread=thread, position=2
    )


# Replace ----------------------------------------------------------------------------------------


def test_replace_words_are_stored_replaced_in_title_and_body(board, member):
    thread = do_create_thread(board, acting_user=member, title="谁是傻瓜", body="尼玛，傻 瓜！")
    post = Post.objects.get(thread=thread, position=1)
    assert Thread.objects.get(pk=thread.pk).title == "谁是**"
    assert post.body == "你妈，**！" and "傻" not in post.html
    assert thread.state == Thread.State.VISIBLE


def test_replace_words_apply_to_replies_and_edits(board, member, thread_factory):
    thread, reply = visible_reply(thread_factory, board, member)
    post = do_create_reply(thread, acting_user=member, body="你才是傻瓜")
    assert Post.objects.get(pk=post.pk).body == "你才是**"
    do_edit_post(reply, acting_user=member, body="改成 尼玛")
    assert Post.objects.get(pk=reply.pk).body == "改成 你妈"


def test_moderators_posts_are_not_exempt_from_replace_and_block(board, moderator, thread_factory):
    thread, _reply = visible_reply(thread_factory, board, moderator)
    post = do_create_reply(thread, acting_user=moderator, body="傻瓜", moderator=True)
    assert Post.objects.get(pk=post.pk).body == "**"
    with pytest.raises(FupanError) as caught:
        do_create_reply(thread, acting_user=moderator, body="买六合彩", moderator=True)
    assert caught.value.code == ErrorCode.WORD_BLOCKED


def test_a_replacement_that_makes_the_title_too_long_is_refused(board, member):
    do_add_censor_words(["长=很长很长很长很长很长"], acting_user=None)
    with pytest.raises(FupanError) as caught:
        do_create_thread(board, acting_user=member, title="长" * 20, body="正文")
    assert caught.value.field == "title"
    assert not Thread.objects.exists()


# Block -------------------------------------------------------------------------------------------


def test_a_block_word_refuses_the_thread_and_names_the_word(board, member):
    with pytest.raises(FupanError) as caught:
        do_create_thread(board, acting_user=member, title="好消息", body="代 开 发 票，请联系")
    assert caught.value.field == "body" and "代开发票" in caught.value.message
    with pytest.raises(FupanError) as caught:
        do_create_thread(board, acting_user=member, title="六合彩开奖", body="正文")
    assert caught.value.field == "title" and "六合彩" in caught.value.message
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_new_thread_view_keeps_the_text_in_the_editor_if_a_word_is_blocked(member_client, board):
    response = member_client.post(
        f"/f/{board.pk}/new/", {"title": "转让", "body": "本人代开发票，价格优惠"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "本人代开发票，价格优惠" in html and 'role="alert"' in html
    assert not Thread.objects.exists()


def test_reply_view_keeps_draft_if_body_has_banned_word(member_client, thread):
    before = Post.objects.count()
    response = member_client.post(f"/t/{thread.pk}/reply/", {"body": "买六合彩吗"})
    assert response.status_code == 400 and "买六合彩吗" in response.content.decode()
    quick = member_client.post(
        f"/t/{thread.pk}/reply/", {"body": "买六合彩吗", "quick": "1"}, **HTMX
    )
    assert quick.status_code == 400 and "买六合彩吗" in quick.content.decode()
    assert Post.objects.count() == before


def test_edit_view_keeps_the_text_if_a_word_is_blocked(member_client, thread):
    reply = Post.objects.get(thread=thread, position=2)
    response = member_client.post(f"/p/{reply.pk}/edit/", {"body": "改成代开发票"})
    assert response.status_code == 400 and "改成代开发票" in response.content.decode()
    assert Post.objects.get(pk=reply.pk).body == reply.body


# Review ------------------------------------------------------------------------------------------


def test_a_review_word_sends_a_members_thread_to_the_review_queue(
    member_client, other_member_client, moderator_client, board, member
):
    response = member_client.post(f"/f/{board.pk}/new/", {"title": "招聘兼职", "body": "日结"})
    thread = Thread.objects.get(title="招聘兼职")
    assert response.status_code == 302
    assert thread.state == Thread.State.PENDING
    assert other_member_client.get(f"/t/{thread.pk}/").status_code == 404
    assert "招聘兼职" in moderator_client.get("/mod/review/").content.decode()
    board.refresh_from_db()
    assert board.threads == 0 and consistent()

    first = Post.objects.get(thread=thread, position=1)
    moderator_client.post(f"/p/{first.pk}/review/", {"decision": "approve"})
    board.refresh_from_db()
    member.refresh_from_db()
    assert (board.threads, board.posts, member.threads, member.posts) == (1, 1, 1, 1)
    assert consistent()


def test_a_review_word_sends_a_members_reply_to_the_review_queue(
    member_client, moderator_client, thread
):
    replies = thread.replies
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "刷 单 返利"})
    pending = Post.objects.get(thread=thread, body="刷 单 返利")
    assert pending.state == Post.State.PENDING
    assert Thread.objects.get(pk=thread.pk).replies == replies
    assert "刷 单 返利" in moderator_client.get("/mod/review/").content.decode()
    assert consistent()


def test_review_words_are_replaced_too_when_both_are_present(board, member):
    thread = do_create_thread(board, acting_user=member, title="兼职", body="傻瓜才不来")
    assert thread.state == Thread.State.PENDING
    assert Post.objects.get(thread=thread).body == "**才不来"


def test_moderators_posts_are_not_sent_to_review(moderator_client, board, thread):
    moderator_client.post(f"/f/{board.pk}/new/", {"title": "本版招聘兼职版主", "body": "欢迎"})
    assert Thread.objects.get(title="本版招聘兼职版主").state == Thread.State.VISIBLE
    moderator_client.post(f"/t/{thread.pk}/reply/", {"body": "刷单的帖子会被删除"})
    assert Post.objects.get(body="刷单的帖子会被删除").state == Post.State.VISIBLE
    assert consistent()


def test_editing_a_reply_with_a_review_word_sends_it_back_to_review_until_approved(
    member_client, moderator_client, board, member, thread_factory
):
    thread, reply = visible_reply(thread_factory, board, member)
    member.refresh_from_db()
    board.refresh_from_db()
    counts = (board.posts, member.posts, Thread.objects.get(pk=thread.pk).replies)
    response = member_client.post(f"/p/{reply.pk}/edit/", {"body": "其实是刷单"}, follow=True)
    assert "您的帖子需要版主审核" in response.content.decode()
    assert Post.objects.get(pk=reply.pk).state == Post.State.PENDING
    board.refresh_from_db()
    member.refresh_from_db()
    assert (board.posts, member.posts, Thread.objects.get(pk=thread.pk).replies) == (
        counts[0] - 1,
        counts[1] - 1,
        counts[2] - 1,
    )
    assert consistent()
    assert "其实是刷单" in moderator_client.get("/mod/review/").content.decode()

    moderator_client.post(f"/p/{reply.pk}/review/", {"decision": "approve"})
    board.refresh_from_db()
    member.refresh_from_db()
    assert (board.posts, member.posts, Thread.objects.get(pk=thread.pk).replies) == counts
    assert consistent()


def test_editing_a_pending_post_with_a_review_word_keeps_it_waiting(board, member):
    thread = do_create_thread(board, acting_user=member, title="标题", body="正文", pending=True)
    first = Post.objects.select_related("thread", "thread__board").get(thread=thread)
    do_edit_post(first, acting_user=member, body="兼职招聘", title="标题")
    assert Post.objects.get(pk=first.pk).state == Post.State.PENDING
    assert Thread.objects.get(pk=thread.pk).state == Thread.State.PENDING
    assert consistent()


def test_a_review_word_in_an_edit_of_a_published_thread_is_refused_with_the_words_named(
    member_client, thread
):
    first = Post.objects.get(thread=thread, position=1)
    response = member_client.post(
        f"/p/{first.pk}/edit/", {"title": "测试主题", "body": "改成刷单的内容"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "改成刷单的内容" in html and "刷单" in html
    assert Post.objects.get(pk=first.pk).state == Post.State.VISIBLE
    assert Thread.objects.get(pk=thread.pk).title == "测试主题"


def test_a_moderator_editing_with_a_review_word_keeps_the_post_visible(moderator_client, thread):
    reply = Post.objects.get(thread=thread, position=2)
    first = Post.objects.get(thread=thread, position=1)
    moderator_client.post(f"/p/{reply.pk}/edit/", {"body": "版主注：这是刷单"})
    moderator_client.post(f"/p/{first.pk}/edit/", {"title": "兼职信息", "body": "版主整理"})
    assert Post.objects.get(pk=reply.pk).state == Post.State.VISIBLE
    assert Post.objects.get(pk=first.pk).state == Post.State.VISIBLE
    assert Thread.objects.get(pk=thread.pk).title == "兼职信息"
    assert consistent()
