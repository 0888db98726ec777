"""User groups, members and IP bans (``pre_common_usergroup*``, ``pre_common_member*``,
``pre_ucenter_members``, ``pre_common_banned``)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from fupan.accounts.models import Ban, User, UserGroup, username_key

from . import convert, php
from .framework import Batch, Context, Step


class GroupsStep(Step):
    name = "groups"
    title = "user groups"
    table = "common_usergroup g"
    joins = "LEFT JOIN {t.common_usergroup_field} f ON f.groupid = g.groupid"
    columns = (
        "g.groupid, g.radminid, g.type, g.grouptitle, g.creditshigher, g.creditslower, g.stars,"
        " g.color, g.allowvisit, f.readaccess, f.allowpost, f.allowreply, f.allowvote,"
        " f.allowgetattach, f.allowgetimage, f.allowpostattach, f.allowpostimage, f.allowsearch,"
        " f.maxsigsize, f.maxattachsize, f.edittimelimit"
    )
    key = "g.groupid"
    batch_size = 0

    def write(self, batch: Batch, ctx: Context) -> None:
        groups = []
        for row in batch.rows:
            gid = row["groupid"]
            title = convert.strip_tags(batch.text(row, "grouptitle", gid))
            if len(title) > 40:
                batch.change(gid, "title shortened to 40 characters", title)
                title = title[:40]
            kind = batch.text(row, "type", gid)
            if kind not in UserGroup.Kind.values:
                batch.change(gid, f"unknown group type {kind!r}, taken as a member rank")
                kind = UserGroup.Kind.MEMBER
            role = row["radminid"] if row["radminid"] in (0, 1, 2, 3) else 0

            def flag(column: str, row: dict[str, Any] = row) -> bool:
                return bool(row.get(column) or 0)

            groups.append(
                UserGroup(
                    id=gid,
                    title=title or f"#{gid}",
                    kind=kind,
                    admin_role=role,
                    credits_higher=row["creditshigher"] or 0,
                    credits_lower=row["creditslower"] or 0,
                    stars=max(0, row["stars"] or 0),
                    color=convert.clean_color(batch.text(row, "color", gid)),
                    read_access=max(0, row.get("readaccess") or 0),
                    allow_visit=flag("allowvisit"),
                    allow_post=flag("allowpost"),
                    allow_reply=flag("allowreply"),
                    allow_vote=flag("allowvote"),
                    allow_get_attach=flag("allowgetattach"),
                    allow_get_image=flag("allowgetimage"),
                    allow_post_attach=flag("allowpostattach"),
                    allow_post_image=flag("allowpostimage"),
                    allow_search=flag("allowsearch"),
                    max_sig_size=max(0, row.get("maxsigsize") or 0),
                    max_attach_size=max(0, row.get("maxattachsize") or 0),
                    edit_time_limit=max(0, row.get("edittimelimit") or 0),
                )
            )
        UserGroup.objects.bulk_create(
            groups,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[f.name for f in UserGroup._meta.concrete_fields if f.name != "id"],
        )
        batch.imported = len(groups)

    def finish(self, ctx: Context) -> None:
        from fupan.accounts.groups import purge_groups

        purge_groups()


BAN_GROUPS = {UserGroup.BANNED_POST: Ban.Kind.POST, UserGroup.BANNED_VISIT: Ban.Kind.VISIT}
# pre_common_member_crime.action: the index in crime_action_ctl::$actions (all, delpost,
# warnpost, banpost, banspeak, banvisit, …).
CRIME_ACTIONS = {Ban.Kind.POST: 4, Ban.Kind.VISIT: 5}


class MembersStep(Step):
    name = "members"
    title = "members"
    table = "common_member m"
    joins = (
        "LEFT JOIN {t.common_member_count} c ON c.uid = m.uid"
        " LEFT JOIN {t.common_member_status} s ON s.uid = m.uid"
        " LEFT JOIN {t.common_member_field_forum} ff ON ff.uid = m.uid"
        " LEFT JOIN {t.ucenter_members} u ON u.uid = m.uid"
    )
    columns = (
        "m.uid, m.username, m.email, m.status, m.groupid, m.groupexpiry, m.regdate, m.credits,"
        " m.extgroupids, c.uid AS count_uid, c.extcredits1, c.extcredits2, c.extcredits3,"
        " c.extcredits4, c.extcredits5, c.extcredits6, c.extcredits7, c.extcredits8, c.posts,"
        " c.threads, c.digestposts, s.regip, s.lastip, s.lastvisit, ff.sightml, ff.groupterms,"
        " u.uid AS uc_uid, u.password AS uc_password, u.salt AS uc_salt, u.regdate AS uc_regdate,"
        " u.email AS uc_email"
    )
    key = "m.uid"
    since = "m.regdate >= %s"

    def required_tables(self) -> list[str]:
        return ["common_member", "common_member_count", "common_member_status",
                "common_member_field_forum", "ucenter_members"]  # fmt: skip

    def prepare(self, ctx: Context) -> None:
        ctx.cache["group_ids"] = set(UserGroup.objects.values_list("id", flat=True))
        ctx.cache.setdefault("dropped_credits", {n: [0, 0] for n in range(4, 9)})

    def write(self, batch: Batch, ctx: Context) -> None:
        group_ids: set[int] = ctx.cache["group_ids"]
        uids = [row["uid"] for row in batch.rows]
        names = {row["uid"]: batch.text(row, "username", row["uid"]).strip() for row in batch.rows}
        taken = dict(
            User.objects.filter(username_key__in={username_key(n) for n in names.values()})
            .exclude(pk__in=uids)
            .values_list("username_key", "pk")
        )
        emails = {
            e.lower(): pk
            for e, pk in User.objects.filter(
                email__in={batch.text(r, "email", r["uid"]).strip() for r in batch.rows} - {""}
            )
            .exclude(pk__in=uids)
            .values_list("email", "pk")
        }
        users: list[User] = []
        bans: list[tuple[int, str, dict[str, Any]]] = []
        now = timezone.now()
        for row in batch.rows:
            uid = row["uid"]
            name = names[uid]
            if not name:
                name = f"user{uid}"
                batch.change(uid, "empty username, named after the uid", name)
            original, key = name, username_key(name)
            n = 0
            while key in taken:
                n += 1
                name = f"{original}_{uid}" + (f"_{n}" if n > 1 else "")
                key = username_key(name)
            if name != original:
                batch.change(
                    uid,
                    "username already used (ignoring case and width): renamed",
                    f"{original} -> {name} (same as member {taken[username_key(original)]})",
                )
            taken[key] = uid

            email = (batch.text(row, "email", uid) or batch.text(row, "uc_email", uid)).strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    batch.change(uid, "invalid email address dropped", email)
                    email = ""
            if email and email.lower() in emails:
                # Kept (password resets still reach them); logging in by this email is refused
                # while it is ambiguous, by name still works.
                batch.change(
                    uid, "email shared with another member", f"member {emails[email.lower()]}"
                )
            elif email:
                emails[email.lower()] = uid

            password = None
            if row.get("uc_uid") is None:
                batch.change(uid, "no UCenter account: the member must reset the password")
            else:
                password = convert.password_field(
                    batch.text(row, "uc_password", uid), batch.text(row, "uc_salt", uid)
                )
                if password is None:
                    batch.change(uid, "unknown password format: the member must reset it")

            group_id = row["groupid"]
            if group_id not in group_ids:
                batch.change(uid, f"group {group_id} does not exist: put in 新手上路")
                group_id = UserGroup.NEWBIE
            joined = convert.to_datetime(row["regdate"]) or convert.to_datetime(
                row.get("uc_regdate")
            )
            if joined is None:
                batch.change(uid, "no registration date: set to the import time")
                joined = now
            if row.get("count_uid") is None:
                batch.change(uid, "no pre_common_member_count row: counters start at 0")
            for n in range(4, 9):
                value = row.get(f"extcredits{n}") or 0
                if value:
                    ctx.cache["dropped_credits"][n][0] += 1
                    ctx.cache["dropped_credits"][n][1] += value
            sightml = batch.text(row, "sightml", uid)
            signature = convert.signature_code(sightml)
            user = User(
                id=uid,
                username=name,
                username_key=key,
                email=email,
                group_id=group_id,
                is_active=row["status"] != -1,
                is_staff=group_id == UserGroup.ADMIN,
                is_superuser=group_id == UserGroup.ADMIN,
                date_joined=joined,
                last_visit=convert.to_datetime(row.get("lastvisit")),
                register_ip=convert.clean_ip(batch.text(row, "regip", uid)),
                last_ip=convert.clean_ip(batch.text(row, "lastip", uid)),
                posts=row.get("posts") or 0,
                threads=row.get("threads") or 0,
                digest_posts=row.get("digestposts") or 0,
                credits=row.get("credits") or 0,
                extcredits1=row.get("extcredits1") or 0,
                extcredits2=row.get("extcredits2") or 0,
                extcredits3=row.get("extcredits3") or 0,
                signature=signature,
            )
            if password is None:
                user.set_unusable_password()
            else:
                user.password = password
            users.append(user)
            if group_id in BAN_GROUPS:
                terms: dict[str, Any] = {}
                raw_terms = row.get("groupterms")
                if raw_terms:
                    try:
                        terms = php.loads(raw_terms, lenient=True) or {}
                    except php.PHPSerializeError as exc:
                        batch.change(uid, "broken groupterms (serialized PHP) ignored", str(exc))
                bans.append((uid, BAN_GROUPS[group_id], {"terms": terms, "row": row}))
        User.objects.bulk_create(
            users,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[
                "username", "username_key", "email", "group", "is_active", "is_staff",
                "is_superuser", "date_joined", "last_visit", "register_ip", "last_ip", "posts",
                "threads", "digest_posts", "credits", "extcredits1", "extcredits2", "extcredits3",
                "signature", "password",
            ],
        )  # fmt: skip
        batch.imported = len(users)
        if bans:
            self._write_bans(bans, ctx, group_ids)

    def _write_bans(
        self, bans: list[tuple[int, str, dict[str, Any]]], ctx: Context, group_ids: set[int]
    ) -> None:
        uids = [uid for uid, _k, _d in bans]
        reasons: dict[tuple[int, int], str] = {}
        if ctx.source.has_table("common_member_crime"):
            marks = ", ".join(["%s"] * len(uids))
            for crime in ctx.source.query(
                f"SELECT uid, action, reason FROM {ctx.source.table('common_member_crime')}"
                f" WHERE uid IN ({marks}) ORDER BY cid",
                uids,
            ):
                reasons[(crime["uid"], crime["action"])] = convert.decode_text(crime["reason"])[0]
        active = set(
            Ban.objects.filter(user_id__in=uids, lifted_at=None).values_list("user_id", "kind")
        )
        rows = []
        for uid, kind, data in bans:
            if (uid, kind) in active:
                continue
            main = data["terms"].get("main") if isinstance(data["terms"], dict) else None
            previous = main.get("groupid") if isinstance(main, dict) else None
            try:
                previous = int(previous) if previous is not None else None
            except (TypeError, ValueError):
                previous = None
            rows.append(
                Ban(
                    kind=kind,
                    user_id=uid,
                    previous_group_id=previous if previous in group_ids else UserGroup.NEWBIE,
                    reason=(reasons.get((uid, CRIME_ACTIONS[kind])) or "Imported from Discuz")[
                        :200
                    ],
                    expires_at=convert.to_datetime(data["row"].get("groupexpiry")),
                )
            )
        Ban.objects.bulk_create(rows)


def banned_network(row: dict[str, Any]) -> str | None:
    """The network of a ``pre_common_banned`` row: X3.4's ``ip1..ip4`` (-1 = any), X3.5's ``ip``
    (an address, ``1.2.*.*`` or ``1.2.0.0/16``), else its ``lowerip``/``upperip`` range when that
    is one network. None when it is no network (``1.*.3.4``)."""
    if "ip1" in row:
        parts = [row.get(f"ip{i}") for i in range(1, 5)]
        text = ".".join("*" if p is None or int(p) < 0 else str(int(p)) for p in parts)
    else:
        text = convert.decode_text(row.get("ip"))[0].strip()
    if text:
        if "*" in text:
            octets = text.split(".")
            fixed = [o for o in octets if o != "*"]
            if len(octets) != 4 or octets[: len(fixed)] != fixed:
                return None  # a wildcard before a number: not one network
            text = ".".join(fixed + ["0"] * (4 - len(fixed))) + f"/{8 * len(fixed)}"
        try:
            return str(ipaddress.ip_network(text, strict=False))
        except ValueError:
            pass
    low, high = row.get("lowerip"), row.get("upperip")
    if isinstance(low, bytes) and isinstance(high, bytes) and len(low) in (4, 16):
        try:
            first, last = ipaddress.ip_address(low), ipaddress.ip_address(high)
            networks = list(ipaddress.summarize_address_range(first, last))  # type: ignore[type-var]
        except (ValueError, TypeError):
            return None
        if len(networks) == 1:
            return str(networks[0])
    return None


class IpBansStep(Step):
    """``pre_common_banned``: IP bans; expired ones are left out."""

    name = "ip_bans"
    title = "IP bans"
    table = "common_banned b"
    columns = "b.*"
    key = "b.id"
    since = "b.dateline >= %s"

    def write(self, batch: Batch, ctx: Context) -> None:
        from fupan.accounts.bans import purge_ip_bans

        now = timezone.now()
        admins = {batch.text(r, "admin", r["id"]).strip() for r in batch.rows} - {""}
        by_name = dict(User.objects.filter(username__in=admins).values_list("username", "pk"))
        bans = []
        for row in batch.rows:
            bid = row["id"]
            network = banned_network(row)
            if network is None:
                batch.skip(bid, "not an IP address or network", repr(row.get("ip")))
                continue
            expires = convert.to_datetime(row.get("expiration"))
            if expires is not None and expires <= now:
                batch.skip(bid, "expired", f"{network} until {expires:%Y-%m-%d}")
                continue
            created = convert.to_datetime(row.get("dateline")) or now
            if Ban.objects.filter(kind=Ban.Kind.IP, network=network, created_at=created).exists():
                continue  # read again by a --since run
            admin = batch.text(row, "admin", bid).strip()
            bans.append(
                Ban(
                    kind=Ban.Kind.IP,
                    network=network,
                    reason=f"Imported from Discuz (banned by {admin or '?'})"[:200],
                    created_by_id=by_name.get(admin),
                    created_at=created,
                    expires_at=expires,
                )
            )
        Ban.objects.bulk_create(bans)
        batch.imported = len(bans)
        if bans:
            transaction.on_commit(purge_ip_bans)
