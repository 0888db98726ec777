"""What one viewer sees of a post: its HTML with their attachments, its floor label, the
controls they may use. Pure functions over prefetched data — no queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markupsafe import Markup

from fupan.attachments.models import Attachment
from fupan.attachments.rendering import AttachmentViewer, render_attachment
from fupan.core.models import SiteSettings
from fupan.core.routes import url as route
from fupan.forum.models import Board, Post, Thread
from fupan.forum.queries import floor_label
from fupan.forum.rendering import post_base_html
from fupan.markup import apply_jammer, substitute_attachments
from fupan.permissions import (
    UserPerms,
    can_delete_post,
    can_download_attachments,
    can_edit_post,
    can_view_images,
    can_vote_post,
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
    post.thread = thread  # the page's thread object: no lazy load per post
    attachments = {a.pk: a for a in getattr(post, "attachment_list", [])}
    inline: set[int] = set()

    def one(aid: int) -> str:
        attachment = attachments.get(aid)
        if attachment is None:
            return ""
        inline.add(aid)
        return str(render_attachment(attachment, viewer))

    html = substitute_attachments(post_base_html(post, thread.board), one)
    if viewer.no_images:
        html = images_to_links(html)
    if thread.board.jammer and post.author_id != perms.user_id:
        # Anti-copy noise, never in the author's own view (Discuz: jammer && authorid != uid).
        html = apply_jammer(html)
    listed = [a for a in attachments.values() if a.pk not in inline]
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
        is_hot=is_hot,
        my_vote=my_vote,
        can_vote=can_vote_post(perms, post),
        can_edit=can_edit_post(perms, post),
        can_delete=can_delete_post(perms, post),
    )


_signatures: dict[tuple[str, str, int], Markup] = {}


def _signature_html(text: str) -> Markup:
    """A signature's HTML, remembered in the process by its text (and language and renderer
    version): the same few members sign most floors, and their signatures rarely change."""
    from fupan.accounts.settings_views import render_signature
    from fupan.markup import RENDERER_VERSION

    key = (text, get_language() or "", RENDERER_VERSION)
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
