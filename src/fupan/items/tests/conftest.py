"""Fixtures for the item tests: the default shop, members with money, items in hand."""

from collections.abc import Callable
from typing import Any

import pytest

from fupan.accounts.credits import REASON_ADMIN, do_change_credits
from fupan.items.actions import do_buy_item
from fupan.items.default_items import ensure_default_items
from fupan.items.models import Item


@pytest.fixture
def shop(db: Any) -> dict[str, Item]:
    """The default items by kind: highlight (高亮卡, 20), bump (提升卡, 10), stick (置顶卡, 50)."""
    ensure_default_items()  # a transactional test may have emptied the table
    return {item.kind: item for item in Item.objects.all()}


@pytest.fixture
def give_credits() -> Callable[..., Any]:
    def give(user: Any, amount: int, number: int = 2) -> Any:
        do_change_credits(user, acting_user=None, deltas={number: amount}, reason=REASON_ADMIN)
        return user

    return give


@pytest.fixture
def give_item(give_credits: Callable[..., Any]) -> Callable[..., Any]:
    """``give_item(user, item, quantity=1)``: pays the member the price, then buys (the action)."""

    def give(user: Any, item: Item, quantity: int = 1) -> Any:
        if item.price:
            give_credits(user, item.price * quantity, item.credit)
        return do_buy_item(item, acting_user=user, quantity=quantity)

    return give


@pytest.fixture
def rich_member(member: Any, give_credits: Callable[..., Any]) -> Any:
    """``member`` with 500 金钱."""
    return give_credits(member, 500)
