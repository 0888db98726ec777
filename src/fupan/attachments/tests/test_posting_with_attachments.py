"""Attachments reach posts: inline [attach] codes, files listed under the post, the form path
without JavaScript, and a refused upload that keeps the post's text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupan.attachments.models import Attachment
from fupan.attachments.tests.conftest import image_bytes
from fupan.forum.models import Post, Thread


def _upload(client, board, name="a.jpg", data=None):
    data = data or image_bytes()
    return client.post(
        "/attachments/upload/", {"board": board.pk, "file": SimpleUploadedFile(name, data)}
    ).json()["id"]


@pytest.mark.django_db
def test_uploaded_image_inline_in_a_new_thread_shows_full_size_to_members(member_client, board):
    aid = _upload(member_client, board)
    response = member_client.post(
        f"/f/{board.pk}/new/",
        {"title": "涪江夜景", "body": f"看图：\n[attach]{aid}[/attach]", "attachments": [aid]},
    )
    thread = Thread.objects.get()
    first = Post.objects.get(thread=thread, position=1)
    assert response.status_code == 302
    assert Attachment.objects.get(pk=aid).post == first
    assert first.has_attachments and thread.has_images
    html = member_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'<img src="/attachments/{aid}/"' in html and "data-lightbox" in html


@pytest.mark.django_db
def test_guest_sees_a_thumbnail_and_the_login_prompt_instead(member_client, guest_client, board):
    aid = _upload(member_client, board)
    member_client.post(
        f"/f/{board.pk}/new/",
        {"title": "图", "body": f"[attach]{aid}[/attach]", "attachments": [aid]},
    )
    thread = Thread.objects.get()
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert f'src="/attachments/{aid}/thumb/"' in html and f'src="/attachments/{aid}/"' not in html
    assert "登录/注册后可看大图" in html
    assert guest_client.get(f"/attachments/{aid}/thumb/").status_code == 200
    full = guest_client.get(f"/attachments/{aid}/")
    assert full.status_code == 403 and "/login/" in full.content.decode()


@pytest.mark.django_db
def test_without_guest_thumbnails_guests_see_only_the_prompt(member_client, guest_client, board):
    from fupan.core.actions import do_update_site_settings

    aid = _upload(member_client, board)
    member_client.post(f"/f/{board.pk}/new/", {"title": "图", "body": "正文", "attachments": [aid]})
    do_update_site_settings(acting_user=None, guest_view_thumb=False)
    html = guest_client.get(f"/t/{Thread.objects.get().pk}/").content.decode()
    assert "/thumb/" not in html and "登录/注册后可看大图" in html
    assert guest_client.get(f"/attachments/{aid}/thumb/").status_code == 404


@pytest.mark.django_db
def test_files_are_listed_under_the_post_and_downloads_counted(
    member_client, other_member_client, guest_client, board
):
    aid = _upload(member_client, board, "规划.pdf", b"%PDF-1.4 plan")
    member_client.post(
        f"/f/{board.pk}/new/", {"title": "规划文件", "body": "见附件", "attachments": [aid]}
    )
    thread = Thread.objects.get()
    html = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert "规划.pdf" in html and f'href="/attachments/{aid}/"' in html
    download = other_member_client.get(f"/attachments/{aid}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert Attachment.objects.get(pk=aid).downloads == 1
    guest_html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert "您需要" in guest_html and "才可以下载或查看" in guest_html
    assert guest_client.get(f"/attachments/{aid}/").status_code == 403
    assert Attachment.objects.get(pk=aid).downloads == 1


@pytest.mark.django_db
def test_files_sent_with_the_form_without_javascript_are_attached(member_client, board, thread):
    response = member_client.post(
        f"/t/{thread.pk}/reply/",
        {
            "body": "附上两张图",
            "files": [
                SimpleUploadedFile("a.jpg", image_bytes()),
                SimpleUploadedFile("b.png", image_bytes("PNG")),
            ],
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=thread, position=4)
    assert sorted(a.filename for a in post.attachments.all()) == ["a.jpg", "b.png"]


@pytest.mark.django_db
def test_a_refused_file_keeps_the_text_and_the_files_already_uploaded(member_client, board, thread):
    response = member_client.post(
        f"/t/{thread.pk}/reply/",
        {
            "body": "我写的回复不能丢",
            "files": [
                SimpleUploadedFile("good.jpg", image_bytes()),
                SimpleUploadedFile("bad.jpg", b"not an image"),
            ],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "我写的回复不能丢" in html and "bad.jpg" in html
    good = Attachment.objects.get(filename="good.jpg")
    assert (
        f'name="attachments" value="{good.pk}"' in html
    )  # still listed, sent again with the retry
    assert Post.objects.filter(thread=thread).count() == 3
    retry = member_client.post(
        f"/t/{thread.pk}/reply/", {"body": "我写的回复不能丢", "attachments": [good.pk]}
    )
    assert retry.status_code == 302
    assert Attachment.objects.get(pk=good.pk).post.position == 4


@pytest.mark.django_db
def test_someone_elses_upload_cannot_be_claimed(member_client, other_member_client, board, thread):
    aid = _upload(other_member_client, board)
    member_client.post(
        f"/t/{thread.pk}/reply/", {"body": f"[attach]{aid}[/attach]", "attachments": [aid]}
    )
    assert Attachment.objects.get(pk=aid).post is None


@pytest.mark.django_db
def test_an_unknown_attachment_id_renders_nothing_and_fails_nothing(
    guest_client, board, thread_factory
):
    thread = thread_factory(board, body="[attach]999999[/attach] 文字")
    response = guest_client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200 and "文字" in response.content.decode()
    assert guest_client.get("/attachments/999999/").status_code == 404
