"""Buying items with credits and using them on threads.

Permission checks belong to the caller (``fupan.permissions.items``); these actions enforce what
must hold whoever calls them: stock, price, the member's inventory, the thread's state.

Lock order: item row → member row (buying); thread row → inventory row (using) — the thread →
board → member order of ``fupan.forum.actions``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.accounts.credits import REASON_BUY_ITEM, do_change_credits
from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.models import Thread
from fupan.items.models import Item, ItemUse, UserItem

MAX_QUANTITY = 99

# The highlight colours on offer (the moderators' palette without grey). Nothing else is stored,
# so a colour can never carry CSS or markup into the thread list.
HIGHLIGHT_COLORS: dict[str, str] = {
    "#FF0000": "red",
    "#FF8C00": "orange",
    "#008000": "green",
    "#0000FF": "blue",
    "#800080": "purple",
}


def highlight_color_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for the colour select, labels in the reader's language."""
    labels = {
        "red": _("red"),
        "orange": _("orange"),
        "green": _("green"),
        "blue": _("blue"),
        "purple": _("purple"),
    }
    return [(value, labels[name]) for value, name in HIGHLIGHT_COLORS.items()]


def check_highlight_color(color: str | None) -> str:
    value = (color or "").strip().upper()
    if value not in HIGHLIGHT_COLORS:
        raise FupanError(
            ErrorCode.COLOR_INVALID,
            _("Please choose one of the offered highlight colours."),
            field="color",
        )
    return value


def check_quantity(quantity: Any) -> int:
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not (1 <= quantity <= MAX_QUANTITY)
    ):
        raise FupanError(
            ErrorCode.QUANTITY_INVALID,
            _("Please buy between 1 and %(max)d at a time.") % {"max": MAX_QUANTITY},
            field="quantity",
        )
    return quantity


# Buying ---------------------------------------------------------------------------------------


def do_buy_item(item: Item, *, acting_user: Any, quantity: int = 1) -> UserItem:
    """Buy ``quantity`` units of ``item`` for ``acting_user``.

    Preconditions: the caller checked ``check_buy_items_permission``. Refuses with
    ``FupanError``, changing nothing, when the item is switched off, the shop has fewer units than
    asked, or the member cannot pay (``do_change_credits`` refuses a balance below zero). Side
    effects: the price leaves the member's credits (ledger reason "buy_item"), the stock goes
    down, the member's inventory goes up. Returns the member's inventory row."""
    quantity = check_quantity(quantity)
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if not locked.enabled:
            raise FupanError(
                ErrorCode.ITEM_DISABLED,
                _("%(item)s is not on sale at the moment.") % {"item": locked.name},
                status=409,
            )
        if locked.stock < quantity:
            message = (
                _("%(item)s is sold out.") % {"item": locked.name}
                if locked.stock == 0
                else _("Only %(n)d of %(item)s are left in the shop.")
                % {"n": locked.stock, "item": locked.name}
            )
            raise FupanError(ErrorCode.ITEM_OUT_OF_STOCK, message, field="quantity", status=409)
        cost = locked.price * quantity
        if cost:
            do_change_credits(
                acting_user,
                acting_user=acting_user,
                deltas={locked.credit: -cost},
                reason=REASON_BUY_ITEM,
                text=f"{locked.name} ×{quantity}",
            )
        Item.objects.filter(pk=locked.pk).update(stock=locked.stock - quantity)
        held = UserItem.objects.filter(user_id=acting_user.pk, item_id=locked.pk).update(
            quantity=F("quantity") + quantity
        )
        if not held:
            # The item row lock serialises buyers of this item: no second row can race this one.
            UserItem.objects.create(user_id=acting_user.pk, item_id=locked.pk, quantity=quantity)
    item.stock = locked.stock - quantity
    return UserItem.objects.select_related("item").get(user_id=acting_user.pk, item_id=item.pk)


# Using ----------------------------------------------------------------------------------------


def _running(flag: bool, until: datetime | None, now: datetime) -> bool:
    """A sticky or highlight in force: set, and without an end or ending later."""
    return flag and (until is None or until > now)


def _made_by_item(thread_id: int, kind: str, until: datetime | None) -> bool:
    """Whether the sticky/highlight ending at ``until`` came from an item (which a further item
    may extend) rather than from a moderator (which an item must not override). Moderators may
    set an end too, so the use log decides."""
    return until is not None and (
        ItemUse.objects.filter(thread_id=thread_id, item__kind=kind, expires_at=until).exists()
    )


def do_use_item(
    item: Item,
    *,
    acting_user: Any,
    thread: Thread,
    color: str | None = None,
    now: datetime | None = None,
) -> ItemUse:
    """Use one unit of ``item`` from ``acting_user``'s inventory on ``thread``.

    - highlight: the title shows in ``color`` (one of ``HIGHLIGHT_COLORS``) for the item's hours;
    - bump: the thread moves to the top of its board's list (``last_post_at`` = now; replies and
      the board's last post are untouched, like Discuz's 提升卡);
    - stick: the thread is sticky in its board for the item's hours.
    A highlight or stick still running from an earlier item is extended; one a moderator set
    (with or without an end) is refused.

    Preconditions: the caller checked ``check_use_item_on_thread_permission``. Refuses with
    ``FupanError``, changing nothing, when the item is switched off, the member holds none, the
    thread is not visible, the colour is not on offer, or a moderator's own highlight or sticky
    is on the thread. Side effects: the thread's flags, one fewer unit held, an ``ItemUse`` row."""
    now = now or timezone.now()
    color = check_highlight_color(color) if item.kind == Item.Kind.HIGHLIGHT else ""
    with transaction.atomic():
        current = (
            Thread.objects.select_for_update()
            .only("id", "state", "sticky", "sticky_until", "highlight", "highlight_until")
            .get(pk=thread.pk)
        )
        fresh = Item.objects.get(pk=item.pk)
        if not fresh.enabled:
            raise FupanError(
                ErrorCode.ITEM_DISABLED,
                _("%(item)s has been switched off by the administrators.") % {"item": fresh.name},
                status=409,
            )
        held = (
            UserItem.objects.select_for_update()
            .filter(user_id=acting_user.pk, item_id=fresh.pk)
            .first()
        )
        if held is None or held.quantity < 1:
            raise FupanError(
                ErrorCode.ITEM_NOT_OWNED,
                _("You have no %(item)s; buy one in the item shop first.") % {"item": fresh.name},
                status=409,
            )
        if current.state != Thread.State.VISIBLE:
            raise FupanError(
                ErrorCode.ITEM_NOT_APPLICABLE,
                _("Items can only be used on a thread that is shown in its board."),
                status=409,
            )
        expires_at: datetime | None = None
        duration = timedelta(hours=fresh.duration_hours)
        changes: dict[str, Any]
        if fresh.kind == Item.Kind.STICK:
            running = _running(current.sticky > 0, current.sticky_until, now)
            if running and not _made_by_item(current.pk, fresh.kind, current.sticky_until):
                raise FupanError(
                    ErrorCode.ITEM_NOT_APPLICABLE,
                    _("A moderator has already made this thread sticky."),
                    status=409,
                )
            expires_at = (current.sticky_until if running else now) + duration  # type: ignore[operator]
            changes = {"sticky": Thread.Sticky.BOARD, "sticky_until": expires_at}
        elif fresh.kind == Item.Kind.HIGHLIGHT:
            running = _running(bool(current.highlight), current.highlight_until, now)
            if running and not _made_by_item(current.pk, fresh.kind, current.highlight_until):
                raise FupanError(
                    ErrorCode.ITEM_NOT_APPLICABLE,
                    _("A moderator has already highlighted this thread."),
                    status=409,
                )
            expires_at = (current.highlight_until if running else now) + duration  # type: ignore[operator]
            changes = {"highlight": color, "highlight_until": expires_at}
        else:
            changes = {"last_post_at": now}
        Thread.objects.filter(pk=current.pk).update(**changes)
        UserItem.objects.filter(pk=held.pk).update(quantity=held.quantity - 1)
        use = ItemUse.objects.create(
            user_id=acting_user.pk,
            item=fresh,
            thread_id=current.pk,
            used_at=now,
            expires_at=expires_at,
            detail=color,
        )
        from fupan.forum.caching import purge_thread_pages

        purge_thread_pages(
            [(current.pk, thread.board_id, current.sticky)],
            sticky_levels=[changes.get("sticky", 0)],
        )
    for name, value in changes.items():
        setattr(thread, name, value)
    return use
