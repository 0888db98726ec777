"""Files attached to posts (Discuz ``pre_forum_attachment*``); ids are Discuz's ``aid``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def upload_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the uploader: a date folder and a random token.
    import secrets

    from django.utils import timezone

    now = timezone.now()
    ext = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}.get(
        instance.image_format, ""
    )
    return f"forum/{now:%Y%m}/{now:%d}/{secrets.token_hex(8)}{ext}"


class Attachment(models.Model):
    id = models.AutoField(primary_key=True)
    post = models.ForeignKey(
        "forum.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=upload_path, max_length=255)
    thumbnail = models.FileField(upload_to="forum/thumbs/", max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    is_image = models.BooleanField(default=False)
    image_format = models.CharField(max_length=8, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(_("description"), max_length=255, blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["post", "id"], name="attachment_post_idx")]

    def __str__(self) -> str:
        return self.filename
