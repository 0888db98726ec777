import pytest

from fupan.forum.models import Board
from fupan.testing.plugin import uncached_guest_pages


@pytest.mark.django_db
def test_index_shows_categories_boards_counts_and_newest_member(
    guest_client, board, thread_factory, user_factory
):
    thread_factory(board, title="涪江三桥通车了", replies=2)
    newest = user_factory("新来的")
    response = guest_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert board.parent.name in html and board.name in html
    assert "涪江三桥通车了" in html  # the board's last post
    assert newest.username in html
    assert response.context["index"].total_posts == 3
    assert response.context["index"].today_posts == 3


@pytest.mark.django_db
def test_index_counts_members_from_a_counter_not_the_member_table(
    guest_client, user_factory, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = guest_client.get("/").context["index"].members
    user_factory("又一位新人")
    with CaptureQueriesContext(connection) as queries:
        index = guest_client.get("/").context["index"]
    assert index.members == before + 1
    assert index.newest_member.username == "又一位新人"
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.django_db
def test_index_hides_invisible_boards_from_guests(guest_client, board_factory):
    hidden = board_factory("管理员专区", is_visible=False)
    assert hidden.name not in guest_client.get("/").content.decode()


@pytest.mark.django_db
def test_index_query_budget_for_a_guest_is_at_most_six(
    guest_client, board_factory, thread_factory, django_assert_num_queries
):
    for _ in range(4):
        thread_factory(board_factory(), replies=1)
    guest_client.get("/")  # warm the settings and groups caches
    uncached_guest_pages()  # the render a cache miss costs (hits: test_guest_page_cache.py)
    with django_assert_num_queries(2):  # the board tree, the member totals
        assert guest_client.get("/").status_code == 200


@pytest.mark.django_db
def test_index_query_budget_for_a_member(
    member_client, board, thread_factory, django_assert_num_queries
):
    thread_factory(board)
    member_client.get("/")
    with django_assert_num_queries(3):  # + the member's row
        assert member_client.get("/").status_code == 200


@pytest.mark.django_db
def test_index_with_no_boards_shows_administrators_where_to_add_them(guest_client, admin_client):
    Board.objects.all().delete()
    assert "/admin/forum/board/add/" in admin_client.get("/").content.decode()
    guest_html = guest_client.get("/").content.decode()
    assert 'class="empty"' in guest_html and "/admin/forum/board/add/" not in guest_html


@pytest.mark.django_db
def test_index_htmx_request_gets_the_same_page(guest_client, board, htmx_headers):
    response = guest_client.get("/", **htmx_headers)
    assert response.status_code == 200 and board.name in response.content.decode()
