"""Bans: a member banned from posting (group 4) or from visiting (group 5), timed or permanent,
and IP bans. Expired bans end by themselves (``expire_bans``, also run lazily when a banned
member is seen)."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupan.accounts.groups import group_for_credits
from fupan.accounts.models import Ban, User, UserGroup
from fupan.core.errors import ErrorCode, FupanError

_GROUP_FOR_KIND = {Ban.Kind.POST: UserGroup.BANNED_POST, Ban.Kind.VISIT: UserGroup.BANNED_VISIT}


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FupanError(
            ErrorCode.BAD_REQUEST, _("Please give a reason; the member sees it."), field="reason"
        )
    return reason[:200]


def do_ban_user(
    user: Any, *, acting_user: Any, kind: str, reason: str, until: datetime | None = None
) -> Ban:
    """Ban ``user`` from posting or from visiting until ``until`` (None: permanently). A new ban
    replaces the member's running one; lifting returns them to the group they were in."""
    if kind not in _GROUP_FOR_KIND:
        raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown kind of ban."), field="kind")
    reason = _check_reason(reason)
    if until is not None and until <= timezone.now():
        raise FupanError(ErrorCode.BAD_REQUEST, _("A ban must end in the future."), field="until")
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        running = (
            Ban.objects.filter(user=locked, lifted_at__isnull=True)
            .exclude(kind=Ban.Kind.IP)
            .first()
        )
        previous = running.previous_group_id if running else locked.group_id
        Ban.objects.filter(user=locked, lifted_at__isnull=True).exclude(kind=Ban.Kind.IP).update(
            lifted_at=now, lifted_by=acting_user
        )
        ban = Ban.objects.create(
            kind=kind,
            user=locked,
            previous_group_id=previous,
            reason=reason,
            created_by=acting_user,
            created_at=now,
            expires_at=until,
        )
        User.objects.filter(pk=locked.pk).update(group_id=_GROUP_FOR_KIND[Ban.Kind(kind)])
        _log(
            acting_user,
            "ban",
            member=locked,
            reason=reason,
            detail=f"{kind} → {until:%Y-%m-%d %H:%M}" if until else kind,
        )
    user.group_id = _GROUP_FOR_KIND[Ban.Kind(kind)]
    return ban


def _return_group(user: User, ban: Ban | None) -> int:
    """The group a member goes back to: where they were, unless that was a member rank (then the
    rank their credits earn now) or a ban group."""
    previous = ban.previous_group if ban else None
    if (
        previous is not None
        and previous.kind != UserGroup.Kind.MEMBER
        and previous.pk not in _GROUP_FOR_KIND.values()
    ):
        return previous.pk
    rank = group_for_credits(user.credits)
    return rank.pk if rank else UserGroup.NEWBIE


def do_unban_user(user: Any, *, acting_user: Any) -> User:
    """End a member's posting or visit ban now."""
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        running = (
            Ban.objects.select_related("previous_group")
            .filter(user=locked, lifted_at__isnull=True)
            .exclude(kind=Ban.Kind.IP)
            .first()
        )
        Ban.objects.filter(user=locked, lifted_at__isnull=True).exclude(kind=Ban.Kind.IP).update(
            lifted_at=now, lifted_by=acting_user
        )
        if locked.group_id in _GROUP_FOR_KIND.values():
            locked.group_id = _return_group(locked, running)
            User.objects.filter(pk=locked.pk).update(group_id=locked.group_id)
            _log(acting_user, "unban", member=locked, detail="" if acting_user else "expired")
    user.group_id = locked.group_id
    return user


def check_network(network: str) -> str:
    try:
        return str(ipaddress.ip_network(network.strip(), strict=False))
    except ValueError:
        raise FupanError(
            ErrorCode.BAD_REQUEST,
            _("“%(value)s” is not an IP address or network (write 1.2.3.4 or 1.2.3.0/24).")
            % {"value": network},
            field="network",
        ) from None


def do_ban_ip(network: str, *, acting_user: Any, reason: str, until: datetime | None = None) -> Ban:
    network = check_network(network)
    reason = _check_reason(reason)
    ban = Ban.objects.create(
        kind=Ban.Kind.IP, network=network, reason=reason, created_by=acting_user, expires_at=until
    )
    _log(acting_user, "ban_ip", reason=reason, detail=network)
    purge_ip_bans()  # now and again after commit (bump_site)
    return ban


def do_lift_ip_ban(ban: Ban, *, acting_user: Any) -> None:
    Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=acting_user
    )
    purge_ip_bans()  # now and again after commit (bump_site)


def _log(actor: Any, action: str, **fields: Any) -> None:
    from fupan.moderation.log import record

    record(actor, action, **fields)


def purge_ip_bans() -> None:
    """The IP bans changed: every process reads them again at its next request."""
    from fupan.core.pagecache import bump_site

    bump_site()


def _load_ip_bans() -> tuple[tuple[Any, datetime | None], ...]:
    return tuple(
        (ipaddress.ip_network(row["network"], strict=False), row["expires_at"])
        for row in Ban.objects.filter(kind=Ban.Kind.IP, lifted_at__isnull=True).values(
            "network", "expires_at"
        )
    )


def active_ip_bans() -> tuple[tuple[Any, datetime | None], ...]:
    """The IP bans not lifted, as (network, end): kept in each process under the site token
    (``fupan.core.versioned``; a ban or a lift bumps it), so a request checks its address
    without a cache read. A ban whose end has passed is ignored at once (``ip_is_banned``)."""
    from fupan.core.versioned import versioned

    return versioned("ip-bans", _load_ip_bans)


def ip_is_banned(ip: str | None) -> bool:
    bans = active_ip_bans()
    if not bans or not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    now = timezone.now()
    return any(
        address.version == net.version and address in net and (end is None or end > now)
        for net, end in bans
    )


def running_ban(user: Any) -> Ban | None:
    return (
        Ban.objects.filter(user_id=user.pk, lifted_at__isnull=True)
        .exclude(kind=Ban.Kind.IP)
        .first()
    )


def expire_bans(now: datetime | None = None) -> int:
    """Lift every ban whose time is up; return how many."""
    now = now or timezone.now()
    count = 0
    for ban in Ban.objects.select_related("user").filter(
        lifted_at__isnull=True, expires_at__lte=now
    ):
        if ban.user is not None:
            do_unban_user(ban.user, acting_user=None)
        else:
            Ban.objects.filter(pk=ban.pk).update(lifted_at=now)
            purge_ip_bans()
        count += 1
    return count


def expire_ban_of(user: Any) -> bool:
    """Lift ``user``'s ban now if its time is up (checked when a banned member is seen)."""
    ban = running_ban(user)
    if ban is not None and ban.expires_at is not None and ban.expires_at <= timezone.now():
        do_unban_user(user, acting_user=None)
        return True
    return False
