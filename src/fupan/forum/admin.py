from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fupan.forum.models import Board, BoardModerator, BoardPermission, Post, Thread, ThreadType
from fupan.permissions.core import purge_board_overrides

COUNTERS = (
    "threads",
    "posts",
    "today_posts",
    "today_date",
    "last_thread",
    "last_thread_title",
    "last_post_at",
    "last_poster",
    "last_poster_name",
)


class ThreadTypeInline(admin.TabularInline):
    model = ThreadType
    extra = 0


class BoardModeratorInline(admin.TabularInline):
    model = BoardModerator
    extra = 0
    raw_id_fields = ["user"]


class BoardPermissionInline(admin.TabularInline):
    """Per user group: leave a box empty to use the group's own permission."""

    model = BoardPermission
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "kind",
        "parent",
        "display_order",
        "is_visible",
        "threads",
        "posts",
    ]
    list_filter = ["kind", "is_visible"]
    search_fields = ["name"]
    readonly_fields = COUNTERS
    inlines = [ThreadTypeInline, BoardModeratorInline, BoardPermissionInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        purge_board_overrides()


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Counters are read-only here: they are owned by the forum actions."""

    list_display = [
        "id",
        "title",
        "board",
        "author_name",
        "created_at",
        "replies",
        "views",
        "sticky",
        "digest",
        "closed",
        "state",
    ]
    list_filter = ["board", "sticky", "digest", "closed", "state"]
    search_fields = ["title", "author_name"]
    raw_id_fields = ["author", "last_poster"]
    readonly_fields = [
        "replies",
        "views",
        "max_position",
        "last_post_at",
        "last_poster",
        "last_poster_name",
        "state",
    ]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "thread", "position", "author_name", "created_at", "state"]
    search_fields = ["author_name"]
    raw_id_fields = ["thread", "author"]
    readonly_fields = [
        "thread",
        "position",
        "is_first",
        "support",
        "oppose",
        "state",
        "html_version",
    ]
