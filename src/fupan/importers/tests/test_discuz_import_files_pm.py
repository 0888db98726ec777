"""The Discuz importer's files, messages and IP bans against a real MariaDB/MySQL
(``DISCUZ_TEST_MYSQL``): attachments from the ten tables with their files, avatars, UCenter's
private messages from the ten message tables and ``pre_common_banned``, end to end through the
real command and the pages that show them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fupan.accounts.bans import ip_is_banned
from fupan.accounts.models import Ban
from fupan.attachments.models import Attachment
from fupan.forum.models import Post, Thread
from fupan.importers.models import Issue
from fupan.pm.models import Conversation, ConversationMember, Message

from .discuz_source import DiscuzDatabase

User = get_user_model()


@pytest.fixture
def import_all(run_discuz_import: Any, discuz_db: DiscuzDatabase) -> Any:
    def run(*args: str) -> str:
        return run_discuz_import(
            "--attachments",
            str(discuz_db.files / "attachment" / "forum"),
            "--avatars",
            str(discuz_db.files / "avatar"),
            *args,
        )

    return run


def _issues(step: str) -> dict[str, str]:
    return dict(Issue.objects.filter(step=step).values_list("source_key", "reason"))


def _client(user_id: int | None) -> Client:
    client = Client()
    if user_id is not None:
        client.force_login(User.objects.get(pk=user_id))
    return client


def test_attachments_keep_their_ids_posts_and_details(
    import_all: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_all()
    assert set(Attachment.objects.values_list("pk", flat=True)) == {1, 2, 5}
    image, archive, shot = (Attachment.objects.get(pk=i) for i in (1, 2, 5))
    assert image.post_id == 1 and image.uploader_id == 2 and image.filename == "风景.png"
    assert image.is_image and image.image_format == "PNG"
    assert (image.width, image.height) == (240, 160)
    assert image.downloads == 3 and image.description == "一张图"
    assert image.created_at.timestamp() == 1704067200 + 10 * 86400
    assert image.thumbnail  # drawn by the attachments task, as for an upload
    assert not archive.is_image and archive.downloads == 7 and archive.size > 0
    assert archive.file.read().startswith(b"PK")
    assert shot.post_id == 16 and shot.uploader_id == 5
    assert Post.objects.get(pk=1).has_attachments
    thread1, thread9 = Thread.objects.get(pk=1), Thread.objects.get(pk=9)
    assert thread1.has_attachments and thread1.has_images and thread9.has_images
    # Unbound uploads (tableid 127) are not imported.
    assert not Attachment.objects.filter(pk=7).exists()


def test_missing_remote_and_orphan_attachments_are_in_the_report(
    import_all: Any, tmp_path: Path
) -> None:
    import_all()
    assert _issues("attachments_2") == {"3": "file missing from the attachment folder"}
    assert _issues("attachments_7")["4"].startswith("remote attachment")
    assert _issues("attachments_9")["6"] == "post missing or not imported"
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "202401/12/gonegonegonegone.rar" in report
    assert "remote attachment (FTP/remote storage): file not copied" in report


def test_attach_markers_render_and_files_are_served_by_permission(
    import_all: Any, discuz_db: DiscuzDatabase
) -> None:
    import_all()
    member = _client(3)
    page = member.get("/t/1/").content.decode()
    assert 'id="aimg_1"' in page  # [attach]1[/attach] in the body, the image inline
    assert "资料.zip" in page  # not in the body: listed under the post
    response = member.get("/attachments/1/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    download = member.get("/attachments/2/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert Attachment.objects.get(pk=2).downloads == 8

    guest = _client(None)
    page = guest.get("/t/1/").content.decode()
    assert 'id="aimg_1"' not in page and "/attachments/1/thumb/" in page
    assert guest.get("/attachments/1/thumb/").status_code == 200
    assert guest.get("/attachments/1/").status_code == 403
    assert guest.get("/attachments/2/").status_code == 403


def test_avatars_are_drawn_in_three_sizes_and_bad_ones_reported(import_all: Any) -> None:
    from django.core.files.storage import default_storage

    from fupan.accounts.avatars import SIZES, avatar_path

    import_all()
    alice = User.objects.get(pk=2)
    assert alice.avatar_version == 1
    assert alice.extcredits2 == 5  # an imported avatar earns no 设置头像 credits again
    for size in SIZES:
        assert default_storage.exists(avatar_path(2, size))
    response = _client(None).get(f"/u/2/avatar/big/?v={alice.avatar_version}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert User.objects.get(pk=3).avatar_version == 0
    assert set(_issues("avatars")) == {"3"}  # no file for the others: nothing said


def test_conversations_members_and_messages_keep_their_ids_and_states(import_all: Any) -> None:
    import_all()
    assert set(Conversation.objects.values_list("pk", flat=True)) == {1, 2, 3, 5, 6, 7, 8, 9, 10}
    assert "not imported" in _issues("pm_conversations")["4"]
    # Every message table was read: pmid 1-16 except plid 4's, plus the orphan in table 9.
    assert set(Message.objects.values_list("pk", flat=True)) == set(range(1, 17)) - {10}
    assert _issues("pm_messages_4") == {"10": "conversation missing or not imported"}
    assert _issues("pm_messages_9")["99"] == "conversation missing or not imported"

    private, group = Conversation.objects.get(pk=1), Conversation.objects.get(pk=2)
    assert private.kind == Conversation.Kind.PRIVATE and private.pair_key == "2_3"
    assert private.author_id == 2 and private.messages_count == 5
    assert private.last_message_id == 5 and private.last_excerpt == "最后一条"
    assert group.kind == Conversation.Kind.GROUP and group.subject == "版务群聊"
    assert group.pair_key is None and group.members_count == 4
    ghost = Message.objects.get(pk=8)
    assert ghost.author_id is None and ghost.author_name == "#555"

    alice_in_1 = ConversationMember.objects.get(conversation_id=1, user_id=2)
    bob_in_1 = ConversationMember.objects.get(conversation_id=1, user_id=3)
    assert alice_in_1.cleared_through == 1 and alice_in_1.message_count == 4
    assert not alice_in_1.is_new and bob_in_1.is_new
    # Bob deleted message 4 on its own, mid-conversation: hidden from him only.
    assert bob_in_1.cleared_through == 0 and bob_in_1.message_count == 4
    hidden = dict(
        Message.objects.filter(hidden_from__isnull=False).values_list("pk", "hidden_from_id")
    )
    assert hidden == {1: 2, 4: 3, 9: 2}  # by whom each was deleted (delstatus 1 / 2)
    assert not Issue.objects.filter(step="pm_conversations", source_key="1").exists()
    alice_in_3 = ConversationMember.objects.get(conversation_id=3, user_id=2)
    assert alice_in_3.is_deleted and alice_in_3.cleared_through == 9

    # Smilies Discuz wrote as pictures are codes again; HTML became Discuz code.
    assert Message.objects.get(pk=2).body == "[b]收到[/b] :)"
    assert Message.objects.get(pk=11).body == "[b]旧版[/b]\nHTML 消息"
    # The header badge: conversations with unread messages.
    counts = dict(User.objects.filter(pk__in=[1, 2, 3, 5]).values_list("pk", "new_messages"))
    assert counts == {1: 0, 2: 0, 3: 1, 5: 2}


def test_members_read_their_old_conversations(import_all: Any) -> None:
    import_all()
    bob = _client(3)
    listing = bob.get("/pm/").content.decode()
    assert "最后一条" in listing and 'id="pm-row-2"' in listing and "pm-unread" in listing
    assert 'class="um-badge" aria-label=' in listing
    page = bob.get("/pm/1/").content.decode()
    assert "<strong>收到</strong>" in page and "最后一条" in page
    assert "Bob 删掉的一条" not in page  # Bob deleted this one message in Discuz
    assert "第一条，已被 alice 删除" in page  # only alice deleted it
    assert User.objects.get(pk=3).new_messages == 0  # read now
    alice_page = _client(2).get("/pm/1/").content.decode()
    assert "第一条，已被 alice 删除" not in alice_page and "最后一条" in alice_page
    assert "Bob 删掉的一条" in alice_page  # alice did not delete it
    # alice removed conversation 3 from her list; admin still has it.
    assert "给 alice 的通知" not in _client(2).get("/pm/").content.decode()
    assert _client(1).get("/pm/3/").status_code == 200


def test_ip_bans_block_the_address_and_expired_ones_are_skipped(import_all: Any) -> None:
    import_all()
    networks = set(Ban.objects.filter(kind=Ban.Kind.IP).values_list("network", flat=True))
    assert networks == {"10.1.2.3/32", "192.168.0.0/16", "172.16.0.0/12"}
    ban = Ban.objects.get(network="192.168.0.0/16")
    assert ban.created_by_id == 1 and ban.expires_at is not None
    assert _issues("ip_bans") == {"4": "expired", "5": "not an IP address or network"}
    assert ip_is_banned("192.168.5.6") and ip_is_banned("172.20.0.1")
    assert not ip_is_banned("8.8.8.8")
    assert Client(REMOTE_ADDR="10.1.2.3").get("/").status_code == 403
    assert Client(REMOTE_ADDR="10.1.2.4").get("/").status_code == 200


def test_a_second_run_imports_no_file_message_or_ban_again(import_all: Any) -> None:
    import_all()
    before = {
        "attachments": Attachment.objects.count(),
        "messages": Message.objects.count(),
        "members": ConversationMember.objects.count(),
        "bans": Ban.objects.count(),
        "issues": Issue.objects.count(),
    }
    files = Attachment.objects.get(pk=1).file.name
    output = import_all()
    assert "nothing new" in output
    assert before == {
        "attachments": Attachment.objects.count(),
        "messages": Message.objects.count(),
        "members": ConversationMember.objects.count(),
        "bans": Ban.objects.count(),
        "issues": Issue.objects.count(),
    }
    assert Attachment.objects.get(pk=1).file.name == files


def test_without_the_folders_files_wait_for_a_later_run(
    run_discuz_import: Any, import_all: Any, tmp_path: Path
) -> None:
    run_discuz_import()
    assert not Attachment.objects.exists() and User.objects.get(pk=2).avatar_version == 0
    assert "attachments not imported: give --attachments" in (tmp_path / "report.txt").read_text(
        encoding="utf-8"
    )
    assert Message.objects.exists()  # the rest came over
    import_all()
    assert Attachment.objects.count() == 3 and User.objects.get(pk=2).avatar_version == 1


def test_new_messages_after_the_import_get_ids_past_the_imported_ones(import_all: Any) -> None:
    from fupan.pm.actions import do_reply_message, do_send_message

    import_all()
    alice, bob = User.objects.get(pk=2), User.objects.get(pk=3)
    reply = do_reply_message(Conversation.objects.get(pk=1), acting_user=bob, body="新回复")
    assert reply.pk > 16
    # alice deleted conversation 3: admin writing again brings it back, without the old message.
    message = do_send_message(User.objects.get(pk=1), to="alice", body="再次通知")
    assert message.conversation_id == 3
    page = _client(2).get("/pm/3/").content.decode()
    assert "再次通知" in page and "给 alice 的通知" not in page
    assert User.objects.get(pk=alice.pk).new_messages == 1


def test_a_later_run_copies_attachment_files_that_were_missing_before(
    import_all: Any, discuz_db: DiscuzDatabase, tmp_path: Path
) -> None:
    from fupan.importers.models import Checkpoint

    from .discuz_source import small_zip

    import_all()
    assert not Attachment.objects.filter(pk=3).exists()
    assert _issues("attachments_2") == {"3": "file missing from the attachment folder"}
    # The owner copies the missing file over and runs the import again.
    missing = discuz_db.files / "attachment" / "forum" / "202401/12/gonegonegonegone.rar"
    missing.parent.mkdir(parents=True, exist_ok=True)
    data = small_zip()
    missing.write_bytes(data)
    try:
        output = import_all()
    finally:
        missing.unlink()  # the source database and its files are shared by the session's tests
    found = Attachment.objects.get(pk=3)
    assert found.post_id == 5 and found.filename == "丢失.rar"
    assert found.file.read() == data
    assert Post.objects.get(pk=5).has_attachments
    assert _issues("attachments_2") == {}
    step = Checkpoint.objects.get(step="attachments_2")
    assert (step.imported, step.skipped) == (1, 0)
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "gonegonegonegone.rar" not in report
    assert "attachments (2)" in output
    # A third run finds nothing to do: the file is not copied again, nor reported missing.
    import_all()
    assert Attachment.objects.filter(filename="丢失.rar").count() == 1
    assert _issues("attachments_2") == {}


def test_an_attachment_still_missing_stays_in_the_report_after_a_second_run(
    import_all: Any, tmp_path: Path
) -> None:
    import_all()
    import_all()
    assert _issues("attachments_2") == {"3": "file missing from the attachment folder"}
    assert not Attachment.objects.filter(pk=3).exists()
    assert "202401/12/gonegonegonegone.rar" in (tmp_path / "report.txt").read_text("utf-8")


def test_read_permission_price_and_purchases_are_kept_and_enforced(
    import_all: Any, discuz_db: DiscuzDatabase
) -> None:
    from fupan.attachments.models import AttachmentPurchase
    from fupan.core.actions import do_update_site_settings

    from .discuz_source import DAY, T0

    # alice bought 版主小王's priced screenshot (aid 5): Discuz logs BAC with the aid.
    credits = {f"extcredits{n}": -2 if n == 2 else 0 for n in range(1, 9)}
    discuz_db.insert("common_credit_log", logid=90, uid=2, operation="BAC", relatedid=5,
                     dateline=T0 + 30 * DAY, **credits)  # fmt: skip
    try:
        import_all()
    finally:
        discuz_db.execute("DELETE FROM pre_common_credit_log WHERE logid = 90")
    archive, shot = Attachment.objects.get(pk=2), Attachment.objects.get(pk=5)
    assert (archive.read_access, archive.price) == (10, 0)
    assert (shot.read_access, shot.price) == (0, 2)
    assert list(AttachmentPurchase.objects.values_list("attachment_id", "user_id", "price")) == [
        (5, 2, 2)
    ]
    assert _issues("attachments_1") == {}  # nothing about read permission or price any more
    # alice paid in Discuz and gets it; Bob has not paid and is sent to buy it.
    assert _client(2).get("/attachments/5/").status_code == 200
    # The community sells attachments for 72 hours (maxchargespan): this one, uploaded long ago,
    # is free to everyone now, as Discuz makes it. With no limit it is for sale again.
    assert _client(3).get("/attachments/5/").status_code == 200
    do_update_site_settings(acting_user=None, max_charge_hours=0)
    response = _client(3).get("/attachments/5/")
    assert response.status_code == 302 and response["Location"] == "/attachments/5/buy/"
    page = _client(3).get("/t/9/").content.decode()
    assert "/attachments/5/buy/" in page and 'src="/attachments/5/"' not in page
