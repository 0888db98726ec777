"""提醒: replies, quotes, @mentions, votes, followed threads, moderation and report outcomes reach
the member they concern, with the unread count in the header; blocks silence the blocked."""

from __future__ import annotations

import pytest
from django.core import mail

from fupan.accounts.actions import do_block_user
from fupan.core.actions import do_update_site_settings
from fupan.forum.models import BoardPermission, Post, Thread
from fupan.inbox.models import Notification
from fupan.testing.html import visible_text


def _badge(client) -> str:
    """The header's notifications link as the member reads it."""
    html = client.get("/").content.decode()
    start = html.index('class="um-notice')
    return visible_text(html[html.rindex("<a", 0, start) : html.index("</a>", start) + 4])


def _notices(client, query: str = "") -> str:
    return visible_text(client.get(f"/notifications/{query}").content.decode())


@pytest.fixture
def reader(user_factory):
    return user_factory("路过的人")


@pytest.mark.django_db
def test_a_reply_notifies_the_thread_author_with_a_header_badge_until_read(
    member, member_client, other_member_client, thread
):
    assert _badge(member_client) == "提醒"
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "我也遇到了"})
    assert _badge(member_client) == "提醒1"
    text = _notices(member_client)
    assert "另一会员 回复了您的主题 “测试主题”" in text and "我也遇到了" in text
    assert _badge(member_client) == "提醒"  # reading the list marks it read
    member.refresh_from_db()
    assert member.new_notifications == 0
    assert not Notification.objects.filter(user=member, is_new=True).exists()


@pytest.mark.django_db
def test_more_replies_fold_into_the_unread_notification(
    member, member_client, other_member_client, client_for, reader, thread
):
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "第一条"})
    client_for(reader).post(f"/t/{thread.pk}/reply/", {"body": "第二条"})
    assert _badge(member_client) == "提醒1"
    assert "路过的人 等 1 人回复了您的主题 “测试主题”" in _notices(member_client)
    # Once read, the next reply starts a new notification.
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "第三条"})
    assert Notification.objects.filter(user=member).count() == 2


@pytest.mark.django_db
def test_a_quote_notifies_the_quoted_member_and_the_author_hears_of_the_reply(
    member, member_client, other_member, other_member_client, client_for, reader, thread
):
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "原话在此"})
    quoted = Post.objects.get(thread=thread, author=other_member)
    form = client_for(reader).get(f"/t/{thread.pk}/reply/?quote={quoted.pk}")
    body = form.context["form"]["body"].value() + "说得对"
    client_for(reader).post(f"/t/{thread.pk}/reply/", {"body": body})
    assert "路过的人 在 “测试主题” 中引用了您的帖子" in _notices(other_member_client)
    assert Notification.objects.filter(user=member, kind="reply", actor=reader).exists()
    assert not Notification.objects.filter(user=other_member, kind="reply").exists()


@pytest.mark.django_db
def test_mentions_notify_members_who_can_read_the_thread(
    member_client, other_member, other_member_client, user_factory, board_factory, thread
):
    hidden = board_factory("内部版块")
    outsider = user_factory("看不见的人")
    BoardPermission.objects.create(board=hidden, group_id=outsider.group_id, can_view=False)
    from fupan.permissions.core import purge_board_overrides

    purge_board_overrides()
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "@另一会员 你看看这个"})
    assert "普通会员 在 “测试主题” 中提到了您" in _notices(other_member_client)
    member_client.post(f"/f/{hidden.pk}/new/", {"title": "内部通知", "body": "@看不见的人 你好"})
    assert not Notification.objects.filter(user=outsider).exists()


@pytest.mark.django_db
def test_a_mention_in_a_new_thread_notifies(member_client, other_member, board):
    member_client.post(f"/f/{board.pk}/new/", {"title": "请教", "body": "@另一会员 帮忙看看"})
    n = Notification.objects.get(user=other_member)
    assert n.kind == "mention" and n.subject == "请教"


@pytest.mark.django_db
def test_votes_on_a_reply_notify_its_author_folded(
    member, other_member_client, client_for, reader, thread, member_client
):
    reply = Post.objects.get(thread=thread, position=2)
    other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "support"})
    assert "另一会员 支持了您在 “测试主题” 中的回复" in visible_text(
        member_client.get("/notifications/").content.decode()
    )
    other_reply = Post.objects.get(thread=thread, position=3)
    other_member_client.post(f"/p/{other_reply.pk}/vote/", {"value": "oppose"})
    client_for(reader).post(f"/p/{other_reply.pk}/vote/", {"value": "support"})
    assert "路过的人 等 1 人对您在 “测试主题” 中的回复表态" in _notices(member_client)


@pytest.mark.django_db
def test_followers_hear_of_replies_until_they_unfollow(
    member_client, other_member, other_member_client, client_for, reader, thread
):
    response = other_member_client.post(f"/t/{thread.pk}/follow/")
    assert response.status_code == 302
    assert "已关注" in other_member_client.get(f"/t/{thread.pk}/").content.decode()
    client_for(reader).post(f"/t/{thread.pk}/reply/", {"body": "新进展"})
    assert "路过的人 回复了您关注的主题 “测试主题”" in _notices(other_member_client)
    other_member_client.post(f"/t/{thread.pk}/follow/", {"remove": "1"})
    client_for(reader).post(f"/t/{thread.pk}/reply/", {"body": "又有进展"})
    other_member.refresh_from_db()
    assert other_member.new_notifications == 0


@pytest.mark.django_db
def test_a_member_who_blocked_someone_is_not_notified_by_them(
    member, other_member, other_member_client, thread
):
    do_block_user(member, other_member)
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "@普通会员 在吗"})
    assert Post.objects.filter(thread=thread, author=other_member).exists()
    assert not Notification.objects.filter(user=member).exists()


@pytest.mark.django_db
def test_moderation_of_a_members_thread_tells_them_what_and_why(
    member, member_client, moderator_client, thread
):
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "close", "reason": "讨论已结束"})
    text = _notices(member_client)
    assert "管理员 版主乙：关闭主题 — “测试主题”" in text and "讨论已结束" in text


@pytest.mark.django_db
def test_a_held_reply_notifies_only_once_approved(
    member, other_member, other_member_client, moderator_client, thread
):
    do_update_site_settings(acting_user=None, review_first_posts=5)
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "待审核的回复"})
    held = Post.objects.get(thread=thread, author=other_member)
    assert held.state == Post.State.PENDING
    assert not Notification.objects.filter(user=member).exists()
    moderator_client.post(f"/p/{held.pk}/review/", {"decision": "approve"})
    assert Notification.objects.filter(user=member, kind="reply").exists()
    assert Notification.objects.filter(
        user=other_member, kind="moderation", verb="approve"
    ).exists()


@pytest.mark.django_db
def test_deleting_an_unread_notification_lowers_the_count(
    member, member_client, other_member_client, thread, htmx_headers
):
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "一条回复"})
    n = Notification.objects.get(user=member)
    response = member_client.post(f"/notifications/{n.pk}/delete/", **htmx_headers)
    assert response.status_code == 200 and response.content == b""
    member.refresh_from_db()
    assert member.new_notifications == 0 and not Notification.objects.exists()
    # Someone else's notification cannot be deleted.
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "又一条"})
    n = Notification.objects.get(user=member)
    other_member_client.post(f"/notifications/{n.pk}/delete/")
    assert Notification.objects.filter(pk=n.pk).exists()


@pytest.mark.django_db
def test_tabs_filter_the_list(member, member_client, other_member_client, moderator_client, thread):
    other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "回复"})
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "close", "reason": "结束"})
    assert "回复了您的主题" not in _notices(member_client, "?kind=system")
    assert "关闭主题" in _notices(member_client, "?kind=system")
    assert "关闭主题" not in _notices(member_client, "?kind=posts")


@pytest.mark.django_db
def test_email_goes_to_members_who_chose_the_kind(
    member, member_client, other_member_client, thread, django_capture_on_commit_callbacks
):
    from fupan.accounts.models import User

    User.objects.filter(pk=member.pk).update(email="member@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "第一次"})
    assert mail.outbox == []  # "reply" is not among the default email choices
    member_client.post("/settings/", {"form": "notify", "email_notify": ["message", "reply"]})
    member.refresh_from_db()
    assert member.email_notify == ["message", "reply"]
    member_client.get("/notifications/")  # read: the next reply makes a new notification
    with django_capture_on_commit_callbacks(execute=True):
        other_member_client.post(f"/t/{thread.pk}/reply/", {"body": "第二次回复"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.com"]
    assert "另一会员 回复了您的主题 “测试主题”" in message.subject
    assert "第二次回复" in message.body and "/p/" in message.body


@pytest.mark.django_db
def test_guests_are_sent_to_log_in(guest_client):
    response = guest_client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_notifications_page_query_budget(
    member, member_client, other_member_client, user_factory, board, django_assert_num_queries
):
    _thread_with_replies(member, board, user_factory)
    assert Notification.objects.filter(user=member).count() == 5  # five mentions
    member_client.get("/")
    # member, count, page, then marking read: the rows and the member's counter, in a savepoint
    with django_assert_num_queries(7):
        assert member_client.get("/notifications/").status_code == 200
    with django_assert_num_queries(3):  # nothing new: no writes
        assert member_client.get("/notifications/").status_code == 200


def _thread_with_replies(member, board, user_factory):
    from fupan.forum.actions import do_create_reply, do_create_thread

    thread = do_create_thread(board, acting_user=member, title="很多回复", body="正文")
    for i in range(5):
        do_create_reply(thread, acting_user=user_factory(), body=f"@普通会员 回复{i}")
    return thread


@pytest.mark.django_db
def test_mentions_ignore_quoted_text_and_unknown_names(member_client, other_member, thread):
    member_client.post(
        f"/t/{thread.pk}/reply/",
        {"body": "[quote]@另一会员 说过[/quote]@不存在的人 你好"},
    )
    assert not Notification.objects.filter(user=other_member).exists()


@pytest.mark.django_db
def test_a_board_no_one_can_see_does_not_leak_by_mention(user_factory, board_factory, client_for):
    secret = board_factory("版主区", is_visible=False)
    admin = user_factory("站长", group=1)
    someone = user_factory("普通人")
    client_for(admin).post(f"/f/{secret.pk}/new/", {"title": "秘密", "body": "@普通人 看"})
    assert Thread.objects.filter(title="秘密").exists()
    assert not Notification.objects.filter(user=someone).exists()
