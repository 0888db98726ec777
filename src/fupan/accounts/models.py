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


def default_email_notify() -> list[str]:
    return ["message", "mention"]


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
        from fupan.accounts.stats import count_new_member

        count_new_member(user)
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
    # 0: no avatar. Bumped at each upload so browsers and caches fetch the new picture.
    avatar_version = models.PositiveIntegerField(_("avatar version"), default=0)
    # The header's unread badges (Discuz newprompt / newpm), owned by the inbox and pm actions:
    # read with the member, so no page spends a query on them.
    new_notifications = models.PositiveIntegerField(_("unread notifications"), default=0)
    new_messages = models.PositiveIntegerField(_("unread conversations"), default=0)
    # Which notification kinds (fupan.inbox.models.Notification.Kind, plus "message" for private
    # messages) are also sent by email.
    email_notify = models.JSONField(_("email me about"), default=default_email_notify, blank=True)

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


# Credits (积分) ---------------------------------------------------------------------------------


class CreditRule(models.Model):
    """What one action earns or costs (Discuz ``pre_common_credit_rule``); ``id`` is Discuz's ``rid``.

    Awarded by ``fupan.accounts.credits.apply_credit_rule``, which caps rewards per cycle."""

    class Cycle(models.IntegerChoices):
        ONCE = 0, _("once")
        DAILY = 1, _("daily")
        HOURLY = 2, _("every N hours, on the hour")
        INTERVAL = 3, _("every N minutes")
        UNLIMITED = 4, _("no cycle")

    id = models.AutoField(primary_key=True)
    action = models.SlugField(_("action"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), choices=Cycle.choices, default=Cycle.UNLIMITED
    )
    cycle_time = models.PositiveIntegerField(
        _("cycle length"),
        default=0,
        help_text=_("Hours for 'every N hours', minutes for 'every N minutes'."),
    )
    reward_num = models.PositiveIntegerField(
        _("rewards per cycle"), default=0, help_text=_("0: no limit")
    )
    extcredits1 = models.IntegerField("威望", default=0)
    extcredits2 = models.IntegerField("金钱", default=0)
    extcredits3 = models.IntegerField("贡献", default=0)

    class Meta:
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.action})"

    @property
    def deltas(self) -> dict[int, int]:
        return {1: self.extcredits1, 2: self.extcredits2, 3: self.extcredits3}


class BoardCreditRule(models.Model):
    """A board's own amounts for one rule (Discuz ``forumfield.creditspolicy`` + ``rule.fids``).
    Rewards under an override are capped per board, as Discuz does."""

    board = models.ForeignKey(
        "forum.Board",
        on_delete=models.CASCADE,
        related_name="credit_rules",
        verbose_name=_("board"),
    )
    rule = models.ForeignKey(
        CreditRule, on_delete=models.CASCADE, related_name="board_rules", verbose_name=_("rule")
    )
    extcredits1 = models.IntegerField("威望", default=0)
    extcredits2 = models.IntegerField("金钱", default=0)
    extcredits3 = models.IntegerField("贡献", default=0)

    class Meta:
        verbose_name = _("board credit rule")
        verbose_name_plural = _("board credit rules")
        constraints = [
            models.UniqueConstraint(fields=["board", "rule"], name="boardcreditrule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}@{self.board_id}"

    @property
    def deltas(self) -> dict[int, int]:
        return {1: self.extcredits1, 2: self.extcredits2, 3: self.extcredits3}


class CreditRuleLog(models.Model):
    """How often a rule has paid one member, for its cycle caps (Discuz
    ``pre_common_credit_rule_log``). ``board_key`` is the board id when the board overrides the
    rule, else 0 (one count for the whole site)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(CreditRule, on_delete=models.CASCADE, related_name="+")
    board_key = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    cycle_count = models.PositiveIntegerField(default=0)
    cycle_start = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        verbose_name = _("credit rule count")
        verbose_name_plural = _("credit rule counts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule", "board_key"], name="creditrulelog_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.rule_id}@{self.board_key} ×{self.total}"


class CreditLedger(models.Model):
    """One change of a member's credits, with the balances after it (Discuz
    ``pre_common_credit_log``). Written only by ``fupan.accounts.credits``; never edited."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="credit_ledger", verbose_name=_("member")
    )
    acting_user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("changed by"),
    )
    extcredits1 = models.IntegerField("威望", default=0)
    extcredits2 = models.IntegerField("金钱", default=0)
    extcredits3 = models.IntegerField("贡献", default=0)
    balance1 = models.IntegerField("威望余额", default=0)
    balance2 = models.IntegerField("金钱余额", default=0)
    balance3 = models.IntegerField("贡献余额", default=0)
    credits_after = models.IntegerField(_("total credits after"), default=0)
    reason = models.CharField(_("reason"), max_length=48)
    text = models.CharField(_("details"), max_length=200, blank=True)
    # Plain ids: the ledger outlives deleted threads and posts.
    thread_id = models.PositiveIntegerField(null=True, blank=True)
    post_id = models.PositiveIntegerField(null=True, blank=True)
    board_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # Imported from Discuz (ratings, pre_common_credit_log): already counted in the member's
    # imported balances, and the balances after it are unknown (left 0, not shown).
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("credit ledger entry")
        verbose_name_plural = _("credit ledger")
        indexes = [models.Index(fields=["user", "-created_at"], name="creditledger_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.reason} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def deltas(self) -> dict[int, int]:
        return {1: self.extcredits1, 2: self.extcredits2, 3: self.extcredits3}

    @property
    def balances(self) -> dict[int, int]:
        return {1: self.balance1, 2: self.balance2, 3: self.balance3}


# Bans (禁止发言 / 禁止访问 / 禁止 IP) ------------------------------------------------------------


class Ban(models.Model):
    """A posting ban, a visit ban (of a member) or an IP ban, timed or permanent, with a reason.

    A member's ban also moves them to Discuz's group 4 (禁止发言) or 5 (禁止访问), remembering the
    group to return to; ``fupan.accounts.bans`` writes and lifts them."""

    class Kind(models.TextChoices):
        POST = "post", _("banned from posting")
        VISIT = "visit", _("banned from visiting")
        IP = "ip", _("IP address banned")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bans",
        verbose_name=_("member"),
    )
    network = models.CharField(
        _("IP address or network"),
        max_length=64,
        blank=True,
        help_text=_("e.g. 1.2.3.4 or 1.2.3.0/24"),
    )
    previous_group = models.ForeignKey(
        UserGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("banned at"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Empty: permanent.")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "lifted_at"], name="ban_user_idx"),
            models.Index(fields=["kind", "lifted_at"], name="ban_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.user_id or self.network}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class Block(models.Model):
    """A member who blocked another (Discuz ``pre_home_blacklist``): the blocked member can no
    longer send them private messages, and their replies, quotes and mentions no longer notify
    them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("blocked member")
    )
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked member")
        verbose_name_plural = _("blocked members")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="block_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} blocks {self.blocked_id}"


class MemberStats(models.Model):
    """The index page's member totals (Discuz's ``userstats`` cache: totalmembers, newest member):
    one row (pk=1), so the index never counts the member table. Kept by ``accounts.stats`` when a
    member is created; rebuilt by ``synchronize_member_stats`` (``synchronize_counters``)."""

    members = models.PositiveIntegerField(default=0)
    newest = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    newest_name = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("member totals")
        verbose_name_plural = _("member totals")

    def __str__(self) -> str:
        return f"{self.members}"
