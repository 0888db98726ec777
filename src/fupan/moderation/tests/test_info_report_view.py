"""信息举报 (``/report/``): anyone, guests included, reports illegal content on the site."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fupan.moderation.actions import GUEST_SITE_REPORTS_PER_HOUR
from fupan.moderation.models import Report

pytestmark = pytest.mark.django_db

GOOD = {"category": "fraud", "description": "有人冒充客服骗钱", "url": "/t/1/"}


def test_footer_links_to_the_info_report_page(guest_client, thread):
    html = guest_client.get(f"/t/{thread.pk}/").content.decode()
    assert 'href="/report/"' in html


def test_guest_sees_the_form_with_categories_and_a_csrf_token(guest_client):
    page = guest_client.get("/report/")
    html = page.content.decode()
    assert page.status_code == 200
    for value in ("illegal", "vulgar", "infringement", "fraud", "other"):
        assert f'name="category" value="{value}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="contact"' in html and 'name="description"' in html


def test_the_address_is_prefilled_from_the_url_parameter_or_the_referer_on_this_site(
    guest_client,
):
    assert 'value="/t/5/"' in guest_client.get("/report/?url=/t/5/").content.decode()
    by_referer = guest_client.get("/report/", HTTP_REFERER="http://testserver/t/7/")
    assert 'value="http://testserver/t/7/"' in by_referer.content.decode()
    elsewhere = guest_client.get(
        "/report/?url=https://evil.example/x", HTTP_REFERER="https://evil.example/y"
    )
    assert 'name="url" id="id_url" value=""' in elsewhere.content.decode()


def test_guest_report_is_stored_with_ip_and_contact_and_thanked(guest_client):
    response = guest_client.post(
        "/report/", {**GOOD, "contact": "someone@example.com"}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302 and response["Location"] == "/report/"
    report = Report.objects.get()
    assert report.kind == Report.Kind.SITE and report.reporter is None
    assert report.category == "fraud" and report.message == GOOD["description"]
    assert report.url == "/t/1/" and report.contact == "someone@example.com"
    assert report.ip == "198.51.100.4"
    assert 'class="messages"' in guest_client.get("/report/").content.decode()


def test_member_report_records_the_member(member_client, member):
    member_client.post("/report/", {**GOOD, "contact": "13800138000"})
    report = Report.objects.get()
    assert report.reporter == member and report.contact == "13800138000"


def test_description_is_required_and_the_rest_is_kept(guest_client):
    response = guest_client.post(
        "/report/", {"category": "illegal", "url": "/t/2/", "contact": "a@b.cn"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="/t/2/"' in html and 'value="a@b.cn"' in html and "form-error" in html
    assert not Report.objects.exists()


def test_description_longer_than_1000_characters_is_refused(guest_client):
    text = "字" * 1001
    response = guest_client.post("/report/", {**GOOD, "description": text})
    assert response.status_code == 400 and text in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("contact", ["not a contact", "a@", "12", "x" * 101])
def test_contact_must_be_an_email_or_a_phone_number(guest_client, contact):
    response = guest_client.post("/report/", {**GOOD, "contact": contact})
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/", "ftp://x/"])
def test_address_must_be_a_web_address_or_a_path(guest_client, url):
    assert guest_client.post("/report/", {**GOOD, "url": url}).status_code == 400
    assert not Report.objects.exists()


def test_category_is_required(guest_client):
    response = guest_client.post("/report/", {**GOOD, "category": ""})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_guests_are_rate_limited_per_ip(guest_client):
    for _ in range(GUEST_SITE_REPORTS_PER_HOUR):
        assert guest_client.post("/report/", GOOD).status_code == 302
    refused = guest_client.post("/report/", GOOD)
    assert refused.status_code == 429 and GOOD["description"] in refused.content.decode()
    assert Report.objects.count() == GUEST_SITE_REPORTS_PER_HOUR
    # Another address is not affected.
    assert guest_client.post("/report/", GOOD, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_htmx_submission_answers_in_place(guest_client, htmx_headers):
    done = guest_client.post("/report/", GOOD, **htmx_headers)
    assert done.status_code == 200
    html = done.content.decode()
    assert "<html" not in html and "report-thanks" in html
    refused = guest_client.post("/report/", {**GOOD, "description": ""}, **htmx_headers)
    assert refused.status_code == 400
    assert 'id="site-report"' in refused.content.decode()
    assert Report.objects.count() == 1


def test_the_form_is_csrf_protected_like_every_form(site):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/report/", GOOD).status_code == 403
    assert not Report.objects.exists()
    page = client.get("/report/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post("/report/", {**GOOD, "csrfmiddlewaretoken": token}).status_code == 302
    assert Report.objects.count() == 1


def test_info_report_page_budget(guest_client, django_assert_num_queries):
    guest_client.get("/report/")
    with django_assert_num_queries(0):
        guest_client.get("/report/")
