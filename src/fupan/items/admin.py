from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fupan.items.models import Item, ItemUse, UserItem


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "price",
        "credit",
        "stock",
        "duration_hours",
        "enabled",
        "display_order",
    ]
    list_editable = ["price", "stock", "duration_hours", "enabled", "display_order"]
    list_filter = ["kind", "enabled"]


@admin.register(UserItem)
class UserItemAdmin(admin.ModelAdmin):
    """Inventories are changed by buying and using; the admin shows them."""

    list_display = ["user", "item", "quantity"]
    list_filter = ["item"]
    search_fields = ["user__username"]
    list_select_related = ["user", "item"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ItemUse)
class ItemUseAdmin(admin.ModelAdmin):
    list_display = ["used_at", "item", "thread", "user", "expires_at", "detail"]
    list_filter = ["item"]
    list_select_related = ["user", "item", "thread"]
    raw_id_fields = ["thread"]
    date_hierarchy = "used_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
