"""A thread page around its floors, drawn once and kept by what it shows.

The title, the breadcrumb, the bar above the floors (pager, buttons, the thread's head, notices)
and the part below them (pager, quick reply, credit rules link) read nothing but a :class:`Frame`
— the thread, its board and the viewer's marks and rights as the page shows them — so equal
Frames draw the same HTML, kept in the process as floors are (``forum/floors.py``): a new reply,
a favourite or an edited title is a different Frame. What changes at every view goes in when the
page is printed: the view count, the viewer's CSRF field and the quick reply's submission token;
a moderator's thread tools are drawn for them and put in their place.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any, NamedTuple

from markupsafe import Markup

from fupan.core.pagination import Pager

FRAME_MEMORY = 2000  # frames kept per process, about 6 KB each with their key

_VIEWS = "\x00fupan-views\x00"
_CSRF = "\x00fupan-csrf\x00"
_TOKEN = "\x00fupan-token\x00"
_MOD_PANEL = "\x00fupan-mod-panel\x00"
_CUT = "\x00fupan-cut\x00"


class Frame(NamedTuple):
    language: str
    prefix: str
    site_name: str
    board_pk: int
    board_name: str
    parent_pk: int | None
    parent_name: str
    thread_pk: int
    title: str
    type_id: int | None
    type_name: str  # "" without a type
    replies: int
    closed: bool
    digest: int
    favorites: int
    state: int
    page: int
    pages: int
    page_link: str  # the pager's link with core.jinja2's page mark ("" on a single page)
    canonical: str
    full_path: str  # the page's own address: where logging in from the quick reply returns
    signed_in: bool
    can_start_thread: bool
    can_reply: bool
    kept: bool
    followed: bool
    append_ok: bool
    group_title: str
    is_moderator: bool


class FrameParts(NamedTuple):
    title: Markup
    breadcrumb: Markup
    top: Markup
    bottom: Markup


def frame_parts(
    frame: Frame, *, views: int, csrf_input: Any, token: str, mod_panel: str = ""
) -> FrameParts:
    title, breadcrumb, top, bottom = _drawn(frame)
    top = top.replace(_VIEWS, str(int(views)))
    if frame.is_moderator:
        top = top.replace(_MOD_PANEL, mod_panel)
    if frame.signed_in:  # only a member's page has forms (a guest's has no CSRF cookie)
        csrf = str(csrf_input)
        top = top.replace(_CSRF, csrf)
        bottom = bottom.replace(_CSRF, csrf).replace(_TOKEN, str(Markup.escape(token)))
    return FrameParts(Markup(title), Markup(breadcrumb), Markup(top), Markup(bottom))


@lru_cache(maxsize=FRAME_MEMORY)
def _drawn(frame: Frame) -> tuple[str, str, str, str]:
    from django.template.loader import get_template

    # The Jinja2 template itself, not Django's wrapper: the context is the Frame and no more.
    template = get_template("forum/_thread_frame.jinja").template  # type: ignore[attr-defined]
    f = frame
    thread = SimpleNamespace(
        pk=f.thread_pk,
        title=f.title,
        views=Markup(_VIEWS),
        replies=f.replies,
        closed=f.closed,
        digest=f.digest,
        favorites=f.favorites,
        state=f.state,
        type_id=f.type_id,
        type=SimpleNamespace(name=f.type_name) if f.type_name else None,
    )
    parent = SimpleNamespace(pk=f.parent_pk, name=f.parent_name) if f.parent_pk else None
    user = SimpleNamespace(is_authenticated=f.signed_in)
    html = template.render(
        f=f,
        cut=Markup(_CUT),
        mod_panel=Markup(_MOD_PANEL),
        # What the shared partials (breadcrumb, pager, favourite buttons, quick reply) read.
        site=SimpleNamespace(site_name=f.site_name),
        board=SimpleNamespace(pk=f.board_pk, name=f.board_name, parent=parent),
        thread=thread,
        pager=Pager(f.page, f.pages),
        request=SimpleNamespace(
            user=user, _fupan_page_query=f.page_link, get_full_path=lambda: f.full_path
        ),
        perms=SimpleNamespace(group=SimpleNamespace(title=f.group_title)),
        csrf_input=Markup(_CSRF),
        reply_token=Markup(_TOKEN),
        kept=f.kept,
        followed=f.followed,
        can_reply=f.can_reply,
        can_start_thread=f.can_start_thread,
        append_ok=f.append_ok,
        canonical=f.canonical,
    )
    title, breadcrumb, top, bottom = html.split(_CUT)
    return title, breadcrumb, top, bottom


def forget_frames() -> None:
    """Drop the kept frames (tests that change a template's inputs outside a Frame)."""
    _drawn.cache_clear()
