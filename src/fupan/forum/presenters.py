"""What one viewer sees of a post: its HTML with their attachments, its floor label, the
controls they may use. Pure functions over prefetched data — no queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from markupsafe import Markup

from fupan.attachments.models import Attachment
from fupan.attachments.rendering import AttachmentViewer, render_attachment
from fupan.core.jinja2 import avatar_url, dztime, page_pattern, query, shown_time
from fupan.core.models import SiteSettings
from fupan.core.page_state import current_language
from fupan.core.pagination import Pager
from fupan.core.routes import script_prefix
from fupan.core.routes import url as route
from fupan.forum.floors import Floor, FloorPage
from fupan.forum.frame import Frame
from fupan.forum.models import Board, Post, Thread
from fupan.forum.queries import floor_label
from fupan.forum.rendering import post_base_html
from fupan.markup import apply_jammer, substitute_attachments
from fupan.permissions import (
    UserPerms,
    can_delete_post,
    can_download_attachments,
    can_edit_post,
    can_start_thread,
    can_view_images,
    can_vote_post,
    post_controls,
)


@dataclass
class PostView:
    post: Post
    html: Markup
    floor: str
    listed_attachments: list[Attachment] = field(default_factory=list)
    is_hot: bool = False
    my_vote: int = 0
    can_vote: bool = False
    can_edit: bool = False
    can_delete: bool = False
    signature: str = ""  # rendered HTML (Markup) or empty
    attachments_html: str = ""  # the listed attachments, drawn for this viewer

    def __getattr__(self, name: str) -> Any:  # template convenience: pv.author_name, pv.pk …
        return getattr(self.post, name)


def attachment_viewer(
    perms: UserPerms, board: Board, site: SiteSettings, login_url: str, *, no_images: bool = False
) -> AttachmentViewer:
    from fupan.accounts.credits import credit_names
    from fupan.attachments.actions import TRADE_CREDIT

    return AttachmentViewer(
        read_access=perms.group.read_access,
        user_id=perms.user_id,
        exempt=perms.is_authenticated and perms.moderates(board.pk),
        trade_credit_name=credit_names().get(TRADE_CREDIT, ""),
        no_images=no_images,
        can_view_images=can_view_images(perms, board),
        can_download=can_download_attachments(perms, board),
        guest_thumbs=site.guest_view_thumb and not perms.is_authenticated,
        thumb_size=site.guest_thumb_size,
        login_url=login_url,
        is_guest=not perms.is_authenticated,
    )


def post_body_html(
    post: Post, board: Board, viewer: AttachmentViewer, *, viewer_id: int | None
) -> tuple[str, list[Attachment]]:
    """A post's HTML as this viewer sees it — its attachments placed in the text (those it
    names of its own; the others are listed under it, returned), images as links in no-image
    mode, a jammer board's noise unless it is their own post — and the attachments not placed."""
    attachments = {a.pk: a for a in getattr(post, "attachment_list", ())}
    inline: set[int] = set()

    def one(aid: int) -> str:
        attachment = attachments.get(aid)
        if attachment is None:
            return ""  # a marker of an attachment not of this post
        inline.add(aid)
        return str(render_attachment(attachment, viewer))

    html = substitute_attachments(post_base_html(post, board), one)
    if viewer.no_images:
        html = images_to_links(html)
    if board.jammer and post.author_id != viewer_id:
        # Anti-copy noise, never in the author's own view (Discuz: jammer && authorid != uid).
        html = apply_jammer(html)
    return html, [a for a in attachments.values() if a.pk not in inline] if attachments else []


def present_post(
    post: Post,
    *,
    thread: Thread,
    perms: UserPerms,
    site: SiteSettings,
    viewer: AttachmentViewer,
    is_hot: bool = False,
    my_vote: int = 0,
    signatures: dict[int, Markup] | None = None,
) -> PostView:
    if post._state.fields_cache.get("thread") is not thread:
        post.thread = thread  # the page's thread object: no lazy load per post
    html, listed = post_body_html(post, thread.board, viewer, viewer_id=perms.user_id)
    signature = Markup("")
    if (
        signatures is not None
        and site.show_signatures
        and post.author_id
        and post.author
        and post.author.signature
    ):
        if post.author_id not in signatures:  # rendered once per author per page
            signatures[post.author_id] = _signature_html(post.author.signature)
        signature = signatures[post.author_id]
    return PostView(
        signature=signature,
        post=post,
        html=Markup(html),
        floor=floor_label(post.position, site.floor_label_list),
        listed_attachments=listed,
        attachments_html="".join([str(render_attachment(a, viewer)) for a in listed])
        if listed
        else "",
        is_hot=is_hot,
        my_vote=my_vote,
        can_vote=can_vote_post(perms, post),
        can_edit=can_edit_post(perms, post),
        can_delete=can_delete_post(perms, post),
    )


def floors_page(
    request: HttpRequest,
    *,
    site: SiteSettings,
    thread: Thread,
    viewer: AttachmentViewer,
    is_moderator: bool,
    author_filter: bool = False,
    reverse: bool = False,
    can_recommend: bool | None = None,
    my_recommend: int | None = None,
) -> FloorPage:
    """What the floors of one page share (``forum/floors.py``); ``can_recommend`` None: no
    顶/踩 under the first post."""
    signed_in = request.user.is_authenticated
    attach_notice = bool(thread.has_attachments) and not (
        viewer.can_download and viewer.can_view_images
    )
    banner = "" if signed_in else site.guest_banner
    return FloorPage(
        language=current_language(),
        prefix=script_prefix(),
        signed_in=signed_in,
        is_moderator=is_moderator,
        no_images=bool(getattr(request, "no_images", False)),
        author_filter=author_filter,
        reverse=reverse,
        link_oldest=query(request, order=None, page=None),
        link_newest=query(request, order="desc", page=None),
        footer_notice=site.post_footer_notice,
        guest_banner=banner,
        banner_next=request.get_full_path() if banner else "",
        attach_notice=attach_notice,
        login_url=viewer.login_url if attach_notice and not signed_in else "",
        show_recommend=can_recommend is not None and site.votes_enabled,
        # 顶/踩 once: after their vote (even an imported one, 0: no direction) a member sees the
        # counts, their side marked.
        can_recommend=bool(can_recommend) and my_recommend is None,
        my_recommend=my_recommend or 0,
        recommend_add=thread.recommend_add,
        recommend_sub=thread.recommend_sub,
    )


def thread_frame(
    request: HttpRequest,
    *,
    site: SiteSettings,
    thread: Thread,
    perms: UserPerms,
    page: FloorPage,
    pager: Pager,
    can_reply: bool,
    append_ok: bool,
    is_moderator: bool,
) -> Frame:
    """The Frame of a thread page (``forum/frame.py``): all the page shows around its floors.
    A member's favourite and follow come annotated on the thread (``marked_thread_loader``)."""
    board = thread.board
    return Frame(
        language=page.language,
        prefix=page.prefix,
        site_name=site.site_name,
        board_pk=board.pk,
        board_name=board.name,
        parent_pk=board.parent_id,
        parent_name=board.parent.name if board.parent_id else "",
        thread_pk=thread.pk,
        title=thread.title,
        type_id=thread.type_id,
        type_name=thread.type.name if thread.type_id else "",
        replies=thread.replies,
        closed=thread.closed,
        digest=thread.digest,
        favorites=thread.favorites,
        state=thread.state,
        page=pager.page,
        pages=pager.pages,
        page_link=page_pattern(request) if pager.pages > 1 else "",
        canonical=request.build_absolute_uri(route("forum:thread", thread.pk)),
        full_path=request.get_full_path(),
        signed_in=perms.is_authenticated,
        can_start_thread=can_start_thread(perms, board),
        can_reply=can_reply,
        kept=getattr(thread, "kept", False),
        followed=getattr(thread, "followed", False),
        append_ok=append_ok,
        group_title=perms.group.title,
        is_moderator=is_moderator,
    )


def floor_of(
    pv: PostView, page: FloorPage, *, relative_times: bool, now: datetime | None = None
) -> Floor:
    """The Floor of a presented post: all its floor's HTML shows, formatted (times as at
    ``now``, the page's one reading of the clock)."""
    p = pv.post
    return Floor(
        page=page,
        pk=p.pk,
        thread_id=p.thread_id,
        position=p.position,
        floor=pv.floor,
        is_first=p.is_first,
        is_hot=pv.is_hot,
        state=p.state,
        author_id=p.author_id,
        author_name=p.author_name,
        avatar="" if page.no_images or not p.author_id else avatar_url(p.author),
        posted=shown_time(p.created_at, now or timezone.now(), relative=relative_times)[0],
        from_mobile=p.from_mobile,
        warned=p.warned,
        hidden=p.hidden,
        edited=dztime(p.edited_at, relative=False).striptags() if p.edited_at else "",
        edited_by_name=p.edited_by_name if p.edited_at else "",
        html=pv.html,
        attachments=pv.attachments_html,
        signature=pv.signature,
        support=p.support,
        oppose=p.oppose,
        my_vote=pv.my_vote,
        can_vote=pv.can_vote,
        can_edit=pv.can_edit,
        can_delete=pv.can_delete,
    )


def page_floors(
    posts: list[Post],
    *,
    thread: Thread,
    perms: UserPerms,
    site: SiteSettings,
    viewer: AttachmentViewer,
    page: FloorPage,
    hot_ids: set[int],
    my_votes: dict[int, int],
    now: datetime,
) -> list[Floor]:
    """The Floors of a thread page's posts: ``floor_of(present_post(post, …), page, …)`` for
    each (the same Floors, tested), with what the floors share — the board, the settings, the
    viewer's controls (``post_controls``) — read once rather than per floor."""
    board = thread.board
    labels = site.floor_label_list
    relative = site.relative_times
    show_signatures = site.show_signatures
    avatars = not page.no_images
    me = perms.user_id
    controls = post_controls(perms, thread, now=now)
    signatures: dict[int, Markup] = {}
    floors = []
    for post in posts:
        author_id = post.author_id
        html, listed = post_body_html(post, board, viewer, viewer_id=me)
        author = post.author if author_id else None
        signature = Markup("")
        if show_signatures and author is not None and author.signature:
            signature = signatures.get(author_id)  # type: ignore[assignment]
            if signature is None:
                signature = signatures[author_id] = _signature_html(author.signature)
        can_vote, can_edit, can_delete = controls(post)
        edited_at = post.edited_at
        floors.append(
            Floor(  # positional: Floor's fields in order
                page,
                post.pk,
                post.thread_id,
                post.position,
                floor_label(post.position, labels),
                post.is_first,
                post.pk in hot_ids,
                post.state,
                author_id,
                post.author_name,
                avatar_url(author) if avatars and author_id else "",
                shown_time(post.created_at, now, relative=relative)[0],
                post.from_mobile,
                post.warned,
                post.hidden,
                dztime(edited_at, relative=False).striptags() if edited_at else "",
                post.edited_by_name if edited_at else "",
                Markup(html),
                "".join([str(render_attachment(a, viewer)) for a in listed]) if listed else "",
                signature,
                post.support,
                post.oppose,
                my_votes.get(post.pk, 0),
                can_vote,
                can_edit,
                can_delete,
            )
        )
    return floors


_signatures: dict[tuple[str, str, int], Markup] = {}


def _signature_html(text: str) -> Markup:
    """A signature's HTML, remembered in the process by its text (and language and renderer
    version): the same few members sign most floors, and their signatures rarely change."""
    from fupan.accounts.settings_views import render_signature
    from fupan.markup import RENDERER_VERSION

    key = (text, current_language(), RENDERER_VERSION)
    found = _signatures.get(key)
    if found is None:
        if len(_signatures) >= 2000:
            _signatures.clear()
        found = _signatures[key] = Markup(render_signature(text))
    return found


_IMG_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"[^>]*>')


def images_to_links(html: str) -> str:
    """无图浏览 for images in the post text ([img] code): each becomes a link to the image."""
    label = escape(_("image"))

    def link(match: re.Match[str]) -> str:
        src = match.group(1)  # already escaped in the sanitised HTML
        return f'<a class="no-image-link" href="{src}" rel="nofollow noopener" target="_blank">[{label}] {src}</a>'

    return _IMG_RE.sub(link, html)


def login_url_for(path: str) -> str:
    from urllib.parse import urlencode

    return f"{route('accounts:login')}?{urlencode({'next': path})}"
