"""Uploads, images for guests and members, no-image mode, the jammer and the mobile layout in a
real browser."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from fupan.forum.models import Board, Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username, password="river-2021x"):
    page.goto("/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def _jpeg(tmp_path, name="桥.jpg"):
    path = tmp_path / name
    image = Image.new("RGB", (320, 200), (30, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def board(site, board_factory):
    return board_factory("随手拍", types=["街景"])


def test_member_uploads_an_image_that_members_see_full_size_and_guests_as_a_thumbnail(
    page_factory, board, user_factory, tmp_path
):
    user_factory("拍照的人", password="river-2021x")
    user_factory("看图的人", password="river-2021x")
    page = page_factory()
    _login(page, "拍照的人")
    page.goto(f"/f/{board.pk}/new/")
    page.fill("#id_title", "涪江大桥夜景")
    page.fill("#id_body", "今晚的桥：\n")
    page.set_input_files("[data-upload-input]", str(_jpeg(tmp_path)))
    page.wait_for_selector(".upload-list li[data-aid]")
    assert "[attach]" in page.input_value("#id_body")
    page.click("form.editor-form button.btn-primary")
    page.wait_for_url(re.compile(r"/t/\d+/$"))
    thread = Thread.objects.get(title="涪江大桥夜景")
    assert (
        page.locator(f"#pid{thread.post_set.get(position=1).pk} figure.attach-image img").count()
        == 1
    )

    viewer = page_factory()
    _login(viewer, "看图的人")
    viewer.goto(f"/t/{thread.pk}/")
    image = viewer.locator("figure.attach-image img")
    image.scroll_into_view_if_needed()  # loading="lazy": the browser fetches it once in view
    viewer.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert viewer.evaluate("img => img.naturalWidth", image.element_handle()) == 320
    image.click()  # the lightbox
    viewer.wait_for_selector(".lightbox img")
    viewer.keyboard.press("Escape")
    assert viewer.locator(".lightbox").count() == 0

    guest = page_factory()
    guest.goto(f"/t/{thread.pk}/")
    thumb = guest.locator(".guest-thumb img")
    thumb.scroll_into_view_if_needed()
    guest.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    assert guest.evaluate("img => img.naturalWidth", thumb.element_handle()) <= 100
    assert "登录/注册后可看大图" in guest.inner_text(".guest-thumb")
    assert guest.console_errors == [] and guest.csp_errors == []


def test_no_image_mode_from_the_footer_shows_links_for_guests(
    page_factory, board, thread_factory, member, tmp_path
):
    thread = thread_factory(board, author=member, body="[img]https://example.invalid/x.png[/img]")
    page = page_factory()
    page.goto(f"/t/{thread.pk}/")
    page.click("#ft >> text=无图浏览")
    page.wait_for_url(re.compile(rf"/t/{thread.pk}/$"))
    assert page.locator("#postlist img").count() == 0
    assert page.locator("#postlist a.no-image-link").count() == 1
    page.goto("/")
    assert (
        page.locator("#ft >> text=无图浏览").count() == 0
    )  # remembered: the switch now offers images back


def test_jammer_noise_is_copied_but_invisible_and_not_read_aloud(
    page_factory, board_factory, thread_factory, member
):
    noisy = board_factory("防复制版", jammer=True)
    thread = thread_factory(noisy, author=member, body="第一行内容\n第二行内容\n第三行内容")
    page = page_factory()
    page.goto(f"/t/{thread.pk}/")
    body = page.locator(".post.first .t_f")
    visible = body.inner_text()
    assert body.locator(".jammer").count() >= 2
    assert "第一行内容" in visible
    # What a reader copies carries the noise.
    page.evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
                   document.execCommand('copy'); }""",
        body.element_handle(),
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "第一行内容" in copied
    jammer_texts = list(
        body.evaluate("el => [...el.querySelectorAll('.jammer')].map(j => j.textContent)")
    )
    # Copying collapses runs of spaces, so compare without whitespace.
    squashed = "".join(copied.split())
    assert any("".join(t.split()) and "".join(t.split()) in squashed for t in jammer_texts)
    # The noise takes no room on screen and is not in the accessibility tree.
    box = body.locator(".jammer").first.bounding_box()
    assert box is None or box["width"] <= 1
    tree = body.aria_snapshot()
    assert not any(t.strip() and t.strip() in tree for t in jammer_texts)


def test_mobile_viewport_and_touch_layout(
    page_factory, board, thread_factory, member, artifact_path
):
    thread = thread_factory(board, author=member, replies=3)
    page = page_factory(width=375, mobile=True)
    page.goto(f"/t/{thread.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("#ft >> text=手机版")
    page.wait_for_url(re.compile(rf"/t/{thread.pk}/$"))
    assert "touch" in page.evaluate("document.body.className")
    height = page.locator(".po-reply").first.bounding_box()["height"]
    assert height >= 40  # finger-sized
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=artifact_path("thread-touch-375.png"), full_page=True)
    page.click('#ft a[href^="/prefs/mobile/"]')  # now labelled 电脑版
    assert "touch" not in page.evaluate("document.body.className")
    assert Board.objects.filter(pk=board.pk).exists()


def test_dropping_an_image_on_the_editor_uploads_it_and_inserts_its_code(
    page_factory, board, user_factory, tmp_path
):
    user_factory("拖图的人", password="river-2021x")
    page = page_factory()
    _login(page, "拖图的人")
    page.goto(f"/f/{board.pk}/new/")
    data = _jpeg(tmp_path, "drop.jpg").read_bytes()
    page.evaluate(
        """([bytes, name]) => {
            const file = new File([new Uint8Array(bytes)], name, {type: 'image/jpeg'});
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const area = document.querySelector('#id_body');
            area.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        [list(data), "drop.jpg"],
    )
    page.wait_for_selector(".upload-list li[data-aid]")
    aid = page.get_attribute(".upload-list li[data-aid]", "data-aid")
    assert f"[attach]{aid}[/attach]" in page.input_value("#id_body")
