import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fupan.accounts.models import User
from fupan.attachments.tests.conftest import image_bytes


@pytest.mark.django_db
def test_member_uploads_an_avatar_in_three_sizes_and_earns_the_rule_once(
    member_client, member, guest_client, thread
):
    money = User.objects.get(pk=member.pk).extcredits2
    response = member_client.post(
        "/settings/",
        {
            "form": "avatar",
            "avatar": SimpleUploadedFile("me.png", image_bytes("PNG", size=(300, 200))),
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar_version == 1 and member.extcredits2 == money + 5
    for size, side in (("small", 48), ("middle", 120), ("big", 200)):
        got = guest_client.get(f"/u/{member.pk}/avatar/{size}/")
        assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(got.streaming_content))) as img:
            assert img.size == (side, side)
    member_client.post(
        "/settings/", {"form": "avatar", "avatar": SimpleUploadedFile("again.jpg", image_bytes())}
    )
    member.refresh_from_db()
    assert member.avatar_version == 2 and member.extcredits2 == money + 5  # the rule pays once
    assert (
        f"/u/{member.pk}/avatar/small/?v=2" in guest_client.get(f"/t/{thread.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_a_file_that_is_not_a_picture_is_refused(member_client, member):
    response = member_client.post(
        "/settings/", {"form": "avatar", "avatar": SimpleUploadedFile("x.jpg", b"nope")}
    )
    assert response.status_code == 400
    assert User.objects.get(pk=member.pk).avatar_version == 0


@pytest.mark.django_db
def test_no_avatar_gives_the_default_picture(guest_client, member):
    response = guest_client.get(f"/u/{member.pk}/avatar/middle/")
    assert response.status_code == 302 and response["Location"].endswith("avatar.svg")
    assert guest_client.get(f"/u/{member.pk}/avatar/huge/").status_code == 404


@pytest.mark.django_db
def test_removing_the_avatar(member_client, member):
    member_client.post(
        "/settings/", {"form": "avatar", "avatar": SimpleUploadedFile("me.jpg", image_bytes())}
    )
    member_client.post("/settings/", {"form": "avatar", "remove": "1"})
    assert User.objects.get(pk=member.pk).avatar_version == 0
