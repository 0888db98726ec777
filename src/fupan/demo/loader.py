"""The demo site: 涪畔生活, a local-life forum of the 遂宁/潼南 area, around the seed thread.

``fupan demo`` calls :func:`load_demo_if_empty` (once: it keeps existing data) and then
:func:`ensure_demo_admin` for the credentials it prints.

Every post, reply, vote and attachment goes through the actions, so the counters come out right
(``fupan.forum.synchronize`` finds nothing to fix). The few direct writes are marked below: they
set history (join dates, view counts, upload dates) or flags whose moderation actions do not
exist yet.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fupan.accounts.actions import do_register_user
from fupan.accounts.models import User, UserGroup, username_key
from fupan.attachments.actions import do_add_attachment
from fupan.attachments.models import Attachment
from fupan.core.actions import do_update_site_settings
from fupan.core.timefmt import discuz_datetime
from fupan.demo import content
from fupan.demo.content import Ago, BoardSpec, Member, Today
from fupan.demo.images import picture
from fupan.forum.actions import do_create_reply, do_create_thread, do_vote_post
from fupan.forum.models import Board, BoardModerator, Post, PostVote, Thread, ThreadType
from fupan.forum.rendering import render_body
from fupan.markup import RENDERER_VERSION, plain_text

SEED_THREAD_FILE = Path(__file__).with_name("seed_thread.json")
ADMIN_PASSWORD_FILE = "demo_admin_password"
_BOARD_REF_RE = re.compile(r"\{board:(\w+)\}")
_RANDOM_SEED = 20210515  # one seed: two loads give the same clients, seconds and view counts


# The administrator -----------------------------------------------------------------------------


def _password_file() -> Path:
    return Path(settings.VAR_DIR) / ADMIN_PASSWORD_FILE


def _write_password(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    os.chmod(path, 0o600)  # also when the file existed with wider permissions


def ensure_demo_admin() -> tuple[str, str]:
    """The demo administrator ``admin`` (group 1, staff, superuser) and its password.

    The password is generated once and kept in ``<VAR_DIR>/demo_admin_password`` (mode 0600), so
    later runs print the same credentials. The file is the source of truth: a missing file gets
    a new password, and a password that no longer matches the file is set back to it, so the
    printed credentials always work."""
    username = content.ADMIN_USERNAME
    path = _password_file()
    stored = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    password = stored or secrets.token_urlsafe(12)
    user = User.objects.filter(username_key=username_key(username)).first()
    if user is None:
        # "admin" is a reserved name for registration (do_register_user refuses it), so the
        # administrator is made the way `createsuperuser` makes one.
        user = User.objects.create_superuser(username, password=password, group_id=UserGroup.ADMIN)
    else:
        changed = []
        if not stored or not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        for name, value in (
            ("group_id", UserGroup.ADMIN),
            ("is_staff", True),
            ("is_superuser", True),
            ("is_active", True),
        ):
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed.append(name)
        if changed:
            user.save(update_fields=changed)
    if password != stored:
        _write_password(path, password)
    return username, password


# Loading ---------------------------------------------------------------------------------------


def load_demo_if_empty(stdout: TextIO | None = None) -> bool:
    """Fill an empty database with the demo forum. Returns False (and changes nothing) when any
    board or thread exists already."""
    if Board.objects.exists() or Thread.objects.exists():
        return False
    loader = _Loader(now=timezone.now(), stdout=stdout)
    with transaction.atomic():
        loader.run()
    return True


@dataclass
class _PostPlan:
    floor: int
    author: str
    body: str  # the text as written, before the quote block is added
    at: datetime
    mobile: bool
    quote: int | None = None
    pictures: tuple[tuple[str, str], ...] = ()
    inline_pictures: bool = False


@dataclass
class _ThreadPlan:
    board: str
    type: str | None
    title: str
    posts: list[_PostPlan]
    sticky: int = 0
    digest: int = 0
    closed: bool = False
    highlight: str = ""
    votes: tuple[content.Vote, ...] = ()
    views: int = 0
    thread: Thread | None = None
    created: dict[int, Post] = field(default_factory=dict)


class _Loader:
    def __init__(self, *, now: datetime, stdout: TextIO | None) -> None:
        self.now = now
        self.stdout = stdout
        self.rng = random.Random(_RANDOM_SEED)
        self.today = timezone.localdate(now)
        self.midnight = timezone.make_aware(datetime.combine(self.today, time.min))
        self.users: dict[str, User] = {}
        self.boards: dict[str, Board] = {}
        self.types: dict[tuple[str, str], ThreadType] = {}
        self.members: dict[str, Member] = {m.username: m for m in content.MEMBERS}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"  {message}\n")
            self.stdout.flush()

    def run(self) -> None:
        self.say("Creating members …")
        self.create_members()
        self.say("Creating boards …")
        self.create_boards()
        self.say("Applying site settings …")
        self.apply_site_settings()
        plans = [self.plan_seed_thread(), *(self.plan_thread(spec) for spec in content.THREADS)]
        self.say(f"Posting {len(plans)} threads ({sum(len(p.posts) for p in plans)} posts) …")
        self.post(plans)
        self.vote(plans)
        self.finish(plans)
        self.say(
            f"Demo loaded: {len(self.users)} members, {len(self.boards)} boards and categories, "
            f"{len(plans)} threads, {sum(len(p.posts) for p in plans)} posts."
        )

    # Members -----------------------------------------------------------------------------------

    def create_members(self) -> None:
        username, _ = ensure_demo_admin()
        self.users[username] = User.objects.get(username_key=username_key(username))
        # Historical details of a long-running site (direct writes: no action owns join dates).
        User.objects.filter(pk=self.users[username].pk).update(
            date_joined=self.aware("2014-06-01 09:00"),
            last_visit=self.now,
            credits=5000,
            extcredits2=5000,
        )
        for index, member in enumerate(content.MEMBERS):
            user = self.register(member)
            joined = (
                self.aware(member.joined)
                if isinstance(member.joined, str)
                else self.at_days_ago(member.joined, "20:00")
            )
            User.objects.filter(pk=user.pk).update(
                date_joined=joined,
                last_visit=self.now - timedelta(hours=self.rng.randint(1, 72)),
                signature=member.signature,
                credits=member.credits,
                extcredits1=member.credits // 50,
                extcredits2=member.credits + 20 * index,
                extcredits3=member.credits // 100,
            )
            self.users[member.username] = user

    def register(self, member: Member) -> User:
        # Demo members cannot log in with a known password; only the administrator's is printed.
        password = secrets.token_urlsafe(16)
        return do_register_user(username=member.username, password=password, group_id=member.group)

    # Boards ------------------------------------------------------------------------------------

    def create_boards(self) -> None:
        # Boards, thread types and moderators have no actions; creating them touches no counters.
        for order, spec in enumerate(content.BOARDS):
            self.boards[spec.key] = self.create_board(spec, order)
        for spec in content.BOARDS:
            for order, name in enumerate(spec.moderators):
                BoardModerator.objects.create(
                    board=self.boards[spec.key], user=self.users[name], display_order=order
                )

    def create_board(self, spec: BoardSpec, order: int) -> Board:
        board = Board.objects.create(
            parent=self.boards[spec.parent] if spec.parent else None,
            kind=spec.kind,
            name=spec.name,
            description=spec.description,
            rules=spec.rules,
            display_order=order,
            thread_types_enabled=bool(spec.types),
            # The seed page shows Discuz's anti-copy noise; the demo keeps it off everywhere
            # (a per-board option an administrator can switch on).
            jammer=False,
        )
        for type_order, name in enumerate(spec.types):
            self.types[spec.key, name] = ThreadType.objects.create(
                board=board, name=name, display_order=type_order
            )
        return board

    def apply_site_settings(self) -> None:
        values = {
            k: self.fill(v) if isinstance(v, str) else v for k, v in content.SITE_SETTINGS.items()
        }
        do_update_site_settings(acting_user=None, **values)

    def fill(self, text: str) -> str:
        """``{board:key}`` → that board's id (links between demo pages)."""
        return _BOARD_REF_RE.sub(lambda m: str(self.boards[m.group(1)].pk), text)

    # Times -------------------------------------------------------------------------------------

    def aware(self, text: str) -> datetime:
        return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M"))

    def at_days_ago(self, days: int, hhmm: str) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        day = self.today - timedelta(days=days)
        return timezone.make_aware(
            datetime.combine(day, time(hour, minute, self.rng.randint(0, 59)))
        )

    def at_today(self, fraction: float) -> datetime:
        if not 0 < fraction < 1:
            raise ValueError(f"today({fraction}): the fraction must lie between 0 and 1")
        return self.midnight + (self.now - self.midnight) * fraction

    def resolve(self, spec: Ago | Today) -> datetime:
        return (
            self.at_days_ago(spec.days, spec.hhmm)
            if isinstance(spec, Ago)
            else self.at_today(spec.fraction)
        )

    def is_mobile(self, username: str) -> bool:
        member = self.members.get(username)
        return member is not None and self.rng.random() < member.mobile

    # Plans -------------------------------------------------------------------------------------

    def plan_seed_thread(self) -> _ThreadPlan:
        seed = json.loads(SEED_THREAD_FILE.read_text(encoding="utf-8"))["thread"]
        posts = []
        for item in seed["posts"]:
            paragraphs = item["paragraphs"]
            if item["floor"] == 1:
                # The heading line, then each paragraph after a blank line, indented two spaces.
                body = "\n\n".join([item["body_title"], *(f"  {p}" for p in paragraphs)])
            else:
                body = "\n\n".join(paragraphs)
            pictures: tuple[tuple[str, str], ...] = ()
            if item["floor"] == 1:
                pictures = (("meeting", "遂潼一体化工作推进会.jpg"),)
            elif item["images"] == 2:
                pictures = (
                    ("river", "IMG_20210515_230412.jpg"),
                    ("street", "IMG_20210515_231036.jpg"),
                )
            assert len(pictures) == item["images"], item["floor"]
            posts.append(
                _PostPlan(
                    floor=item["floor"],
                    author=item["author"],
                    body=body,
                    at=datetime.fromisoformat(item["posted_at"]),
                    mobile=item["from_mobile"],
                    pictures=pictures,
                    # Floor 2 is only its two phone photos, shown inline as Discuz does.
                    inline_pictures=not paragraphs,
                )
            )
        votes = tuple(
            content.Vote(item["floor"], content.SEED_SUPPORT_VOTER)
            for item in seed["posts"]
            for _ in range(item["support"])
        )
        self.check_times(seed["title"], [p.at for p in posts])
        return _ThreadPlan(
            board=content.SEED_BOARD,
            type=seed["type"],
            title=seed["title"],
            posts=posts,
            votes=votes,
            views=1327,
        )

    def plan_thread(self, spec: content.T) -> _ThreadPlan:
        first = self.resolve(spec.at)
        posts = [
            _PostPlan(
                1, spec.author, self.fill(spec.body), first, spec.mobile, pictures=spec.pictures
            )
        ]
        previous = first
        for floor, reply in enumerate(spec.replies, start=2):
            if reply.at is not None:
                at = self.resolve(reply.at)
            else:
                at = previous + timedelta(minutes=reply.after, seconds=self.rng.randint(0, 59))
                if isinstance(spec.at, Ago) and at >= self.midnight:
                    raise ValueError(f"{spec.title!r} floor {floor}: a dated reply runs into today")
            mobile = self.is_mobile(reply.author) if reply.mobile is None else reply.mobile
            posts.append(
                _PostPlan(floor, reply.author, self.fill(reply.body), at, mobile, quote=reply.quote)
            )
            previous = at
        self.check_times(spec.title, [p.at for p in posts])
        replies = len(spec.replies)
        return _ThreadPlan(
            board=spec.board,
            type=spec.type,
            title=spec.title,
            posts=posts,
            sticky=spec.sticky,
            digest=spec.digest,
            closed=spec.closed,
            highlight=spec.highlight,
            votes=spec.votes,
            views=self.rng.randint(40, 160)
            + replies * self.rng.randint(25, 60)
            + 300 * spec.digest,
        )

    def check_times(self, title: str, times: list[datetime]) -> None:
        if any(later < earlier for earlier, later in pairwise(times)):
            raise ValueError(f"{title!r}: replies must come after the posts they follow")
        if times and times[-1] > self.now:
            raise ValueError(f"{title!r}: a post lies in the future")

    # Posting -----------------------------------------------------------------------------------

    def post(self, plans: list[_ThreadPlan]) -> None:
        # In time order across threads, so thread and post ids grow with time as on a real site.
        events = sorted(
            (
                (post.at, index, post.floor)
                for index, plan in enumerate(plans)
                for post in plan.posts
            ),
        )
        for _at, index, floor in events:
            plan = plans[index]
            item = plan.posts[floor - 1]
            if floor == 1:
                self.create_thread(plan, item)
            else:
                self.create_reply(plan, item)

    def client(self, item: _PostPlan) -> int:
        return Post.Client.MOBILE_WEB if item.mobile else Post.Client.WEB

    def create_thread(self, plan: _ThreadPlan, item: _PostPlan) -> None:
        board = self.boards[plan.board]
        plan.thread = do_create_thread(
            board,
            acting_user=self.users[item.author],
            title=plan.title,
            body=item.body,
            thread_type=self.types[plan.board, plan.type] if plan.type else None,
            moderator=item.author == content.ADMIN_USERNAME,
            client=self.client(item),
            now=item.at,
        )
        plan.created[1] = plan.thread.first_post
        self.attach(plan.thread.first_post, item, board)

    def create_reply(self, plan: _ThreadPlan, item: _PostPlan) -> None:
        assert plan.thread is not None
        body = item.body
        if item.inline_pictures:
            body = "…"  # replaced below, once the attachments have ids
        elif item.quote is not None:
            body = self.quote_block(plan, item.quote) + body
        post = do_create_reply(
            plan.thread,
            acting_user=self.users[item.author],
            body=body,
            client=self.client(item),
            now=item.at,
        )
        plan.created[item.floor] = post
        self.attach(post, item, plan.thread.board)

    def quote_block(self, plan: _ThreadPlan, floor: int) -> str:
        """Discuz's quote of an earlier floor: who and when, linked to it, and an excerpt."""
        quoted = plan.created[floor]
        excerpt = plain_text(plan.posts[floor - 1].body).replace("\n", " ")
        if len(excerpt) > 100:
            excerpt = excerpt[:100] + " ..."
        when = discuz_datetime(quoted.created_at, seconds=False)
        return (
            f"[quote][size=2][url=/p/{quoted.pk}/][color=#999999]{quoted.author_name} 发表于 {when}[/color]"
            f"[/url][/size]\n{excerpt}[/quote]\n"
        )

    def attach(self, post: Post, item: _PostPlan, board: Board) -> None:
        if not item.pictures:
            return
        uploader = self.users[item.author]
        attachments = [
            do_add_attachment(post, acting_user=uploader, filename=filename, data=picture(name))
            for name, filename in item.pictures
        ]
        # Upload dates are history, like join dates: the files were added with the post.
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(created_at=item.at)
        if item.inline_pictures:
            body = "\n".join(f"[attach]{a.pk}[/attach]" for a in attachments)
            # The loader's one direct write to a post: its body names attachment ids that exist
            # only after the post does. do_edit_post would add "本帖最后由 … 编辑" and a revision,
            # which the seed page does not show.
            Post.objects.filter(pk=post.pk).update(
                body=body, html=render_body(body, board), html_version=RENDERER_VERSION
            )

    # Votes, flags, views -----------------------------------------------------------------------

    def vote(self, plans: list[_ThreadPlan]) -> None:
        for plan in plans:
            for vote in plan.votes:
                value = PostVote.Value.SUPPORT if vote.value > 0 else PostVote.Value.OPPOSE
                do_vote_post(
                    plan.created[vote.floor], acting_user=self.users[vote.voter], value=value
                )

    def finish(self, plans: list[_ThreadPlan]) -> None:
        for plan in plans:
            assert plan.thread is not None
            flags: dict[str, Any] = {"views": plan.views}  # view counts are history, not counters
            # Sticky, digest, closed and highlight belong to moderation actions that do not exist
            # yet; the loader sets them directly, after all replies (a closed thread takes none).
            if plan.sticky:
                flags["sticky"] = plan.sticky
            if plan.digest:
                flags["digest"] = plan.digest
            if plan.closed:
                flags["closed"] = True
            if plan.highlight:
                flags["highlight"] = plan.highlight
            Thread.objects.filter(pk=plan.thread.pk).update(**flags)
            if plan.digest and plan.thread.author_id:
                # What a digest action does to its author's count (Discuz digestposts).
                User.objects.filter(pk=plan.thread.author_id).update(
                    digest_posts=F("digest_posts") + 1
                )
