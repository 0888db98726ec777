"""Posts from new members (or in reviewed boards) wait for a moderator; they count only once approved."""

import pytest

from fupan.core.actions import do_update_site_settings
from fupan.forum.models import Board, Post, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all


def consistent():
    before = counter_snapshot()
    synchronize_all()
    return counter_snapshot() == before


@pytest.mark.django_db
def test_a_new_members_first_posts_wait_and_count_once_approved(
    member_client, other_member_client, moderator_client, board, member
):
    do_update_site_settings(acting_user=None, review_first_posts=5)
    member_client.post(f"/f/{board.pk}/new/", {"title": "新人的第一帖", "body": "大家好"})
    thread = Thread.objects.get(title="新人的第一帖")
    assert thread.state == Thread.State.PENDING
    board.refresh_from_db()
    assert board.threads == 0 and board.posts == 0
    assert member_client.get(f"/t/{thread.pk}/").status_code == 200  # the author sees it
    assert other_member_client.get(f"/t/{thread.pk}/").status_code == 404
    assert "新人的第一帖" not in other_member_client.get(f"/f/{board.pk}/").content.decode()
    assert consistent()

    queue = moderator_client.get("/mod/review/")
    assert queue.status_code == 200 and "新人的第一帖" in queue.content.decode()
    first = Post.objects.get(thread=thread, position=1)
    moderator_client.post(f"/p/{first.pk}/review/", {"decision": "approve"})
    assert Thread.objects.get(pk=thread.pk).state == Thread.State.VISIBLE
    board.refresh_from_db()
    member.refresh_from_db()
    assert (board.threads, board.posts, member.posts, member.threads) == (1, 1, 1, 1)
    assert consistent()


@pytest.mark.django_db
def test_a_pending_reply_holds_its_floor_and_is_hidden_from_others(
    member_client, other_member_client, moderator_client, board, thread_factory, other_member
):
    Board.objects.filter(pk=board.pk).update(review_posts=Board.Review.ALL)
    thread = thread_factory(
        board, author=other_member, replies=1
    )  # the factory uses actions directly
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "等待审核的回复"})
    pending = Post.objects.get(thread=thread, position=3)
    assert pending.state == Post.State.PENDING
    assert Thread.objects.get(pk=thread.pk).replies == 1
    assert "等待审核的回复" in member_client.get(f"/t/{thread.pk}/").content.decode()
    assert "等待审核的回复" not in other_member_client.get(f"/t/{thread.pk}/").content.decode()
    # A later reply (by a moderator, never reviewed) takes the next floor.
    moderator_client.post(f"/t/{thread.pk}/reply/", {"body": "版主的回复"})
    assert Post.objects.get(thread=thread, position=4).state == Post.State.VISIBLE
    moderator_client.post(f"/p/{pending.pk}/review/", {"decision": "reject", "reason": "灌水"})
    assert Post.objects.get(pk=pending.pk).state == Post.State.DELETED
    assert Thread.objects.get(pk=thread.pk).replies == 2
    assert consistent()


@pytest.mark.django_db
def test_deciding_twice_is_refused_with_a_message(
    member_client, moderator_client, board, moderator
):
    do_update_site_settings(acting_user=None, review_first_posts=1)
    member_client.post(f"/f/{board.pk}/new/", {"title": "待审", "body": "内容"})
    first = Post.objects.get(thread__title="待审")
    moderator_client.post(f"/p/{first.pk}/review/", {"decision": "approve"})
    response = moderator_client.post(f"/p/{first.pk}/review/", {"decision": "reject"}, follow=True)
    assert 'class="msg-error"' in response.content.decode()
    assert Post.objects.get(pk=first.pk).state == Post.State.VISIBLE


@pytest.mark.django_db
def test_members_cannot_see_or_work_the_queue(member_client, guest_client):
    assert member_client.get("/mod/review/").status_code == 403
    assert guest_client.get("/mod/review/").status_code == 403


@pytest.mark.django_db
def test_review_queue_query_budget(
    moderator_client, member_client, board, django_assert_num_queries
):
    do_update_site_settings(acting_user=None, review_first_posts=10)
    for i in range(5):
        member_client.post(f"/f/{board.pk}/new/", {"title": f"待审{i}", "body": "内容"})
    moderator_client.get("/mod/review/")
    with django_assert_num_queries(4):  # member, moderated boards, count, posts
        moderator_client.get("/mod/review/")
