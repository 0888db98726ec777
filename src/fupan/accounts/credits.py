"""Credits (积分): the total formula, balance changes with their ledger, and rule rewards.

Every change of a member's 威望/金钱/贡献 goes through ``do_change_credits`` (or
``apply_credit_rule``, which shares its code): the member row is locked, a debit that would take a
balance below zero is refused, the total ``credits`` and the member rank are recomputed from the
locked row (Discuz ``updatemembercount`` + ``checkusergroup``), and one ledger row is written.

Lock order: callers lock thread and board rows first; these functions lock the member row last.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupan.accounts.groups import get_group, group_for_credits
from fupan.accounts.models import (
    BoardCreditRule,
    CreditLedger,
    CreditRule,
    CreditRuleLog,
    User,
    UserGroup,
)
from fupan.core.errors import ErrorCode, FupanError

# Discuz's default names (``setting.extcredits``); extcredits4..8 are not used.
CREDIT_NAMES = {1: "威望", 2: "金钱", 3: "贡献"}
EXTCREDITS = (1, 2, 3)
REASON_BUY_ITEM = "buy_item"
REASON_ADMIN = "admin"
REASON_RATE = "rate"  # 评分: a rating of a post (imported from Discuz pre_forum_ratelog)
RULE_REASON_PREFIX = "rule:"

_MEMBER_FIELDS = (
    "id",
    "group_id",
    "posts",
    "threads",  # the total-credits formula may weigh threads: read with the lock, not after it
    "digest_posts",
    "credits",
    "extcredits1",
    "extcredits2",
    "extcredits3",
)


def credit_names() -> dict[int, str]:
    """The credits in use and their names, set by the administrators ({1: "威望", 2: "金钱", 3: "贡献"})."""
    from fupan.core.site import get_site_settings

    return get_site_settings().credit_name_map


def _name(number: int) -> str:
    from fupan.core.site import get_site_settings

    site = get_site_settings()
    return {1: site.credit1_name, 2: site.credit2_name, 3: site.credit3_name}.get(
        number, CREDIT_NAMES.get(number, "")
    )


def formula_text() -> str:
    from fupan.core.site import get_site_settings

    return get_site_settings().formula_text


# The total ------------------------------------------------------------------------------------


def _weights() -> tuple[int, int, int, int, int, int]:
    from fupan.core.site import get_site_settings

    site = get_site_settings()
    return (
        site.formula_posts,
        site.formula_threads,
        site.formula_digest,
        site.formula_credit1,
        site.formula_credit2,
        site.formula_credit3,
    )


def total_credits(user: Any) -> int:
    """Discuz's ``creditsformula``, with the administrators' weights (by default
    posts + digest posts × 5 + 威望 × 2 + 金钱 + 贡献)."""
    posts, threads, digest, c1, c2, c3 = _weights()
    return (
        user.posts * posts
        + user.threads * threads
        + user.digest_posts * digest
        + user.extcredits1 * c1
        + user.extcredits2 * c2
        + user.extcredits3 * c3
    )


def total_credits_expression() -> Any:
    """The same formula as a database expression, for bulk recounts."""
    posts, threads, digest, c1, c2, c3 = _weights()
    return (
        F("posts") * posts
        + F("threads") * threads
        + F("digest_posts") * digest
        + F("extcredits1") * c1
        + F("extcredits2") * c2
        + F("extcredits3") * c3
    )


def synchronize_credits(user_ids: list[int] | None = None) -> int:
    """Rebuild the cached total ``credits`` of members from their posts and extcredits."""
    qs = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    return qs.update(credits=total_credits_expression())


def _rank_for(group_id: int, total: int) -> int:
    """The member's group after a change of total (Discuz ``checkusergroup``): a member rank
    (新手上路 … 论坛元老) follows the credits; system and special groups stay."""
    group = get_group(group_id)
    if group.kind != UserGroup.Kind.MEMBER:
        return group_id
    if group.credits_higher <= total < group.credits_lower:
        return group_id
    rank = group_for_credits(total)
    return rank.pk if rank is not None else group_id


# Rules (cached: every post looks one up) ------------------------------------------------------

RULES_CACHE_KEY = "credit-rules:v1"


@dataclass
class _RuleSet:
    by_action: dict[str, CreditRule]
    # (board id, rule id) -> that board's amounts
    overrides: dict[tuple[int, int], dict[int, int]]


def _rule_set() -> _RuleSet:
    rules = cache.get(RULES_CACHE_KEY)
    if rules is None:
        rules = _RuleSet(
            by_action={rule.action: rule for rule in CreditRule.objects.order_by("id")},
            overrides={(o.board_id, o.rule_id): o.deltas for o in BoardCreditRule.objects.all()},
        )
        cache.set(RULES_CACHE_KEY, rules, timeout=None)
    return rules


def purge_credit_rules() -> None:
    """Forget the cached rules (after an administrator changed a rule or a board override)."""
    cache.delete(RULES_CACHE_KEY)
    from fupan.core.pagecache import bump_site

    bump_site()  # the boards' credit rules pages


def rules_for_board(board: Any) -> list[tuple[CreditRule, dict[int, int]]]:
    """Every rule with the amounts it has in ``board`` (the board's override where there is one;
    such a rule has ``board_override = True``), in rule order. No query on a warm cache."""
    rule_set = _rule_set()
    out = []
    for rule in rule_set.by_action.values():
        override = rule_set.overrides.get((board.pk, rule.pk))
        shown = copy.copy(rule)
        shown.board_override = override is not None  # type: ignore[attr-defined]
        out.append((shown, dict(override) if override is not None else rule.deltas))
    return out


def describe_cycle(rule: CreditRule) -> str:
    """The cycle and cap in words, e.g. "1 time a day" (每天 1 次)."""
    n = rule.reward_num
    if rule.cycle == CreditRule.Cycle.ONCE:
        return _("Once only")
    if rule.cycle == CreditRule.Cycle.DAILY:
        if not n:
            return _("Every day, no limit")
        return ngettext("%(n)d time a day", "%(n)d times a day", n) % {"n": n}
    if rule.cycle == CreditRule.Cycle.HOURLY:
        hours = rule.cycle_time or 1
        if not n:
            return _("Every %(hours)d hours, no limit") % {"hours": hours}
        return ngettext(
            "%(n)d time every %(hours)d hours", "%(n)d times every %(hours)d hours", n
        ) % {"n": n, "hours": hours}
    if rule.cycle == CreditRule.Cycle.INTERVAL:
        minutes = rule.cycle_time or 1
        if not n:
            return _("Every %(minutes)d minutes, no limit") % {"minutes": minutes}
        return ngettext(
            "%(n)d time every %(minutes)d minutes", "%(n)d times every %(minutes)d minutes", n
        ) % {"n": n, "minutes": minutes}
    if not n:
        return _("No limit")
    return ngettext("%(n)d time in all", "%(n)d times in all", n) % {"n": n}


def format_delta(number: int, delta: int) -> str:
    """ "+2 金钱", "-5 威望", or "-" for no change."""
    return f"{delta:+d} {_name(number)}" if delta else "-"


# Changes --------------------------------------------------------------------------------------


def _clean_deltas(deltas: Mapping[int, int]) -> dict[int, int]:
    cleaned = dict.fromkeys(EXTCREDITS, 0)
    for number, delta in deltas.items():
        if number not in CREDIT_NAMES or isinstance(delta, bool) or not isinstance(delta, int):
            raise ValueError(f"not a credit change: {number!r}: {delta!r}")
        cleaned[number] = delta
    return cleaned


def _related_ids(related: Any) -> dict[str, int | None]:
    """The thread, post and board a change is about, as plain ids for the ledger."""
    from fupan.forum.models import Board, Post, Thread

    if related is None:
        return {}
    if isinstance(related, Post):
        thread = related.thread if Post.thread.is_cached(related) else None  # type: ignore[attr-defined]
        return {
            "post_id": related.pk,
            "thread_id": related.thread_id,
            "board_id": thread.board_id if thread is not None else None,
        }
    if isinstance(related, Thread):
        return {"thread_id": related.pk, "board_id": related.board_id}
    if isinstance(related, Board):
        return {"board_id": related.pk}
    raise TypeError(f"a credit change is related to a thread, post or board, not {related!r}")


def _lock_member(user_id: int) -> User:
    return User.objects.select_for_update().only(*_MEMBER_FIELDS).get(pk=user_id)


def _copy_to(user: Any, locked: User) -> None:
    """Give the caller's member object the values just written."""
    for name in ("credits", "group_id", "extcredits1", "extcredits2", "extcredits3"):
        setattr(user, name, getattr(locked, name))


def _settle_total(locked: User, user: Any) -> None:
    """Store the total (and rank) the locked row's counters give, if it changed."""
    total = total_credits(locked)
    group_id = _rank_for(locked.group_id, total)
    if total != locked.credits or group_id != locked.group_id:
        User.objects.filter(pk=locked.pk).update(credits=total, group_id=group_id)
        locked.credits, locked.group_id = total, group_id
    _copy_to(user, locked)


def _write_change(
    locked: User,
    user: Any,
    *,
    acting_user: Any,
    deltas: dict[int, int],
    reason: str,
    text: str,
    related: Any,
    allow_negative: bool,
) -> CreditLedger:
    before = {n: getattr(locked, f"extcredits{n}") for n in EXTCREDITS}
    after = {n: before[n] + deltas[n] for n in EXTCREDITS}
    if not allow_negative:
        for number in EXTCREDITS:
            if deltas[number] < 0 and after[number] < 0:
                raise FupanError(
                    ErrorCode.INSUFFICIENT_CREDITS,
                    _("Not enough %(name)s: you have %(have)d and this needs %(need)d.")
                    % {
                        "name": _name(number),
                        "have": before[number],
                        "need": -deltas[number],
                    },
                    status=409,
                )
    for number in EXTCREDITS:
        setattr(locked, f"extcredits{number}", after[number])
    locked.credits = total_credits(locked)
    locked.group_id = _rank_for(locked.group_id, locked.credits)
    User.objects.filter(pk=locked.pk).update(
        extcredits1=after[1],
        extcredits2=after[2],
        extcredits3=after[3],
        credits=locked.credits,
        group_id=locked.group_id,
    )
    entry = CreditLedger.objects.create(
        user_id=locked.pk,
        acting_user_id=getattr(acting_user, "pk", None),
        extcredits1=deltas[1],
        extcredits2=deltas[2],
        extcredits3=deltas[3],
        balance1=after[1],
        balance2=after[2],
        balance3=after[3],
        credits_after=locked.credits,
        reason=reason[:48],
        text=text[:200],
        **_related_ids(related),
    )
    _copy_to(user, locked)
    return entry


def do_change_credits(
    user: Any,
    *,
    acting_user: Any,
    deltas: Mapping[int, int],
    reason: str,
    text: str = "",
    related: Any = None,
    allow_negative: bool = False,
) -> CreditLedger:
    """Add ``deltas`` ({extcredit number: amount}) to ``user``'s credits and log it.

    ``acting_user`` is who caused the change (None for the system); ``reason`` a short code
    ("buy_item", "admin", "rule:post" …), ``text`` what the member reads in their history;
    ``related`` an optional thread, post or board. Refuses with ``FupanError``
    (INSUFFICIENT_CREDITS), writing nothing, when a debit would take a balance below zero unless
    ``allow_negative``. Side effects: the member's extcredits, total credits and member rank;
    ``user`` gets the new values."""
    cleaned = _clean_deltas(deltas)
    if not any(cleaned.values()):
        raise ValueError("a credit change needs a non-zero amount")
    with transaction.atomic():
        locked = _lock_member(user.pk)
        return _write_change(
            locked,
            user,
            acting_user=acting_user,
            deltas=cleaned,
            reason=reason,
            text=text,
            related=related,
            allow_negative=allow_negative,
        )


def do_recompute_credits(user: Any) -> None:
    """Store the total credits (and member rank) that ``user``'s counters give now — for callers
    that changed ``posts`` or ``digest_posts`` without a credit rule paying anything."""
    with transaction.atomic():
        _settle_total(_lock_member(user.pk), user)


# Rule rewards ---------------------------------------------------------------------------------


def _local_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _paid_this_cycle(rule: CreditRule, log: CreditRuleLog, now: datetime) -> tuple[int, datetime]:
    """(rewards already paid in the cycle ``now`` falls in, that cycle's start) — Discuz
    ``credit::execrule``: a day is the site's calendar day, hours start on the hour."""
    if rule.cycle == CreditRule.Cycle.DAILY:
        if log.last_at < _local_midnight(now):
            return 0, now
    elif rule.cycle == CreditRule.Cycle.HOURLY:
        start = timezone.localtime(log.cycle_start).replace(minute=0, second=0, microsecond=0)
        if now >= start + timedelta(hours=rule.cycle_time or 1):
            return 0, now
    elif rule.cycle == CreditRule.Cycle.INTERVAL and now >= log.cycle_start + timedelta(
        minutes=rule.cycle_time or 1
    ):
        return 0, now
    return log.cycle_count, log.cycle_start


def _may_pay(rule: CreditRule, paid: int) -> bool:
    if rule.cycle == CreditRule.Cycle.ONCE:
        return paid == 0
    return not rule.reward_num or paid < rule.reward_num


def apply_credit_rule(
    user: Any,
    action: str,
    *,
    board: Any = None,
    related: Any = None,
    allow_negative: bool = False,
    now: datetime | None = None,
) -> CreditLedger | None:
    """Pay (or charge) ``user`` what the rule ``action`` gives in ``board``, within its cycle cap.

    Returns the ledger row, or None when nothing was due: no such rule, all amounts zero in this
    board, or the cap for the current cycle reached (once / daily / every N hours / every N
    minutes / in all). Caps are counted per board where the board overrides the rule, else for
    the whole site. Either way the member's total ``credits`` is left matching their counters, so
    call it after changing ``posts``/``digest_posts`` in the same transaction.

    A rule that costs credits (a board may set negative amounts) raises ``FupanError``
    (INSUFFICIENT_CREDITS) when the member cannot pay, unless ``allow_negative``; call it inside
    the posting transaction so the post is refused with it."""
    rule_set = _rule_set()
    rule = rule_set.by_action.get(action)
    board_id = board.pk if board is not None else None
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_member(user.pk)
        if rule is None:
            _settle_total(locked, user)
            return None
        override = rule_set.overrides.get((board_id, rule.pk)) if board_id else None
        deltas = _clean_deltas(override if override is not None else rule.deltas)
        if not any(deltas.values()):
            _settle_total(locked, user)
            return None
        scope = board_id if override is not None else 0
        # The member row lock serialises this member's rewards, so the count cannot race.
        log = CreditRuleLog.objects.filter(user_id=locked.pk, rule=rule, board_key=scope).first()
        if log is None:
            CreditRuleLog.objects.create(
                user_id=locked.pk,
                rule=rule,
                board_key=scope,
                total=1,
                cycle_count=1,
                cycle_start=now,
                last_at=now,
            )
        else:
            paid, cycle_start = _paid_this_cycle(rule, log, now)
            if not _may_pay(rule, paid):
                _settle_total(locked, user)
                return None
            CreditRuleLog.objects.filter(pk=log.pk).update(
                total=log.total + 1, cycle_count=paid + 1, cycle_start=cycle_start, last_at=now
            )
        return _write_change(
            locked,
            user,
            acting_user=None,
            deltas=deltas,
            reason=f"{RULE_REASON_PREFIX}{action}",
            text=rule.name,
            related=related if related is not None else board,
            allow_negative=allow_negative,
        )


# History --------------------------------------------------------------------------------------


def ledger_label(entry: CreditLedger) -> str:
    """What a ledger row was for, in the reader's language where it is ours."""
    if entry.reason.startswith(RULE_REASON_PREFIX):
        return entry.text or entry.reason.removeprefix(RULE_REASON_PREFIX)
    if entry.reason == REASON_BUY_ITEM:
        return _("Bought %(what)s") % {"what": entry.text}
    if entry.reason == REASON_RATE:
        label = _("Post rated")
        return f"{label}: {entry.text}" if entry.text else label
    if entry.reason == REASON_ADMIN:
        label = _("Changed by an administrator")
        return f"{label}: {entry.text}" if entry.text else label
    return entry.text or entry.reason


def undo_credit_rule(
    user_id: int,
    action: str,
    *,
    board: Any = None,
    times: int = 1,
    related: Any = None,
    restore: bool = False,
) -> CreditLedger | None:
    """Take back what ``times`` applications of the rule ``action`` paid (Discuz deducts a post's
    credits when it is deleted). Only rules without a cycle cap are taken back — under a cap it is
    unknown whether the deleted post was the one that paid. Balances may go below zero, as in
    Discuz; the total is recomputed either way. ``restore`` pays it again (the post came back)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or times <= 0:
        return None
    rule_set = _rule_set()
    rule = rule_set.by_action.get(action)
    if rule is None or rule.cycle != CreditRule.Cycle.UNLIMITED:
        do_recompute_credits(user)
        return None
    board_id = board.pk if board is not None else None
    override = rule_set.overrides.get((board_id, rule.pk)) if board_id else None
    sign = 1 if restore else -1
    deltas = {
        k: sign * v * times
        for k, v in _clean_deltas(override if override is not None else rule.deltas).items()
    }
    if not any(deltas.values()):
        do_recompute_credits(user)
        return None
    return do_change_credits(
        user,
        acting_user=None,
        deltas=deltas,
        reason=f"{'redo' if restore else 'undo'}:{action}",
        related=related,
        allow_negative=True,
    )
