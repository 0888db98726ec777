"""Uploading from the editor: checked by content, size and pixel count; EXIF stripped."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fupan.accounts.models import UserGroup
from fupan.attachments.models import Attachment
from fupan.attachments.tests.conftest import image_bytes


def upload(client, board, name, data, **extra):
    return client.post(
        "/attachments/upload/", {"board": board.pk, "file": SimpleUploadedFile(name, data)}, **extra
    )


@pytest.mark.django_db
def test_member_uploads_an_image_and_gets_its_attach_code(
    member_client, board, member, jpeg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(member_client, board, "涪江.jpg", jpeg)
    data = response.json()
    attachment = Attachment.objects.get(pk=data["id"])
    assert response.status_code == 200
    assert data["code"] == f"[attach]{attachment.pk}[/attach]" and data["is_image"]
    assert attachment.post is None and attachment.uploader == member
    assert (attachment.width, attachment.height) == (64, 48)
    assert attachment.thumbnail  # drawn by the background task after commit
    assert member_client.get(data["thumb"]).status_code == 200


@pytest.mark.django_db
def test_exif_is_stripped_from_uploaded_photos(member_client, board):
    response = upload(member_client, board, "gps.jpg", image_bytes(exif=True))
    attachment = Attachment.objects.get(pk=response.json()["id"])
    with attachment.file.open("rb") as fh, Image.open(fh) as img:
        assert not img.getexif()


@pytest.mark.django_db
def test_the_name_does_not_make_a_file_an_image(member_client, board):
    response = upload(member_client, board, "photo.jpg", b"MZ\x90\x00 this is a windows program")
    assert response.status_code == 400 and "error" in response.json()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_file_pretending_to_be_a_pdf_is_refused(member_client, board):
    response = upload(member_client, board, "notice.pdf", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 400
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_real_pdf_and_a_text_file_are_accepted(member_client, board):
    assert (
        upload(
            member_client, board, "通知.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
        ).status_code
        == 200
    )
    assert upload(member_client, board, "说明.txt", "中文说明".encode("gb18030")).status_code == 200
    assert Attachment.objects.filter(is_image=False).count() == 2


@pytest.mark.django_db
def test_an_executable_type_is_refused_whatever_its_content(member_client, board):
    response = upload(member_client, board, "setup.exe", b"MZ\x90\x00")
    assert (
        response.status_code == 400 and "pdf" in response.json()["error"]
    )  # names what is allowed
    assert not Attachment.objects.exists()


def _png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG that claims an enormous canvas (a decompression bomb)."""
    raw = zlib.compress(b"\x00" * 1024)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.mark.django_db
def test_a_decompression_bomb_is_refused_by_its_pixel_count(member_client, board):
    response = upload(member_client, board, "bomb.png", _png_bomb(30000, 30000))
    assert response.status_code == 400
    assert "40" in response.json()["error"]  # the megapixel limit
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_damaged_image_is_refused(member_client, board):
    data = image_bytes()[:200]
    response = upload(member_client, board, "broken.jpg", data)
    assert response.status_code == 400
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused_with_the_limit(member_client, board, settings):
    settings.FUPAN_MAX_UPLOAD_SIZE = 1000
    response = upload(member_client, board, "big.jpg", image_bytes(size=(400, 400)))
    assert response.status_code == 400
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_guests_and_groups_without_upload_permission_cannot_upload(
    guest_client, client_for, user_factory, board, jpeg
):
    assert upload(guest_client, board, "a.jpg", jpeg).status_code == 403
    banned = user_factory(group=UserGroup.BANNED_POST)
    assert upload(client_for(banned), board, "a.jpg", jpeg).status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_upload_to_a_missing_board_is_404(member_client, jpeg, board):
    response = member_client.post(
        "/attachments/upload/", {"board": 424242, "file": SimpleUploadedFile("a.jpg", jpeg)}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_upload_not_yet_in_a_post_is_private_to_its_uploader(
    member_client, other_member_client, guest_client, board, jpeg
):
    aid = upload(member_client, board, "a.jpg", jpeg).json()["id"]
    assert member_client.get(f"/attachments/{aid}/").status_code == 200
    assert other_member_client.get(f"/attachments/{aid}/").status_code == 404
    assert guest_client.get(f"/attachments/{aid}/thumb/").status_code == 404


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_png_keeps_its_format(member_client, board):
    response = upload(member_client, board, "icon.png", _png())
    assert Attachment.objects.get(pk=response.json()["id"]).image_format == "PNG"
