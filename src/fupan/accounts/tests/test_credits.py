"""Credits: the total formula, balance changes and their ledger, rule rewards with their caps, and
per-board overrides."""

from datetime import datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone, translation

from fupan.accounts.credits import (
    REASON_ADMIN,
    apply_credit_rule,
    credit_names,
    describe_cycle,
    do_change_credits,
    do_recompute_credits,
    purge_credit_rules,
    rules_for_board,
    synchronize_credits,
    total_credits,
)
from fupan.accounts.default_credit_rules import ensure_default_credit_rules
from fupan.accounts.models import (
    BoardCreditRule,
    CreditLedger,
    CreditRule,
    CreditRuleLog,
    User,
    UserGroup,
)
from fupan.core.errors import ErrorCode, FupanError


@pytest.fixture(autouse=True)
def _default_rules(db):
    ensure_default_credit_rules()  # a transactional test may have emptied the table


def at(*args: int) -> datetime:
    """A moment in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(*args))


def fresh(user):
    return User.objects.get(pk=user.pk)


def make_rule(action: str, **fields) -> CreditRule:
    rule = CreditRule.objects.create(action=action, name=fields.pop("name", action), **fields)
    purge_credit_rules()
    return rule


# The total ------------------------------------------------------------------------------------


def test_total_credits_follows_discuz_formula_worked_example():
    # FACTS §6.2: 30 posts, 1 digest, 威望 0, 金钱 60, 贡献 0 → 30 + 5 + 0 + 60 + 0 = 95.
    member = User(posts=30, digest_posts=1, extcredits1=0, extcredits2=60, extcredits3=0)
    assert total_credits(member) == 95
    member = User(posts=2, digest_posts=1, extcredits1=3, extcredits2=4, extcredits3=5)
    assert total_credits(member) == 2 + 5 + 6 + 4 + 5


def test_credit_names_are_discuz_defaults():
    assert credit_names() == {1: "威望", 2: "金钱", 3: "贡献"}


def test_synchronize_credits_rebuilds_the_total_from_the_counters(member):
    User.objects.filter(pk=member.pk).update(posts=7, extcredits1=2, credits=999)
    synchronize_credits([member.pk])
    assert fresh(member).credits == 7 + 4


# Changing credits -----------------------------------------------------------------------------


def test_change_credits_updates_balances_total_and_writes_one_ledger_row(
    member, admin_user, thread
):
    # Posting the `thread` fixture already earned 金钱 (post +2, two replies +1 each).
    User.objects.filter(pk=member.pk).update(posts=3)
    before = fresh(member)
    ledger_rows = CreditLedger.objects.filter(user=member).count()
    entry = do_change_credits(
        member,
        acting_user=admin_user,
        deltas={1: 2, 2: 30},
        reason=REASON_ADMIN,
        text="活动奖励",
        related=thread,
    )
    row = fresh(member)
    money = before.extcredits2 + 30
    assert (row.extcredits1, row.extcredits2, row.extcredits3) == (2, money, 0)
    assert row.credits == 3 + 2 * 2 + money
    assert (member.extcredits2, member.credits) == (money, row.credits)  # the caller's object too
    assert CreditLedger.objects.filter(user=member).count() == ledger_rows + 1
    assert (entry.extcredits1, entry.extcredits2, entry.extcredits3) == (2, 30, 0)
    assert (entry.balance1, entry.balance2, entry.balance3) == (2, money, 0)
    assert entry.credits_after == row.credits
    assert entry.acting_user_id == admin_user.pk
    assert (entry.reason, entry.text) == ("admin", "活动奖励")
    assert (entry.thread_id, entry.board_id, entry.post_id) == (thread.pk, thread.board_id, None)


def test_debit_below_zero_is_refused_with_a_clear_message_and_changes_nothing(member):
    do_change_credits(member, acting_user=None, deltas={2: 5}, reason=REASON_ADMIN)
    with pytest.raises(FupanError) as refused:
        do_change_credits(member, acting_user=None, deltas={2: -6}, reason="buy_item")
    assert refused.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert "金钱" in refused.value.message and "5" in refused.value.message
    assert "6" in refused.value.message
    row = fresh(member)
    assert (row.extcredits2, row.credits) == (5, 5)
    assert CreditLedger.objects.filter(user=member).count() == 1


def test_debit_to_exactly_zero_is_allowed(member):
    do_change_credits(member, acting_user=None, deltas={2: 5}, reason=REASON_ADMIN)
    do_change_credits(member, acting_user=None, deltas={2: -5}, reason="buy_item")
    assert fresh(member).extcredits2 == 0


def test_allow_negative_lets_a_penalty_take_a_balance_below_zero(member, admin_user):
    do_change_credits(
        member, acting_user=admin_user, deltas={1: -3}, reason=REASON_ADMIN, allow_negative=True
    )
    row = fresh(member)
    assert row.extcredits1 == -3 and row.credits == -6


def test_a_change_that_crosses_a_rank_boundary_moves_the_member_up_like_discuz(member):
    assert member.group_id == UserGroup.NEWBIE  # 新手上路: 0 … 50
    do_change_credits(member, acting_user=None, deltas={2: 60}, reason=REASON_ADMIN)
    assert fresh(member).group_id == 11  # 注册会员: 50 … 200
    do_change_credits(member, acting_user=None, deltas={2: -20}, reason=REASON_ADMIN)
    assert fresh(member).group_id == UserGroup.NEWBIE


def test_system_and_moderator_groups_do_not_follow_credits(moderator):
    do_change_credits(moderator, acting_user=None, deltas={2: 5000}, reason=REASON_ADMIN)
    assert fresh(moderator).group_id == UserGroup.MODERATOR


def test_unknown_extcredit_or_empty_change_is_a_programming_error(member):
    with pytest.raises(ValueError):
        do_change_credits(member, acting_user=None, deltas={4: 1}, reason=REASON_ADMIN)
    with pytest.raises(ValueError):
        do_change_credits(member, acting_user=None, deltas={2: 0}, reason=REASON_ADMIN)
    assert not CreditLedger.objects.exists()


def test_recompute_credits_counts_posts_changed_elsewhere(member):
    User.objects.filter(pk=member.pk).update(posts=F("posts") + 4, digest_posts=1)
    do_recompute_credits(member)
    assert fresh(member).credits == 4 + 5 == member.credits


# Default rules --------------------------------------------------------------------------------


def test_default_rules_are_discuz_install_rows():
    rules = {r.action: r for r in CreditRule.objects.all()}
    assert (rules["post"].pk, rules["post"].name, rules["post"].extcredits2) == (1, "发表主题", 2)
    assert (rules["reply"].name, rules["reply"].extcredits2) == ("发表回复", 1)
    assert (rules["digest"].name, rules["digest"].extcredits2) == ("加精华", 5)
    assert (rules["daylogin"].name, rules["daylogin"].cycle, rules["daylogin"].reward_num) == (
        "每天登录",
        CreditRule.Cycle.DAILY,
        1,
    )
    assert (rules["setavatar"].cycle, rules["setavatar"].extcredits2) == (CreditRule.Cycle.ONCE, 5)
    assert (rules["realemail"].name, rules["realemail"].extcredits2) == ("邮箱认证", 10)
    for action in ("postattach", "getattach", "sendpm", "search", "promotion_visit", "hotinfo"):
        assert rules[action].deltas == {1: 0, 2: 0, 3: 0}
    assert {r.extcredits1 for r in rules.values()} == {0}
    assert len(rules) == 28


def test_ensure_default_rules_leaves_an_administrators_changes_alone():
    CreditRule.objects.filter(action="post").update(extcredits2=7)
    CreditRule.objects.filter(action="search").delete()
    ensure_default_credit_rules()
    assert CreditRule.objects.get(action="post").extcredits2 == 7
    assert CreditRule.objects.get(action="search").name == "搜索"


# Rule rewards ---------------------------------------------------------------------------------


def test_post_rule_pays_two_money_every_time_and_logs_the_rule_name(member, board):
    first = apply_credit_rule(member, "post", board=board)
    second = apply_credit_rule(member, "post", board=board)
    assert first is not None and second is not None
    assert fresh(member).extcredits2 == 4
    assert (first.reason, first.text, first.board_id) == ("rule:post", "发表主题", board.pk)


def test_rule_reward_counts_posts_in_the_total(member, board):
    # The forum's action adds the post, then applies the rule in the same transaction.
    User.objects.filter(pk=member.pk).update(posts=F("posts") + 1)
    apply_credit_rule(member, "post", board=board)
    assert fresh(member).credits == 1 + 2  # Discuz: a new thread is worth 3 in total


def test_nothing_due_still_leaves_the_total_matching_the_counters(member, board):
    User.objects.filter(pk=member.pk).update(posts=F("posts") + 1)
    assert apply_credit_rule(member, "postattach", board=board) is None  # all amounts zero
    assert fresh(member).credits == 1
    User.objects.filter(pk=member.pk).update(posts=F("posts") + 1)
    assert apply_credit_rule(member, "no-such-rule") is None
    assert fresh(member).credits == 2
    assert not CreditLedger.objects.exists() and not CreditRuleLog.objects.exists()


def test_daily_login_pays_once_a_day_and_again_the_next_day(member):
    assert apply_credit_rule(member, "daylogin", now=at(2025, 4, 5, 8, 0)) is not None
    assert apply_credit_rule(member, "daylogin", now=at(2025, 4, 5, 23, 59)) is None
    assert apply_credit_rule(member, "daylogin", now=at(2025, 4, 6, 0, 1)) is not None
    assert fresh(member).extcredits2 == 4
    assert CreditLedger.objects.filter(user=member).count() == 2


def test_once_rules_pay_only_the_first_time(member):
    assert apply_credit_rule(member, "setavatar") is not None
    assert apply_credit_rule(member, "setavatar", now=timezone.now() + timedelta(days=400)) is None
    assert fresh(member).extcredits2 == 5


def test_reward_num_caps_a_rule_without_cycle_in_all(member):
    make_rule("share", cycle=CreditRule.Cycle.UNLIMITED, reward_num=2, extcredits3=1)
    results = [apply_credit_rule(member, "share") for _ in range(3)]
    assert [r is not None for r in results] == [True, True, False]
    assert fresh(member).extcredits3 == 2


def test_interval_rules_start_a_new_cycle_after_the_minutes_pass(member):
    make_rule("poll", cycle=CreditRule.Cycle.INTERVAL, cycle_time=10, reward_num=1, extcredits2=1)
    start = at(2025, 4, 5, 10, 0)
    assert apply_credit_rule(member, "poll", now=start) is not None
    assert apply_credit_rule(member, "poll", now=start + timedelta(minutes=9)) is None
    assert apply_credit_rule(member, "poll", now=start + timedelta(minutes=10)) is not None
    assert apply_credit_rule(member, "poll", now=start + timedelta(minutes=15)) is None


def test_hourly_rules_count_cycles_from_the_full_hour(member):
    make_rule("hot", cycle=CreditRule.Cycle.HOURLY, cycle_time=1, reward_num=2, extcredits2=1)
    assert apply_credit_rule(member, "hot", now=at(2025, 4, 5, 10, 50)) is not None
    assert apply_credit_rule(member, "hot", now=at(2025, 4, 5, 10, 55)) is not None
    assert apply_credit_rule(member, "hot", now=at(2025, 4, 5, 10, 59)) is None
    # The cycle began at 10:00 (on the hour), so 11:00 starts the next one.
    assert apply_credit_rule(member, "hot", now=at(2025, 4, 5, 11, 0)) is not None
    assert fresh(member).extcredits2 == 3


def test_board_override_replaces_the_amounts_in_that_board_only(member, board, board_factory):
    other = board_factory("二手市场")
    BoardCreditRule.objects.create(
        board=board, rule=CreditRule.objects.get(action="post"), extcredits1=1, extcredits2=5
    )
    purge_credit_rules()
    apply_credit_rule(member, "post", board=board)
    assert (fresh(member).extcredits1, fresh(member).extcredits2) == (1, 5)
    apply_credit_rule(member, "post", board=other)
    assert (fresh(member).extcredits1, fresh(member).extcredits2) == (1, 7)


def test_caps_are_counted_per_board_where_the_board_overrides_the_rule(
    member, board, board_factory
):
    rule = make_rule("checkin", cycle=CreditRule.Cycle.DAILY, reward_num=1, extcredits2=1)
    BoardCreditRule.objects.create(board=board, rule=rule, extcredits2=3)
    purge_credit_rules()
    other = board_factory()
    now = at(2025, 4, 5, 9, 0)
    assert apply_credit_rule(member, "checkin", board=board, now=now) is not None
    assert apply_credit_rule(member, "checkin", board=board, now=now) is None
    # Elsewhere the site-wide count applies, separately from the board's.
    assert apply_credit_rule(member, "checkin", board=other, now=now) is not None
    assert apply_credit_rule(member, "checkin", now=now) is None
    assert fresh(member).extcredits2 == 4


def test_a_board_can_switch_a_rule_off_with_zero_amounts(member, board):
    BoardCreditRule.objects.create(board=board, rule=CreditRule.objects.get(action="reply"))
    purge_credit_rules()
    assert apply_credit_rule(member, "reply", board=board) is None
    assert fresh(member).extcredits2 == 0


def test_a_rule_that_costs_more_than_the_member_has_is_refused_and_counts_nothing(member, board):
    BoardCreditRule.objects.create(
        board=board, rule=CreditRule.objects.get(action="post"), extcredits2=-5
    )
    purge_credit_rules()
    with pytest.raises(FupanError) as refused:
        apply_credit_rule(member, "post", board=board)
    assert refused.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert not CreditLedger.objects.exists() and not CreditRuleLog.objects.exists()
    assert apply_credit_rule(member, "post", board=board, allow_negative=True) is not None
    assert fresh(member).extcredits2 == -5


# Showing the rules ----------------------------------------------------------------------------


def test_rules_for_board_applies_and_marks_overrides(board):
    BoardCreditRule.objects.create(
        board=board, rule=CreditRule.objects.get(action="reply"), extcredits2=3
    )
    purge_credit_rules()
    shown = {rule.action: (rule, deltas) for rule, deltas in rules_for_board(board)}
    reply, reply_deltas = shown["reply"]
    post, post_deltas = shown["post"]
    assert reply.board_override and reply_deltas == {1: 0, 2: 3, 3: 0}
    assert not post.board_override and post_deltas == {1: 0, 2: 2, 3: 0}


def test_rules_are_cached_until_purged(board, django_assert_num_queries):
    rules_for_board(board)
    with django_assert_num_queries(0):
        rules_for_board(board)
    CreditRule.objects.filter(action="post").update(extcredits2=9)
    purge_credit_rules()
    assert {r.action: d for r, d in rules_for_board(board)}["post"][2] == 9


def test_cycles_are_described_in_words():
    def words(**fields) -> str:
        with translation.override("en"):
            return describe_cycle(CreditRule(**fields))

    assert words(cycle=CreditRule.Cycle.ONCE, reward_num=1) == "Once only"
    assert words(cycle=CreditRule.Cycle.DAILY, reward_num=1) == "1 time a day"
    assert words(cycle=CreditRule.Cycle.DAILY, reward_num=10) == "10 times a day"
    assert words(cycle=CreditRule.Cycle.INTERVAL, cycle_time=30, reward_num=2) == (
        "2 times every 30 minutes"
    )
    assert words(cycle=CreditRule.Cycle.UNLIMITED, reward_num=0) == "No limit"
