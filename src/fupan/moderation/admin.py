"""Reports and appeals in the Django admin: to look up and, for spam, delete. They are resolved and
decided on the site (``/mod/reports/``, ``/mod/appeals/``), where the actions keep the record of
who decided, so the admin does not add or change them.

The sensitive-word list (词语过滤) is managed here: one by one, or thousands at once on the import
page (``/admin/moderation/censorword/import/``); every change goes through the actions, which
make each process rebuild its word filter."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from fupan.core.errors import FupanError
from fupan.moderation.actions import (
    do_add_censor_words,
    do_delete_censor_words,
    do_save_censor_word,
)
from fupan.moderation.forms import CensorImportForm, CensorWordForm
from fupan.moderation.models import Appeal, AppealMessage, CensorWord, Report


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


@admin.register(CensorWord)
class CensorWordAdmin(admin.ModelAdmin):
    form = CensorWordForm
    list_display = ["find", "action", "replacement", "created_at", "created_by"]
    list_filter = ["action", "created_at"]
    search_fields = ["find", "replacement"]
    list_select_related = ["created_by"]
    list_per_page = 200
    fields = ["find", "action", "replacement"]
    change_list_template = "admin/moderation/censorword/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="moderation_censorword_import"),
            path("export/", view(self.export_view), name="moderation_censorword_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        extra_context = {
            **(extra_context or {}),
            "import_label": _("Import words"),
            "export_label": _("Export"),
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CensorWord, form: Any, change: bool) -> None:
        do_save_censor_word(obj, acting_user=request.user)

    def delete_model(self, request: HttpRequest, obj: CensorWord) -> None:
        do_delete_censor_words([obj.pk], acting_user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CensorWord]) -> None:
        do_delete_censor_words(queryset.values_list("pk", flat=True), acting_user=request.user)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CensorImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = do_add_censor_words(
                    form.lines(),
                    acting_user=request.user,
                    action=form.cleaned_data["action"],
                    replacement=form.cleaned_data["replacement"],
                )
            except FupanError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    _("%(added)d words added, %(updated)d updated, %(skipped)d lines skipped.")
                    % {
                        "added": result.added,
                        "updated": result.updated,
                        "skipped": result.skipped,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:moderation_censorword_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import sensitive words"),
            "form": form,
            "submit_label": _("Import"),
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(
            request,
            "admin/moderation/censorword/import.html",
            context,
            status=400 if form.errors else 200,
        )

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The list in Discuz's format (``word=replacement``, ``{BANNED}``, ``{MOD}``), which the
        import page reads back."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        special = {CensorWord.Action.BLOCK: "{BANNED}", CensorWord.Action.REVIEW: "{MOD}"}
        lines = [
            f"{find}={special.get(action, replacement)}"
            for find, action, replacement in CensorWord.objects.order_by("find").values_list(
                "find", "action", "replacement"
            )
        ]
        response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="censor-words.txt"'
        return response
