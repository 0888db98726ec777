import re

import pytest

from fupan.core.actions import do_update_site_settings


@pytest.mark.django_db
def test_footer_shows_site_name_icp_time_and_query_count(guest_client):
    do_update_site_settings(acting_user=None, site_name="涪畔生活", icp="渝ICP备14010238号-7")
    html = guest_client.get("/").content.decode()
    assert (
        "涪畔生活" in html
        and 'href="https://beian.miit.gov.cn/"' in html
        and "渝ICP备14010238号-7" in html
    )
    match = re.search(r"GMT\+8, \d{4}-\d{1,2}-\d{1,2} \d{2}:\d{2}", html)
    assert match
    stats = re.search(r"Processed in (\d+\.\d{6}) second\(s\), (\d+) queries", html)
    assert stats and int(stats.group(2)) >= 1


@pytest.mark.django_db
def test_administrators_may_hide_the_processing_line(guest_client):
    do_update_site_settings(acting_user=None, show_debug_info=False)
    assert "Processed in" not in guest_client.get("/").content.decode()


@pytest.mark.django_db
def test_responses_carry_csp_and_server_timing(guest_client):
    response = guest_client.get("/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "object-src 'none'" in csp
    assert "queries" in response["Server-Timing"]


@pytest.mark.django_db
def test_pages_use_no_external_fonts_scripts_or_styles(guest_client, thread):
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    for match in re.finditer(r'<(?:script|link rel="stylesheet")[^>]+(?:src|href)="([^"]+)"', html):
        assert match.group(1).startswith("/"), match.group(1)
    assert "<script>" not in html  # no inline script


@pytest.mark.django_db
def test_about_page_shows_the_administrators_text(guest_client):
    do_update_site_settings(acting_user=None, about_text="[b]涪畔生活[/b]是遂宁的本地论坛")
    html = guest_client.get("/about/").content.decode()
    assert "<strong>涪畔生活</strong>是遂宁的本地论坛" in html


@pytest.mark.django_db
def test_unknown_url_gets_a_friendly_404_page(guest_client):
    response = guest_client.get("/no/such/page/")
    assert response.status_code == 404 and "<html" in response.content.decode()


@pytest.mark.django_db
def test_interface_is_chinese_whatever_the_browser_asks(guest_client):
    response = guest_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode() and response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_footer_switch_changes_the_language_and_remembers_it(guest_client):
    response = guest_client.get("/lang/en/?next=/about/")
    assert response.status_code == 302 and response["Location"] == "/about/"
    html = guest_client.get("/").content.decode()
    assert "Log in" in html and "简体中文" in html
    guest_client.get("/lang/zh-hans/")
    assert "登录" in guest_client.get("/").content.decode()
    assert guest_client.get("/lang/xx/").status_code == 404
