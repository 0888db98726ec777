"""Deep pages cost what page 1 costs: board pages by sort key, thread pages by floor ranges.

Large lists are written in bulk (the actions would take minutes for a thousand threads), then
their counters rebuilt by ``synchronize_*`` as after an import."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fupan.core.actions import do_update_site_settings
from fupan.forum.actions import do_create_thread
from fupan.forum.models import Post, Thread
from fupan.forum.queries import SHALLOW_ROWS
from fupan.forum.synchronize import synchronize_boards, synchronize_threads

THREADS = 2 * SHALLOW_ROWS + 400  # deep pages exist: more than SHALLOW_ROWS from both ends


def expected_order(board):
    return list(
        Thread.objects.filter(board=board, state=Thread.State.VISIBLE, sticky=0)
        .order_by("-last_post_at", "-id")
        .values_list("id", flat=True)
    )


def listed(response):
    return [t.pk for t in response.context["page"].threads]


@pytest.fixture
def big_board(board_factory, member):
    board = board_factory("大版块")
    base = timezone.now() - timedelta(days=30)
    Thread.objects.bulk_create(
        Thread(
            board=board,
            title=f"批量主题{i:04d}",
            author=member,
            author_name=member.username,
            created_at=base + timedelta(minutes=i),
            last_post_at=base + timedelta(minutes=i - i % 7),  # ties: the id decides
        )
        for i in range(THREADS)
    )
    ids = list(Thread.objects.filter(board=board).values_list("id", flat=True))
    Post.objects.bulk_create(
        Post(
            thread_id=tid,
            position=1,
            is_first=True,
            author=member,
            author_name=member.username,
            body="一楼",
            html="一楼",
            created_at=base,
        )
        for tid in ids
    )
    synchronize_boards([board.pk])
    board.refresh_from_db()
    return board


@pytest.mark.django_db
def test_board_first_middle_deep_and_last_pages_list_the_right_threads(guest_client, big_board):
    order = expected_order(big_board)
    pages = -(-len(order) // 20)
    for page in (1, 2, SHALLOW_ROWS // 20 + 3, pages // 2, pages - SHALLOW_ROWS // 20 - 2, pages):
        response = guest_client.get(f"/f/{big_board.pk}/?page={page}")
        assert response.context["page"].pager.pages == pages
        assert listed(response) == order[(page - 1) * 20 : page * 20], page


@pytest.mark.django_db
def test_every_deep_page_lists_the_right_threads_across_page_map_chunks(
    guest_client, big_board, monkeypatch
):
    from fupan.forum import queries

    monkeypatch.setattr(queries, "PAGE_MAP_CHUNK", 7)  # the map in several cache entries
    order = expected_order(big_board)
    first_deep = SHALLOW_ROWS // 20 + 2
    last_deep = (len(order) - SHALLOW_ROWS) // 20 - 1
    assert last_deep - first_deep > 2 * 7
    for page in range(first_deep, last_deep + 1):
        response = guest_client.get(f"/f/{big_board.pk}/?page={page}")
        assert listed(response) == order[(page - 1) * 20 : page * 20], page


@pytest.mark.django_db
def test_a_deep_board_page_reads_no_offset_and_stays_within_budget(guest_client, big_board):
    middle = -(-THREADS // 20) // 2
    url = f"/f/{big_board.pk}/?page={middle}"
    guest_client.get(url)  # builds the page map
    with CaptureQueriesContext(connection) as queries:
        assert guest_client.get(url).status_code == 200
    assert len(queries) <= 8
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    # The first visit, which builds the map, has no OFFSET either.
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        guest_client.get(url)
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_deep_board_page_by_other_orders_and_type_filter(guest_client, big_board):
    middle = -(-THREADS // 20) // 2
    newest = list(
        Thread.objects.filter(board=big_board)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
    response = guest_client.get(f"/f/{big_board.pk}/?page={middle}&order=dateline")
    assert listed(response) == newest[(middle - 1) * 20 : middle * 20]


@pytest.mark.django_db
def test_a_member_sees_their_thread_waiting_for_review_on_page_one_only(
    member_client, member, big_board
):
    waiting = do_create_thread(
        big_board, acting_user=member, title="等待审核的主题", body="正文", pending=True
    )
    assert waiting.pk in listed(member_client.get(f"/f/{big_board.pk}/"))
    assert waiting.pk not in listed(member_client.get(f"/f/{big_board.pk}/?page=2"))


@pytest.fixture
def long_thread(board, member, other_member):
    """A thread of 1,200 floors: floors 1, 4, 7 … by ``member``, the others by ``other_member``;
    floor 50 deleted (a gap)."""
    thread = do_create_thread(board, acting_user=member, title="千层楼", body="楼主")
    start = thread.created_at
    Post.objects.bulk_create(
        Post(
            thread=thread,
            position=n,
            author=member if n % 3 == 1 else other_member,
            author_name="x",
            body=f"第{n}楼",
            html=f"第{n}楼",
            created_at=start + timedelta(seconds=n),
            state=Post.State.DELETED if n == 50 else Post.State.VISIBLE,
        )
        for n in range(2, 1201)
    )
    synchronize_threads([thread.pk])
    thread.refresh_from_db()
    return thread


def floors(response):
    return [f.position for f in response.context["floors"]]


@pytest.mark.django_db
def test_thread_first_middle_and_last_pages_are_floor_ranges_without_offset(
    guest_client, long_thread
):
    do_update_site_settings(acting_user=None, posts_per_page=10)
    url = f"/t/{long_thread.pk}/"
    assert floors(guest_client.get(url)) == list(range(1, 11))
    assert floors(guest_client.get(url + "?page=61")) == list(range(601, 611))
    with CaptureQueriesContext(connection) as queries:
        last = guest_client.get(url + "?page=120")
    assert floors(last) == list(range(1191, 1201))
    assert len(queries) <= 8
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    # A floor jump is one lookup and a redirect to the floor's page.
    post = Post.objects.get(thread=long_thread, position=777)
    with CaptureQueriesContext(connection) as queries:
        jump = guest_client.get(f"/t/{long_thread.pk}/777/")
    assert jump["Location"] == f"/t/{long_thread.pk}/?page=78#pid{post.pk}"
    assert len(queries) <= 3


@pytest.mark.django_db
def test_only_author_pages_start_at_the_right_floor_without_offset(
    guest_client, long_thread, member, other_member
):
    do_update_site_settings(acting_user=None, posts_per_page=10)
    mine = [n for n in range(1, 1201) if n % 3 == 1]
    theirs = [n for n in range(2, 1201) if n % 3 != 1 and n != 50]
    url = f"/t/{long_thread.pk}/?author={other_member.pk}"
    assert floors(guest_client.get(url)) == theirs[:10]
    with CaptureQueriesContext(connection) as queries:
        deep = guest_client.get(url + "&page=60")
    assert floors(deep) == theirs[590:600]
    assert deep.context["data"].pager.pages == -(-len(theirs) // 10)
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    last = guest_client.get(url + "&page=999")
    assert floors(last) == theirs[(len(theirs) - 1) // 10 * 10 :]
    newest_first = guest_client.get(f"/t/{long_thread.pk}/?author={member.pk}&order=desc&page=3")
    assert floors(newest_first) == mine[::-1][20:30]
