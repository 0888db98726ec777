"""Boards, thread types, threads, posts and votes — the hot path.

Ids are Discuz's (``fid``, ``typeid``, ``tid``, ``pid``). Every counter here (board threads/posts/
today, thread replies/last post, …) is written only by ``fupan.forum.actions`` and can be rebuilt by
``fupan.forum.synchronize``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """A node of the board tree: category (分区) → board (版块) → sub-board (子版块)."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("category")
        BOARD = "board", _("board")
        SUB = "sub", _("sub-board")

    class TypePrefix(models.IntegerChoices):
        NONE = 0, _("no prefix")
        TEXT = 1, _("text")
        ICON = 2, _("icon")

    id = models.AutoField(primary_key=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOARD)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    display_order = models.SmallIntegerField(_("order"), default=0)
    is_visible = models.BooleanField(_("visible"), default=True)
    jammer = models.BooleanField(_("anti-copy noise (jammer)"), default=False)

    class Review(models.IntegerChoices):
        NONE = 0, _("no review")
        THREADS = 1, _("new threads")
        ALL = 2, _("new threads and replies")

    review_posts = models.PositiveSmallIntegerField(
        _("posts waiting for a moderator"), choices=Review.choices, default=Review.NONE
    )
    allow_smilies = models.BooleanField(_("smilies"), default=True)
    allow_bbcode = models.BooleanField(_("Discuz code"), default=True)
    allow_images = models.BooleanField(_("[img] code"), default=True)
    thread_types_enabled = models.BooleanField(_("thread types"), default=False)
    thread_types_required = models.BooleanField(_("a thread type is required"), default=False)
    thread_types_listable = models.BooleanField(_("thread types filter the list"), default=True)
    thread_types_prefix = models.PositiveSmallIntegerField(
        _("thread type prefix in lists"), choices=TypePrefix.choices, default=TypePrefix.TEXT
    )

    # Counters (actions only).
    threads = models.PositiveIntegerField(_("threads"), default=0)
    posts = models.PositiveIntegerField(_("posts"), default=0)
    today_posts = models.PositiveIntegerField(_("today's posts"), default=0)
    today_date = models.DateField(null=True, blank=True)
    last_thread = models.ForeignKey(
        "Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    last_thread_title = models.CharField(max_length=255, blank=True)
    last_post_at = models.DateTimeField(null=True, blank=True)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    last_poster_name = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["display_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_category(self) -> bool:
        return self.kind == self.Kind.CATEGORY


class BoardPermission(models.Model):
    """What one user group may do in one board, where it differs from the group's own permissions
    (Discuz ``forumfield.viewperm/postperm/replyperm/getattachperm/postattachperm/postimageperm``).
    Empty (None) means: as the group's permissions say."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="group_permissions")
    group = models.ForeignKey("accounts.UserGroup", on_delete=models.CASCADE, related_name="+")
    can_view = models.BooleanField(_("see the board"), null=True, blank=True)
    can_read = models.BooleanField(_("read threads"), null=True, blank=True)
    can_post = models.BooleanField(_("start threads"), null=True, blank=True)
    can_reply = models.BooleanField(_("reply"), null=True, blank=True)
    can_upload = models.BooleanField(_("upload attachments"), null=True, blank=True)
    can_view_images = models.BooleanField(_("view images"), null=True, blank=True)
    can_download = models.BooleanField(_("download attachments"), null=True, blank=True)
    can_use_types = models.BooleanField(_("choose thread types"), null=True, blank=True)

    class Meta:
        verbose_name = _("board permission")
        verbose_name_plural = _("board permissions")
        constraints = [
            models.UniqueConstraint(fields=["board", "group"], name="boardpermission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}@{self.board_id}"


class BoardModerator(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="moderator_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_boards"
    )
    display_order = models.SmallIntegerField(default=0)

    class Meta:
        verbose_name = _("board moderator")
        verbose_name_plural = _("board moderators")
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="boardmoderator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.board_id}"


class ThreadType(models.Model):
    """主题分类, e.g. [建言献策] (Discuz ``pre_forum_threadclass``)."""

    id = models.AutoField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="thread_types")
    name = models.CharField(_("name"), max_length=40)
    display_order = models.SmallIntegerField(_("order"), default=0)
    moderators_only = models.BooleanField(_("moderators only"), default=False)

    class Meta:
        verbose_name = _("thread type")
        verbose_name_plural = _("thread types")
        ordering = ["display_order", "id"]
        indexes = [models.Index(fields=["board", "display_order"], name="threadtype_board_idx")]

    def __str__(self) -> str:
        return self.name


class Thread(models.Model):
    class State(models.IntegerChoices):
        VISIBLE = 0, _("visible")
        RECYCLED = -1, _("in the recycle bin")
        PENDING = -2, _("awaiting review")

    class Sticky(models.IntegerChoices):
        NONE = 0, _("not sticky")
        BOARD = 1, _("sticky in board")
        CATEGORY = 2, _("sticky in category")
        GLOBAL = 3, _("sticky everywhere")

    id = models.AutoField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="thread_set")
    type = models.ForeignKey(
        ThreadType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("posted"))
    state = models.SmallIntegerField(choices=State.choices, default=State.VISIBLE)
    sticky = models.PositiveSmallIntegerField(
        _("sticky"), choices=Sticky.choices, default=Sticky.NONE
    )
    digest = models.PositiveSmallIntegerField(_("digest level"), default=0)
    highlight = models.CharField(_("highlight colour"), max_length=7, blank=True)
    # Set by items (道具): a sticky or highlight that ends by itself. Null: no end.
    sticky_until = models.DateTimeField(_("sticky until"), null=True, blank=True)
    highlight_until = models.DateTimeField(_("highlight until"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    # A thread merged into another (or moved with a redirect) answers with that thread.
    redirect_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    has_images = models.BooleanField(default=False)
    has_attachments = models.BooleanField(default=False)

    # Counters (actions only).
    replies = models.PositiveIntegerField(_("replies"), default=0)
    views = models.PositiveIntegerField(_("views"), default=0)
    # Members who keep it in their favourites (Discuz favtimes), owned by the inbox actions.
    favorites = models.PositiveIntegerField(_("favourites"), default=0)
    # 顶/踩 (Discuz thread recommend_add / recommend_sub): one ThreadRecommend per member, counted
    # here by do_recommend_thread (imported counts are Discuz's own).
    recommend_add = models.PositiveIntegerField(_("recommended"), default=0)
    recommend_sub = models.PositiveIntegerField(_("not recommended"), default=0)
    max_position = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField()
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    last_poster_name = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # The board list by last reply (keyset pages seek on it) and its stickies.
            models.Index(
                fields=["board", "state", "last_post_at", "id"], name="thread_board_last_idx"
            ),
            models.Index(
                fields=["board", "sticky"],
                condition=Q(sticky__gt=0),
                name="thread_board_sticky_idx",
            ),
            models.Index(
                fields=["board", "type", "state", "last_post_at"], name="thread_board_type_idx"
            ),
            models.Index(fields=["board", "state", "created_at"], name="thread_board_new_idx"),
            models.Index(
                fields=["sticky"], condition=Q(sticky__gt=1), name="thread_wide_sticky_idx"
            ),
            models.Index(fields=["author", "created_at"], name="thread_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        return self.state == self.State.VISIBLE

    @property
    def current_highlight(self) -> str:
        """The highlight colour, unless an item's highlight has run out."""
        if (
            self.highlight
            and self.highlight_until is not None
            and self.highlight_until <= timezone.now()
        ):
            return ""
        return self.highlight


class Post(models.Model):
    class State(models.IntegerChoices):
        VISIBLE = 0, _("visible")
        PENDING = -2, _("awaiting review")
        DELETED = -5, _("deleted")

    class Client(models.IntegerChoices):
        WEB = 0, _("web")
        MOBILE_WEB = 1, _("mobile web")
        IOS = 2, _("iOS app")
        ANDROID = 3, _("Android app")
        WINDOWS_PHONE = 4, _("Windows Phone app")
        WECHAT = 5, _("WeChat")

    id = models.AutoField(primary_key=True)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="post_set")
    position = models.PositiveIntegerField(_("floor"))
    is_first = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=32)
    body = models.TextField(_("body"))
    html = models.TextField(blank=True, editable=False)
    html_version = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("posted"))
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by_name = models.CharField(max_length=32, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    client = models.PositiveSmallIntegerField(choices=Client.choices, default=Client.WEB)
    ip = models.GenericIPAddressField(null=True, blank=True)
    state = models.SmallIntegerField(choices=State.choices, default=State.VISIBLE)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    warned = models.BooleanField(_("warned"), default=False)
    smilies_off = models.BooleanField(default=False)
    bbcode_off = models.BooleanField(default=False)
    has_attachments = models.BooleanField(default=False)
    support = models.PositiveIntegerField(_("support"), default=0)
    oppose = models.PositiveIntegerField(_("oppose"), default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "position"], name="post_thread_position_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["thread", "author", "state", "position"], name="post_thread_author_idx2"
            ),
            models.Index(fields=["author", "created_at"], name="post_author_idx"),
            # Hot replies: a thread's most-voted replies read in order from the index, so a
            # mega-thread with thousands of voted floors costs what a small one costs.
            models.Index(
                F("thread"),
                (F("support") + F("oppose")).desc(),
                F("position"),
                condition=Q(support__gt=0) | Q(oppose__gt=0),
                name="post_hot_idx",
            ),
            models.Index(fields=["created_at"], name="post_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.position}"

    @property
    def is_visible(self) -> bool:
        return self.state == self.State.VISIBLE

    @property
    def from_mobile(self) -> bool:
        return self.client != self.Client.WEB

    @property
    def votes_total(self) -> int:
        return self.support + self.oppose


class PostVote(models.Model):
    """One support (+1) or oppose (-1) per member per post (Discuz ``pre_forum_hotreply_member``)."""

    class Value(models.IntegerChoices):
        SUPPORT = 1, _("support")
        OPPOSE = -1, _("oppose")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post vote")
        verbose_name_plural = _("post votes")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="postvote_unique")]
        indexes = [models.Index(fields=["user", "thread"], name="postvote_user_thread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} #{self.post_id}"


class ThreadRecommend(models.Model):
    """One 顶 (+1) or 踩 (-1) per member per thread (Discuz ``pre_forum_memberrecommend``). Discuz
    keeps only who recommended, not which way: imported rows have value 0, and the thread's
    counts are Discuz's own."""

    class Value(models.IntegerChoices):
        ADD = 1, _("recommend")
        SUBTRACT = -1, _("not recommend")
        IMPORTED = 0, _("imported (direction unknown)")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thread recommend")
        verbose_name_plural = _("thread recommends")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threadrecommend_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} t{self.thread_id}"


class PostRevision(models.Model):
    """The body of a post before an edit (revision history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    edited_at = models.DateTimeField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    editor_name = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.post_id} @ {self.edited_at:%Y-%m-%d %H:%M}"
