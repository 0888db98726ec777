"""The header and footer links, drawn once per state (``core/chrome.py``): every page still
gets its own address in its links, every viewer their own name, counts and CSRF field."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fupan.core.chrome import _drawn
from fupan.testing.plugin import uncached_guest_pages


@pytest.fixture(autouse=True)
def _rendered_for_guests():
    uncached_guest_pages()  # the kept drawings are forgotten before each test (testing/plugin.py)


def _links(html: str, view: str) -> list[str]:
    return re.findall(rf'href="/{view}/\?next=([^"]+)"', html)


@pytest.mark.django_db
def test_each_page_links_back_to_itself(guest_client, thread, board):
    pages = ["/", f"/f/{board.pk}/", f"/t/{thread.pk}/", f"/t/{thread.pk}/?order=desc&page=1"]
    for path in pages:
        html = guest_client.get(path).content.decode()
        expected = quote(path, safe="/").replace("&", "&amp;")
        header = html[html.index('<header id="hd">') : html.index("</header>")]
        assert _links(header, "login") == [expected]
        assert _links(html, "prefs/no-images") == [expected]
    assert _drawn.cache_info().misses == 1  # one drawing served all four pages


@pytest.mark.django_db
def test_each_member_sees_their_own_name_counts_and_token(member_client, member, other_member):
    html = member_client.get("/").content.decode()
    assert f">{member.username}</a>" in html and 'class="um-badge"' not in html
    get_user_model().objects.filter(pk=member.pk).update(new_notifications=3)
    html = member_client.get("/").content.decode()
    assert re.search(r'class="um-notice has-new">[^<]*<span class="um-badge"[^>]*>3</span>', html)
    other = Client()
    other.force_login(other_member)
    other_html = other.get("/").content.decode()
    assert f">{other_member.username}</a>" in other_html and member.username not in other_html
    token = re.search(
        r'action="/logout/"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )
    assert token and "\x00" not in html
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = member_client.cookies
    assert checked.post("/logout/", {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert not checked.get("/").wsgi_request.user.is_authenticated
