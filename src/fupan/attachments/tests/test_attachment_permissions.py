"""Images and other files have separate permissions, per user group and per board."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupan.accounts.models import UserGroup
from fupan.attachments.tests.conftest import image_bytes
from fupan.forum.models import BoardPermission, Thread


@pytest.fixture
def posted(member_client, board):
    img = member_client.post(
        "/attachments/upload/",
        {"board": board.pk, "file": SimpleUploadedFile("a.jpg", image_bytes())},
    ).json()["id"]
    doc = member_client.post(
        "/attachments/upload/",
        {"board": board.pk, "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4")},
    ).json()["id"]
    member_client.post(
        f"/f/{board.pk}/new/", {"title": "附件", "body": "正文", "attachments": [img, doc]}
    )
    return Thread.objects.get(), img, doc


@pytest.mark.django_db
def test_a_board_can_deny_members_full_images_but_allow_files(posted, other_member_client, board):
    thread, img, doc = posted
    BoardPermission.objects.create(board=board, group_id=UserGroup.NEWBIE, can_view_images=False)
    from fupan.permissions.core import purge_board_overrides

    purge_board_overrides()
    assert other_member_client.get(f"/attachments/{img}/").status_code == 403
    assert other_member_client.get(f"/attachments/{doc}/").status_code == 200
    html = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'src="/attachments/{img}/"' not in html


@pytest.mark.django_db
def test_a_board_can_let_guests_see_images_and_download(posted, guest_client, board):
    thread, img, doc = posted
    BoardPermission.objects.create(
        board=board, group_id=UserGroup.GUEST, can_view_images=True, can_download=True
    )
    from fupan.permissions.core import purge_board_overrides

    purge_board_overrides()
    assert guest_client.get(f"/attachments/{img}/").status_code == 200
    assert guest_client.get(f"/attachments/{doc}/").status_code == 200
    assert (
        f'<img src="/attachments/{img}/"' in guest_client.get(f"/t/{thread.pk}/").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "image_status", "file_status"),
    [
        (UserGroup.NEWBIE, 200, 200),
        (UserGroup.BANNED_POST, 403, 403),
        (UserGroup.ADMIN, 200, 200),
    ],
)
def test_group_defaults_decide_images_and_files_separately(
    posted, client_for, user_factory, group, image_status, file_status
):
    _thread, img, doc = posted
    client = client_for(user_factory(group=group))
    assert client.get(f"/attachments/{img}/").status_code == image_status
    assert client.get(f"/attachments/{doc}/").status_code == file_status


@pytest.mark.django_db
def test_attachments_of_a_recycled_thread_are_gone(posted, other_member_client):
    thread, img, _doc = posted
    Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
    assert other_member_client.get(f"/attachments/{img}/").status_code == 404
