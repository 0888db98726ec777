"""The forum's permission rules as a matrix: user groups × board settings × thread states.

Each row says what a member of that group may do; the expectations come from Discuz's default
groups (FACTS.md §6.1) and Fupan's rules (moderators of the board see hidden states)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from fupan.accounts.models import UserGroup
from fupan.forum.models import Board, BoardModerator, BoardPermission, Post, Thread
from fupan.permissions import (
    can_download_attachments,
    can_read_thread,
    can_reply_thread,
    can_start_thread,
    can_upload_attachments,
    can_view_board,
    can_view_images,
    can_vote_post,
    resolve_perms,
)
from fupan.permissions.core import purge_board_overrides

# group → (read, start, reply, vote, images, files, upload) on an ordinary visible board
GROUPS = {
    "guest": (True, False, False, False, False, False, False),
    UserGroup.NEWBIE: (True, True, True, True, True, True, True),
    15: (True, True, True, True, True, True, True),  # 论坛元老
    UserGroup.BANNED_POST: (True, False, False, False, False, False, False),
    UserGroup.BANNED_VISIT: (False, False, False, False, False, False, False),
    UserGroup.MODERATOR: (True, True, True, True, True, True, True),
    UserGroup.SUPER_MODERATOR: (True, True, True, True, True, True, True),
    UserGroup.ADMIN: (True, True, True, True, True, True, True),
}


@pytest.fixture
def world(db, site, board, thread_factory, user_factory):
    author = user_factory("楼主甲")
    open_thread = thread_factory(board, author=author, replies=1)
    return {
        "board": board,
        "thread": open_thread,
        "reply": Post.objects.get(thread=open_thread, position=2),
    }


def perms_for(group, user_factory):
    if group == "guest":
        return resolve_perms(AnonymousUser())
    return resolve_perms(user_factory(group=group))


@pytest.mark.django_db
@pytest.mark.parametrize("group", list(GROUPS), ids=str)
def test_what_each_group_may_do_on_an_ordinary_board(world, user_factory, group):
    perms = perms_for(group, user_factory)
    board, thread, reply = world["board"], world["thread"], world["reply"]
    got = (
        can_read_thread(perms, thread),
        can_start_thread(perms, board),
        can_reply_thread(perms, thread),
        can_vote_post(perms, reply),
        can_view_images(perms, board),
        can_download_attachments(perms, board),
        can_upload_attachments(perms, board),
    )
    assert got == GROUPS[group]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "closed", "viewer", "read", "reply"),
    [
        (Thread.State.VISIBLE, True, "member", True, False),
        (Thread.State.VISIBLE, True, "moderator", True, True),
        (Thread.State.PENDING, False, "member", False, False),
        (Thread.State.PENDING, False, "author", True, False),
        (Thread.State.PENDING, False, "moderator", True, False),
        (Thread.State.RECYCLED, False, "author", False, False),
        (Thread.State.RECYCLED, False, "moderator", True, False),
        (Thread.State.RECYCLED, False, "other_moderator", False, False),
        (Thread.State.RECYCLED, False, "super", True, False),
    ],
)
def test_thread_states_by_viewer(
    world, user_factory, board_factory, state, closed, viewer, read, reply
):
    thread = world["thread"]
    Thread.objects.filter(pk=thread.pk).update(state=state, closed=closed)
    thread.refresh_from_db()
    if viewer == "author":
        user = thread.author
    elif viewer == "moderator":
        user = user_factory(group=UserGroup.MODERATOR)
        BoardModerator.objects.create(board=world["board"], user=user)
    elif viewer == "other_moderator":
        user = user_factory(group=UserGroup.MODERATOR)
        BoardModerator.objects.create(board=board_factory(), user=user)
    elif viewer == "super":
        user = user_factory(group=UserGroup.SUPER_MODERATOR)
    else:
        user = user_factory()
    perms = resolve_perms(user)
    assert (can_read_thread(perms, thread), can_reply_thread(perms, thread)) == (read, reply)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "group", "expect"),
    [
        ({"can_view": False}, UserGroup.NEWBIE, {"view": False, "read": False, "start": False}),
        ({"can_read": False}, UserGroup.NEWBIE, {"view": True, "read": False, "start": True}),
        ({"can_post": False}, UserGroup.NEWBIE, {"view": True, "read": True, "start": False}),
        (
            {"can_post": True},
            "guest",
            {"view": True, "read": True, "start": False},
        ),  # guests never post
        (
            {"can_view": False},
            UserGroup.ADMIN,
            {"view": True, "read": True, "start": True},
        ),  # admins see all
        ({"can_reply": False}, UserGroup.NEWBIE, {"view": True, "read": True, "start": True}),
    ],
)
def test_per_board_overrides(world, user_factory, override, group, expect):
    board = world["board"]
    group_id = UserGroup.GUEST if group == "guest" else group
    BoardPermission.objects.create(board=board, group_id=group_id, **override)
    purge_board_overrides()
    perms = perms_for(group, user_factory)
    got = {
        "view": can_view_board(perms, board),
        "read": can_read_thread(perms, world["thread"]),
        "start": can_start_thread(perms, board),
    }
    assert got == expect
    if override == {"can_reply": False}:
        assert not can_reply_thread(perms, world["thread"])


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["guest", UserGroup.NEWBIE, UserGroup.ADMIN], ids=str)
def test_a_hidden_board_is_seen_by_administrators_only(world, user_factory, group):
    Board.objects.filter(pk=world["board"].pk).update(is_visible=False)
    world["board"].refresh_from_db()
    perms = perms_for(group, user_factory)
    assert can_view_board(perms, world["board"]) is (group == UserGroup.ADMIN)


@pytest.mark.django_db
def test_nobody_votes_on_a_first_post_or_their_own_reply(world, user_factory):
    first = Post.objects.get(thread=world["thread"], position=1)
    assert not can_vote_post(resolve_perms(user_factory()), first)
    assert not can_vote_post(resolve_perms(world["reply"].author), world["reply"])


@pytest.mark.django_db
def test_a_board_can_keep_a_group_from_choosing_thread_types(member_client, board_factory, member):
    from fupan.core.errors import FupanError
    from fupan.forum.actions import do_create_thread

    board = board_factory(types=["建言献策"], thread_types_required=True)
    BoardPermission.objects.create(board=board, group_id=UserGroup.NEWBIE, can_use_types=False)
    purge_board_overrides()
    page = member_client.get(f"/f/{board.pk}/new/").content.decode()
    assert 'name="type"' not in page
    member_client.post(f"/f/{board.pk}/new/", {"title": "无分类", "body": "正文"})
    assert Thread.objects.get(title="无分类").type is None  # not required of them either
    with pytest.raises(FupanError):
        do_create_thread(
            board,
            acting_user=member,
            title="t",
            body="b",
            thread_type=board.thread_types.get(),
            types_allowed=False,
        )
