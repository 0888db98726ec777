"""The Discuz importer's social steps against a real MariaDB/MySQL (``DISCUZ_TEST_MYSQL``): votes,
顶/踩, ratings, the credit log, favourites, notifications and reports of the test community
(discuz_source.build_social), row by row and through the pages that show them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from fupan.accounts.models import CreditLedger
from fupan.forum.models import Post, PostVote, Thread
from fupan.forum.synchronize import synchronize_post_votes
from fupan.importers.models import Issue
from fupan.inbox.models import Favorite, Notification
from fupan.moderation.models import Report

User = get_user_model()


def _issues(step: str) -> dict[str, str]:
    return dict(Issue.objects.filter(step=step).values_list("source_key", "reason"))


def test_votes_are_imported_and_the_posts_count_them(run_discuz_import: Any) -> None:
    run_discuz_import()
    votes = set(PostVote.objects.values_list("post_id", "user_id", "thread_id", "value"))
    assert votes == {(2, 2, 1, 1), (2, 5, 1, 1), (2, 9, 1, -1), (3, 2, 1, 1)}
    assert Post.objects.get(pk=2).support == 2 and Post.objects.get(pk=2).oppose == 1
    assert (Post.objects.get(pk=3).support, Post.objects.get(pk=3).oppose) == (1, 0)
    assert not Post.objects.filter(pk__in=[1, 4, 10], support__gt=0).exists()
    votes_issues = _issues("post_votes")
    assert votes_issues["999:2"] == "post 999 missing or not imported"
    assert votes_issues["3:555"] == "member 555 not imported"
    # Discuz said 3 support for pid 3; the votes say 1: kept, and reported.
    counts = _issues("post_vote_counts")
    assert counts == {
        "3": "vote counts differ from the votes: the votes' counts kept",
        "999": "post 999 missing or not imported",
    }
    before = list(Post.objects.order_by("pk").values_list("pk", "support", "oppose"))
    synchronize_post_votes()
    assert list(Post.objects.order_by("pk").values_list("pk", "support", "oppose")) == before


def test_thread_page_shows_imported_vote_counts_and_hot_replies(
    run_discuz_import: Any, client: Any
) -> None:
    run_discuz_import()
    page = client.get("/t/1/").content.decode()
    assert 'class="post hot" id="pid2"' in page and 'class="post hot" id="pid3"' in page
    hot_first = page.index('id="pid2"') < page.index('id="pid3"')  # 3 votes before 1
    assert hot_first
    assert '<span class="n">2</span>' in page and '<span class="n">1</span>' in page


def test_thread_recommends_keep_counts_and_who_voted(run_discuz_import: Any) -> None:
    from django.test import Client

    from fupan.forum.models import ThreadRecommend

    run_discuz_import()
    thread = Thread.objects.get(pk=1)
    assert (thread.recommend_add, thread.recommend_sub) == (3, 1)
    assert not Thread.objects.exclude(pk=1).filter(recommend_add__gt=0).exists()
    assert _issues("thread_recommends") == {"5": "thread 5 missing or not imported"}
    voted = set(ThreadRecommend.objects.values_list("thread_id", "user_id", "value"))
    assert voted == {(1, uid, 0) for uid in (2, 3, 5, 9)}  # Discuz keeps who, not which way
    # Bob voted in Discuz: not again; the administrator had not: 顶 from the thread page.
    bob, admin = Client(), Client()
    bob.force_login(get_user_model().objects.get(pk=3))
    admin.force_login(get_user_model().objects.get(pk=1))
    bob.post("/t/1/recommend/", {"value": "add"})
    admin.post("/t/1/recommend/", {"value": "add"})
    thread.refresh_from_db()
    assert (thread.recommend_add, thread.recommend_sub) == (4, 1)


def test_ratings_become_ledger_rows_without_changing_balances(run_discuz_import: Any) -> None:
    run_discuz_import()
    rows = set(
        CreditLedger.objects.filter(reason="rate").values_list(
            "user_id", "acting_user_id", "extcredits1", "extcredits2", "text", "post_id",
            "thread_id", "board_id", "imported",
        )
    )  # fmt: skip
    assert rows == {
        (3, 1, 2, 0, "好帖", 2, 1, 2, True),
        (3, 5, 0, 5, "", 2, 1, 2, True),
        (2, None, 0, -1, "灌水", 10, 7, 3, True),
    }
    bob = User.objects.get(pk=3)
    assert (bob.extcredits1, bob.extcredits2, bob.extcredits3) == (0, 5, 0)
    reasons = set(_issues("ratings").values())
    assert {
        "rater 555 not imported: kept without them",
        "post 999 missing or not imported: the rated member is unknown",
        "the rated post has no member author (guest, anonymous or gone)",
        "extcredits5: Fupan keeps extcredits1-3 only",
    } <= reasons


def test_credit_log_rows_map_operations_to_our_reasons(run_discuz_import: Any) -> None:
    run_discuz_import()
    alice = set(
        CreditLedger.objects.filter(user_id=2)
        .exclude(reason="rate")
        .values_list("reason", "text", "extcredits2", "extcredits3", "thread_id", "imported")
    )
    assert alice == {
        ("admin", "奖励: 活跃会员", 10, 0, None, True),
        ("BTC", "购买主题", -3, 0, 2, True),
        ("ZZZ", "", 0, 1, None, True),
    }
    assert User.objects.get(pk=2).extcredits2 == 5  # balances as imported
    issues = _issues("credit_log")
    assert issues["2"].startswith("a rating (PRC)")  # in the rate log already
    assert issues["4"] == "operation 'ZZZ' has no Fupan reason: kept as its code"
    assert issues["5"] == "member 555 not imported"
    assert issues["6"] == "changes extcredits4-8 only (not kept)"


def test_credit_history_page_shows_the_ratings(run_discuz_import: Any, client: Any) -> None:
    run_discuz_import()
    client.force_login(User.objects.get(pk=3))
    page = client.get("/u/3/credits/").content.decode()
    assert "好帖" in page and "+2" in page and "+5" in page


def test_favourites_are_imported_and_listed(run_discuz_import: Any, client: Any) -> None:
    run_discuz_import()
    favs = set(Favorite.objects.values_list("pk", "user_id", "thread_id", "board_id", "note"))
    assert favs == {(1, 2, 1, None, "好帖收藏"), (2, 3, 1, None, ""), (3, 2, None, 3, "")}
    assert Thread.objects.get(pk=1).favorites == 2  # Discuz's favtimes said 5
    issues = _issues("favorites")
    assert issues["4"] == "thread 999 missing or not imported"
    assert issues["5"] == "a favourite blogid: not applicable"
    assert issues["6"] == "the member keeps this thread already (favourite 1)"
    client.force_login(User.objects.get(pk=2))
    assert "第一个主题" in client.get("/favorites/").content.decode()
    assert "站务" in client.get("/favorites/?type=board").content.decode()


def test_notifications_are_imported_with_the_unread_badge(
    run_discuz_import: Any, client: Any
) -> None:
    run_discuz_import()
    rows = {
        n.pk: (n.user_id, n.kind, n.actor_id, n.thread_id, n.post_id, n.subject, n.is_new)
        for n in Notification.objects.all()
    }
    assert rows == {
        1: (2, "reply", 3, 1, 2, "第一个主题", True),
        2: (2, "mention", 5, 7, 15, "建议增加夜间模式", True),
        3: (2, "quote", 1, 1, 3, "第一个主题", False),
    }
    assert Notification.objects.get(pk=1).excerpt == "Bob 回复了您的帖子 第一个主题 查看"
    assert "@alice 同意" in Notification.objects.get(pk=2).excerpt
    assert User.objects.get(pk=2).new_notifications == 2
    assert User.objects.get(pk=3).new_notifications == 0
    issues = _issues("notifications")
    assert issues["4"].startswith("type 'pcomment': 点评")
    assert issues["5"] == "type 'magic_gift': no counterpart in Fupan"
    assert issues["6"] == "member 555 not imported"
    assert issues["7"].startswith("type 'system'")
    client.force_login(User.objects.get(pk=2))
    home = client.get("/").content.decode()
    assert '<span class="um-badge"' in home and ">2</span>" in home
    page = client.get("/notifications/").content.decode()
    assert "Bob" in page and "第一个主题" in page and "建议增加夜间模式" in page


def test_reports_are_imported_into_the_moderators_queue(
    run_discuz_import: Any, client: Any
) -> None:
    run_discuz_import()
    reports = {r.pk: r for r in Report.objects.all()}
    assert set(reports) == {1, 2, 3, 6}
    one, two, three, six = reports[1], reports[2], reports[3], reports[6]
    assert (one.kind, one.post_id, one.thread_id, one.board_id) == ("post", 2, 1, 2)
    assert one.is_open and one.reason == "spam" and one.reporter_id == 2
    assert one.message == "alice : 广告垃圾 卖东西\nBob : 也是广告"
    assert (two.kind, two.post_id, two.thread_id) == ("post", 10, 7)  # a thread: its first post
    assert two.status == "resolved" and two.outcome == "no_action"
    assert two.resolved_by_id == 5 and two.resolved_by_name == "版主小王" and two.note == ""
    assert (three.kind, three.member_id, three.is_open) == ("member", 6, True)
    assert six.outcome == "handled" and six.note == "已警告作者" and six.resolved_by_id == 1
    issues = _issues("reports")
    assert issues["4"] == "the address names no post, thread or member in Fupan"
    assert issues["5"] == "post 998 missing or not imported"
    client.force_login(User.objects.get(pk=1))
    page = client.get("/mod/reports/").content.decode()
    assert 'id="report-1"' in page and 'id="report-3"' in page
    assert 'id="report-2"' not in page and 'id="report-6"' not in page


def test_bad_social_rows_are_in_the_report(run_discuz_import: Any, tmp_path: Path) -> None:
    run_discuz_import()
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    for reason in (
        "post 999 missing or not imported",
        "vote counts differ from the votes",
        "thread 999 missing or not imported",
        "type 'magic_gift': no counterpart in Fupan",
        "the address names no post, thread or member in Fupan",
        "a rating (PRC)",
    ):
        assert reason in report, reason


def test_a_second_run_imports_no_social_rows_again(run_discuz_import: Any) -> None:
    run_discuz_import()

    def snapshot() -> list[Any]:
        return [
            sorted(PostVote.objects.values_list("post_id", "user_id", "value")),
            sorted(CreditLedger.objects.values_list("user_id", "reason", "extcredits1",
                                                     "extcredits2", "extcredits3")),
            sorted(Favorite.objects.values_list("pk", flat=True)),
            sorted(Notification.objects.values_list("pk", "is_new")),
            sorted(Report.objects.values_list("pk", "status")),
            sorted(User.objects.values_list("pk", "new_notifications")),
            sorted(Thread.objects.values_list("pk", "favorites", "recommend_add")),
            Issue.objects.count(),
        ]  # fmt: skip

    before = snapshot()
    output = run_discuz_import()
    assert "nothing new" in output
    assert snapshot() == before


def test_since_reads_ratings_and_credit_log_again_without_duplicates(
    run_discuz_import: Any,
) -> None:
    run_discuz_import()
    ledger = CreditLedger.objects.count()
    run_discuz_import("--since", "2024-01-01")
    assert CreditLedger.objects.count() == ledger
    assert PostVote.objects.count() == 4 and Favorite.objects.count() == 3


def test_small_batches_keep_every_vote_and_rating_of_a_post_together(
    discuz_db: Any, db: Any, site: Any, tmp_path: Path
) -> None:
    from fupan.importers.discuz.importer import run_import
    from fupan.importers.discuz.source import SourceConfig

    # Post 2 has three votes and two ratings: batches of two hold whole posts, never half.
    run_import(SourceConfig.from_url(discuz_db.url), batch_size=2, report_path=tmp_path / "r.txt")
    assert PostVote.objects.filter(post_id=2).count() == 3
    assert (Post.objects.get(pk=2).support, Post.objects.get(pk=2).oppose) == (2, 1)
    assert CreditLedger.objects.filter(reason="rate").count() == 3
    assert Notification.objects.count() == 3 and Report.objects.count() == 4
