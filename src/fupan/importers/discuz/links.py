"""Old Discuz! X3.5 addresses → Fupan paths (FACTS.md §4). Pure functions, no database.

The importer keeps Discuz's ids (tid → Thread.pk, pid → Post.pk, fid → Board.pk, uid → User.pk,
aid → Attachment.pk, typeid → ThreadType.pk) and ``postperpage`` → ``posts_per_page``, so almost
every old address maps from its text alone. Two need the database and come back as a
:class:`Lookup` for the redirect view (``importers/discuz/views.py``) to finish with one query:
``goto=lastpost`` and ``username=…``.

- :func:`resolve_legacy` maps one address (path + query) for the redirect views;
- :func:`rewrite_links` rewrites the links inside a post's Discuz code for the importer.

Every target is built here from parsed integers and URL-encoded text, never copied from the
request, so a legacy address can never redirect off the site.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_ID = 2**31 - 1
# A search keyword longer than this is cut (Fupan's search refuses long queries anyway).
MAX_KEYWORD = 100
MAX_NAME = 32  # Fupan's longest username (Discuz's is 15)


@dataclass(frozen=True)
class Lookup:
    """An address whose target needs one query: the last visible floor of a thread
    (``kind="lastpost"``, ``key`` = tid), or a member by name (``kind="username"``, ``key`` = the
    name, ``suffix`` = what follows ``/u/<id>/``, e.g. ``"threads/"``)."""

    kind: Literal["lastpost", "username"]
    key: int | str
    suffix: str = ""


Target = str | Lookup | None


def _id(raw: object) -> int | None:
    """Discuz reads ids with ``intval``: leading digits count, anything else is no id."""
    if not isinstance(raw, str):
        return None
    match = re.match(r"\s*0*(\d+)", raw)
    if match is None or len(match.group(1)) > 10:  # also keeps int() off huge digit strings
        return None
    value = int(match.group(1))
    return value if 0 < value <= MAX_ID else None


def _text(raw: object, limit: int) -> str:
    """Free text from a query (a name, a keyword): spaces folded, control characters (a NUL that
    PostgreSQL would refuse) removed, at most ``limit`` characters."""
    if not isinstance(raw, str):
        return ""
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw[: limit * 4])
    return " ".join(kept.split())[:limit]


def _with(path: str, **params: object) -> str:
    """``path`` with the parameters that are set, in a stable order."""
    kept = {k: v for k, v in params.items() if v is not None and v != ""}
    return f"{path}?{urlencode(kept)}" if kept else path


def _page(query: Mapping[str, str]) -> int | None:
    page = _id(query.get("page"))
    return page if page and page > 1 else None


def _thread(tid: int, page: int | None = None, **params: object) -> str:
    return _with(f"/t/{tid}/", page=page if page and page > 1 else None, **params)


def _board(fid: int, page: int | None = None, **params: object) -> str:
    return _with(f"/f/{fid}/", page=page if page and page > 1 else None, **params)


def _aid(raw: object) -> int | None:
    """An attachment id from ``aid=``: a plain number, or Discuz's ``aidencode`` — base64 of
    ``"aid|hash|timestamp|uid|tid"`` (FACTS.md §1.15). A ``+`` that arrived unencoded in a query
    string reads as a space."""
    if not isinstance(raw, str) or not raw:
        return None
    if raw.strip().isdigit():
        return _id(raw)
    text = raw.strip().replace(" ", "+")
    text += "=" * (-len(text) % 4)
    try:
        decoded = base64.b64decode(text, altchars=b"-_" if "-" in text or "_" in text else None)
    except (binascii.Error, ValueError):
        return None
    head = decoded.split(b"|", 1)[0]
    return _id(head.decode("ascii", "replace")) if head.isdigit() else None


# forum.php ------------------------------------------------------------------------------------

BOARD_ORDERS = {"lastpost", "dateline", "replies", "views"}


def _viewthread(query: Mapping[str, str]) -> Target:
    tid = _id(query.get("tid"))
    if tid is None:
        return None
    return _thread(
        tid,
        _page(query),
        author=_id(query.get("authorid")),
        order="desc" if query.get("ordertype") == "1" else None,
    )


def _redirect(query: Mapping[str, str]) -> Target:
    goto = query.get("goto", "")
    tid = _id(query.get("ptid")) or _id(query.get("tid"))
    if goto == "findpost":
        pid = _id(query.get("pid"))
        if pid is not None:
            return f"/p/{pid}/"
        return _thread(tid) if tid else None
    if goto == "lastpost":
        return Lookup("lastpost", tid) if tid else None
    if goto in ("nextnewset", "nextoldset"):
        return None  # Fupan has no "next thread" link
    floor = _id(query.get("postno"))
    if tid and floor:
        return f"/t/{tid}/{floor}/"
    return None


def _forumdisplay(query: Mapping[str, str]) -> Target:
    fid = _id(query.get("fid"))
    if fid is None:
        return None
    flt = query.get("filter", "")
    type_id = _id(query.get("typeid")) if flt == "typeid" or "typeid" in query else None
    digest = flt == "digest" or _id(query.get("digest")) is not None
    order = query.get("orderby", "")
    return _board(
        fid,
        _page(query),
        type=type_id,
        filter="digest" if digest else None,
        order=order if order in BOARD_ORDERS and order != "lastpost" else None,
    )


def _post(query: Mapping[str, str]) -> Target:
    action = query.get("action", "")
    if action == "newthread":
        fid = _id(query.get("fid"))
        return f"/f/{fid}/new/" if fid else None
    if action == "reply":
        tid = _id(query.get("tid"))
        return f"/t/{tid}/reply/" if tid else None
    if action == "edit":
        pid = _id(query.get("pid"))
        return f"/p/{pid}/edit/" if pid else None
    return None


def _forum(query: Mapping[str, str]) -> Target:
    mod = query.get("mod", "")
    if mod == "viewthread":
        return _viewthread(query)
    if mod == "redirect":
        return _redirect(query)
    if mod == "forumdisplay":
        return _forumdisplay(query)
    if mod == "group":  # Discuz groups are forums too (same fid space)
        fid = _id(query.get("fid"))
        return _board(fid, _page(query)) if fid else None
    if mod == "attachment":
        aid = _aid(query.get("aid"))
        return f"/attachments/{aid}/" if aid else None
    if mod == "image":
        aid = _aid(query.get("aid"))
        return f"/attachments/{aid}/thumb/" if aid else None
    if mod == "post":
        return _post(query)
    if mod == "modcp":
        return "/mod/"
    if mod in ("", "index"):
        gid = _id(query.get("gid"))
        return f"/f/{gid}/" if gid else "/"
    return None


# home.php -------------------------------------------------------------------------------------

_SPACE_LISTS = {"thread": "threads/", "reply": "replies/"}


def _space(query: Mapping[str, str]) -> Target:
    do = query.get("do", "")
    if do == "favorite":
        return "/favorites/"
    if do == "notice":
        return "/notifications/"
    if do == "pm":
        return "/pm/"
    if do in ("", "index", "profile", "home"):
        suffix = ""
    elif do == "thread":
        # do=thread lists threads; &type=reply its replies (我的帖子 → 回复).
        suffix = _SPACE_LISTS["reply" if query.get("type") == "reply" else "thread"]
    else:
        return None  # blogs, albums, doings, shares, walls, friends: nothing in Fupan
    uid = _id(query.get("uid"))
    if uid is not None:
        return f"/u/{uid}/{suffix}"
    username = _text(query.get("username"), MAX_NAME)
    if username:
        return Lookup("username", username, suffix)
    if "uid" in query or "username" in query:
        return None  # an id or name that is none
    return "/" if do in ("", "home") else None


def _spacecp(query: Mapping[str, str]) -> Target:
    ac = query.get("ac", "")
    if ac == "pm":
        touid = _id(query.get("touid"))
        return _with("/pm/new/", to=touid) if touid else "/pm/"
    if ac == "favorite":
        return "/favorites/"
    return "/settings/"


def _home(query: Mapping[str, str]) -> Target:
    mod = query.get("mod", "") or "space"
    if mod == "space":
        return _space(query)
    if mod == "spacecp":
        return _spacecp(query)
    if mod == "magic":
        return "/items/"
    return None


# member.php, misc.php, search.php ------------------------------------------------------------


def _member(query: Mapping[str, str]) -> Target:
    mod = query.get("mod", "")
    if mod == "logging":
        return "/login/" if query.get("action", "login") == "login" else None
    if mod in ("register", "regverify"):
        return "/register/"
    if mod in ("lostpasswd", "getpasswd"):
        return "/password/reset/"
    return None


def _misc(query: Mapping[str, str]) -> Target:
    mod = query.get("mod", "")
    if mod == "faq":
        return "/about/"
    if mod == "report":
        pid = _id(query.get("rid")) if query.get("rtype") == "post" else None
        return f"/report/post/{pid}/" if pid else "/report/"
    if mod == "mobile":
        return "/app/"
    return None


def _search(query: Mapping[str, str]) -> Target:
    if query.get("mod", "forum") not in ("forum", "curforum", ""):
        return None  # portal/blog/album/user searches have no Fupan counterpart
    keyword = _text(query.get("srchtxt") or query.get("kw"), MAX_KEYWORD)
    author = _text(query.get("srchuname"), MAX_NAME)
    return _with(
        "/search/",
        q=keyword,
        scope="title" if keyword and query.get("srchtype") == "title" else None,
        board=_id(query.get("srchfid")) if keyword or author else None,
        author=author,
    )


# archiver/ and rewrite (伪静态) forms -----------------------------------------------------------

_ARCHIVER_KEY = re.compile(r"(tid|fid)-(\d+)\.html\Z")


def _archive(kind: str, raw_id: str, page: int | None) -> Target:
    value = _id(raw_id)
    if value is None:
        return None
    return _thread(value, page) if kind == "tid" else _board(value, page)


def _archiver(name: str, query: Mapping[str, str]) -> Target:
    page = _page(query)
    match = _ARCHIVER_KEY.match(name)
    if match:  # archiver/tid-1.html (rewrite)
        return _archive(match.group(1), match.group(2), page)
    for key in query:  # archiver/?tid-1.html
        match = _ARCHIVER_KEY.match(key)
        if match:
            return _archive(match.group(1), match.group(2), page)
    action = query.get("action", "")  # archiver/index.php?action=tid&value=1
    if action in ("tid", "fid"):
        return _archive(action, query.get("value", ""), page)
    return "/" if name in ("", "index.php") and not query else None


def _rewrite(name: str) -> Target:
    """The default rewrite rules (``rewritedata()``): thread-T-P-X, forum-F-P, group-F-P,
    space-uid-U, space-username-NAME. A forum alias (``forum-news-1.html``) is not an id."""
    if match := re.match(r"(thread|forum|group)-(\d+)-(\d+)(-\d+)?\.html\Z", name):
        kind, first, page = match[1], _id(match[2]), _id(match[3])
        if first is None or (kind == "thread") != (match[4] is not None):
            return None
        return _thread(first, page) if kind == "thread" else _board(first, page)
    if match := re.match(r"space-uid-(\d+)\.html\Z", name):
        uid = _id(match[1])
        return f"/u/{uid}/" if uid else None
    if match := re.match(r"space-username-(.+)\.html\Z", name, re.S):
        username = _text(match[1], MAX_NAME)
        return Lookup("username", username) if username else None
    return None


_SCRIPTS = {
    "forum.php": _forum,
    "home.php": _home,
    "member.php": _member,
    "misc.php": _misc,
    "search.php": _search,
}


def resolve_legacy(path: str, query: Mapping[str, str]) -> Target:
    """The Fupan path for a Discuz address, a :class:`Lookup` when it needs the database, or
    None when nothing here corresponds.

    ``path`` is the address's path (``/forum.php``, ``/bbs/thread-1-1-1.html``,
    ``archiver/``); only its last segment (and an ``archiver/`` before it) matters, so a forum
    that lived under ``/bbs/`` maps the same. ``query`` maps each parameter to one value.
    """
    parts = [p for p in path.split("/") if p]
    name = parts[-1] if parts else ""
    if name == "archiver" or (len(parts) >= 2 and parts[-2] == "archiver"):
        return _archiver("" if name == "archiver" else name, query)
    if name in _SCRIPTS:
        return _SCRIPTS[name](query)
    if name in ("", "index.php", "portal.php"):
        # The site's home; a portal page (article, topic, list) has no counterpart.
        return "/" if not query.get("mod") or query.get("mod") == "index" else None
    if name.endswith(".html"):
        return _rewrite(name)
    return None


# Post bodies ----------------------------------------------------------------------------------

# Inside [code] nothing is a link. Outside: [url=X]label[/url] (X rewritten, links in the label
# only inside [img]), [url]X[/url], [img]X[/img], and bare links — which the renderer turns into
# links (as Discuz's parseurl did), so a rewritten bare link becomes [url=new]as written[/url].
_CODE_TAG = re.compile(r"\[(/?)code\]", re.IGNORECASE)
_LINK = re.compile(
    r"""\[url=(?P<q>["']?)(?P<u1>[^\]\s"']+)(?P=q)\](?P<label>.{0,4000}?)\[/url\]"""
    r"|\[url\](?P<u2>[^\[\]\s]+)\[/url\]"
    r"|(?P<img>\[img(?:=[0-9, x]{0,20})?\])(?P<u4>[^\[\]\s]+)\[/img\]"
    r"|(?<![A-Za-z0-9\-=/@.])(?P<u3>(?:https?://|www\.)[A-Za-z0-9][!#-;=?-Z\\_a-z~|]*)",
    re.IGNORECASE | re.DOTALL,
)
_TRAILING = ".,;:!?)"
_PID_ANCHOR = re.compile(r"pid(\d{1,10})\Z")


def _rewrite_one(url: str, *, hosts: set[str], bare: bool) -> str | None:
    """The new address for one link, or None to leave it as written."""
    text = html.unescape(url)
    if text[:4].lower() == "www.":
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("", "http", "https"):
        return None
    if parts.netloc:
        if host not in hosts and (port is None or f"{host}:{port}" not in hosts):
            return None
    elif bare or parts.scheme:
        return None  # a relative address is only a link inside [url] or [img]
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    target = resolve_legacy(parts.path, query)
    if target is None:
        return None
    if isinstance(target, Lookup):
        # The redirect views answer the old address on the new site: keep it, from the root.
        path = "/" + parts.path.lstrip("/\\")
        return f"{path}?{parts.query}" if parts.query else path
    anchor = _PID_ANCHOR.match(parts.fragment)
    if anchor and target.startswith("/t/"):
        pid = _id(anchor.group(1))
        return f"/p/{pid}/" if pid else target  # the exact post, wherever its page is now
    return target


def _rewrite_segment(text: str, hosts: set[str], *, in_link: bool = False) -> str:
    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if match.group("u1") is not None:
            new = _rewrite_one(match.group("u1"), hosts=hosts, bare=False)
            label = _rewrite_segment(match.group("label"), hosts, in_link=True)
            q = match.group("q")
            return f"[url={q}{new or match.group('u1')}{q}]{label}[/url]"
        if match.group("u2") is not None:
            new = _rewrite_one(match.group("u2"), hosts=hosts, bare=False)
            return f"[url]{new}[/url]" if new else whole
        if match.group("u4") is not None:
            new = _rewrite_one(match.group("u4"), hosts=hosts, bare=False)
            return f"{match.group('img')}{new}[/img]" if new else whole
        if in_link:
            return whole  # a link's label is text to show, not a link
        url = match.group("u3")
        # Sentence punctuation after a link belongs to the sentence; ")" only if unbalanced.
        end, unbalanced = len(url), url.count(")") - url.count("(")
        while end and url[end - 1] in _TRAILING:
            if url[end - 1] == ")":
                if unbalanced <= 0:
                    break
                unbalanced -= 1
            end -= 1
        new = _rewrite_one(url[:end], hosts=hosts, bare=True)
        return f"[url={new}]{url[:end]}[/url]{url[end:]}" if new else whole

    return _LINK.sub(replace, text)


def rewrite_links(body: str, *, site_hosts: set[str]) -> str:
    """``body`` (Discuz code) with its links into the old site pointed at Fupan's paths.

    A link is the old site's when it names one of ``site_hosts`` (``"bbs.example.com"``, or
    ``"example.com:8080"`` for a port) or, inside ``[url]``/``[img]``, is relative
    (``forum.php?…``, ``thread-1-1-1.html``). Links elsewhere, old links with no Fupan
    counterpart, and everything inside ``[code]`` are left exactly as written. Addresses that
    need the database (``username=…``, ``goto=lastpost``) keep their Discuz form, made relative
    to the site's root, where the redirect views answer them.
    """
    hosts = {h.strip().lower() for h in site_hosts if h.strip()}
    out: list[str] = []
    position = 0
    code_start: int | None = None
    # [code] regions are found in one pass (an unclosed [code] is plain text, as in Discuz).
    for tag in _CODE_TAG.finditer(body):
        if code_start is None and not tag.group(1):
            code_start = tag.start()
        elif code_start is not None and tag.group(1):
            out.append(_rewrite_segment(body[position:code_start], hosts))
            out.append(body[code_start : tag.end()])
            position, code_start = tag.end(), None
    out.append(_rewrite_segment(body[position:], hosts))
    return "".join(out)
