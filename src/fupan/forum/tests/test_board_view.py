import pytest

from fupan.forum.models import Thread
from fupan.testing.plugin import uncached_guest_pages


@pytest.mark.django_db
def test_board_lists_sticky_first_then_by_last_reply(guest_client, board, thread_factory):
    old_sticky = thread_factory(board, title="置顶公告", sticky=1)
    first = thread_factory(board, title="较早的帖子")
    thread_factory(board, title="最新的帖子")
    response = guest_client.get(f"/f/{board.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("置顶公告") < html.index("最新的帖子") < html.index("较早的帖子")
    assert [t.pk for t in response.context["page"].sticky] == [old_sticky.pk]
    assert first.pk in [t.pk for t in response.context["page"].threads]


@pytest.mark.django_db
def test_board_shows_type_prefix_digest_and_closed_marks(guest_client, board, thread_factory):
    advice = board.thread_types.get(name="建言献策")
    thread_factory(board, title="多设公交站", thread_type=advice, digest=1, closed=True)
    html = guest_client.get(f"/f/{board.pk}/").content.decode()
    assert f'?type={advice.pk}">建言献策</a>]' in html
    assert "badge-digest" in html and "badge-closed" in html


@pytest.mark.django_db
def test_board_type_filter_lists_only_that_type(guest_client, board, thread_factory):
    advice, complaint = (
        board.thread_types.get(name="建言献策"),
        board.thread_types.get(name="投诉曝光"),
    )
    thread_factory(board, title="建议一", thread_type=advice)
    thread_factory(board, title="投诉一", thread_type=complaint)
    response = guest_client.get(f"/f/{board.pk}/?type={advice.pk}")
    titles = [t.title for t in response.context["page"].threads]
    assert titles == ["建议一"]


@pytest.mark.django_db
def test_board_pages_twenty_threads_at_a_time(guest_client, board, thread_factory):
    for i in range(25):
        thread_factory(board, title=f"帖子{i:02d}")
    first = guest_client.get(f"/f/{board.pk}/")
    second = guest_client.get(f"/f/{board.pk}/?page=2")
    assert len(first.context["page"].threads) == 20
    assert len(second.context["page"].threads) == 5
    assert first.context["page"].pager.pages == 2
    assert guest_client.get(f"/f/{board.pk}/?page=abc").status_code == 200
    assert guest_client.get(f"/f/{board.pk}/?page=999").context["page"].pager.page == 2


@pytest.mark.django_db
def test_board_hides_recycled_threads(guest_client, board, thread_factory):
    gone = thread_factory(board, title="已删除的帖子")
    Thread.objects.filter(pk=gone.pk).update(state=Thread.State.RECYCLED)
    assert "已删除的帖子" not in guest_client.get(f"/f/{board.pk}/").content.decode()


@pytest.mark.django_db
def test_missing_or_hidden_board_is_a_friendly_404(guest_client, board_factory):
    hidden = board_factory(is_visible=False)
    for url in ["/f/99999/", f"/f/{hidden.pk}/"]:
        response = guest_client.get(url)
        assert response.status_code == 404
        assert (
            "This board does not exist." in response.content.decode()
            or "版块不存在" in response.content.decode()
        )


@pytest.mark.django_db
def test_board_query_budget_for_a_guest_is_at_most_eight(
    guest_client, board, thread_factory, django_assert_num_queries
):
    for i in range(22):
        thread_factory(board, sticky=1 if i == 0 else 0)
    guest_client.get(f"/f/{board.pk}/")
    uncached_guest_pages()  # the render a cache miss costs (hits: test_guest_page_cache.py)
    with django_assert_num_queries(5):
        assert guest_client.get(f"/f/{board.pk}/").status_code == 200


@pytest.mark.django_db
def test_board_query_budget_for_a_member(
    member_client, board, thread_factory, django_assert_num_queries
):
    for _ in range(3):
        thread_factory(board)
    member_client.get(f"/f/{board.pk}/")
    # session, member + the board's page (as a guest's) + whether the member keeps the board (收藏)
    with django_assert_num_queries(8):
        assert member_client.get(f"/f/{board.pk}/").status_code == 200


@pytest.mark.django_db
def test_board_htmx_request_gets_only_the_thread_list(
    guest_client, board, thread_factory, htmx_headers
):
    thread_factory(board, title="局部刷新")
    response = guest_client.get(f"/f/{board.pk}/?page=1", **htmx_headers)
    html = response.content.decode()
    assert "局部刷新" in html and "<html" not in html


@pytest.mark.django_db
def test_board_shows_new_thread_button_to_members_and_login_to_guests(
    guest_client, member_client, board
):
    assert f"/f/{board.pk}/new/" in member_client.get(f"/f/{board.pk}/").content.decode()
    assert "/login/?next=" in guest_client.get(f"/f/{board.pk}/").content.decode()


@pytest.mark.django_db
def test_category_and_site_wide_stickies_show_where_they_reach(
    guest_client, board, board_factory, thread_factory
):
    sibling = board_factory("同分区版块", parent=board.parent)
    elsewhere = board_factory("别的分区版块")
    in_category = thread_factory(sibling, title="分区置顶", sticky=Thread.Sticky.CATEGORY)
    other_category = thread_factory(elsewhere, title="别区置顶", sticky=Thread.Sticky.CATEGORY)
    everywhere = thread_factory(elsewhere, title="全站置顶", sticky=Thread.Sticky.GLOBAL)
    sticky = [t.pk for t in guest_client.get(f"/f/{board.pk}/").context["page"].sticky]
    assert sticky == [everywhere.pk, in_category.pk]
    assert other_category.pk not in sticky
