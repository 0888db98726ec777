"""Writes to members: registration, visits, signatures, blocks, notification settings."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.accounts.models import Block, User, UserGroup, username_key
from fupan.accounts.stats import count_new_member
from fupan.core.errors import ErrorCode, FupanError
from fupan.core.pagecache import bump_site
from fupan.moderation.queries import apply_word_filter

USERNAME_MIN = 3
USERNAME_MAX = 15
# Discuz refuses these in usernames (quotes, markup, separators, wildcards) and any whitespace.
_BAD_CHARS = re.compile(r"[\s\"'<>\\/%*&#,;:!?=+@\[\]{}()|`~^$]")
RESERVED = {
    username_key(name)
    for name in ("游客", "guest", "匿名", "anonymous", "系统消息", "system", "admin")
}


def username_width(username: str) -> int:
    """Discuz's ``dstrlen``: an ASCII character counts 1, any other (Chinese …) counts 2."""
    return sum(1 if ord(c) < 128 else 2 for c in username)


def check_username(username: str) -> str:
    username = unicodedata.normalize("NFC", username or "").strip()
    width = username_width(username)
    if width < USERNAME_MIN or width > USERNAME_MAX:
        raise FupanError(
            ErrorCode.USERNAME_INVALID,
            _(
                "A username is %(min)d to %(max)d characters long, a Chinese character counting as two "
                "(so 2 to 7 Chinese characters); this one counts %(n)d."
            )
            % {"min": USERNAME_MIN, "max": USERNAME_MAX, "n": width},
            field="username",
        )
    if _BAD_CHARS.search(username) or any(
        unicodedata.category(c).startswith("C") for c in username
    ):
        raise FupanError(
            ErrorCode.USERNAME_INVALID,
            _("A username may not contain spaces, quotes or symbols such as < > / % * & #."),
            field="username",
        )
    if username_key(username) in RESERVED:
        raise FupanError(
            ErrorCode.USERNAME_TAKEN, _("This username is reserved."), field="username"
        )
    apply_word_filter(username, what="username")  # any listed word refuses it
    if User.objects.filter(username_key=username_key(username)).exists():
        raise FupanError(
            ErrorCode.USERNAME_TAKEN, _("This username is already taken."), field="username"
        )
    return username


def check_email(email: str, *, required: bool = False) -> str:
    email = (email or "").strip()
    if not email:
        if required:
            raise FupanError(
                ErrorCode.BAD_REQUEST, _("Please enter your email address."), field="email"
            )
        return ""
    if User.objects.filter(email__iexact=email).exists():
        raise FupanError(
            ErrorCode.EMAIL_TAKEN, _("This email address is already registered."), field="email"
        )
    return email


def do_register_user(
    *,
    username: str,
    password: str,
    email: str = "",
    ip: str | None = None,
    group_id: int = UserGroup.NEWBIE,
    email_required: bool = False,
) -> User:
    """Create a member in the newcomer group (新手上路). The password was validated by the form."""
    username = check_username(username)
    email = check_email(email, required=email_required)
    now = timezone.now()
    user = User(
        username=username,
        email=email,
        group_id=group_id,
        date_joined=now,
        last_visit=now,
        register_ip=ip,
        last_ip=ip,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            count_new_member(user)
            from fupan.forum.caching import purge_index

            purge_index()  # members and the newest member
    except IntegrityError:  # two registrations of one name at the same moment
        raise FupanError(
            ErrorCode.USERNAME_TAKEN, _("This username is already taken."), field="username"
        ) from None
    return user


def do_record_visit(user: Any, *, ip: str | None) -> None:
    """Last visit time and IP (at login, and on a member's first request of each day), and the
    每天登录 credit rule (paid once a day)."""
    from fupan.accounts.credits import apply_credit_rule

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_visit=timezone.now(), last_ip=ip)
        apply_credit_rule(user, "daylogin")


def do_lift_ban(user: Any, *, acting_user: Any) -> User:
    """Put a member banned from posting or visiting (groups 4/5) back in the member rank their
    credits earn (Discuz ``checkusergroup``)."""
    from fupan.accounts.bans import do_unban_user

    if user.group_id not in (UserGroup.BANNED_POST, UserGroup.BANNED_VISIT):
        return user
    return do_unban_user(user, acting_user=acting_user)


def do_update_signature(user: Any, *, signature: str, group: UserGroup) -> User:
    """Set a member's signature (Discuz code, shown under their posts). Its length is limited by
    the member's group (0: the group may not have a signature). Sensitive words: replace words are
    replaced; a block or review word refuses it (a signature cannot wait for review)."""
    signature = (signature or "").replace("\r\n", "\n").strip()
    limit = group.max_sig_size
    if signature and not limit:
        raise FupanError(
            ErrorCode.FORBIDDEN,
            _("Your user group (%(group)s) may not have a signature.") % {"group": group.title},
            field="signature",
        )
    signature, _review = apply_word_filter(signature, what="signature")
    if len(signature) > limit:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("The signature is %(n)d characters long; your group allows %(max)d.")
            % {"n": len(signature), "max": limit},
            field="signature",
        )
    User.objects.filter(pk=user.pk).update(signature=signature)
    bump_site()  # shown under every post of theirs, in any thread
    user.signature = signature
    return user


def do_block_user(user: Any, blocked: Any) -> Block:
    """``user`` blocks ``blocked`` (Discuz 黑名单): no private messages from them, and their
    replies, quotes and mentions no longer notify ``user``. Blocking twice is harmless."""
    if blocked.pk == user.pk:
        raise FupanError(ErrorCode.BLOCK_SELF, _("You cannot block yourself."), field="username")
    block, _created = Block.objects.get_or_create(user_id=user.pk, blocked_id=blocked.pk)
    return block


def do_unblock_user(user: Any, blocked: Any) -> None:
    Block.objects.filter(user_id=user.pk, blocked_id=blocked.pk).delete()


EMAIL_NOTIFY_KINDS = (
    "message",
    "reply",
    "quote",
    "mention",
    "vote",
    "follow",
    "moderation",
    "report",
)


def do_update_email_notify(user: Any, kinds: list[str]) -> User:
    """Which notifications (and private messages) the member also receives by email."""
    chosen = [k for k in EMAIL_NOTIFY_KINDS if k in set(kinds)]
    User.objects.filter(pk=user.pk).update(email_notify=chosen)
    user.email_notify = chosen
    return user
