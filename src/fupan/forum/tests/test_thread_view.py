from html.parser import HTMLParser

import pytest

from fupan.core.actions import do_update_site_settings
from fupan.forum.actions import do_create_reply, do_delete_post, do_vote_post
from fupan.forum.models import Board, Post, Thread
from fupan.forum.viewcounts import do_flush_view_counts
from fupan.testing.plugin import uncached_guest_pages


def floors(response):
    return [f.position for f in response.context["floors"]]


@pytest.mark.django_db
def test_thread_shows_floors_with_discuz_labels(guest_client, thread_factory, board):
    thread = thread_factory(board, replies=5)
    response = guest_client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200
    assert [f.floor for f in response.context["floors"]] == [
        "楼主",
        "沙发",
        "板凳",
        "地板",
        "5#",
        "6#",
    ]
    html = response.content.decode()
    assert f'href="/t/{thread.pk}/3/"' in html  # each floor label links to its floor


@pytest.mark.django_db
def test_thread_counts_views_and_writes_them_in_batches(guest_client, member_client, thread):
    guest_client.get(f"/t/{thread.pk}/")
    guest_client.get(f"/t/{thread.pk}/")  # from the guest cache: still counted
    page = member_client.get(f"/t/{thread.pk}/")
    assert page.context["thread"].views == 3  # stored (0) + waiting to be written (3)
    assert Thread.objects.get(pk=thread.pk).views == 0  # no UPDATE per view
    assert do_flush_view_counts() == 3
    assert Thread.objects.get(pk=thread.pk).views == 3
    assert member_client.get(f"/t/{thread.pk}/").context["thread"].views == 4


@pytest.mark.django_db
def test_a_supported_reply_is_lifted_above_earlier_replies_on_page_one(
    guest_client, thread_factory, board, user_factory
):
    people = [user_factory() for _ in range(3)]
    thread = thread_factory(board, author=people[0], replies=3, repliers=people)
    fourth = Post.objects.get(thread=thread, position=4)
    do_vote_post(fourth, acting_user=people[0], value=1)
    response = guest_client.get(f"/t/{thread.pk}/")
    assert floors(response) == [1, 4, 2, 3]
    lifted = response.context["floors"][1]
    assert lifted.is_hot and lifted.floor == "地板"  # it keeps its own floor number
    assert "badge-hot" in response.content.decode()
    # Not lifted when only one author's floors are shown.
    only = guest_client.get(f"/t/{thread.pk}/?author={people[1].pk}")
    assert all(not f.is_hot for f in only.context["floors"])


@pytest.mark.django_db
def test_hot_replies_are_off_when_the_site_turns_them_off(
    guest_client, thread_factory, board, user_factory
):
    a, b = user_factory(), user_factory()
    thread = thread_factory(board, author=a, replies=3, repliers=[a, b])
    do_vote_post(Post.objects.get(thread=thread, position=4), acting_user=b, value=1)
    do_update_site_settings(acting_user=None, hot_replies=0)
    assert floors(guest_client.get(f"/t/{thread.pk}/")) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_only_author_shows_that_authors_floors_and_links_back_to_all(
    guest_client, board, thread_factory, user_factory
):
    a, b = user_factory(), user_factory()
    thread = thread_factory(board, author=a, replies=4, repliers=[b, a])
    response = guest_client.get(f"/t/{thread.pk}/?author={b.pk}")
    assert floors(response) == [2, 4]
    html = response.content.decode()
    assert "只看该作者" in html and f'href="/t/{thread.pk}/"' in html
    assert "显示全部楼层" in html


@pytest.mark.django_db
def test_reverse_order_keeps_the_first_post_first_then_newest(guest_client, board, thread_factory):
    thread = thread_factory(board, replies=4)
    assert floors(guest_client.get(f"/t/{thread.pk}/?order=desc")) == [1, 5, 4, 3, 2]


@pytest.mark.django_db
def test_pages_are_floor_ranges_and_a_deleted_floor_leaves_a_marked_gap(
    guest_client, board, thread_factory, moderator
):
    do_update_site_settings(acting_user=None, posts_per_page=5)
    thread = thread_factory(board, replies=11)
    do_delete_post(Post.objects.get(thread=thread, position=7), acting_user=moderator)
    page2 = guest_client.get(f"/t/{thread.pk}/?page=2")
    assert floors(page2) == [6, 7, 8, 9, 10]
    assert "无效楼层" in page2.content.decode()
    assert floors(guest_client.get(f"/t/{thread.pk}/?page=3")) == [11, 12]
    assert floors(guest_client.get(f"/t/{thread.pk}/?page=99")) == [11, 12]


@pytest.mark.django_db
def test_reverse_order_pages_cover_every_floor_once(guest_client, board, thread_factory):
    do_update_site_settings(acting_user=None, posts_per_page=4)
    thread = thread_factory(board, replies=9)
    seen = []
    for page in (1, 2, 3):
        seen += floors(guest_client.get(f"/t/{thread.pk}/?order=desc&page={page}"))
    assert seen == [1, 10, 9, 8, 7, 6, 5, 4, 3, 2]


@pytest.mark.django_db
def test_floor_url_redirects_to_its_page_and_anchor(guest_client, board, thread_factory):
    do_update_site_settings(acting_user=None, posts_per_page=5)
    thread = thread_factory(board, replies=7)
    post = Post.objects.get(thread=thread, position=7)
    response = guest_client.get(f"/t/{thread.pk}/7/")
    assert (
        response.status_code == 302
        and response["Location"] == f"/t/{thread.pk}/?page=2#pid{post.pk}"
    )
    assert guest_client.get(f"/t/{thread.pk}/99/").status_code == 404
    assert guest_client.get(f"/p/{post.pk}/")["Location"] == f"/t/{thread.pk}/?page=2#pid{post.pk}"


@pytest.mark.django_db
def test_missing_recycled_and_foreign_pending_threads_are_404(
    guest_client, member_client, board, thread_factory, member
):
    recycled = thread_factory(board)
    Thread.objects.filter(pk=recycled.pk).update(state=Thread.State.RECYCLED)
    pending = thread_factory(board, author=member)
    Thread.objects.filter(pk=pending.pk).update(state=Thread.State.PENDING)
    assert guest_client.get("/t/424242/").status_code == 404
    assert guest_client.get(f"/t/{recycled.pk}/").status_code == 404
    assert guest_client.get(f"/t/{pending.pk}/").status_code == 404
    assert member_client.get(f"/t/{pending.pk}/").status_code == 200  # its author sees it
    assert "404" in guest_client.get("/t/424242/").content.decode()


@pytest.mark.django_db
def test_guest_sees_the_login_prompt_instead_of_the_reply_box(guest_client, thread):
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert "您需要登录后才可以回帖" in html
    assert 'name="body"' not in html


@pytest.mark.django_db
def test_member_sees_the_quick_reply_box_but_not_in_a_closed_thread(
    member_client, board, thread_factory
):
    open_thread = thread_factory(board)
    closed = thread_factory(board, closed=True)
    assert 'id="fastpostmessage"' in member_client.get(f"/t/{open_thread.pk}/").content.decode()
    html = member_client.get(f"/t/{closed.pk}/").content.decode()
    assert 'id="fastpostmessage"' not in html
    assert "已关闭" in html


@pytest.mark.django_db
def test_thread_query_budget_for_a_guest_is_at_most_eight_at_twenty_floors(
    guest_client, board, thread_factory, user_factory, django_assert_num_queries
):
    do_update_site_settings(acting_user=None, posts_per_page=20)
    a, b = user_factory(), user_factory()
    thread = thread_factory(board, author=a, replies=25, repliers=[a, b])
    do_vote_post(Post.objects.get(thread=thread, position=5), acting_user=a, value=1)
    guest_client.get(f"/t/{thread.pk}/")
    uncached_guest_pages()  # the render a cache miss costs (hits: test_guest_page_cache.py)
    with django_assert_num_queries(3):  # thread, floors, hot replies (views are buffered)
        response = guest_client.get(f"/t/{thread.pk}/")
    assert len(response.context["floors"]) == 20
    # A thread that fits on one page: its hot replies are picked from its floors, no query.
    short = thread_factory(board, author=a, replies=8, repliers=[a, b])
    do_vote_post(Post.objects.get(thread=short, position=5), acting_user=a, value=1)
    with django_assert_num_queries(2):  # thread, floors
        response = guest_client.get(f"/t/{short.pk}/")
    assert floors(response)[:2] == [1, 5]


@pytest.mark.django_db
def test_thread_query_budget_for_a_member(
    member_client, board, thread_factory, member, other_member, django_assert_num_queries
):
    do_update_site_settings(acting_user=None, posts_per_page=20)
    thread = thread_factory(board, author=other_member, replies=25)
    do_vote_post(Post.objects.get(thread=thread, position=5), acting_user=member, value=1)
    member_client.get(f"/t/{thread.pk}/")
    # + the member row; their votes come with the posts, their favourite, follow and 顶/踩
    # with the thread
    with django_assert_num_queries(4):
        response = member_client.get(f"/t/{thread.pk}/")
    assert response.context["floors"][1].my_vote == 1
    assert "vote vote-support voted" in response.content.decode()  # shown as theirs


@pytest.mark.django_db
def test_thread_htmx_request_renders_the_page(guest_client, thread, htmx_headers):
    response = guest_client.get(f"/t/{thread.pk}/", **htmx_headers)
    assert response.status_code == 200 and "测试主题" in response.content.decode()


@pytest.mark.django_db
def test_reading_mode_shows_the_first_post_alone_with_a_way_back(guest_client, thread):
    response = guest_client.get(f"/t/{thread.pk}/read/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "正文内容" in html and "第2楼的回复" not in html
    assert f'href="/t/{thread.pk}/"' in html
    assert guest_client.get("/t/999999/read/").status_code == 404


@pytest.mark.django_db
def test_post_bodies_are_escaped(guest_client, board, thread_factory, member):
    thread = thread_factory(board, author=member, title="<script>alert(1)</script>")
    do_create_reply(
        thread,
        acting_user=member,
        body='<img src=x onerror="alert(2)">[url=javascript:alert(3)]x[/url]',
    )
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    parser = _AttributeCollector()
    parser.feed(html)
    assert not [a for a in parser.attributes if a[0].startswith("on")]
    assert not [
        a for a in parser.attributes if a[0] == "href" and a[1].lower().startswith("javascript")
    ]
    assert "&lt;img src=x onerror" in html  # shown as text


class _AttributeCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attributes = []

    def handle_starttag(self, tag, attrs):
        self.attributes += [(name, value or "") for name, value in attrs]


@pytest.mark.django_db
def test_a_members_own_votes_show_in_every_order_and_filter(
    member_client, board, thread_factory, member, other_member
):
    thread = thread_factory(board, author=other_member, replies=4)
    do_vote_post(Post.objects.get(thread=thread, position=3), acting_user=member, value=-1)
    for query in ("", "?order=desc", f"?author={other_member.pk}"):
        html = member_client.get(f"/t/{thread.pk}/{query}").content.decode()
        assert html.count("vote vote-oppose voted") == 1, query


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [20, 3])  # the whole thread on page 1, or not
def test_hot_replies_are_chosen_alike_from_the_page_and_by_query(
    guest_client, thread_factory, board, user_factory, moderator, per_page
):
    """On a thread that fits on page 1 the hot replies are picked from the posts read; on a
    longer one by their own query: the same choice (most votes first, then the earlier floor;
    visible replies only, at least the site's minimum)."""
    from fupan.forum.queries import _hot_replies

    people = [user_factory() for _ in range(2)]
    voters = [user_factory() for _ in range(3)]
    thread = thread_factory(board, author=people[0], replies=7, repliers=people)
    do_update_site_settings(
        acting_user=None, posts_per_page=per_page, hot_replies=2, hot_reply_min_votes=2
    )
    votes = {3: [1, 1], 5: [1, -1, 1], 6: [1], 7: [-1, -1], 8: [1, 1, 1]}
    for position, values in votes.items():
        post = Post.objects.get(thread=thread, position=position)
        for person, value in zip(voters, values, strict=False):
            do_vote_post(post, acting_user=person, value=value)
    do_delete_post(Post.objects.get(thread=thread, position=8), acting_user=moderator)
    by_query = [p.position for p in _hot_replies(thread.pk, 2, limit=2)]
    assert by_query == [5, 3]  # 3 votes, then 2 votes on the earlier of floors 3 and 7
    shown = floors(guest_client.get(f"/t/{thread.pk}/"))
    assert shown[:3] == [1, 5, 3]


@pytest.mark.django_db
def test_a_thread_page_reads_its_board_from_memory_and_sees_a_saved_change_at_once(
    guest_client, member_client, thread_factory, board_factory
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    uncached_guest_pages()
    area = board_factory("城区", kind="category")
    board = board_factory("民生热线", parent=area)
    thread = thread_factory(board, body="一\n二\n三")
    guest_client.get(f"/t/{thread.pk}/")
    with CaptureQueriesContext(connection) as queries:
        html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert "民生热线" in html and "城区" in html  # the breadcrumb: board and its parent
    assert not any('JOIN "forum_board"' in q["sql"] for q in queries.captured_queries)
    # Renamed and given the anti-copy noise in the admin (a save): the next page shows both.
    board = Board.objects.get(pk=board.pk)
    board.name = "民生直通车"
    board.jammer = True
    board.save()
    area.name = "主城区"
    area.save()
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert "民生直通车" in html and "主城区" in html and "民生热线" not in html
    assert 'class="jammer"' in html
    # Its counters are not kept with its settings: asked for, they are read fresh.
    from django.contrib.auth.models import AnonymousUser

    from fupan.permissions.core import resolve_perms
    from fupan.permissions.forum import access_thread_by_id

    read = access_thread_by_id(resolve_perms(AnonymousUser()), thread.pk)
    Board.objects.filter(pk=board.pk).update(posts=41)
    assert read.board.posts == 41


@pytest.mark.django_db
def test_a_renamed_thread_type_shows_on_its_threads_at_once(guest_client, board, thread_factory):
    uncached_guest_pages()
    kind = board.thread_types.get(name="建言献策")
    thread = thread_factory(board, thread_type=kind)
    assert "[建言献策]" in guest_client.get(f"/t/{thread.pk}/").content.decode()
    kind.name = "意见建议"
    kind.save()
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert "[意见建议]" in html and "建言献策" not in html


@pytest.mark.django_db
def test_a_board_made_without_signals_is_read_from_the_database(
    guest_client, board, thread_factory
):
    # bulk_create sends no post_save (an importer's way): the boards kept in memory do not know
    # the new board, and its thread page reads it from the database instead.
    uncached_guest_pages()
    first = thread_factory(board, body="正文")
    assert guest_client.get(f"/t/{first.pk}/").status_code == 200  # boards loaded and kept
    (quiet,) = Board.objects.bulk_create([Board(name="批量版块", parent=board.parent)])
    thread = thread_factory(quiet, body="正文")
    response = guest_client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200 and "批量版块" in response.content.decode()
