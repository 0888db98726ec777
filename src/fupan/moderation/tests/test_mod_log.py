"""Every moderation action leaves a line in the log: who, what, when, why."""

import pytest

from fupan.accounts.bans import do_ban_user
from fupan.accounts.models import Ban
from fupan.forum.models import Post
from fupan.moderation.models import ModAction


@pytest.mark.django_db
def test_thread_and_post_actions_are_logged_with_the_reason(moderator_client, moderator, thread):
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "close", "reason": "讨论已结束"})
    post = Post.objects.get(thread=thread, position=2)
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "hide", "reason": "人身攻击"})
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "delete", "reason": "违规"})
    entries = list(
        ModAction.objects.order_by("id").values_list("action", "actor_id", "thread_id", "reason")
    )
    assert entries == [
        ("close", moderator.pk, thread.pk, "讨论已结束"),
        ("hide", moderator.pk, thread.pk, "人身攻击"),
        ("delete_post", moderator.pk, thread.pk, "违规"),
    ]
    assert ModAction.objects.get(action="hide").post_id == post.pk
    assert ModAction.objects.get(action="close").board_id == thread.board_id


@pytest.mark.django_db
def test_bans_and_their_end_are_logged(member, moderator):
    do_ban_user(member, acting_user=moderator, kind=Ban.Kind.POST, reason="灌水")
    from fupan.accounts.bans import do_unban_user

    do_unban_user(member, acting_user=None)
    assert list(
        ModAction.objects.order_by("id").values_list("action", "member_id", "actor_name")
    ) == [
        ("ban", member.pk, moderator.username),
        ("unban", member.pk, ""),
    ]


@pytest.mark.django_db
def test_moderators_read_their_boards_log_and_members_cannot(
    moderator_client, member_client, guest_client, thread
):
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "digest", "level": "1"})
    response = moderator_client.get("/mod/log/")
    assert response.status_code == 200 and "测试主题" in response.content.decode()
    filtered = moderator_client.get("/mod/log/?action=close")
    assert filtered.context["total"] == 0
    assert member_client.get("/mod/log/").status_code == 403
    assert guest_client.get("/mod/log/").status_code == 403


@pytest.mark.django_db
def test_a_moderator_of_another_board_does_not_see_these_entries(
    client_for, user_factory, board_factory, moderator_client, thread
):
    from fupan.accounts.models import UserGroup
    from fupan.forum.models import BoardModerator

    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "close"})
    other = user_factory(group=UserGroup.MODERATOR)
    BoardModerator.objects.create(board=board_factory(), user=other)
    assert client_for(other).get("/mod/log/").context["total"] == 0


@pytest.mark.django_db
def test_log_query_budget(moderator_client, thread, django_assert_num_queries):
    for action in ("close", "open", "close"):
        moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": action})
    moderator_client.get("/mod/log/")
    with django_assert_num_queries(4):  # member, moderated boards, count, page
        moderator_client.get("/mod/log/")
