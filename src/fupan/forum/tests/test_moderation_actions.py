"""Moderators' thread and post actions keep every counter equal to a recount."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fupan.core.errors import FupanError
from fupan.forum.actions import (
    do_close_thread,
    do_create_reply,
    do_digest_thread,
    do_hide_post,
    do_highlight_thread,
    do_merge_threads,
    do_move_thread,
    do_split_thread,
    do_stick_thread,
    do_vote_post,
    do_warn_post,
)
from fupan.forum.models import Board, Post, PostVote, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all


def assert_counters_consistent():
    before = counter_snapshot()
    synchronize_all()
    assert counter_snapshot() == before


@pytest.mark.django_db
def test_close_and_reopen(thread, moderator):
    do_close_thread(thread, acting_user=moderator, closed=True)
    assert Thread.objects.get(pk=thread.pk).closed
    do_close_thread(thread, acting_user=moderator, closed=False)
    assert not Thread.objects.get(pk=thread.pk).closed


@pytest.mark.django_db
def test_stick_levels_and_expiry(thread, moderator):
    until = timezone.now() + timedelta(hours=2)
    do_stick_thread(thread, acting_user=moderator, level=3, until=until)
    fresh = Thread.objects.get(pk=thread.pk)
    assert fresh.sticky == 3 and fresh.sticky_until == until
    do_stick_thread(thread, acting_user=moderator, level=0)
    assert Thread.objects.get(pk=thread.pk).sticky_until is None
    with pytest.raises(FupanError):
        do_stick_thread(thread, acting_user=moderator, level=4)


@pytest.mark.django_db
def test_digest_counts_for_the_author_once(thread, member, moderator):
    do_digest_thread(thread, acting_user=moderator, level=1)
    do_digest_thread(thread, acting_user=moderator, level=2)
    member.refresh_from_db()
    assert member.digest_posts == 1
    do_digest_thread(thread, acting_user=moderator, level=0)
    member.refresh_from_db()
    assert member.digest_posts == 0


@pytest.mark.django_db
def test_highlight_takes_a_colour_and_refuses_junk(thread, moderator):
    do_highlight_thread(thread, acting_user=moderator, colour="#ff0000")
    assert Thread.objects.get(pk=thread.pk).highlight == "#FF0000"
    with pytest.raises(FupanError):
        do_highlight_thread(thread, acting_user=moderator, colour="red;background:url(x)")
    assert Thread.objects.get(pk=thread.pk).highlight == "#FF0000"


@pytest.mark.django_db
def test_moving_a_thread_moves_its_counts_and_drops_a_foreign_type(
    board, board_factory, thread_factory, moderator
):
    advice = board.thread_types.get(name="建言献策")
    thread = thread_factory(board, replies=3, thread_type=advice)
    other = board_factory("二手交易")
    do_move_thread(thread, acting_user=moderator, board=other)
    board.refresh_from_db()
    other.refresh_from_db()
    moved = Thread.objects.get(pk=thread.pk)
    assert moved.board_id == other.pk and moved.type is None
    assert (board.threads, board.posts) == (0, 0) and (other.threads, other.posts) == (1, 4)
    assert other.last_thread_id == thread.pk and board.last_thread_id is None
    assert_counters_consistent()


@pytest.mark.django_db
def test_moving_into_a_category_is_refused(thread, moderator):
    with pytest.raises(FupanError):
        do_move_thread(
            thread, acting_user=moderator, board=Board.objects.get(pk=thread.board.parent_id)
        )


@pytest.mark.django_db
def test_merging_appends_posts_after_the_target_and_redirects_the_source(
    board, board_factory, thread_factory, user_factory, moderator
):
    a, b = user_factory(), user_factory()
    target = thread_factory(board, author=a, replies=2)
    source = thread_factory(board_factory(), author=b, replies=1, repliers=[a])
    voted = Post.objects.get(thread=source, position=2)
    do_vote_post(voted, acting_user=b, value=1)
    do_merge_threads(source, target, acting_user=moderator)
    positions = list(
        Post.objects.filter(thread=target).order_by("position").values_list("position", "is_first")
    )
    assert positions == [(1, True), (2, False), (3, False), (4, False), (5, False)]
    fresh = Thread.objects.get(pk=target.pk)
    assert fresh.replies == 4 and fresh.max_position == 5
    src = Thread.objects.get(pk=source.pk)
    assert src.state == Thread.State.RECYCLED and src.redirect_to_id == target.pk
    assert PostVote.objects.get(post=voted).thread_id == target.pk
    b.refresh_from_db()
    assert (b.threads, b.posts) == (0, 1)
    assert_counters_consistent()


@pytest.mark.django_db
def test_merging_a_thread_into_itself_is_refused(thread, moderator):
    with pytest.raises(FupanError):
        do_merge_threads(thread, thread, acting_user=moderator)


@pytest.mark.django_db
def test_splitting_moves_replies_to_a_new_thread_with_new_floors(
    board, thread_factory, user_factory, moderator
):
    a, b, c = user_factory(), user_factory(), user_factory()
    thread = thread_factory(board, author=a, replies=4, repliers=[b, c])
    chosen = list(Post.objects.filter(thread=thread, position__in=[3, 5]))
    new = do_split_thread(thread, chosen, acting_user=moderator, title="分出来的话题")
    assert list(
        Post.objects.filter(thread=new).order_by("position").values_list("position", "is_first")
    ) == [(1, True), (2, False)]
    assert new.author_id == c.pk and new.replies == 1 and new.board_id == board.pk
    old = Thread.objects.get(pk=thread.pk)
    assert old.replies == 2 and old.max_position == 5  # floors 3 and 5 stay empty, never reused
    reply = do_create_reply(old, acting_user=a, body="继续")
    assert reply.position == 6
    board.refresh_from_db()
    assert board.threads == 2
    assert_counters_consistent()


@pytest.mark.django_db
def test_splitting_nothing_or_the_first_post_is_refused(thread, moderator):
    with pytest.raises(FupanError):
        do_split_thread(
            thread, [Post.objects.get(thread=thread, position=1)], acting_user=moderator, title="x"
        )


@pytest.mark.django_db
def test_hide_and_warn_mark_the_post(thread, moderator):
    post = Post.objects.get(thread=thread, position=2)
    do_hide_post(post, acting_user=moderator, hidden=True)
    do_warn_post(post, acting_user=moderator, warned=True)
    fresh = Post.objects.get(pk=post.pk)
    assert fresh.hidden and fresh.warned
