"""resolve_legacy: every Discuz address form of FACTS.md §4 → the Fupan path (no database)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupan.importers.discuz.links import Lookup, resolve_legacy


def resolve(address: str) -> object:
    path, _, query = address.partition("?")
    return resolve_legacy(path, dict(parse_qsl(query, keep_blank_values=True)))


def aidencode(aid: int) -> str:
    """Discuz's aidencode(): base64 of "aid|hash|timestamp|uid|tid" (FACTS.md §1.15)."""
    return base64.b64encode(f"{aid}|1a2b3c4d|1700000000|3|12".encode()).decode()


CASES = [
    # forum.php: index, category, thread and its options
    ("/forum.php", "/"),
    ("/forum.php?mod=index", "/"),
    ("/forum.php?gid=1", "/f/1/"),
    ("/forum.php?mod=viewthread&tid=12", "/t/12/"),
    ("/forum.php?mod=viewthread&tid=12&extra=page%3D2&page=3", "/t/12/?page=3"),
    ("/forum.php?mod=viewthread&tid=12&page=1", "/t/12/"),
    ("/forum.php?mod=viewthread&tid=12&page=2&authorid=5", "/t/12/?page=2&author=5"),
    ("/forum.php?mod=viewthread&tid=12&ordertype=1", "/t/12/?order=desc"),
    ("/forum.php?mod=viewthread&tid=12&ordertype=2", "/t/12/"),
    ("/forum.php?mod=viewthread&tid=12&from=album&highlight=x&mobile=2", "/t/12/"),
    ("/forum.php?mod=viewthread&tid=12&action=printable", "/t/12/"),
    # jumps
    ("/forum.php?mod=redirect&goto=findpost&ptid=12&pid=99", "/p/99/"),
    ("/forum.php?mod=redirect&goto=findpost&pid=99", "/p/99/"),
    ("/forum.php?mod=redirect&ptid=12&postno=7", "/t/12/7/"),
    ("/forum.php?mod=redirect&tid=12&goto=lastpost", Lookup("lastpost", 12)),
    ("/forum.php?mod=redirect&tid=12&goto=nextnewset", None),
    # board lists
    ("/forum.php?mod=forumdisplay&fid=2", "/f/2/"),
    ("/forum.php?mod=forumdisplay&fid=2&page=4", "/f/2/?page=4"),
    ("/forum.php?mod=forumdisplay&fid=2&filter=typeid&typeid=7", "/f/2/?type=7"),
    ("/forum.php?mod=forumdisplay&fid=2&filter=digest&digest=1", "/f/2/?filter=digest"),
    ("/forum.php?mod=forumdisplay&fid=2&filter=lastpost&orderby=lastpost", "/f/2/"),
    ("/forum.php?mod=forumdisplay&fid=2&orderby=replies&page=2", "/f/2/?page=2&order=replies"),
    ("/forum.php?mod=forumdisplay&fid=2&filter=heat&orderby=heats", "/f/2/"),
    ("/forum.php?mod=group&fid=30", "/f/30/"),
    # attachments and thumbnails
    (f"/forum.php?mod=attachment&aid={aidencode(77)}", "/attachments/77/"),
    (f"/forum.php?mod=attachment&aid={aidencode(77)}&nothumb=yes", "/attachments/77/"),
    ("/forum.php?mod=attachment&aid=77", "/attachments/77/"),
    ("/forum.php?mod=image&aid=77&size=300x300&key=abc", "/attachments/77/thumb/"),
    # posting forms
    ("/forum.php?mod=post&action=newthread&fid=2", "/f/2/new/"),
    ("/forum.php?mod=post&action=reply&fid=2&tid=12&repquote=5", "/t/12/reply/"),
    ("/forum.php?mod=post&action=edit&fid=2&tid=12&pid=99", "/p/99/edit/"),
    # home.php: spaces and the member's lists
    ("/home.php?mod=space&uid=5", "/u/5/"),
    ("/home.php?mod=space&uid=5&do=profile", "/u/5/"),
    ("/home.php?mod=space&uid=5&do=thread&view=me", "/u/5/threads/"),
    ("/home.php?mod=space&uid=5&do=thread&view=me&type=reply", "/u/5/replies/"),
    ("/home.php?mod=space&username=%E5%BC%A0%E4%B8%89", Lookup("username", "张三")),
    ("/home.php?mod=space&username=abc&do=thread", Lookup("username", "abc", "threads/")),
    ("/home.php?mod=space&do=favorite&view=me", "/favorites/"),
    ("/home.php?mod=space&do=notice", "/notifications/"),
    ("/home.php?mod=space&do=pm", "/pm/"),
    ("/home.php?mod=space&uid=5&do=blog&id=3", None),
    ("/home.php?mod=spacecp", "/settings/"),
    ("/home.php?mod=spacecp&ac=profile&op=password", "/settings/"),
    ("/home.php?mod=spacecp&ac=pm&op=showmsg&touid=5", "/pm/new/?to=5"),
    ("/home.php?mod=magic", "/items/"),
    # rewrite (伪静态) forms
    ("/thread-12-1-1.html", "/t/12/"),
    ("/thread-12-3-2.html", "/t/12/?page=3"),
    ("/forum-2-1.html", "/f/2/"),
    ("/forum-2-5.html", "/f/2/?page=5"),
    ("/forum-news-1.html", None),  # a forum alias, not an id
    ("/group-30-1.html", "/f/30/"),
    ("/space-uid-5.html", "/u/5/"),
    ("/space-username-abc.html", Lookup("username", "abc")),
    ("/article-3-1.html", None),
    ("/blog-5-3.html", None),
    ("/topic-news.html", None),
    # archiver
    ("/archiver/", "/"),
    ("/archiver/?tid-12.html", "/t/12/"),
    ("/archiver/?tid-12.html&page=2", "/t/12/?page=2"),
    ("/archiver/?fid-2.html&page=3", "/f/2/?page=3"),
    ("/archiver/tid-12.html", "/t/12/"),
    ("/archiver/fid-2.html", "/f/2/"),
    ("/archiver/index.php?action=tid&value=12", "/t/12/"),
    # search, members, misc
    ("/search.php", "/search/"),
    ("/search.php?mod=forum", "/search/"),
    (
        "/search.php?mod=forum&srchtxt=%E6%96%B0%E9%97%BB&searchsubmit=yes",
        "/search/?q=%E6%96%B0%E9%97%BB",
    ),
    ("/search.php?mod=forum&searchid=9&kw=abc", "/search/?q=abc"),
    (
        "/search.php?mod=forum&srchtxt=abc&srchtype=title&srchfid=2",
        "/search/?q=abc&scope=title&board=2",
    ),
    ("/search.php?mod=forum&srchuname=abc", "/search/?author=abc"),
    ("/search.php?mod=portal&srchtxt=abc", None),
    ("/member.php?mod=logging&action=login", "/login/"),
    ("/member.php?mod=logging&action=logout&formhash=abc", None),
    ("/member.php?mod=register", "/register/"),
    ("/member.php?mod=lostpasswd", "/password/reset/"),
    ("/misc.php?mod=faq", "/about/"),
    ("/misc.php?mod=faq&action=faq&id=1&messageid=2", "/about/"),
    ("/misc.php?mod=report&rtype=post&rid=99&tid=12&fid=2", "/report/post/99/"),
    ("/misc.php?mod=ranklist", None),
    ("/portal.php", "/"),
    ("/portal.php?mod=view&aid=3", None),
    ("/index.php", "/"),
    # a forum that lived under /bbs/
    ("/bbs/forum.php?mod=viewthread&tid=12", "/t/12/"),
    ("/bbs/thread-12-1-1.html", "/t/12/"),
    ("/bbs/archiver/?tid-12.html", "/t/12/"),
]


@pytest.mark.parametrize(("address", "target"), CASES)
def test_every_discuz_address_form_maps_to_its_fupan_page(address, target):
    assert resolve(address) == target


@pytest.mark.parametrize(
    "address",
    [
        "/forum.php?mod=viewthread",
        "/forum.php?mod=viewthread&tid=0",
        "/forum.php?mod=viewthread&tid=-3",
        "/forum.php?mod=viewthread&tid=abc",
        "/forum.php?mod=viewthread&tid=99999999999",
        "/forum.php?mod=viewthread&tid=" + "9" * 5000,
        "/forum.php?mod=forumdisplay&fid=",
        "/forum.php?mod=attachment&aid=%%%",
        "/forum.php?mod=attachment&aid=" + base64.b64encode(b"x|y").decode(),
        "/forum.php?mod=redirect&goto=findpost",
        "/forum.php?mod=rss&fid=2",
        "/forum.php?mod=nonsense",
        "/home.php?mod=space&uid=abc",
        "/home.php?mod=space&username=%00",
        "/home.php?mod=task",
        "/thread-0-1-1.html",
        "/thread-12-1.html",
        "/forum-2-1-1.html",
        "/thread-99999999999-1-1.html",
        "/archiver/?tid-abc.html",
        "/plugin.php?id=x:y",
        "/data/attachment/forum/202001/01/abc.jpg",
    ],
)
def test_unknown_or_damaged_addresses_map_to_nothing(address):
    assert resolve(address) is None


def test_an_unencoded_plus_in_the_attachment_code_still_works():
    code = base64.b64encode(b"1234|~~~~~~~~|1700000000|3|12").decode()
    assert "+" in code or "/" in code
    assert resolve_legacy("/forum.php", {"mod": "attachment", "aid": code.replace("+", " ")}) == (
        "/attachments/1234/"
    )
    assert resolve_legacy("/forum.php", {"mod": "attachment", "aid": code.rstrip("=")}) == (
        "/attachments/1234/"
    )


def test_a_search_keyword_is_cut_and_cleaned():
    target = resolve_legacy("/search.php", {"srchtxt": "a\x00b  c" + "x" * 500})
    assert isinstance(target, str)
    assert target.startswith("/search/?q=a+b+c") and "%00" not in target and len(target) < 200


_query = st.dictionaries(
    st.sampled_from(
        [
            "mod",
            "tid",
            "ptid",
            "pid",
            "fid",
            "gid",
            "uid",
            "aid",
            "page",
            "goto",
            "do",
            "ac",
            "username",
            "srchtxt",
            "filter",
            "typeid",
            "action",
            "authorid",
            "postno",
            "type",
            "rtype",
            "rid",
            "tid-1.html",
            "value",
        ]
    )
    | st.text(max_size=10),
    st.one_of(
        st.sampled_from(
            [
                "viewthread",
                "redirect",
                "forumdisplay",
                "attachment",
                "space",
                "spacecp",
                "findpost",
                "lastpost",
                "logging",
                "1",
                "0",
                "-1",
                "tid",
            ]
        ),
        st.text(max_size=40),
        st.integers().map(str),
    ),
    max_size=6,
)
_path = st.one_of(
    st.sampled_from(
        [
            "/forum.php",
            "/home.php",
            "/member.php",
            "/misc.php",
            "/search.php",
            "/archiver/",
            "/portal.php",
            "/index.php",
            "/",
        ]
    ),
    st.from_regex(r"\A/(?:thread|forum|group|space|archiver/tid)-[-\w%]{0,20}\.html\Z"),
    st.text(max_size=40),
)


@given(path=_path, query=_query)
def test_any_address_maps_to_a_local_path_a_lookup_or_nothing(path, query):
    target = resolve_legacy(path, query)
    if isinstance(target, str):
        assert target.startswith("/") and not target.startswith(("//", "/\\"))
        assert not any(ch in target for ch in "\r\n\x00 #")
    else:
        assert target is None or isinstance(target, Lookup)
