from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fupan.accounts.groups import purge_groups
from fupan.accounts.models import User, UserGroup


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
