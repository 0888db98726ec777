"""Items (道具, Discuz ``pre_common_magic``): bought with credits in the shop, used on a thread.

Stock, inventories and the use log are written only by ``fupan.items.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Item(models.Model):
    class Kind(models.TextChoices):
        HIGHLIGHT = "highlight", _("highlight a thread's title")
        BUMP = "bump", _("bump a thread to the top of its board")
        STICK = "stick", _("stick a thread in its board")

    class Credit(models.IntegerChoices):
        EXTCREDITS1 = 1, "威望"
        EXTCREDITS2 = 2, "金钱"
        EXTCREDITS3 = 3, "贡献"

    id = models.AutoField(primary_key=True)
    kind = models.CharField(_("effect"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    price = models.PositiveIntegerField(_("price"), default=0)
    credit = models.PositiveSmallIntegerField(
        _("paid in"), choices=Credit.choices, default=Credit.EXTCREDITS2
    )
    stock = models.PositiveIntegerField(
        _("stock"), default=0, help_text=_("Units left in the shop.")
    )
    duration_hours = models.PositiveIntegerField(
        _("lasts (hours)"), default=24, help_text=_("For highlight and stick.")
    )
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Switched off, the item can be neither bought nor used."),
    )
    display_order = models.SmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["display_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def lasts(self) -> bool:
        """True for effects that run out (highlight, stick)."""
        return self.kind in (self.Kind.HIGHLIGHT, self.Kind.STICK)


class UserItem(models.Model):
    """How many of one item a member holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # PROTECT: an item members hold is switched off, not deleted.
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("member's item")
        verbose_name_plural = _("members' items")
        constraints = [models.UniqueConstraint(fields=["user", "item"], name="useritem_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.item_id} ×{self.quantity}"


class ItemUse(models.Model):
    """One use of an item on a thread (Discuz ``pre_common_magiclog`` / ``forum_threadmod``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(_("used"))
    expires_at = models.DateTimeField(_("ends"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("item use")
        verbose_name_plural = _("item uses")
        indexes = [
            models.Index(fields=["thread", "-used_at"], name="itemuse_thread_idx"),
            models.Index(fields=["user", "-used_at"], name="itemuse_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} on {self.thread_id} by {self.user_id}"
