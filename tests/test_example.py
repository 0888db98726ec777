"""A guided tour of how Fupan's tests are written (after Zulip's test_example.py).

Read this first when you add a test. Rules of thumb:
- Name tests as sentences about what a member or moderator would notice.
- Reach state through the real actions (the fixtures do); never hand-edit counters.
- Assert query budgets with ``django_assert_num_queries`` on a warm cache.
- Every view: as a guest, as a member without permission, for a missing object, the happy path,
  and its htmx twin (same URL with the ``HX-Request`` header).
"""

import pytest

from fupan.forum.actions import do_create_reply
from fupan.forum.models import Post, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all
from fupan.testing.plugin import uncached_guest_pages


@pytest.mark.django_db
def test_fixtures_give_a_board_with_types_and_a_thread_with_replies(board, thread, member):
    # `board` is 民生建言 with the types 建言献策 and 投诉曝光; `thread` was started by `member`
    # through do_create_thread and has two replies made with do_create_reply.
    assert [t.name for t in board.thread_types.all()] == ["建言献策", "投诉曝光"]
    assert thread.author == member and thread.replies == 2 and thread.max_position == 3


@pytest.mark.django_db
def test_thread_factory_takes_keyword_only_state(thread_factory, board, user_factory):
    author, replier = user_factory(), user_factory()
    closed = thread_factory(
        board, author=author, replies=4, repliers=[replier], closed=True, digest=1
    )
    assert closed.closed and closed.digest == 1 and closed.replies == 4
    assert set(
        Post.objects.filter(thread=closed, is_first=False).values_list("author", flat=True)
    ) == {replier.pk}


@pytest.mark.django_db
def test_clients_are_logged_in_as_each_kind_of_user(
    guest_client, member_client, moderator_client, admin_client, thread
):
    # guest_client: nobody; member_client: `member` (新手上路); moderator_client: `moderator`,
    # who moderates `board`; admin_client: an administrator (group 1).
    assert "您需要登录后才可以回帖" in guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'id="fastpostmessage"' in member_client.get(f"/t/{thread.pk}/").content.decode()
    first_reply = Post.objects.get(thread=thread, position=2)
    assert (
        f"/p/{first_reply.pk}/delete/" in moderator_client.get(f"/t/{thread.pk}/").content.decode()
    )
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_page_budget_is_asserted_on_a_warm_cache(guest_client, thread, django_assert_num_queries):
    guest_client.get(f"/t/{thread.pk}/")  # first request fills the settings and group caches
    with django_assert_num_queries(0):  # …and the guest page cache: a second guest costs nothing
        guest_client.get(f"/t/{thread.pk}/")
    uncached_guest_pages()  # the budget of the render itself
    with django_assert_num_queries(2):  # thread, floors (a one-page thread: hot replies among them)
        guest_client.get(f"/t/{thread.pk}/")


@pytest.mark.django_db
def test_htmx_twin_is_the_same_url_with_the_hx_request_header(
    other_member_client, thread, htmx_headers
):
    reply = Post.objects.get(thread=thread, position=2)
    plain = other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "support"})
    assert plain.status_code == 302  # a plain form post redirects back to the post
    again = other_member_client.post(f"/p/{reply.pk}/vote/", {"value": "support"}, **htmx_headers)
    assert again.status_code == 409 and "<html" not in again.content.decode()  # a fragment


@pytest.mark.django_db
def test_counters_can_be_checked_against_a_recount(thread, other_member):
    do_create_reply(thread, acting_user=other_member, body="再来一条")
    before = counter_snapshot()
    synchronize_all()
    assert counter_snapshot() == before
    assert Thread.objects.get(pk=thread.pk).replies == 3
