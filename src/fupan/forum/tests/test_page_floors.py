"""A thread page's floors built in one pass (``presenters.page_floors``, with the viewer's
controls from ``permissions.post_controls``) are the Floors ``present_post`` and ``floor_of``
make one post at a time, for every kind of viewer and post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from fupan.accounts.models import User, UserGroup
from fupan.core.site import get_site_settings
from fupan.forum.actions import do_vote_post
from fupan.forum.models import Post, Thread
from fupan.forum.presenters import (
    attachment_viewer,
    floor_of,
    floors_page,
    login_url_for,
    page_floors,
    present_post,
)
from fupan.forum.queries import fetch_thread_page
from fupan.permissions import (
    can_delete_post,
    can_edit_post,
    can_vote_post,
    post_controls,
    resolve_perms,
)


def _viewers(member, other_member, moderator, admin_user):
    from django.contrib.auth.models import AnonymousUser

    return {
        "guest": AnonymousUser(),
        "author": member,
        "other": other_member,
        "moderator": moderator,
        "admin": admin_user,
    }


@pytest.fixture
def varied(thread_factory, board, member, other_member, user_factory):
    """A thread whose posts differ in every way a floor shows: votes (one lifted), an edit, a
    signature, a deleted and a hidden post, a post from a phone, an old post."""
    voter = user_factory()
    thread = thread_factory(board, author=member, replies=6, repliers=[member, other_member])
    posts = list(Post.objects.filter(thread=thread).order_by("position"))
    do_vote_post(posts[3], acting_user=voter, value=1)
    Post.objects.filter(pk=posts[2].pk).update(
        edited_at=timezone.now(), edited_by_name=member.username, edit_count=1
    )
    Post.objects.filter(pk=posts[4].pk).update(state=Post.State.DELETED)
    Post.objects.filter(pk=posts[5].pk).update(hidden=True, warned=True, client=2)
    Post.objects.filter(pk=posts[6].pk).update(created_at=timezone.now() - timedelta(days=40))
    User.objects.filter(pk=other_member.pk).update(signature="我的签名 [b]粗体[/b]")
    return thread


@pytest.mark.django_db
@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("limit", [0, 30])
def test_post_controls_answer_as_the_three_rules(
    varied, member, other_member, moderator, admin_user, closed, limit
):
    Thread.objects.filter(pk=varied.pk).update(closed=closed)
    UserGroup.objects.update(edit_time_limit=limit)
    thread = Thread.objects.select_related("board").get(pk=varied.pk)
    posts = list(Post.objects.filter(thread=thread).order_by("position"))
    for user in _viewers(member, other_member, moderator, admin_user).values():
        perms = resolve_perms(user)
        controls = post_controls(perms, thread)
        for post in posts:
            post.thread = thread
            assert controls(post) == (
                can_vote_post(perms, post),
                can_edit_post(perms, post),
                can_delete_post(perms, post),
            ), (user, post.position)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["guest", "author", "other", "moderator", "admin"])
def test_page_floors_are_the_floors_of_present_post(
    varied, member, other_member, moderator, admin_user, viewer
):
    user = _viewers(member, other_member, moderator, admin_user)[viewer]
    perms = resolve_perms(user)
    site = get_site_settings()
    thread = Thread.objects.select_related("board", "type").get(pk=varied.pk)
    request = RequestFactory().get(f"/t/{thread.pk}/")
    request.user, request.perms, request.no_images = user, perms, False
    data = fetch_thread_page(perms, thread, page=1)
    assert data.hot_ids  # one reply lifted
    viewer_ = attachment_viewer(
        perms, thread.board, site, login_url_for(request.get_full_path()), no_images=False
    )
    page = floors_page(request, site=site, thread=thread, viewer=viewer_, is_moderator=False)
    now = timezone.now()
    one_by_one = [
        floor_of(
            present_post(
                post,
                thread=thread,
                perms=perms,
                site=site,
                viewer=viewer_,
                is_hot=post.pk in data.hot_ids,
                my_vote=data.my_votes.get(post.pk, 0),
                signatures={},
            ),
            page,
            relative_times=site.relative_times,
            now=now,
        )
        for post in data.posts
    ]
    together = page_floors(
        data.posts,
        thread=thread,
        perms=perms,
        site=site,
        viewer=viewer_,
        page=page,
        hot_ids=data.hot_ids,
        my_votes=data.my_votes,
        now=now,
    )
    assert together == one_by_one
    assert any(f.signature for f in together) and any(f.edited for f in together)
