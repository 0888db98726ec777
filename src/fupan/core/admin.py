from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from fupan.core.actions import do_save_site_settings
from fupan.core.models import CaptchaQuestion, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "site_url", "icp", "icp_url", "about_text"]}),
        (
            "Posts",
            {
                "fields": [
                    "guest_banner",
                    "post_footer_notice",
                    "posts_per_page",
                    "threads_per_page",
                    "floor_labels",
                    "relative_times",
                    "post_interval",
                ]
            },
        ),
        ("Votes", {"fields": ["votes_enabled", "hot_replies", "hot_reply_min_votes"]}),
        ("Images", {"fields": ["guest_view_thumb", "guest_thumb_size"]}),
        (
            "Credits",
            {
                "fields": [
                    ("credit1_name", "credit1_enabled"),
                    ("credit2_name", "credit2_enabled"),
                    ("credit3_name", "credit3_enabled"),
                    ("formula_posts", "formula_threads", "formula_digest"),
                    ("formula_credit1", "formula_credit2", "formula_credit3"),
                    "max_charge_hours",
                ]
            },
        ),
        (
            "Registration and captcha",
            {
                "fields": [
                    "registration_open",
                    "registration_email_required",
                    "captcha_on_register",
                    "captcha_on_guest_forms",
                    "captcha_use_questions",
                ]
            },
        ),
        ("Site", {"fields": ["show_debug_info"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        settings, _ = SiteSettings.objects.get_or_create(pk=1)
        return HttpResponseRedirect(reverse("admin:core_sitesettings_change", args=[settings.pk]))

    def save_model(self, request: HttpRequest, obj: SiteSettings, form: Any, change: bool) -> None:
        do_save_site_settings(obj, acting_user=request.user)


@admin.register(CaptchaQuestion)
class CaptchaQuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "answer", "enabled"]
    list_filter = ["enabled"]
