"""Members and user groups (Discuz ``pre_common_member*`` and ``pre_common_usergroup*``).

Primary keys are Discuz's ``uid`` and ``groupid`` so imported sites keep their links.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def username_key(username: str) -> str:
    """What makes two usernames the same: case and character width are ignored (ＡＢＣ = abc)."""
    return unicodedata.normalize("NFKC", username).casefold().strip()


class UserGroup(models.Model):
    """A Discuz user group: system groups (admins, guests, banned …), member ranks by credits
    (新手上路 … 论坛元老) and special groups."""

    class Kind(models.TextChoices):
        SYSTEM = "system", _("system")
        MEMBER = "member", _("member rank")
        SPECIAL = "special", _("special")

    class AdminRole(models.IntegerChoices):
        NONE = 0, _("none")
        ADMIN = 1, _("administrator")
        SUPER_MODERATOR = 2, _("super moderator")
        MODERATOR = 3, _("moderator")

    # Discuz's fixed system group ids.
    ADMIN = 1
    SUPER_MODERATOR = 2
    MODERATOR = 3
    BANNED_POST = 4
    BANNED_VISIT = 5
    BANNED_IP = 6
    GUEST = 7
    AWAITING_VERIFICATION = 8
    NEWBIE = 10

    id = models.PositiveIntegerField(primary_key=True)
    title = models.CharField(_("title"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    admin_role = models.PositiveSmallIntegerField(
        _("admin role"), choices=AdminRole.choices, default=AdminRole.NONE
    )
    credits_higher = models.IntegerField(_("credits from"), default=0)
    credits_lower = models.IntegerField(_("credits below"), default=0)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    color = models.CharField(_("colour"), max_length=7, blank=True)
    read_access = models.PositiveSmallIntegerField(_("read access"), default=0)
    allow_visit = models.BooleanField(_("may visit the site"), default=True)
    allow_post = models.BooleanField(_("may start threads"), default=False)
    allow_reply = models.BooleanField(_("may reply"), default=False)
    allow_vote = models.BooleanField(_("may vote on replies"), default=False)
    allow_get_attach = models.BooleanField(_("may download attachments"), default=False)
    allow_get_image = models.BooleanField(_("may view images"), default=False)
    allow_post_attach = models.BooleanField(_("may upload attachments"), default=False)
    allow_post_image = models.BooleanField(_("may upload images"), default=False)
    allow_search = models.BooleanField(_("may search"), default=True)
    max_sig_size = models.PositiveIntegerField(_("signature length"), default=0)
    max_attach_size = models.PositiveIntegerField(_("largest upload (bytes)"), default=0)
    edit_time_limit = models.PositiveIntegerField(
        _("edit time limit (minutes)"), default=0, help_text=_("0: no limit")
    )

    class Meta:
        verbose_name = _("user group")
        verbose_name_plural = _("user groups")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_admin(self) -> bool:
        return self.admin_role == self.AdminRole.ADMIN

    @property
    def is_moderator_group(self) -> bool:
        return self.admin_role != self.AdminRole.NONE


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username_key=username_key(username or ""))

    def create_user(
        self, username: str, email: str = "", password: str | None = None, **extra: object
    ) -> User:
        # Used by `createsuperuser` and tests' low-level setup; the site registers members with
        # fupan.accounts.actions.do_register_user.
        user = self.model(username=username, email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, email: str = "", password: str | None = None, **extra: object
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("group_id", UserGroup.ADMIN)
        return self.create_user(username, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member (Discuz ``uid``). Counters (posts, threads, credits) are owned by actions."""

    id = models.AutoField(primary_key=True)
    username = models.CharField(_("username"), max_length=32, unique=True)
    username_key = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    group = models.ForeignKey(
        UserGroup,
        on_delete=models.PROTECT,
        related_name="+",
        default=UserGroup.NEWBIE,
        verbose_name=_("user group"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(_("registered"), default=timezone.now)
    last_visit = models.DateTimeField(_("last visit"), null=True, blank=True)
    register_ip = models.GenericIPAddressField(_("registration IP"), null=True, blank=True)
    last_ip = models.GenericIPAddressField(_("last IP"), null=True, blank=True)
    posts = models.PositiveIntegerField(_("posts"), default=0)
    threads = models.PositiveIntegerField(_("threads"), default=0)
    digest_posts = models.PositiveIntegerField(_("digest threads"), default=0)
    credits = models.IntegerField(_("credits"), default=0)
    extcredits1 = models.IntegerField("威望", default=0)
    extcredits2 = models.IntegerField("金钱", default=0)
    extcredits3 = models.IntegerField("贡献", default=0)
    signature = models.TextField(_("signature"), blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["-date_joined"], name="user_newest_idx")]

    def __str__(self) -> str:
        return self.username

    def get_username(self) -> str:
        return self.username

    def save(self, *args: object, **kwargs: object) -> None:
        # The key is a pure function of this row's username (no cross-row effect), kept here so
        # no code path can store a username without it.
        self.username_key = username_key(self.username)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
