"""rewrite_links: links into the old site inside a post's Discuz code point at Fupan's pages."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupan.importers.discuz.links import rewrite_links

HOSTS = {"bbs.example.com", "www.example.com", "example.com:8080"}


def rewrite(body: str) -> str:
    return rewrite_links(body, site_hosts=HOSTS)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "[url=http://bbs.example.com/forum.php?mod=viewthread&tid=3]看这里[/url]",
            "[url=/t/3/]看这里[/url]",
        ),
        (
            '[url="https://bbs.example.com/thread-3-2-1.html"]看这里[/url]',
            '[url="/t/3/?page=2"]看这里[/url]',
        ),
        ("[url=forum.php?mod=viewthread&amp;tid=3&amp;page=2]x[/url]", "[url=/t/3/?page=2]x[/url]"),
        ("[url]thread-3-1-1.html[/url]", "[url]/t/3/[/url]"),
        (
            "[url]http://bbs.example.com/forum.php?mod=redirect&goto=findpost&ptid=3&pid=9[/url]",
            "[url]/p/9/[/url]",
        ),
        (
            "见 http://bbs.example.com/thread-3-1-1.html，谢谢",
            "见 [url=/t/3/]http://bbs.example.com/thread-3-1-1.html[/url]，谢谢",
        ),
        (
            "(see http://bbs.example.com/forum-2-1.html).",
            "(see [url=/f/2/]http://bbs.example.com/forum-2-1.html[/url]).",
        ),
        (
            "www.example.com/space-uid-5.html",
            "[url=/u/5/]www.example.com/space-uid-5.html[/url]",
        ),
        (
            "http://example.com:8080/forum.php?gid=1",
            "[url=/f/1/]http://example.com:8080/forum.php?gid=1[/url]",
        ),
        (
            "http://bbs.example.com/forum.php?mod=viewthread&tid=3&page=2#pid77",
            "[url=/p/77/]http://bbs.example.com/forum.php?mod=viewthread&tid=3&page=2#pid77[/url]",
        ),
        (
            "[img]http://bbs.example.com/forum.php?mod=attachment&aid="
            + base64.b64encode(b"41|abcdabcd|1700000000|3|3").decode()
            + "[/img]",
            "[img]/attachments/41/[/img]",
        ),
        (
            "[url=http://bbs.example.com/forum.php?mod=attachment&aid=41]"
            "[img=200,100]http://bbs.example.com/forum.php?mod=attachment&aid=41[/img][/url]",
            "[url=/attachments/41/][img=200,100]/attachments/41/[/img][/url]",
        ),
        (
            # A lookup keeps the Discuz form, from the root: the redirect views answer it.
            "[url=home.php?mod=space&username=abc]abc[/url]",
            "[url=/home.php?mod=space&username=abc]abc[/url]",
        ),
        (
            "[url=http://bbs.example.com/bbs/forum.php?mod=redirect&tid=3&goto=lastpost]x[/url]",
            "[url=/bbs/forum.php?mod=redirect&tid=3&goto=lastpost]x[/url]",
        ),
    ],
)
def test_internal_links_point_at_the_new_pages(body, expected):
    assert rewrite(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "http://other.example.org/forum.php?mod=viewthread&tid=3",
        "[url=https://evil.example/thread-1-1-1.html]x[/url]",
        "[url=http://bbs.example.com.evil.example/thread-1-1-1.html]x[/url]",
        "[url=http://bbs.example.com/portal.php?mod=view&aid=3]文章[/url]",
        "[url=http://bbs.example.com/data/attachment/forum/a.jpg]x[/url]",
        "[url=mailto:a@bbs.example.com]mail[/url]",
        "[url=javascript:alert(1)//thread-1-1-1.html]x[/url]",
        "forum.php?mod=viewthread&tid=3 as bare text is not a link",
        "[code]http://bbs.example.com/thread-3-1-1.html[/code]",
        "[CODE][url=forum.php?mod=viewthread&tid=3]x[/url][/CODE]",
        "[url=http://bbs.example.com/thread-1-1-1.html]label without an end",
        "[url=http://[::1/]broken[/url]",
        "http://bbs.example.com:99999/thread-1-1-1.html",
    ],
)
def test_other_links_and_code_are_left_exactly_as_written(body):
    assert rewrite(body) == body


def test_text_around_code_is_still_rewritten():
    body = "[url]thread-1-1-1.html[/url][code]thread-2-1-1.html[/code][url]thread-3-1-1.html[/url]"
    assert rewrite(body) == "[url]/t/1/[/url][code]thread-2-1-1.html[/code][url]/t/3/[/url]"


def test_no_hosts_means_only_relative_links_change():
    body = "[url]thread-1-1-1.html[/url] http://bbs.example.com/thread-1-1-1.html"
    assert rewrite_links(body, site_hosts=set()) == (
        "[url]/t/1/[/url] http://bbs.example.com/thread-1-1-1.html"
    )


_url_bits = st.sampled_from(
    [
        "http://bbs.example.com/",
        "https://www.example.com/",
        "http://example.com:8080/",
        "forum.php?mod=viewthread&tid=",
        "thread-",
        "-1-1.html",
        "[url=",
        "[url]",
        "[/url]",
        "[img]",
        "[/img]",
        "[code]",
        "[/code]",
        "]",
        "[",
        "&amp;",
        "#pid",
        "?",
        "&",
        "=",
        "home.php?mod=space&username=",
        "mod=redirect&goto=findpost&pid=",
        "www.",
        "(",
        ")",
        "http://other.example.org/",
        "aid=",
        "archiver/?tid-",
        ".html",
        " ",
        "\n",
        "，",
    ]
)
_bodies = st.lists(
    st.one_of(_url_bits, st.text(max_size=8), st.integers(-5, 10**12).map(str)), max_size=40
).map("".join)

_EXTERNAL = st.sampled_from(
    [
        "http://other.example.org/forum.php?mod=viewthread&tid=3",
        "https://evil.example/thread-1-1-1.html",
        "[url=https://evil.example/home.php?mod=space&uid=1]x[/url]",
        "[img]http://cdn.example.net/forum.php?mod=attachment&aid=5[/img]",
    ]
)


@given(_bodies)
def test_any_text_rewrites_without_error_and_stays_on_site(body):
    out = rewrite(body)
    assert isinstance(out, str)
    for marker in ("evil", "other.example.org"):
        assert out.count(marker) == body.count(marker)


@given(before=_bodies, external=_EXTERNAL, after=_bodies)
def test_external_links_come_through_untouched(before, external, after):
    # Separated by newlines so the neighbours cannot become part of the link.
    out = rewrite(f"{before}\n{external}\n{after}")
    assert f"\n{external}\n" in out


@given(st.text())
def test_arbitrary_unicode_never_crashes(body):
    assert isinstance(rewrite(body), str)


def test_a_huge_body_is_rewritten_quickly():
    import time

    body = ("[url=" + "x" * 50 + " [code] http://bbs.example.com/thread-1-1-1.html ") * 5000
    started = time.perf_counter()
    rewrite(body)
    assert time.perf_counter() - started < 5
