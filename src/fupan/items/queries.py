"""Reads for the item pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fupan.items.models import Item, UserItem
from fupan.permissions.core import UserPerms


@dataclass
class ShopPage:
    items: list[Item]
    # item id -> units the viewer holds (empty for guests)
    held: dict[int, int] = field(default_factory=dict)
    inventory: list[UserItem] = field(default_factory=list)


def fetch_inventory(user: Any) -> list[UserItem]:
    """The units a member holds, with their items (one query)."""
    return list(
        UserItem.objects.filter(user_id=user.pk, quantity__gt=0)
        .select_related("item")
        .order_by("item__display_order", "item_id")
    )


def fetch_shop(perms: UserPerms) -> ShopPage:
    """Items on sale (one query) and, for a member, what they hold (one more)."""
    items = list(Item.objects.filter(enabled=True))
    if not perms.is_authenticated:
        return ShopPage(items=items)
    inventory = fetch_inventory(perms.user)
    return ShopPage(
        items=items, held={row.item_id: row.quantity for row in inventory}, inventory=inventory
    )


def fetch_usable_items(user: Any) -> list[UserItem]:
    """What a member can use on a thread now: held, switched on (one query)."""
    return [row for row in fetch_inventory(user) if row.item.enabled]
