"""Private messages in the admin: read-only, and for superusers only (members' messages are
private; an administrator may need them to handle a report). Counters belong to the actions, so
nothing is added, changed or deleted here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fupan.pm.models import Conversation, ConversationMember, Message


class _SuperuserReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class MemberInline(_SuperuserReadOnly, admin.TabularInline):  # type: ignore[misc]
    model = ConversationMember
    extra = 0
    fields = ["user", "is_new", "message_count", "last_read_at", "is_deleted", "cleared_through"]
    readonly_fields = fields


class MessageInline(_SuperuserReadOnly, admin.TabularInline):  # type: ignore[misc]
    model = Message
    extra = 0
    fields = ["id", "created_at", "author_name", "body"]
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(_SuperuserReadOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["id", "kind", "subject", "members_count", "messages_count", "last_message_at"]
    list_filter = ["kind"]
    search_fields = ["=id", "=last_author_name"]
    readonly_fields = [
        "kind",
        "author",
        "subject",
        "pair_key",
        "members_count",
        "messages_count",
        "created_at",
        "last_message_at",
        "last_author_name",
        "last_excerpt",
    ]
    exclude = ["last_message_id", "last_author_id"]
    inlines = [MemberInline, MessageInline]
