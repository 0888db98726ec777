"""Search finds every post that contains the query (one and two Chinese characters included),
ranks title hits and exact phrases first, respects read permissions, and keeps up with edits,
moves and deletions."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fupan.forum.actions import (
    do_create_reply,
    do_create_thread,
    do_delete_post,
    do_delete_thread,
    do_edit_post,
    do_hide_post,
    do_move_thread,
)
from fupan.forum.models import BoardPermission, Post
from fupan.markup import plain_text
from fupan.permissions import resolve_perms
from fupan.permissions.core import purge_board_overrides
from fupan.search.queries import SearchParams, find_post_ids
from fupan.search.text import normalize, parse_query
from fupan.testing.html import visible_text

WORDS = [
    "涪江",
    "大桥",
    "停水",
    "通知",
    "社区",
    "医院",
    "学校",
    "公交",
    "小区",
    "物业",
    "修路",
    "中文",
    "支持",
    "遂宁",
    "川渝",
    "一体化",
    "河东",
    "新区",
    "菜市场",
    "停车",
]


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the after-commit index updates of whatever happens inside (the app runs them after
    each transaction commits; a test's transaction never does)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def ids(user, q, **params):
    from django.contrib.auth.models import AnonymousUser

    perms = resolve_perms(user or AnonymousUser())
    return find_post_ids(perms, SearchParams(q=q, **params))


@pytest.mark.django_db
def test_recall_every_post_containing_the_query_is_found(board, member, indexed, site):
    rng = random.Random(7)
    posts = []
    for _thread in range(12):
        title = "".join(rng.choice(WORDS) for _ in range(3))
        body = "，".join("".join(rng.choice(WORDS) for _ in range(4)) for _ in range(3))
        thread = indexed(do_create_thread, board, acting_user=member, title=title, body=body)
        posts.append(thread.first_post)
        for _ in range(3):
            reply = "".join(rng.choice(WORDS) for _ in range(5)) + "。"
            posts.append(indexed(do_create_reply, thread, acting_user=member, body=reply))
    texts = {
        p.pk: normalize((p.thread.title + "\n" if p.is_first else "") + plain_text(p.body))
        for p in Post.objects.select_related("thread")
    }
    queries = set()
    for text in texts.values():
        for length in (1, 2, 3, 4):
            start = rng.randrange(0, max(1, len(text) - length))
            queries.add(text[start : start + length])
    queries = {
        q for q in queries if q.strip() and "，" not in q and "\n" not in q and "。" not in q
    }
    assert len(queries) > 40
    for q in queries:
        expected = {pk for pk, text in texts.items() if q in text}
        found = set(ids(None, q))
        assert expected <= found, q


@pytest.mark.django_db
def test_title_hits_come_first_then_exact_phrases_then_newest(board, member, indexed):
    now = timezone.now()
    old_title = indexed(
        do_create_thread,
        board,
        acting_user=member,
        title="停水通知",
        body="正文",
        now=now - timedelta(days=3),
    )
    body_hit = indexed(
        do_create_thread,
        board,
        acting_user=member,
        title="生活",
        body="明天停水通知大家",
        now=now - timedelta(days=1),
    )
    newer_body_hit = indexed(
        do_create_thread,
        board,
        acting_user=member,
        title="小区",
        body="停水通知又来了",
    )
    scattered = indexed(
        do_create_thread,
        board,
        acting_user=member,
        title="杂谈",
        body="通知：明天水管维修，不停",
    )
    found = ids(None, "停水通知")
    assert found[:3] == [
        old_title.first_post.pk,
        newer_body_hit.first_post.pk,
        body_hit.first_post.pk,
    ]
    assert found[3] == scattered.first_post.pk  # every character, not together: last
    by_time = ids(None, "停水通知", sort="time")
    assert by_time == [
        newer_body_hit.first_post.pk,
        body_hit.first_post.pk,
        old_title.first_post.pk,
    ]
    assert ids(None, "停水", scope="title") == [old_title.first_post.pk]


@pytest.mark.django_db
def test_hidden_boards_pending_deleted_and_hidden_posts_never_appear(
    board, board_factory, member, moderator, user_factory, indexed
):
    secret = board_factory("内部")
    BoardPermission.objects.create(board=secret, group_id=member.group_id, can_view=False)
    purge_board_overrides()
    admin = user_factory("站长", group=1)
    hidden_board = indexed(
        do_create_thread, secret, acting_user=admin, title="内部消息", body="涪江"
    )
    visible = indexed(do_create_thread, board, acting_user=member, title="公开", body="涪江")
    reply = indexed(do_create_reply, visible, acting_user=member, body="涪江 回复")
    deleted = indexed(do_create_reply, visible, acting_user=member, body="涪江 删除")
    indexed(do_delete_post, deleted, acting_user=moderator)
    hidden = indexed(do_create_reply, visible, acting_user=member, body="涪江 屏蔽")
    indexed(do_hide_post, hidden, acting_user=moderator, hidden=True)
    pending = indexed(do_create_reply, visible, acting_user=member, body="涪江 待审", pending=True)
    found = set(ids(member, "涪江"))
    assert found == {visible.first_post.pk, reply.pk}
    assert hidden_board.first_post.pk in ids(admin, "涪江")
    assert pending.pk not in ids(admin, "涪江")


@pytest.mark.django_db
def test_the_index_follows_edits_moves_and_deleted_threads(
    board, board_factory, member, moderator, indexed
):
    thread = indexed(do_create_thread, board, acting_user=member, title="旧标题", body="旧的内容")
    indexed(do_edit_post, thread.first_post, acting_user=member, body="新的内容", title="新标题")
    assert ids(None, "旧的") == [] and ids(None, "新的") == [thread.first_post.pk]
    assert ids(None, "新标题") == [thread.first_post.pk] and ids(None, "旧标题") == []
    other = board_factory("另一个版块")
    indexed(do_move_thread, thread, acting_user=moderator, board=other)
    assert ids(None, "新的", board_id=other.pk) == [thread.first_post.pk]
    assert ids(None, "新的", board_id=board.pk) == []
    indexed(do_delete_thread, thread, acting_user=moderator)
    assert ids(None, "新的") == []


@pytest.mark.django_db
def test_filters_by_author_and_time(board, member, other_member, indexed):
    mine = indexed(do_create_thread, board, acting_user=member, title="甲", body="菜市场")
    old = indexed(
        do_create_thread,
        board,
        acting_user=other_member,
        title="乙",
        body="菜市场",
        now=timezone.now() - timedelta(days=40),
    )
    assert ids(None, "菜市场", author_id=member.pk) == [mine.first_post.pk]
    assert ids(None, "菜市场", days=30) == [mine.first_post.pk]
    assert set(ids(None, "菜市场")) == {mine.first_post.pk, old.first_post.pk}


@pytest.mark.django_db
def test_latin_words_match_by_prefix_and_case(board, member, indexed):
    thread = indexed(
        do_create_thread, board, acting_user=member, title="手机", body="我的iPhone手机坏了"
    )
    assert ids(None, "iphone") == [thread.first_post.pk]
    assert ids(None, "IPHO") == [thread.first_post.pk]
    assert ids(None, "iphone手机") == [thread.first_post.pk]
    assert ids(None, "iphone 手机坏了") == [thread.first_post.pk]  # a word and a Chinese phrase
    assert ids(None, "iphone 手机好了") == []


@pytest.mark.django_db
def test_long_words_and_mixed_words_match_only_where_they_stand_together(board, member, indexed):
    """PostgreSQL looks a word of four or more characters up by its character triples and a mixed
    word by its parts, then checks the phrase: a post holding every part apart is no match."""

    def post(body):
        return indexed(do_create_thread, board, acting_user=member, title="帖子", body=body)

    together = post("老城区改造开始了，涪江大桥北桥头要封路")
    apart = post("老城区很大，城区改造也慢；区改造要钱。涪江大桥南，大桥北桥头")
    mixed = post("5G基站建好了")
    mixed_apart = post("5G信号差，基站太远")
    exact = {"sort": "time"}  # exact matches only
    assert ids(None, "老城区改造", **exact) == [together.first_post.pk]
    assert ids(None, "涪江大桥北桥头", **exact) == [together.first_post.pk]
    assert ids(None, "5g基站", **exact) == [mixed.first_post.pk]
    assert set(ids(None, "5g 基站", **exact)) == {mixed.first_post.pk, mixed_apart.first_post.pk}
    assert set(ids(None, "城区改造", **exact)) == {together.first_post.pk, apart.first_post.pk}
    # ranked by relevance, the scattered characters still come, after the exact match
    assert ids(None, "老城区改造")[0] == together.first_post.pk


@pytest.mark.django_db
def test_a_search_inside_a_transaction_leaves_no_settings_behind(board, member, indexed):
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are a PostgreSQL matter")
    post = indexed(do_create_thread, board, acting_user=member, title="帖子", body="老城区改造")
    with transaction.atomic(), connection.cursor() as cursor:
        assert ids(None, "老城区改造") == [post.first_post.pk]
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_a_very_common_word_is_found_by_walking_the_newest_posts(board, member, indexed):
    """PostgreSQL: with statistics saying a character is in most posts, the newest posts are
    walked and tested (a page of results is near); the answer is the same, newest first."""
    from django.db import connection

    from fupan.search.backends import postgres

    if connection.vendor != "postgresql":
        pytest.skip("the plan choice is PostgreSQL's")
    made = [
        indexed(do_create_thread, board, acting_user=member, title=f"路灯{i}", body=f"路灯坏了{i}")
        for i in range(12)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
        postgres._FREQUENCIES.clear()
        share = postgres.estimated_share(
            postgres.body_lookup(parse_query("灯"), mode="phrase"),
            postgres.lexeme_frequencies(cursor),
        )
    assert share >= postgres.WALK_ABOVE
    newest_first = [t.first_post.pk for t in reversed(made)]
    assert ids(None, "灯", sort="time") == newest_first
    assert ids(None, "坏了", sort="time") == newest_first
    postgres._FREQUENCIES.clear()


@pytest.mark.django_db
def test_rebuild_command_indexes_everything_again(board, member, capsys):
    thread = do_create_thread(board, acting_user=member, title="未索引", body="重建之后能找到")
    assert ids(None, "重建") == []  # created without running the after-commit update
    call_command("rebuild_search_index")
    assert "Indexed 1 posts" in capsys.readouterr().out
    assert ids(None, "重建") == [thread.first_post.pk]


# The page and the API ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_page_highlights_and_links_to_the_floor(guest_client, board, member, indexed):
    thread = indexed(
        do_create_thread, board, acting_user=member, title="支持中文吗", body="论坛支持中文搜索"
    )
    reply = indexed(do_create_reply, thread, acting_user=member, body="当然支持中文")
    html = guest_client.get("/search/?q=中文").content.decode()
    assert "<mark>中文</mark>" in html
    assert f"/p/{thread.first_post.pk}/" in html and f"/p/{reply.pk}/" in html
    assert "2 个结果" in visible_text(html)


@pytest.mark.django_db
def test_no_results_page_helps(guest_client, site):
    text = visible_text(guest_client.get("/search/?q=不存在的词").content.decode())
    assert "没有找到与“不存在的词”相关的内容" in text and "一两个汉字" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        '"中文',
        "中文 AND OR NOT",
        "'; DROP TABLE forum_post; --",
        "NEAR(中 文, 2)",
        "*",
        "中" * 5000,
        "中\x00文\x1b[31m",
        "title:中文 {body}",
        "%_%",
        "\\",
    ],
)
def test_any_query_string_gets_an_answer_not_an_error(guest_client, board, member, indexed, q):
    indexed(do_create_thread, board, acting_user=member, title="中文", body="中文内容")
    assert guest_client.get("/search/", {"q": q}).status_code == 200
    assert guest_client.get("/api/v1/search/", {"q": q}).status_code in (200, 400)


@pytest.mark.django_db
def test_only_punctuation_asks_for_a_keyword(guest_client, site):
    response = guest_client.get("/search/?q=！！！")
    assert response.status_code == 200
    assert "请至少输入一个字母、数字或汉字" in visible_text(response.content.decode())


@pytest.mark.django_db
def test_api_returns_results_as_json(guest_client, board, member, indexed):
    thread = indexed(
        do_create_thread, board, acting_user=member, title="公交改线", body="3路公交改线"
    )
    data = guest_client.get("/api/v1/search/?q=公交").json()
    assert data["total"] == 1 and data["results"][0]["thread_id"] == thread.pk
    assert "<mark>公交</mark>" in data["results"][0]["snippet_html"]
    assert guest_client.get("/api/v1/search/?q=").status_code == 400


@pytest.mark.django_db
def test_searching_is_rate_limited_and_keeps_the_query(guest_client, site):
    from fupan.core.actions import do_update_site_settings

    do_update_site_settings(acting_user=None, search_per_minute=3)
    for _ in range(3):
        assert guest_client.get("/search/?q=停水").status_code == 200
    response = guest_client.get("/search/?q=停水")
    assert response.status_code == 429
    html = response.content.decode()
    assert "搜索过于频繁" in visible_text(html) and 'value="停水"' in html


@pytest.mark.django_db
def test_banned_groups_may_not_search(client_for, user_factory, site):
    banned = user_factory("被禁言的人", group=4)
    response = client_for(banned).get("/search/?q=停水")
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_author_says_so(guest_client, site):
    text = visible_text(guest_client.get("/search/?q=停水&author=没有这个人").content.decode())
    assert "没有名为“没有这个人”的会员" in text


@pytest.mark.django_db
def test_search_page_query_budget(guest_client, board, member, indexed, django_assert_num_queries):
    for i in range(25):
        indexed(do_create_thread, board, acting_user=member, title=f"停水{i}", body="停水通知")
    guest_client.get("/")
    guest_client.get("/search/?q=通知")  # once per process: PostgreSQL's statistics are read
    # boards (permissions), the search, the page's posts with threads and boards, the board tree
    with django_assert_num_queries(5):
        response = guest_client.get("/search/?q=停水&page=2")
    assert response.status_code == 200 and "停水" in response.content.decode()


@pytest.mark.django_db
def test_a_search_over_its_time_budget_is_cut_off_not_failed(board, member, indexed):
    from django.db import connection

    from fupan.search.backends import get_backend
    from fupan.search.text import parse_query

    if connection.vendor != "sqlite":
        pytest.skip("the cut-off is checked on SQLite (PostgreSQL uses statement_timeout)")
    for i in range(60):
        indexed(do_create_thread, board, acting_user=member, title=f"主题{i}", body="涪江大桥" * 50)
    backend, query = get_backend(), parse_query("涪江大桥")
    kwargs = {"fields": "any", "mode": "scattered", "board_ids": [board.pk], "limit": 500}
    assert len(backend.search(query, **kwargs)) == 60
    assert backend.search(query, budget_ms=0, **kwargs) == []
    assert len(backend.search(query, **kwargs)) == 60  # the connection works on afterwards
