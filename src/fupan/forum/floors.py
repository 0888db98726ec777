"""A floor's HTML, remembered by everything it shows.

``forum/_post.jinja`` reads nothing but a :class:`Floor` — the post's fields as this viewer sees
them, already formatted (times, avatar, body with attachments, signature) — and the page's
:class:`FloorPage`, plus the language and URL prefix of the render. So two equal Floors draw the
same HTML, and a floor drawn once is kept in the process by its Floor: nothing to invalidate, an
edit, a vote, a moderator's flag or a new avatar is a different Floor. A thread page's floors are
most of its template work; a reader paging through a thread, and every member who reads it
after them, finds them drawn.

The CSRF field of a floor's forms (votes, moderation) is the viewer's own: a floor is kept with a
marker in its place and the page's field goes in when it is printed. Jammer boards draw new noise
at every view, so their floors are never kept (``remember=False``).
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any, NamedTuple

from markupsafe import Markup

# Floors kept per process: a floor is 5–15 KB with its key, so about 20–60 MB at most.
FLOOR_MEMORY = 3000
_CSRF_MARK = "\x00fupan-csrf\x00"


class FloorPage(NamedTuple):
    """What a page's floors share: the render's language and URL prefix, the viewer, the page's
    order links and the site's texts."""

    language: str
    prefix: str
    signed_in: bool
    is_moderator: bool
    no_images: bool
    author_filter: bool  # 只看该作者: each floor's menu offers "show all floors"
    reverse: bool
    link_oldest: str
    link_newest: str
    footer_notice: str
    # The first floor only: the guest banner and the attachments notice, and 顶/踩 of the thread.
    guest_banner: str
    banner_next: str
    attach_notice: bool
    login_url: str
    show_recommend: bool
    can_recommend: bool
    my_recommend: int
    recommend_add: int
    recommend_sub: int


class Floor(NamedTuple):
    page: FloorPage
    pk: int
    thread_id: int
    position: int
    floor: str  # the label: 楼主, 沙发 … 12#
    is_first: bool
    is_hot: bool
    state: int
    author_id: int | None
    author_name: str
    avatar: str
    posted: str  # the shown time (HTML)
    from_mobile: bool
    warned: bool
    hidden: bool
    edited: str  # "" or the time of the last edit (text)
    edited_by_name: str
    html: str
    attachments: str  # the attachments not placed in the text (HTML)
    signature: str
    support: int
    oppose: int
    my_vote: int
    can_vote: bool
    can_edit: bool
    can_delete: bool


def floor_html(floor: Floor, csrf_input: Any, *, remember: bool = True) -> Markup:
    html, needs_csrf = _kept(floor) if remember else _draw(floor)
    if needs_csrf:
        html = html.replace(_CSRF_MARK, str(csrf_input))
    return Markup(html)


def floors_html(
    floors: list[Floor], csrf_input: Any, *, remember: bool = True, after_first: Any = ""
) -> Markup:
    """A page's floors in one call (``floor_html`` for each, ``after_first`` following the first
    post): the viewer's CSRF field is worked out once, and only if a floor has a form."""
    csrf: str | None = None
    out = []
    for floor in floors:
        html, needs_csrf = _kept(floor) if remember else _draw(floor)
        if needs_csrf:
            if csrf is None:
                csrf = str(csrf_input)
            html = html.replace(_CSRF_MARK, csrf)
        out.append(html)
        if floor.is_first and after_first:
            out.append(str(after_first))
    return Markup("\n".join(out))


def _draw(floor: Floor) -> tuple[str, bool]:
    from django.template.loader import get_template

    # The Jinja2 template itself, not Django's wrapper: the context is the Floor and no more.
    template = get_template("forum/_post.jinja").template  # type: ignore[attr-defined]
    page = floor.page
    html = template.render(
        f=floor,
        pg=page,
        csrf_input=Markup(_CSRF_MARK),
        # forum/_votes.jinja and forum/_recommend.jinja, as the vote answers use them too
        post=floor,
        my_vote=floor.my_vote,
        can_vote=floor.can_vote,
        vote_error=None,
        signed_in=page.signed_in,
        thread=SimpleNamespace(
            pk=floor.thread_id,
            recommend_add=page.recommend_add,
            recommend_sub=page.recommend_sub,
        ),
        can_recommend=page.can_recommend,
        my_recommend=page.my_recommend,
        recommend_error=None,
    )
    return html, _CSRF_MARK in html


_kept = lru_cache(maxsize=FLOOR_MEMORY)(_draw)


def forget_floors() -> None:
    """Drop the kept floors (tests that change a template's inputs outside a Floor)."""
    _kept.cache_clear()
