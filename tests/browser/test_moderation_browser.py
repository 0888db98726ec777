"""举报 and 信息举报 in a real browser: a member reports a reply of the seed thread, a moderator
resolves it from the queue, the member reads the outcome; a guest reports from the footer."""

from __future__ import annotations

import re

import pytest

from fupan.accounts.models import UserGroup
from fupan.forum.models import BoardModerator, Post, Thread
from fupan.moderation.models import Report
from fupan.testing.seed import SEED_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "river-2021x"


@pytest.fixture
def seed(site, settings, tmp_path):
    from fupan.core.actions import do_update_site_settings
    from fupan.testing.demo import load_demo

    settings.VAR_DIR = tmp_path
    load_demo()
    do_update_site_settings(acting_user=None, post_interval=0)
    return Thread.objects.get(title=SEED_TITLE)


def _login(page, username):
    page.goto("/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_member_reports_a_reply_and_sees_the_moderators_outcome(
    page_factory, seed, user_factory, artifact_path
):
    user_factory("热心网友", password=PASSWORD)
    moderator = user_factory("涪城版主", group=UserGroup.MODERATOR, password=PASSWORD)
    BoardModerator.objects.create(board_id=seed.board_id, user=moderator)
    reply = Post.objects.get(thread=seed, position=3)

    # The member clicks 举报 under the reply: the form opens in place and is sent in place.
    member = page_factory()
    _login(member, "热心网友")
    member.goto(f"/t/{seed.pk}/")
    member.click(f"#pid{reply.pk} .po-report")
    box = f"#report-post-{reply.pk}"
    member.wait_for_selector(f"{box} form")
    assert member.url.endswith(f"/t/{seed.pk}/")  # still on the thread
    member.check(f"{box} input[name=reason][value=spam]")
    member.fill(f"{box} textarea[name=message]", "楼层里有推销电话")
    member.click(f"{box} button[type=submit]")
    member.wait_for_selector(f"{box} .report-thanks")
    report = Report.objects.get()
    assert report.post_id == reply.pk and report.board_id == seed.board_id
    assert member.csp_errors == [] and member.console_errors == []

    # The moderator, in another browser context, finds it in the queue and resolves it.
    mod = page_factory()
    _login(mod, "涪城版主")
    mod.click("#hd >> text=管理")
    mod.wait_for_url(re.compile(r"/mod/$"))
    mod.click('main a[href="/mod/reports/"]')
    mod.wait_for_url(re.compile(r"/mod/reports/$"))
    mod.click(f"#report-{report.pk} a.btn")
    mod.wait_for_url(re.compile(rf"/mod/reports/{report.pk}/$"))
    assert "楼层里有推销电话" in mod.inner_text("main")
    mod.check("input[name=outcome][value=handled]")
    mod.fill("#id_note", "已删除推销内容，谢谢举报")
    mod.click("#report-resolution button[type=submit]")
    mod.wait_for_selector("#report-resolution .badge-done")
    mod.screenshot(path=artifact_path("moderation-report-resolved.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and report.resolved_by_id == moderator.pk
    assert mod.csp_errors == [] and mod.console_errors == []

    # The member reads the outcome and the note.
    member.goto("/report/mine/")
    row = member.locator(f"#my-report-{report.pk}")
    assert "已删除推销内容，谢谢举报" in row.inner_text()
    assert row.locator(".badge-done").count() == 1


def test_guest_files_an_info_report_from_the_footer(page_factory, seed):
    guest = page_factory()
    guest.goto(f"/t/{seed.pk}/")
    guest.click("#ft >> text=信息举报")
    guest.wait_for_url(re.compile(r"/report/$"))
    # The address of the page the guest came from is filled in.
    assert guest.input_value("#id_url").endswith(f"/t/{seed.pk}/")
    guest.check("input[name=category][value=fraud]")
    guest.fill("#id_description", "帖子里留的电话是诈骗电话")
    guest.fill("#id_contact", "13800000000")
    guest.click("#site-report button[type=submit]")
    guest.wait_for_selector("#site-report .report-thanks")
    report = Report.objects.get()
    assert report.kind == Report.Kind.SITE and report.reporter is None
    assert report.contact == "13800000000" and report.url.endswith(f"/t/{seed.pk}/")
    assert guest.csp_errors == [] and guest.console_errors == []


def test_reporting_works_without_javascript(page_factory, seed, user_factory):
    user_factory("不用脚本的", password=PASSWORD)
    reply = Post.objects.get(thread=seed, position=2)
    page = page_factory(javascript=False)
    _login(page, "不用脚本的")
    page.goto(f"/t/{seed.pk}/")
    page.click(f"#pid{reply.pk} .po-report")
    page.wait_for_url(re.compile(rf"/report/post/{reply.pk}/$"))
    page.check("input[name=reason][value=other]")
    page.click(f"#report-post-{reply.pk} button[type=submit]")
    page.wait_for_url(re.compile(rf"/t/{seed.pk}/"))
    assert page.locator(".messages").count() == 1
    assert Report.objects.get().post_id == reply.pk
