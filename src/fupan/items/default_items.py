"""The shop's default items: highlight, bump and stick cards (Discuz ``magic_highlight``,
``magic_bump``, ``magic_stick``)."""

from __future__ import annotations

from typing import Any

DEFAULT_ITEMS: list[dict[str, Any]] = [
    {
        "kind": "highlight",
        "name": "高亮卡",
        "description": "将主题标题以所选颜色高亮显示 24 小时",
        "price": 20,
        "credit": 2,
        "stock": 100,
        "duration_hours": 24,
        "display_order": 1,
    },
    {
        "kind": "bump",
        "name": "提升卡",
        "description": "将主题提升到版块列表的顶部",
        "price": 10,
        "credit": 2,
        "stock": 100,
        "duration_hours": 0,
        "display_order": 2,
    },
    {
        "kind": "stick",
        "name": "置顶卡",
        "description": "将主题在所在版块置顶 24 小时",
        "price": 50,
        "credit": 2,
        "stock": 100,
        "duration_hours": 24,
        "display_order": 3,
    },
]


def ensure_default_items(item_model: Any = None) -> None:
    """Create each default item whose kind the shop does not have yet (data migration, tests)."""
    if item_model is None:
        from fupan.items.models import Item as item_model
    kinds = set(item_model.objects.values_list("kind", flat=True))
    item_model.objects.bulk_create(
        [item_model(**row) for row in DEFAULT_ITEMS if row["kind"] not in kinds]
    )
