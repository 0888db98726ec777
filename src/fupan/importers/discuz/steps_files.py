"""Files: attachments (``pre_forum_attachment`` + ``pre_forum_attachment_0..9``, the files copied
from ``--attachments``) and avatars (UCenter's ``data/avatar`` folder, ``--avatars``)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from fupan.accounts.models import User
from fupan.attachments.images import check_image
from fupan.attachments.models import Attachment, AttachmentPurchase
from fupan.core.errors import FupanError
from fupan.forum.models import Post, Thread

from . import convert
from .framework import Batch, Context, Step

ATTACHMENT_TABLES = range(10)  # pre_forum_attachment_N, N = the last digit of the tid
# Skips a later run with --attachments tries again (the owner may have copied the files since).
MISSING_FILE = "file missing from the attachment folder"
UNREADABLE_FILE = "file cannot be read"
IMAGE_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


def source_file(root: str, relative: str) -> Path | None:
    """The file ``relative`` (the row's ``attachment`` column) under ``root``, or None when the
    name would leave the folder. ``root`` may be ``data/attachment/forum`` or its parent."""
    base = Path(root).resolve()
    relative = relative.replace("\\", "/").lstrip("/")
    if not relative:
        return None
    for folder in (base, base / "forum"):
        path = (folder / relative).resolve()
        if not path.is_relative_to(folder):
            return None
        if path.is_file():
            return path
    return base / relative


class AttachmentsStep(Step):
    """One of ``pre_forum_attachment_0..9``, with the download count from the index table
    ``pre_forum_attachment``. Unbound uploads (``_unused``, tableid 127) are not imported."""

    columns = (
        "a.aid, a.tid, a.pid, a.uid, a.dateline, a.filename, a.filesize, a.attachment, a.remote,"
        " a.description, a.readperm, a.price, a.isimage, a.width, a.height,"
        " i.aid AS index_aid, i.downloads"
    )
    joins = "LEFT JOIN {t.forum_attachment} i ON i.aid = a.aid"
    key = "a.aid"
    since = "a.dateline >= %s"
    retry_reasons = (MISSING_FILE, UNREADABLE_FILE)

    def __init__(self, n: int) -> None:
        self.table = f"forum_attachment_{n} a"
        self.name = f"attachments_{n}"
        self.title = f"attachments ({n})"

    def required_tables(self) -> list[str]:
        return [self.table.split()[0], "forum_attachment"]

    def write(self, batch: Batch, ctx: Context) -> None:
        root = ctx.attachments or ""
        aids = [r["aid"] for r in batch.rows]
        existing = set(Attachment.objects.filter(pk__in=aids).values_list("pk", flat=True))
        posts = {
            pk: (tid, author)
            for pk, tid, author in Post.objects.filter(
                pk__in={r["pid"] for r in batch.rows}
            ).values_list("pk", "thread_id", "author_id")
        }
        uploaders = set(
            User.objects.filter(pk__in={r["uid"] for r in batch.rows if r["uid"]}).values_list(
                "pk", flat=True
            )
        )
        created: list[Attachment] = []
        for row in batch.rows:
            aid = row["aid"]
            if aid in existing:
                continue  # a --since run reads it again: the file is already here
            if row["pid"] not in posts:
                batch.skip(aid, "post missing or not imported", f"post {row['pid']}")
                continue
            relative = batch.text(row, "attachment", aid)
            if row["remote"]:
                batch.skip(aid, "remote attachment (FTP/remote storage): file not copied", relative)
                continue
            path = source_file(root, relative)
            if path is None or not path.is_file():
                batch.skip(aid, MISSING_FILE, relative)
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                batch.skip(aid, UNREADABLE_FILE, f"{relative}: {exc}")
                continue
            filename = convert.strip_tags(batch.text(row, "filename", aid)) or path.name
            image = None
            if row["isimage"]:
                try:
                    image = check_image(data)
                except FupanError as exc:
                    batch.change(aid, "image cannot be read: kept as a file", exc.message)
                else:
                    if image is None:
                        batch.change(aid, "image cannot be read: kept as a file", filename)
            if row.get("index_aid") is None:
                batch.change(aid, "no row in pre_forum_attachment: downloads start at 0")
            if row["tid"] != posts[row["pid"]][0]:
                batch.change(aid, "thread of the post differs from the row's tid: the post's kept")
            stored = image.data if image else data
            uploader = row["uid"] if row["uid"] in uploaders else None
            if row["uid"] and uploader is None:
                batch.change(aid, f"uploader {row['uid']} not imported")
            attachment = Attachment(
                id=aid,
                post_id=row["pid"],
                uploader_id=uploader,
                filename=filename[-255:],
                size=len(stored),
                is_image=image is not None,
                image_format=image.format if image else "",
                width=image.width if image else 0,
                height=image.height if image else 0,
                description=batch.text(row, "description", aid)[:255],
                downloads=max(0, row.get("downloads") or 0),
                read_access=max(0, min(255, row["readperm"] or 0)),
                price=max(0, row["price"] or 0),
                created_at=convert.to_datetime(row["dateline"]) or convert.to_datetime(1),  # type: ignore[arg-type]
            )
            # The stored name is ours (a date folder and a random token), as for an upload.
            ext = IMAGE_EXTENSIONS.get(attachment.image_format, "")
            attachment.file.save(f"{secrets.token_hex(8)}{ext}", ContentFile(stored), save=False)
            created.append(attachment)
        Attachment.objects.bulk_create(created)
        batch.imported = len(created)
        if not created:
            return
        self._purchases(ctx, [a for a in created if a.price])
        Post.objects.filter(pk__in={a.post_id for a in created}).update(has_attachments=True)
        tids = {posts[a.post_id][0] for a in created}  # type: ignore[index]
        Thread.objects.filter(pk__in=tids).update(has_attachments=True)
        image_tids = {posts[a.post_id][0] for a in created if a.is_image}  # type: ignore[index]
        if image_tids:
            Thread.objects.filter(pk__in=image_tids).update(has_images=True)
        image_ids = [a.pk for a in created if a.is_image]
        if image_ids:
            from fupan.attachments.tasks import make_attachment_thumbnail

            def enqueue() -> None:
                for aid in image_ids:
                    make_attachment_thumbnail.enqueue(aid)

            transaction.on_commit(enqueue)

    def _purchases(self, ctx: Context, priced: list[Attachment]) -> None:
        """Who bought these attachments: Discuz logs each purchase in ``pre_common_credit_log``
        as ``BAC`` with the aid (the credits themselves come with the credit log step)."""
        if not priced or not ctx.source.has_table("common_credit_log"):
            return
        by_id = {a.pk: a for a in priced}
        marks = ", ".join(["%s"] * len(by_id))
        rows = ctx.source.query(
            "SELECT uid, relatedid, MIN(dateline) AS dateline"
            f" FROM {ctx.source.table('common_credit_log')}"
            f" WHERE operation = 'BAC' AND relatedid IN ({marks}) GROUP BY uid, relatedid",
            list(by_id),
        )
        buyers = set(
            User.objects.filter(pk__in={r["uid"] for r in rows}).values_list("pk", flat=True)
        )
        AttachmentPurchase.objects.bulk_create(
            [
                AttachmentPurchase(
                    attachment_id=r["relatedid"],
                    user_id=r["uid"],
                    price=by_id[r["relatedid"]].price,
                    created_at=convert.to_datetime(r["dateline"])
                    or by_id[r["relatedid"]].created_at,
                )
                for r in rows
                if r["uid"] in buyers
            ],
            ignore_conflicts=True,
        )


AVATAR_FILES = ("big", "middle", "small")  # the first found is drawn in our three sizes


def avatar_file(root: str, uid: int) -> Path | None:
    """UCenter's ``data/avatar/000/00/00/01_avatar_big.jpg`` (uid padded to nine digits, split
    3/2/2/2), the largest size there is."""
    padded = f"{uid:09d}"
    folder = Path(root) / padded[:3] / padded[3:5] / padded[5:7]
    for size in AVATAR_FILES:
        path = folder / f"{padded[7:]}_avatar_{size}.jpg"
        if path.is_file():
            return path
    return None


class AvatarsStep(Step):
    """Every member's avatar file, if any (most have none: skipped silently), drawn by our
    avatar code in its three sizes."""

    name = "avatars"
    title = "avatars"
    table = "common_member m"
    columns = "m.uid, m.avatarstatus"
    key = "m.uid"
    since = "m.regdate >= %s"

    def write(self, batch: Batch, ctx: Context) -> None:
        from fupan.accounts.avatars import do_set_avatar

        root = ctx.avatars or ""
        found = {row["uid"]: avatar_file(root, row["uid"]) for row in batch.rows}
        found = {uid: path for uid, path in found.items() if path is not None}
        if not found:
            return
        users = {
            u.pk: u
            for u in User.objects.filter(pk__in=list(found), avatar_version=0).only(
                "pk", "avatar_version"
            )
        }
        for uid, path in found.items():
            user = users.get(uid)
            if user is None:
                continue  # not imported (reported by members), or already has one
            try:
                with transaction.atomic():
                    do_set_avatar(user, data=path.read_bytes(), award_credits=False)
            except FupanError as exc:
                batch.skip(uid, "avatar is not a readable image", f"{path.name}: {exc.message}")
                continue
            batch.imported += 1
