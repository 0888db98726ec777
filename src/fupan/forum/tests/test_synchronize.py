import random

import pytest
from django.core.management import call_command

from fupan.forum.actions import (
    do_create_reply,
    do_create_thread,
    do_delete_post,
    do_delete_thread,
    do_edit_post,
    do_vote_post,
)
from fupan.forum.models import Board, Post, PostVote, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all


@pytest.mark.django_db
def test_counters_equal_a_recount_after_a_mixed_sequence_of_actions(
    board_factory, user_factory, moderator
):
    rng = random.Random(20210515)
    boards = [board_factory(), board_factory(), board_factory()]
    people = [user_factory() for _ in range(5)]
    threads: list[Thread] = []
    for step in range(160):
        roll = rng.random()
        actor = rng.choice(people)
        live = [t for t in threads if t.state == Thread.State.VISIBLE]
        if roll < 0.2 or not live:
            threads.append(
                do_create_thread(
                    rng.choice(boards), acting_user=actor, title=f"主题{step}", body="正文"
                )
            )
        elif roll < 0.7:
            do_create_reply(rng.choice(live), acting_user=actor, body=f"回复{step}")
        elif roll < 0.8:
            posts = list(
                Post.objects.filter(thread__in=live, state=Post.State.VISIBLE, is_first=False)
            )
            if posts:
                do_delete_post(rng.choice(posts), acting_user=moderator)
        elif roll < 0.85:
            victim = rng.choice(live)
            do_delete_thread(victim, acting_user=moderator)
        elif roll < 0.95:
            posts = list(
                Post.objects.filter(
                    thread__in=live, state=Post.State.VISIBLE, is_first=False
                ).exclude(author=actor)
            )
            if posts:
                post = rng.choice(posts)
                if not PostVote.objects.filter(post=post, user=actor).exists():
                    do_vote_post(post, acting_user=actor, value=rng.choice([1, -1]))
        else:
            post = Post.objects.filter(thread__in=live, is_first=True).order_by("?").first()
            if post:
                do_edit_post(post, acting_user=moderator, body="改", title=f"改{step}")

    before = counter_snapshot()
    assert sum(b.threads for b in Board.objects.all()) > 0
    synchronize_all()
    after = counter_snapshot()
    assert after == before


@pytest.mark.django_db
def test_synchronize_counters_command_repairs_broken_counters(thread, board, member, capsys):
    Board.objects.filter(pk=board.pk).update(threads=99, posts=0, today_posts=5)
    Thread.objects.filter(pk=thread.pk).update(replies=42, max_position=1)
    type(member).objects.filter(pk=member.pk).update(posts=0, threads=7)
    call_command("synchronize_counters")
    board.refresh_from_db()
    thread.refresh_from_db()
    member.refresh_from_db()
    assert (board.threads, board.posts, board.today_posts) == (1, 3, 3)
    assert (thread.replies, thread.max_position) == (2, 3)
    assert (member.posts, member.threads) == (3, 1)
    assert "Counters rebuilt" in capsys.readouterr().out
