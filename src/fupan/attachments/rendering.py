"""Attachment HTML for one viewer: full images for members, a thumbnail and the login prompt
for guests, file links with size and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat as django_filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from markupsafe import Markup

from fupan.attachments.models import Attachment
from fupan.core.page_state import current_language
from fupan.core.routes import script_prefix
from fupan.core.routes import url as route

_sizes: dict[tuple[int, str], str] = {}


def filesizeformat(size: int) -> str:
    """Django's ``filesizeformat``, remembered per size and language (it formats the number
    through the locale machinery: the costliest part of an attachment's HTML)."""
    key = (size, current_language())
    found = _sizes.get(key)
    if found is None:
        if len(_sizes) >= 5000:
            _sizes.clear()
        found = _sizes[key] = django_filesizeformat(size)
    return found


@dataclass(frozen=True)
class AttachmentViewer:
    can_view_images: bool
    can_download: bool
    guest_thumbs: bool
    thumb_size: int
    login_url: str
    is_guest: bool
    no_images: bool = False
    read_access: int = 0  # the viewer's group's
    user_id: int | None = None
    exempt: bool = False  # moderators of the board: no read permission, no price
    trade_credit_name: str = ""


_drawn: dict[tuple[Any, ...], Markup] = {}


def render_attachment(attachment: Attachment, viewer: AttachmentViewer) -> Markup:
    """An attachment's HTML for this viewer. Free ones are remembered in the process by all the
    HTML shows (a priced one's price runs out with time, so it is drawn each time)."""
    if attachment.price:
        return _render(attachment, viewer)
    key = (
        viewer,
        current_language(),
        script_prefix(),
        attachment.pk,
        attachment.uploader_id,
        attachment.filename,
        attachment.size,
        attachment.is_image,
        attachment.width,
        attachment.height,
        attachment.downloads,
        attachment.read_access,
    )
    found = _drawn.get(key)
    if found is None:
        if len(_drawn) >= 10_000:
            _drawn.clear()
        found = _drawn[key] = _render(attachment, viewer)
    return found


def _render(attachment: Attachment, viewer: AttachmentViewer) -> Markup:
    from fupan.permissions.attachments import attachment_price

    own = viewer.user_id is not None and attachment.uploader_id == viewer.user_id
    if (
        attachment.read_access
        and attachment.read_access > viewer.read_access
        and not (own or viewer.exempt)
    ):
        # 阅读权限: the file is not offered at all (see permissions/attachments.py).
        return format_html(
            '<span class="attach-locked">{} <span class="xg1">{}</span></span>',
            attachment.filename,
            _("This attachment needs read permission %(need)d or higher.")
            % {"need": attachment.read_access},
        )
    price = attachment_price(attachment) if attachment.price else 0
    if price and not getattr(attachment, "bought", False) and not (own or viewer.exempt):
        return format_html(
            '<span class="attach-priced">{} <span class="xg1">({})</span> {} '
            '<a href="{}" rel="nofollow" class="attach-buy-link">{}</a></span>',
            attachment.filename,
            filesizeformat(attachment.size),
            _("Price: %(n)d %(credit)s") % {"n": price, "credit": viewer.trade_credit_name},
            route("attachments:buy", attachment.pk),
            _("Buy"),
        )
    full_url = route("attachments:file", attachment.pk)
    if attachment.is_image and viewer.no_images:
        # 无图浏览: a link with the image's name and size instead of the image.
        target = full_url if viewer.can_view_images else viewer.login_url
        return format_html(
            '<a class="no-image-link" href="{}" rel="nofollow">[{}] {} <span class="xg1">({})</span></a>',
            target,
            _("image"),
            attachment.filename,
            filesizeformat(attachment.size),
        )
    if attachment.is_image:
        if viewer.can_view_images:
            return format_html(
                '<figure class="attach-image" id="aimg_{aid}"><a href="{url}" class="zoom" data-lightbox>'
                '<img src="{url}" alt="{name}" width="{w}" height="{h}" loading="lazy"></a>'
                '<figcaption>{name} <span class="xg1">({size})</span></figcaption></figure>',
                aid=attachment.pk,
                url=full_url,
                name=attachment.filename,
                w=attachment.width or "",
                h=attachment.height or "",
                size=filesizeformat(attachment.size),
            )
        thumb = Markup("")
        if viewer.guest_thumbs:
            thumb = format_html(
                '<img src="{}" alt="" width="{}" height="{}" loading="lazy">',
                route("attachments:thumb", attachment.pk),
                *_thumb_box(attachment, viewer.thumb_size),
            )
        return format_html(
            '<div class="guest-thumb">{}<a href="{}" rel="nofollow">{}</a></div>',
            thumb,
            viewer.login_url,
            _("Log in or register to see the full-size image"),
        )
    if viewer.can_download:
        return format_html(
            '<span class="attach-file"><a href="{}" rel="nofollow">{}</a> <span class="xg1">({}, {})</span></span>',
            full_url,
            attachment.filename,
            filesizeformat(attachment.size),
            _("downloaded %(n)d times") % {"n": attachment.downloads},
        )
    return Markup("")


def _thumb_box(attachment: Attachment, size: int) -> tuple[int, int]:
    if not attachment.width or not attachment.height:
        return size, size
    scale = min(size / attachment.width, size / attachment.height, 1)
    return max(1, round(attachment.width * scale)), max(1, round(attachment.height * scale))
