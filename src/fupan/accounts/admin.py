from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fupan.accounts.credits import purge_credit_rules
from fupan.accounts.groups import purge_groups
from fupan.accounts.models import Ban, BoardCreditRule, CreditLedger, CreditRule, User, UserGroup


@admin.register(UserGroup)
class UserGroupAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "kind",
        "admin_role",
        "credits_higher",
        "credits_lower",
        "allow_post",
        "allow_reply",
        "allow_get_image",
    ]
    list_filter = ["kind"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        purge_groups()


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "username",
        "email",
        "group",
        "date_joined",
        "posts",
        "threads",
        "is_active",
    ]
    list_filter = ["group", "is_active", "is_staff"]
    search_fields = ["username", "email"]
    readonly_fields = [
        "posts",
        "threads",
        "digest_posts",
        "credits",
        "last_login",
        "date_joined",
        "password",
    ]
    exclude = ["user_permissions", "groups"]


# Credits --------------------------------------------------------------------------------------


class _PurgesCreditRules(admin.ModelAdmin):
    """Rules are cached (every post reads one): forget them after any change here."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        purge_credit_rules()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        purge_credit_rules()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        purge_credit_rules()


@admin.register(CreditRule)
class CreditRuleAdmin(_PurgesCreditRules):
    list_display = [
        "id",
        "name",
        "action",
        "cycle",
        "cycle_time",
        "reward_num",
        "extcredits1",
        "extcredits2",
        "extcredits3",
    ]
    list_editable = [
        "cycle",
        "cycle_time",
        "reward_num",
        "extcredits1",
        "extcredits2",
        "extcredits3",
    ]
    search_fields = ["name", "action"]


@admin.register(BoardCreditRule)
class BoardCreditRuleAdmin(_PurgesCreditRules):
    list_display = ["board", "rule", "extcredits1", "extcredits2", "extcredits3"]
    list_filter = ["board"]
    list_select_related = ["board", "rule"]


@admin.register(CreditLedger)
class CreditLedgerAdmin(admin.ModelAdmin):
    """The ledger is written by fupan.accounts.credits only and never edited."""

    list_display = [
        "created_at",
        "user",
        "reason",
        "text",
        "extcredits1",
        "extcredits2",
        "extcredits3",
        "credits_after",
        "acting_user",
    ]
    list_filter = ["reason"]
    search_fields = ["user__username", "text"]
    list_select_related = ["user", "acting_user"]
    raw_id_fields = ["user", "acting_user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    """Read here; give and lift bans from the member's profile (ban / lift) so the member's group
    follows, or at /mod/ip-bans/ for addresses."""

    list_display = [
        "id",
        "kind",
        "user",
        "network",
        "reason",
        "created_by",
        "created_at",
        "expires_at",
        "lifted_at",
    ]
    list_filter = ["kind"]
    search_fields = ["user__username", "network", "reason"]
    readonly_fields = [f.name for f in Ban._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
