"""无图浏览, the jammer and the touch layout, as a reader meets them."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fupan.attachments.tests.conftest import image_bytes
from fupan.forum.actions import do_create_reply
from fupan.forum.models import Board, Post
from fupan.testing.html import visible_text


@pytest.fixture
def picture_thread(member_client, board, member, thread_factory):
    aid = member_client.post(
        "/attachments/upload/",
        {"board": board.pk, "file": SimpleUploadedFile("江景.jpg", image_bytes())},
    ).json()["id"]
    member_client.post(
        f"/f/{board.pk}/new/",
        {
            "title": "图帖",
            "body": f"[attach]{aid}[/attach]\n[img]https://example.com/bridge.png[/img]",
            "attachments": [aid],
        },
    )
    from fupan.forum.models import Thread

    return Thread.objects.get(title="图帖"), aid


@pytest.mark.django_db
def test_no_image_mode_turns_images_into_links_with_names_and_sizes(
    picture_thread, other_member_client
):
    thread, aid = picture_thread
    toggle = other_member_client.get(f"/prefs/no-images/?next=/t/{thread.pk}/")
    assert toggle.status_code == 302 and toggle["Location"] == f"/t/{thread.pk}/"
    html = other_member_client.get(f"/t/{thread.pk}/").content.decode()
    assert "<img" not in html.split('id="postlist"')[1].split("</article>")[0]
    link = html.split(f'href="/attachments/{aid}/"')[1].split("</a>")[0]
    assert "江景.jpg" in link and re.search(r"\(\d+", link)  # name and size
    assert 'href="https://example.com/bridge.png"' in html
    assert 'href="/prefs/no-images/?next=' in html  # the footer switch offers the way back
    other_member_client.get("/prefs/no-images/")
    assert (
        f'<img src="/attachments/{aid}/"'
        in other_member_client.get(f"/t/{thread.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_no_image_mode_works_for_guests(picture_thread, guest_client):
    thread, aid = picture_thread
    guest_client.get("/prefs/no-images/")
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert f"/attachments/{aid}/thumb/" not in html and "江景.jpg" in html


class _Jammer(HTMLParser):
    def __init__(self):
        super().__init__()
        self.spans = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "jammer" in (attrs.get("class") or ""):
            self.spans.append(attrs)


@pytest.mark.django_db
def test_jammer_puts_hidden_noise_between_lines_but_not_for_the_author(
    board_factory, thread_factory, member, member_client, other_member_client, guest_client
):
    board = board_factory(jammer=True)
    thread = thread_factory(board, author=member, body="第一行\n第二行\n第三行")
    for client in (guest_client, other_member_client):
        html = client.get(f"/t/{thread.pk}/").content.decode()
        parser = _Jammer()
        parser.feed(html)
        assert len(parser.spans) >= 2
        assert all(span.get("aria-hidden") == "true" for span in parser.spans)
        assert "第一行" in visible_text(html) and "第三行" in visible_text(html)
    own = member_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'class="jammer"' not in own


@pytest.mark.django_db
def test_jammer_noise_changes_with_each_view(board_factory, thread_factory, guest_client):
    board = board_factory(jammer=True)
    thread = thread_factory(board, body="一\n二\n三\n四")
    first = guest_client.get(f"/t/{thread.pk}/").content.decode()
    second = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert first.count('class="jammer"') >= 3 and first != second


@pytest.mark.django_db
def test_jammer_off_boards_have_no_noise(board, thread_factory, guest_client):
    thread = thread_factory(board, body="一\n二")
    assert 'class="jammer"' not in guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert not Board.objects.get(pk=board.pk).jammer


@pytest.mark.django_db
def test_jammer_leaves_replies_by_the_viewer_clean_and_others_noisy(
    board_factory, thread_factory, member, other_member, member_client
):
    board = board_factory(jammer=True)
    thread = thread_factory(board, author=other_member, body="楼主\n第二行")
    do_create_reply(thread, acting_user=member, body="我的\n回复")
    html = member_client.get(f"/t/{thread.pk}/").content.decode()
    mine = Post.objects.get(thread=thread, position=2)
    own_part = html.split(f'id="pid{mine.pk}"')[1].split("</article>")[0]
    first_part = html.split(f'id="pid{mine.pk}"')[0]
    assert 'class="jammer"' not in own_part and 'class="jammer"' in first_part


@pytest.mark.django_db
def test_mobile_switch_gives_the_touch_layout_and_back(guest_client, board):
    response = guest_client.get("/prefs/mobile/?next=/")
    assert response.status_code == 302
    html = guest_client.get("/").content.decode()
    assert "touch" in html.split("<body", 1)[1].split(">", 1)[0]
    guest_client.get("/prefs/mobile/")
    assert (
        "touch" not in guest_client.get("/").content.decode().split("<body", 1)[1].split(">", 1)[0]
    )


@pytest.mark.django_db
def test_app_page_describes_how_apps_connect(guest_client):
    html = guest_client.get("/app/").content.decode()
    assert "/api/v1/" in html and "api/mobile/index.php" in html


@pytest.mark.django_db
def test_preferences_refuse_offsite_next(guest_client):
    assert guest_client.get("/prefs/no-images/?next=https://evil.example/")["Location"] == "/"
