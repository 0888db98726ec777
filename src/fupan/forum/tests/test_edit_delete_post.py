import pytest

from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions import do_create_reply, do_delete_post, do_delete_thread, do_edit_post
from fupan.forum.models import Board, Post, PostRevision, Thread


@pytest.mark.django_db
def test_edit_keeps_a_revision_and_marks_the_editor(thread, member):
    first = Post.objects.get(thread=thread, position=1)
    do_edit_post(first, acting_user=member, body="改过的正文", title="改过的标题")
    first.refresh_from_db()
    thread.refresh_from_db()
    assert first.body == "改过的正文" and "改过的正文" in first.html
    assert first.edited_by_name == member.username and first.edit_count == 1
    assert thread.title == "改过的标题"
    revision = PostRevision.objects.get(post=first)
    assert revision.body == "正文内容" and revision.title == "测试主题"
    assert Board.objects.get(pk=thread.board_id).last_thread_title in {"改过的标题", thread.title}


@pytest.mark.django_db
def test_edit_with_an_empty_body_is_refused_and_changes_nothing(thread, member):
    first = Post.objects.get(thread=thread, position=1)
    with pytest.raises(FupanError) as exc:
        do_edit_post(first, acting_user=member, body="  ")
    assert exc.value.code == ErrorCode.BODY_EMPTY
    first.refresh_from_db()
    assert first.body == "正文内容" and not PostRevision.objects.exists()


@pytest.mark.django_db
def test_deleting_a_reply_leaves_a_gap_and_updates_counters(thread, board, member, moderator):
    post = Post.objects.get(thread=thread, position=2)
    do_delete_post(post, acting_user=moderator)
    thread.refresh_from_db()
    board.refresh_from_db()
    member.refresh_from_db()
    assert Post.objects.get(pk=post.pk).state == Post.State.DELETED
    assert thread.replies == 1 and thread.max_position == 3
    assert board.posts == 2 and board.today_posts == 2
    assert member.posts == 2
    # Deleting twice changes nothing more.
    do_delete_post(post, acting_user=moderator)
    board.refresh_from_db()
    assert board.posts == 2


@pytest.mark.django_db
def test_deleting_the_last_reply_moves_the_threads_last_post_back(thread, other_member, moderator):
    reply = do_create_reply(thread, acting_user=other_member, body="最后一楼")
    do_delete_post(reply, acting_user=moderator)
    thread.refresh_from_db()
    assert thread.last_poster_id != other_member.pk


@pytest.mark.django_db
def test_deleting_the_first_post_recycles_the_thread_and_uncounts_its_posts(
    thread, board, member, other_member, moderator
):
    do_create_reply(thread, acting_user=other_member, body="我也来")
    do_delete_post(Post.objects.get(thread=thread, position=1), acting_user=moderator)
    board.refresh_from_db()
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert Thread.objects.get(pk=thread.pk).state == Thread.State.RECYCLED
    assert (board.threads, board.posts, board.today_posts) == (0, 0, 0)
    assert board.last_thread_id is None
    assert (member.posts, member.threads) == (0, 0)
    assert other_member.posts == 0
    do_delete_thread(thread, acting_user=moderator)  # again: no double counting
    board.refresh_from_db()
    assert board.threads == 0
