"""The seed thread and its controls, in a real browser."""

from __future__ import annotations

import re

import pytest

from fupan.core.captcha import image_text
from fupan.forum.models import Board, Post, Thread
from fupan.testing.html import find_in_order
from fupan.testing.seed import SEED_ELEMENTS, SEED_TITLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def seed(site, settings, tmp_path):
    from fupan.core.actions import do_update_site_settings
    from fupan.testing.demo import load_demo

    settings.VAR_DIR = tmp_path
    load_demo()
    do_update_site_settings(
        acting_user=None, post_interval=0
    )  # these tests post quickly on purpose
    return Thread.objects.get(title=SEED_TITLE)


def test_guest_reads_the_seed_thread_as_discuz_showed_it(page_factory, seed, artifact_path):
    page = page_factory()
    page.goto(f"/t/{seed.pk}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifact_path("seed-thread-guest.png"), full_page=True)
    text = page.inner_text("body")
    assert find_in_order(text, SEED_ELEMENTS) == []
    assert re.search(r"Processed in \d+\.\d{6} second\(s\), \d+ queries", text)
    assert page.csp_errors == [] and page.console_errors == []
    # Chinese is drawn with real glyphs, not empty boxes: two different characters drawn with the
    # page's font give different pixels (missing glyphs would all be the same box).
    same = page.evaluate(
        r"""() => {
            const font = getComputedStyle(document.querySelector('h1.ts')).fontFamily;
            const draw = ch => { const c = document.createElement('canvas'); c.width = c.height = 40;
                const g = c.getContext('2d'); g.font = '32px ' + font; g.fillText(ch, 2, 32);
                return Array.from(g.getImageData(0, 0, 40, 40).data).join(','); };
            return draw('遂') === draw('潼');
        }"""
    )
    assert not same
    # Guests get thumbnails that actually load, with the login prompt.
    thumbs = page.locator(".guest-thumb img")
    assert thumbs.count() == 3
    assert all(
        page.evaluate("img => img.naturalWidth", thumbs.nth(i).element_handle()) > 0
        for i in range(3)
    )


def test_copy_link_copies_subject_url_and_source(page_factory, seed, live_server):
    page = page_factory()
    page.goto(f"/t/{seed.pk}/")
    page.click("text=[复制链接]")
    page.wait_for_selector("#toast:not([hidden])")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{SEED_TITLE}\n{live_server.url}/t/{seed.pk}/\n(出处: 涪畔生活)\n"
    # A floor number copies that floor's link.
    third = Post.objects.get(thread=seed, position=3)
    page.click(f"#pid{third.pk} .floor")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/t/{seed.pk}/3/"


def test_only_author_and_show_all_floors_toggle(page_factory, seed):
    page = page_factory()
    page.goto(f"/t/{seed.pk}/")
    third = Post.objects.get(thread=seed, position=3)
    page.click(f"#pid{third.pk} summary")
    page.click(f"#pid{third.pk} >> text=只看该作者")
    page.wait_for_url(re.compile(r"author="))
    assert page.locator("article.post").count() == 1
    page.click("article.post summary")
    page.click("article.post >> text=显示全部楼层")
    assert page.locator("article.post").count() == 4


def test_reverse_order_shows_newest_reply_after_the_first_post(page_factory, seed):
    page = page_factory()
    page.goto(f"/t/{seed.pk}/?order=desc")
    floors = page.locator("article.post").evaluate_all("els => els.map(e => e.dataset.floor)")
    assert floors == ["1", "3", "4", "2"]  # the hot reply is lifted, then newest first


def test_reading_mode_opens_the_first_post_alone(page_factory, seed):
    page = page_factory()
    page.goto(f"/t/{seed.pk}/")
    page.click("text=阅读模式")
    assert "/read/" in page.url
    assert page.locator(".reading-view h1").inner_text() == SEED_TITLE
    page.click(".reading-back a >> nth=0")
    assert page.url.endswith(f"/t/{seed.pk}/")


def test_register_post_reply_and_vote_move_the_counters(page_factory, seed):
    board = Board.objects.get(pk=seed.board_id)
    page = page_factory()
    page.goto("/register/")
    page.fill("#id_username", "新来的网友")
    page.fill("#id_password", "river-2021x")
    page.fill("#id_password2", "river-2021x")
    # The captcha image is drawn for people; the test reads the answer the server keeps for it.
    assert page.locator("img.captcha-image").evaluate("img => img.naturalWidth") == 150
    token = page.get_attribute("input[name=captcha_token]", "value")
    page.fill("#id_captcha", image_text(token))
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"/f/{board.pk}/new/")
    page.select_option("#id_type", label="建言献策")
    page.fill("#id_title", "建议在涪江边多装路灯")
    page.fill("#id_body", "晚上散步太黑了。")
    page.click("text=发表帖子")
    page.wait_for_url(re.compile(r"/t/\d+/$"))
    assert page.locator("h1.ts").inner_text().endswith("建议在涪江边多装路灯")
    thread = Thread.objects.get(title="建议在涪江边多装路灯")
    assert Board.objects.get(pk=board.pk).threads == board.threads + 1

    # Quick reply with htmx appends the floor without leaving the page.
    page.fill("#fastpostmessage", "补充一句：滨江路尤其黑。")
    page.click("text=发表回复")
    page.wait_for_selector("article.post >> text=补充一句：滨江路尤其黑。")
    assert page.input_value("#fastpostmessage") == ""
    assert Thread.objects.get(pk=thread.pk).replies == 1

    # Vote on someone else's reply in the seed thread.
    page.goto(f"/t/{seed.pk}/")
    fourth = Post.objects.get(thread=seed, position=4)
    page.click(f"#votes_{fourth.pk} .vote-support")
    page.wait_for_selector(f"#votes_{fourth.pk} .voted")
    assert Post.objects.get(pk=fourth.pk).support == 1
    assert page.locator(f"#votes_{fourth.pk}").inner_text().split() == ["1", "0"]


def test_everything_works_with_javascript_off(page_factory, seed, user_factory):
    user_factory("不用脚本的", password="river-2021x")
    page = page_factory(javascript=False)
    page.goto("/login/")
    page.fill("#id_login", "不用脚本的")
    page.fill("#id_password", "river-2021x")
    page.click("button[type=submit]")
    page.goto(f"/t/{seed.pk}/")
    page.fill("#fastpostmessage", "没有脚本也能回帖")
    page.click("text=发表回复")
    page.wait_for_load_state()
    assert "没有脚本也能回帖" in page.inner_text("body")
    third = Post.objects.get(thread=seed, position=3)
    page.click(f"#votes_{third.pk} .vote-support")
    assert Post.objects.get(pk=third.pk).support == 2


@pytest.mark.parametrize("width", [375, 1280])
def test_layout_fits_the_screen_at_375_and_1280_pixels(page_factory, seed, width):
    page = page_factory(width=width, mobile=width < 500)
    for url in ["/", f"/f/{seed.board_id}/", f"/t/{seed.pk}/"]:
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (url, overflow)
    assert page.csp_errors == []
