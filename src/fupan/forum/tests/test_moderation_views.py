"""The 管理 panel: guests and members cannot use it, board moderators can, and each action shows."""

import pytest

from fupan.forum.models import Post, Thread


@pytest.mark.django_db
def test_moderators_see_the_panel_and_members_do_not(moderator_client, member_client, thread):
    assert 'id="modmenu"' in moderator_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'id="modmenu"' not in member_client.get(f"/t/{thread.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "check"),
    [
        ({"action": "close"}, lambda t: t.closed),
        (
            {"action": "stick", "level": "2", "hours": "24"},
            lambda t: t.sticky == 2 and t.sticky_until is not None,
        ),
        ({"action": "digest", "level": "1"}, lambda t: t.digest == 1),
        ({"action": "highlight", "colour": "#008000"}, lambda t: t.highlight == "#008000"),
        ({"action": "delete", "reason": "广告"}, lambda t: t.state == Thread.State.RECYCLED),
    ],
)
def test_thread_actions_from_the_panel(moderator_client, thread, data, check):
    response = moderator_client.post(f"/t/{thread.pk}/moderate/", data)
    assert response.status_code == 302
    assert check(Thread.objects.get(pk=thread.pk))


@pytest.mark.django_db
def test_members_and_guests_cannot_moderate(member_client, guest_client, thread):
    assert member_client.post(f"/t/{thread.pk}/moderate/", {"action": "close"}).status_code == 403
    assert guest_client.post(f"/t/{thread.pk}/moderate/", {"action": "close"}).status_code == 403
    assert not Thread.objects.get(pk=thread.pk).closed


@pytest.mark.django_db
def test_moderator_of_another_board_cannot_moderate(
    client_for, user_factory, board_factory, thread
):
    from fupan.accounts.models import UserGroup
    from fupan.forum.models import BoardModerator

    other_mod = user_factory(group=UserGroup.MODERATOR)
    BoardModerator.objects.create(board=board_factory(), user=other_mod)
    assert (
        client_for(other_mod).post(f"/t/{thread.pk}/moderate/", {"action": "close"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_an_unknown_action_or_bad_level_is_refused_with_a_message(moderator_client, thread):
    response = moderator_client.post(
        f"/t/{thread.pk}/moderate/", {"action": "explode"}, follow=True
    )
    assert response.status_code == 200 and 'class="msg-error"' in response.content.decode()
    moderator_client.post(f"/t/{thread.pk}/moderate/", {"action": "stick", "level": "9"})
    assert Thread.objects.get(pk=thread.pk).sticky == 0


@pytest.mark.django_db
def test_move_and_merge_from_the_panel(
    moderator_client, board, board_factory, thread_factory, moderator
):
    from fupan.forum.models import BoardModerator

    other = board_factory("另一个版块")
    BoardModerator.objects.create(board=other, user=moderator)
    source = thread_factory(board, replies=1)
    target = thread_factory(board, replies=1)
    moderator_client.post(f"/t/{source.pk}/moderate/", {"action": "move", "board": other.pk})
    assert Thread.objects.get(pk=source.pk).board_id == other.pk
    response = moderator_client.post(
        f"/t/{source.pk}/moderate/", {"action": "merge", "target": target.pk}
    )
    assert response["Location"] == f"/t/{target.pk}/"
    assert Post.objects.filter(thread=target).count() == 4
    old = moderator_client.get(f"/t/{source.pk}/")
    assert old.status_code == 301 and old["Location"] == f"/t/{target.pk}/"


@pytest.mark.django_db
def test_split_page_creates_a_new_thread(moderator_client, thread):
    page = moderator_client.get(f"/t/{thread.pk}/split/")
    assert page.status_code == 200
    third = Post.objects.get(thread=thread, position=3)
    response = moderator_client.post(
        f"/t/{thread.pk}/split/", {"title": "新话题", "posts": [third.pk]}
    )
    new = Thread.objects.get(title="新话题")
    assert response["Location"] == f"/t/{new.pk}/"
    bad = moderator_client.post(f"/t/{thread.pk}/split/", {"title": "空的"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


@pytest.mark.django_db
def test_hidden_post_shows_a_notice_to_readers_and_the_text_to_moderators(
    moderator_client, guest_client, thread
):
    post = Post.objects.get(thread=thread, position=2)
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "hide"})
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "warn"})
    guest_html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert (
        "第2楼的回复" not in guest_html
        and "hidden-post" in guest_html
        and "post-warned" in guest_html
    )
    assert "第2楼的回复" in moderator_client.get(f"/t/{thread.pk}/").content.decode()
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "unhide"})
    assert "第2楼的回复" in guest_client.get(f"/t/{thread.pk}/").content.decode()


@pytest.mark.django_db
def test_deleted_post_restored_by_a_moderator(moderator_client, thread):
    post = Post.objects.get(thread=thread, position=2)
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "delete"})
    assert Post.objects.get(pk=post.pk).state == Post.State.DELETED
    moderator_client.post(f"/p/{post.pk}/moderate/", {"action": "restore"})
    assert Post.objects.get(pk=post.pk).state == Post.State.VISIBLE
    assert Thread.objects.get(pk=thread.pk).replies == 2


@pytest.mark.django_db
def test_moderation_htmx_twin_redirects_the_client(moderator_client, thread, htmx_headers):
    response = moderator_client.post(
        f"/t/{thread.pk}/moderate/", {"action": "close"}, **htmx_headers
    )
    assert response.status_code == 200 and response["HX-Redirect"] == f"/t/{thread.pk}/"


@pytest.mark.django_db
def test_moderating_a_missing_thread_is_404(moderator_client):
    assert moderator_client.post("/t/424242/moderate/", {"action": "close"}).status_code == 404
