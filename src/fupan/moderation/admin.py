"""Reports and appeals in the Django admin: to look up and, for spam, delete. They are resolved and
decided on the site (``/mod/reports/``, ``/mod/appeals/``), where the actions keep the record of
who decided, so the admin does not add or change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fupan.moderation.models import Appeal, AppealMessage, Report


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(_ReadOnly):
    list_display = [
        "created_at",
        "kind",
        "reason",
        "category",
        "reporter_name",
        "ip",
        "status",
        "outcome",
        "resolved_by_name",
    ]
    list_filter = ["status", "kind", "reason", "category", "outcome"]
    search_fields = ["reporter_name", "message", "url", "contact", "ip"]
    list_select_related = ["reporter"]
    raw_id_fields = ["post", "thread", "board", "member", "reporter", "resolved_by"]
    date_hierarchy = "created_at"


class AppealMessageInline(admin.TabularInline):
    model = AppealMessage
    extra = 0
    fields = ["created_at", "author_name", "from_moderator", "body"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(_ReadOnly):
    list_display = ["created_at", "kind", "appellant", "status", "decided_by_name", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["appellant__username", "statement", "reply"]
    list_select_related = ["appellant"]
    raw_id_fields = ["appellant", "post", "board", "decided_by"]
    date_hierarchy = "created_at"
    inlines = [AppealMessageInline]
