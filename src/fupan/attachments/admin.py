from __future__ import annotations

from django.contrib import admin

from fupan.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "filename",
        "post",
        "uploader",
        "size",
        "is_image",
        "downloads",
        "created_at",
    ]
    list_filter = ["is_image"]
    search_fields = ["filename"]
    raw_id_fields = ["post", "uploader"]
    readonly_fields = [
        "file",
        "thumbnail",
        "size",
        "is_image",
        "image_format",
        "width",
        "height",
        "downloads",
        "created_at",
    ]
