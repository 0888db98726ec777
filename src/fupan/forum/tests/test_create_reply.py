import pytest

from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions import do_create_reply, do_delete_post
from fupan.forum.models import Post, Thread


@pytest.mark.django_db
def test_replies_take_the_next_floors_in_order(thread, other_member):
    third = Post.objects.get(thread=thread, position=3)
    post = do_create_reply(thread, acting_user=other_member, body="第四楼")
    assert post.position == 4 and third.position == 3
    thread.refresh_from_db()
    assert thread.max_position == 4 and thread.replies == 3
    assert (
        thread.last_poster_id == other_member.pk
        and thread.last_poster_name == other_member.username
    )


@pytest.mark.django_db
def test_reply_moves_board_and_member_counters(thread, board, other_member):
    board.refresh_from_db()
    before = (board.posts, board.today_posts)
    do_create_reply(thread, acting_user=other_member, body="顶")
    board.refresh_from_db()
    other_member.refresh_from_db()
    assert (board.posts, board.today_posts) == (before[0] + 1, before[1] + 1)
    assert board.threads == 1
    assert (other_member.posts, other_member.threads) == (1, 0)


@pytest.mark.django_db
def test_a_deleted_floor_is_never_reused(thread, other_member, moderator):
    last = Post.objects.get(thread=thread, position=3)
    do_delete_post(last, acting_user=moderator)
    post = do_create_reply(thread, acting_user=other_member, body="新回复")
    assert post.position == 4
    assert list(
        Post.objects.filter(thread=thread).order_by("position").values_list("position", flat=True)
    ) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_reply_to_a_closed_thread_is_refused_but_a_moderator_may(
    thread_factory, board, member, moderator
):
    closed = thread_factory(board, closed=True)
    with pytest.raises(FupanError) as exc:
        do_create_reply(closed, acting_user=member, body="还能回复吗")
    assert exc.value.code == ErrorCode.THREAD_CLOSED
    assert Thread.objects.get(pk=closed.pk).replies == 0
    post = do_create_reply(closed, acting_user=moderator, body="版主说明", moderator=True)
    assert post.position == 2


@pytest.mark.django_db
def test_reply_records_the_client_and_ip(thread, member):
    post = do_create_reply(
        thread, acting_user=member, body="手机发的", client=Post.Client.MOBILE_WEB, ip="10.1.2.3"
    )
    post.refresh_from_db()
    assert post.from_mobile and post.ip == "10.1.2.3"


@pytest.mark.django_db
def test_a_reply_committed_late_does_not_take_the_last_post_back(
    thread, board, member, other_member
):
    """Two replies committing out of order: the newer stays the thread's and board's last
    post, while both count (and a reply dated yesterday is not one of today's)."""
    from datetime import timedelta

    from django.utils import timezone

    from fupan.forum.models import Board

    now = timezone.now()
    do_create_reply(thread, acting_user=other_member, body="新的", now=now)
    before = Board.objects.get(pk=board.pk)
    do_create_reply(thread, acting_user=member, body="旧的", now=now - timedelta(days=1))
    thread.refresh_from_db()
    after = Board.objects.get(pk=board.pk)
    assert thread.last_poster_id == other_member.pk and thread.last_post_at == now
    assert (after.last_poster_name, after.last_post_at) == (other_member.username, now)
    assert after.last_thread_id == thread.pk and after.last_thread_title == thread.title
    assert after.posts == before.posts + 1 and after.today_posts == before.today_posts
    assert thread.replies == 4 and thread.max_position == 5
