"""The demo's seed thread, seen by a guest, shows every element of the Discuz page
(../shared/seed/page.txt) in the same order."""

import re

import pytest

from fupan.forum.models import Thread
from fupan.testing.html import find_in_order, visible_text
from fupan.testing.seed import NOTICE, SEED_ELEMENTS, SEED_TITLE  # noqa: F401


@pytest.fixture
def seed_thread(db, settings, tmp_path):
    from fupan.testing.demo import load_demo

    settings.VAR_DIR = tmp_path
    assert load_demo()
    return Thread.objects.get(title=SEED_TITLE)


@pytest.mark.django_db
def test_guest_sees_every_seed_element_in_page_txt_order(client, seed_thread):
    response = client.get(f"/t/{seed_thread.pk}/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert find_in_order(text, SEED_ELEMENTS) == []
    assert re.search(r"Processed in \d+\.\d{6} second\(s\), \d+ queries", text)


@pytest.mark.django_db
def test_seed_floors_appear_with_the_supported_reply_lifted(client, seed_thread):
    response = client.get(f"/t/{seed_thread.pk}/")
    order = [(f.position, f.author_name) for f in response.context["floors"]]
    assert order == [(1, "回望瞬间"), (3, "雄风万里"), (2, "回望瞬间"), (4, "秋雨")]
    assert [f.floor for f in response.context["floors"]] == ["楼主", "板凳", "沙发", "地板"]


@pytest.mark.django_db
def test_guest_sees_thumbnails_not_full_images_in_the_seed(client, seed_thread):
    html = client.get(f"/t/{seed_thread.pk}/").content.decode()
    assert html.count('class="guest-thumb"') == 3
    assert "/thumb/" in html
    full = re.findall(r'src="(/attachments/\d+/)"', html)
    assert full == []
    thumb = re.search(r'src="(/attachments/\d+/thumb/)"', html).group(1)
    assert client.get(thumb).status_code == 200
    assert client.get(thumb.replace("thumb/", "")).status_code == 403


@pytest.mark.django_db
def test_member_sees_full_images_and_the_reply_box(client, seed_thread, user_factory):
    client.force_login(
        user_factory("看图的会员"), backend="fupan.accounts.backends.UsernameOrEmailBackend"
    )
    html = client.get(f"/t/{seed_thread.pk}/").content.decode()
    images = re.findall(r'<img src="(/attachments/\d+/)"', html)
    assert len(images) == 3
    assert client.get(images[0])["Content-Type"] == "image/jpeg"
    assert 'id="fastpostmessage"' in html
    assert "您需要 登录 才可以下载或查看" not in html
