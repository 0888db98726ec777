"""Post bodies → HTML. The base HTML is stored on the post (keyed by the renderer version);
what depends on the viewer (attachments they may see, jammer noise) is applied per view."""

from __future__ import annotations

from django.core.cache import cache

from fupan.forum.models import Board, Post
from fupan.markup import RENDERER_VERSION, MarkupOptions, render_bbcode


def markup_options(
    board: Board, *, bbcode_off: bool = False, smilies_off: bool = False
) -> MarkupOptions:
    return MarkupOptions(
        bbcode=board.allow_bbcode and not bbcode_off,
        smilies=board.allow_smilies and not smilies_off,
        images=board.allow_images,
    )


def render_body(
    body: str, board: Board, *, bbcode_off: bool = False, smilies_off: bool = False
) -> str:
    return render_bbcode(
        body, markup_options(board, bbcode_off=bbcode_off, smilies_off=smilies_off)
    )


def post_base_html(post: Post, board: Board) -> str:
    """The stored HTML when it is current, else a fresh render — not saved (reads never write)
    but kept in the cache per post, renderer version, edit and board options, so a post stored by
    an older renderer (or imported) is rendered once, not at every view."""
    if post.html_version == RENDERER_VERSION and post.html:
        return post.html
    options = (
        board.allow_bbcode,
        board.allow_smilies,
        board.allow_images,
        post.bbcode_off,
        post.smilies_off,
    )
    key = f"post-html:{RENDERER_VERSION}:{post.pk}:{post.edit_count}:" + "".join(
        str(int(bool(o))) for o in options
    )
    html = cache.get(key) if post.pk else None
    if html is None:
        html = render_body(
            post.body, board, bbcode_off=post.bbcode_off, smilies_off=post.smilies_off
        )
        if post.pk:
            cache.set(key, html, timeout=7 * 86400)
    return html
