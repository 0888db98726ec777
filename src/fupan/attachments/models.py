"""Files attached to posts (Discuz ``pre_forum_attachment*``); ids are Discuz's ``aid``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    # 阅读权限 (Discuz ``readperm``): the group read access a member needs to get the file.
    read_access = models.PositiveSmallIntegerField(_("read permission"), default=0)
    # 售价 (Discuz ``price``) in the trade credit (TRADE_CREDIT): members pay once to get it.
    price = models.PositiveIntegerField(_("price"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["post", "id"], name="attachment_post_idx")]

    def __str__(self) -> str:
        return self.filename


class AttachmentPurchase(models.Model):
    """A member bought a priced attachment (Discuz logs it as ``pre_common_credit_log``
    operation ``BAC`` with the aid). One row per member and attachment: bought once, got
    forever. Written by ``do_buy_attachment`` and the importer."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="purchases")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    price = models.PositiveIntegerField(_("price"), default=0)
    created_at = models.DateTimeField(_("bought"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment purchase")
        verbose_name_plural = _("attachment purchases")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "attachment"], name="attachment_purchase_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} bought #{self.attachment_id}"
