"""The Discuz importer against a real MariaDB/MySQL (``DISCUZ_TEST_MYSQL``), end to end: the test
community of discuz_source.py goes through the real command, then members, boards, threads and
posts are checked row by row, and so are resuming, re-running and ``--since``."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from fupan.accounts.models import Ban, UserGroup
from fupan.forum.models import Board, BoardModerator, BoardPermission, Post, Thread, ThreadType
from fupan.forum.synchronize import counter_snapshot, synchronize_all
from fupan.importers.discuz.importer import run_import
from fupan.importers.discuz.source import SourceConfig
from fupan.importers.models import Checkpoint, Issue

from .discuz_source import BCRYPT_HASH, BCRYPT_PASSWORD, DAY, DiscuzDatabase

User = get_user_model()
HASHERS_READY = importlib.util.find_spec("fupan.accounts.hashers") is not None

IMPORTED_POSTS = {1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 19}
IMPORTED_THREADS = {1, 2, 3, 4, 7, 8, 9, 10, 11}


def _issues(step: str) -> dict[str, str]:
    return dict(Issue.objects.filter(step=step).values_list("source_key", "reason"))


def test_import_brings_over_groups_members_and_bans(run_discuz_import: Any) -> None:
    run_discuz_import()
    assert UserGroup.objects.get(pk=10).title == "新手上路"
    assert UserGroup.objects.get(pk=15).credits_lower == 9999999
    assert set(User.objects.values_list("pk", flat=True)) == set(range(1, 11))

    admin, alice, bob, bob2 = (User.objects.get(pk=i) for i in (1, 2, 3, 4))
    assert admin.group_id == UserGroup.ADMIN and admin.is_staff and admin.is_superuser
    assert alice.email == "alice@example.com" and alice.register_ip == "10.0.0.1"
    assert alice.extcredits2 == 5 and alice.date_joined.timestamp() == 1704067200
    # ＢＯＢ is Bob ignoring width and case: renamed, reported, never a crash.
    assert bob.username == "Bob" and bob2.username == "ＢＯＢ_4"
    assert "renamed" in _issues("members")["4"]
    # The signature was HTML (sightml): back to Discuz code.
    assert bob.signature == "[b]Bob[/b] 的签名\n[url=https://bob.example/]主页[/url]"
    # Password formats (the hashers verify them).
    assert admin.password == f"discuz_bcrypt${BCRYPT_HASH}"
    assert alice.password.startswith("discuz_md5$") and len(alice.password.split("$")) == 3
    noaccount = User.objects.get(pk=7)
    assert not noaccount.has_usable_password() and noaccount.email == ""
    assert User.objects.get(pk=8).register_ip is None  # "Manual Acting"
    assert User.objects.get(pk=10).email == ""  # "not an email"
    # The 禁止发言 member keeps the ban, its reason and the group to return to.
    ban = Ban.objects.get(user_id=6)
    assert ban.kind == Ban.Kind.POST and ban.reason == "发广告" and ban.previous_group_id == 11
    assert ban.expires_at is None and User.objects.get(pk=6).group_id == UserGroup.BANNED_POST
    # Counters are recounted from the imported posts.
    assert alice.posts == 4 and alice.threads == 4  # 屏蔽 posts still count; drafts do not


@pytest.mark.skipif(not HASHERS_READY, reason="fupan.accounts.hashers is not written yet")
def test_import_brings_over_the_site_settings(run_discuz_import: Any) -> None:
    from fupan.core.actions import do_update_site_settings
    from fupan.core.site import get_site_settings

    run_discuz_import()
    site = get_site_settings()
    assert site.site_name == "遂宁生活网" and site.icp == "蜀ICP备12345678号-1"
    assert (site.posts_per_page, site.threads_per_page, site.post_interval) == (15, 25, 30)
    assert site.max_charge_hours == 72
    assert (site.credit1_name, site.credit2_name, site.credit3_name) == ("威望", "金币", "贡献")
    assert (site.credit1_enabled, site.credit2_enabled, site.credit3_enabled) == (True, True, False)
    weights = [getattr(site, f) for f in site.FORMULA_FIELDS]
    assert weights == [1, 0, 5, 3, 1, 0]  # posts, threads, digest, 威望×3, 金币, 贡献
    assert "credit 4" in _issues("site_settings")["extcredits"]
    # The owner renames the site after the import; a later run leaves it alone.
    do_update_site_settings(acting_user=None, site_name="遂宁社区")
    run_discuz_import()
    assert get_site_settings().site_name == "遂宁社区"


def test_members_log_in_with_their_old_passwords(run_discuz_import: Any, client: Any) -> None:
    run_discuz_import()
    for login, password in (
        ("alice", "alice-pw"),
        ("admin", BCRYPT_PASSWORD),
        ("bob", BCRYPT_PASSWORD),
    ):
        response = client.post("/login/", {"login": login, "password": password})
        assert response.status_code == 302, login
        client.logout()
    response = client.post("/login/", {"login": "alice", "password": "wrong"})
    assert response.status_code == 400


def test_import_brings_over_the_board_tree_types_permissions_and_moderators(
    run_discuz_import: Any,
) -> None:
    run_discuz_import()
    assert set(Board.objects.values_list("pk", flat=True)) == {1, 2, 3, 4, 5, 6, 9, 10}
    assert "7" in _issues("boards")  # a 群组 forum
    news, sub, hidden, child = (Board.objects.get(pk=i) for i in (3, 4, 5, 9))
    assert news.parent_id == 1 and news.kind == Board.Kind.BOARD and news.rules == "请遵守版规"
    assert sub.kind == Board.Kind.SUB and sub.parent_id == 3 and sub.name == "公告"
    assert not hidden.is_visible
    assert child.parent_id == 10 and child.jammer and child.review_posts == Board.Review.ALL
    assert Board.objects.get(pk=10).kind == Board.Kind.CATEGORY
    assert news.thread_types_enabled and news.thread_types_required
    assert "broken threadtypes" in _issues("boards")["6"]
    assert not Board.objects.get(pk=6).thread_types_enabled
    assert list(news.thread_types.values_list("pk", "name")) == [(1, "建言献策"), (2, "灌水")]
    assert not ThreadType.objects.filter(pk=3).exists()
    # viewperm "\t1\t2\t3\t10\t11\t": those groups may view, others may not; posting as usual.
    view = dict(BoardPermission.objects.filter(board=news).values_list("group_id", "can_view"))
    assert view[10] is True and view[12] is False and view[7] is False
    assert BoardPermission.objects.get(board=news, group_id=12).can_post is None
    sub_perm = BoardPermission.objects.get(board=sub, group_id=10)
    assert sub_perm.can_post is False and sub_perm.can_reply is True and sub_perm.can_view is None
    assert set(BoardModerator.objects.values_list("board_id", "user_id")) == {(2, 5), (3, 5)}
    assert _issues("moderators") == {"2:999": "member 999 not imported"}


def test_import_keeps_thread_states_and_post_details(run_discuz_import: Any) -> None:
    run_discuz_import()
    assert set(Thread.objects.values_list("pk", flat=True)) == IMPORTED_THREADS
    threads = {t.pk: t for t in Thread.objects.all()}
    assert (
        threads[1].replies == 3 and threads[1].views == 42
    )  # 屏蔽 keeps its floor and threads[1].max_position == 4
    assert threads[2].sticky == Thread.Sticky.GLOBAL and threads[2].digest == 2
    assert threads[2].highlight == "#EE1B2E" and threads[2].closed
    assert threads[3].state == Thread.State.RECYCLED
    assert threads[4].state == Thread.State.PENDING
    assert threads[7].type_id == 1 and threads[7].replies == 3  # pending and deleted not counted
    assert threads[8].redirect_to_id == 7 and threads[8].closed
    assert threads[9].highlight == ""
    skipped = _issues("threads")
    assert skipped["5"] == "a draft (never published)" and skipped["6"] == "board 7 not imported"

    assert set(Post.objects.values_list("pk", flat=True)) == IMPORTED_POSTS
    posts = {p.pk: p for p in Post.objects.all()}
    assert posts[1].is_first and posts[1].position == 1 and "<strong>你好</strong>" in posts[1].html
    assert posts[2].client == Post.Client.ANDROID and posts[3].client == Post.Client.MOBILE_WEB
    assert posts[4].hidden and posts[6].state == Post.State.VISIBLE
    assert posts[7].state == Post.State.PENDING and posts[11].state == Post.State.PENDING
    assert posts[12].state == Post.State.DELETED
    assert posts[13].author_id is None and posts[13].author_name == "匿名"
    assert posts[14].author_id is None and posts[14].author_name == "ghost"
    assert posts[15].created_at == threads[7].created_at  # no date: its thread's
    assert posts[16].smilies_off and posts[16].bbcode_off
    assert posts[17].body == "投票内容"
    assert posts[5].ip == "192.168.1.5"
    assert "orphan" in _issues("posts")["18"]
    # Every counter equals a recount.
    before = counter_snapshot()
    synchronize_all()
    assert counter_snapshot() == before
    assert Board.objects.get(pk=2).threads == 5  # 1, 2, 8, 9, 10 are visible in 默认版块


def test_thread_page_shows_imported_floors_and_mobile_posts(
    run_discuz_import: Any, client: Any
) -> None:
    run_discuz_import()
    page = client.get("/t/1/").content.decode()
    assert "你好" in page and "沙发" in page and "来自手机" in page
    assert client.get("/t/1/3/").status_code in (301, 302)


def test_an_interrupted_import_resumes_without_duplicates_or_gaps(
    discuz_db: DiscuzDatabase, db: Any, site: Any, tmp_path: Path
) -> None:
    config = SourceConfig.from_url(discuz_db.url)

    class Crash(Exception):
        pass

    def crash(step: str, batches: int) -> None:
        if step == "posts" and batches == 3:
            raise Crash

    with pytest.raises(Crash):
        run_import(config, batch_size=2, report_path=tmp_path / "r1.txt", on_batch=crash)
    assert Post.objects.count() == 6  # three batches of two committed, the rest not
    assert Checkpoint.objects.get(step="posts").last_key == 6
    result = run_import(config, batch_size=2, report_path=tmp_path / "r2.txt")
    assert set(Post.objects.values_list("pk", flat=True)) == IMPORTED_POSTS
    assert result.step("posts").imported_total == len(IMPORTED_POSTS)
    assert Issue.objects.filter(step="posts", kind=Issue.Kind.SKIPPED).count() == 3
    assert Thread.objects.get(pk=1).replies == 3


def test_a_second_run_imports_nothing(run_discuz_import: Any, tmp_path: Path) -> None:
    run_discuz_import()
    snapshot = counter_snapshot()
    issues = Issue.objects.count()
    output = run_discuz_import()
    assert "nothing new" in output
    assert all(s.imported_now == 0 for s in _last_result_steps(tmp_path))
    assert counter_snapshot() == snapshot and Issue.objects.count() == issues


def _last_result_steps(tmp_path: Path) -> list[Any]:
    # The report's "this run" column, parsed back.
    from types import SimpleNamespace

    lines = (tmp_path / "report.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("kind")) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        cells = line.split()
        rows.append(SimpleNamespace(imported_now=int(cells[-2].replace(",", ""))))
    return rows


def test_since_brings_over_new_rows_only(run_discuz_import: Any, discuz_db: DiscuzDatabase) -> None:
    run_discuz_import()
    import time

    now = int(time.time())
    try:
        discuz_db.add_member(50, "newcomer", email="new@example.com", regdate=now)
        discuz_db.add_thread(60, 2, (50, "newcomer"), "新主题", dateline=now)
        discuz_db.add_post(60, 60, 1, (50, "newcomer"), "新人报到", dateline=now)
        discuz_db.add_post(61, 1, 5, (2, "alice"), "老帖新回复", dateline=now + 1)
        discuz_db.execute("UPDATE pre_forum_thread SET lastpost = %s WHERE tid = 1", [now + 1])
        output = run_discuz_import("--since", time.strftime("%Y-%m-%d", time.localtime(now - DAY)))
    finally:
        discuz_db.execute("DELETE FROM pre_forum_post WHERE pid IN (60, 61)")
        discuz_db.execute("DELETE FROM pre_forum_thread WHERE tid = 60")
        discuz_db.execute("UPDATE pre_forum_thread SET lastpost = dateline WHERE tid = 1")
        for table in ("common_member", "common_member_count", "common_member_status",
                      "common_member_field_forum", "common_member_field_home",
                      "common_member_profile", "ucenter_members"):  # fmt: skip
            discuz_db.execute(f"DELETE FROM pre_{table} WHERE uid = 50")
    assert User.objects.get(pk=50).username == "newcomer"
    assert Thread.objects.get(pk=60).author_id == 50
    assert Thread.objects.get(pk=1).replies == 4
    assert Post.objects.get(pk=61).position == 5
    assert Post.objects.count() == len(IMPORTED_POSTS) + 2
    assert "since" in output


def test_bad_source_data_is_reported_not_fatal(run_discuz_import: Any, tmp_path: Path) -> None:
    output = run_discuz_import()
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    for reason in (
        "broken threadtypes setting",
        "sightml: invalid UTF-8",
        "username already used",
        "email shared with another member",
        "invalid email address dropped",
        "no registration date",
        "orphan post",
        "a 群组 (member group) forum",
        "extcredits4: 1 members hold 40",
    ):
        assert reason in report, reason
    assert "Report written to" in output
    assert "members" in output and "rows/s" in output


def test_new_rows_after_an_import_get_ids_past_the_imported_ones(
    run_discuz_import: Any, user_factory: Any
) -> None:
    from fupan.forum.actions import do_create_reply

    run_discuz_import()
    reply = do_create_reply(
        Thread.objects.get(pk=1), acting_user=User.objects.get(pk=2), body="导入后的新回复"
    )
    assert reply.pk > 19 and reply.position == 5
    assert user_factory().pk > 10
    assert Board.objects.create(name="新版块", parent_id=1).pk > 10
