"""The head's styles and scripts, the header and the footer's links of every page, drawn once
per state and kept.

They show the site's name and ICP number, who is looking (name, unread counts, the moderation
link), the reader's switches (no images, touch layout) and, in the log-in and switch links, the
page's own address. All but the address are the key of a drawing kept in the process
(``core/_chrome.jinja`` sees nothing else); the address goes in when the page is printed, as does
the viewer's CSRF field (the log-out form). A thread page spends about as long on these two as on
all its floors together, and they are the same on every page a member or guest opens.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from django.core.signals import setting_changed
from django.dispatch import receiver
from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from fupan.core.page_state import current_language
from fupan.core.routes import script_prefix

_NEXT = "\x00fupan-next\x00"
_CSRF = "\x00fupan-csrf\x00"
_CUT = "\x00fupan-cut\x00"


class Viewer(NamedTuple):
    language: str
    prefix: str
    site_name: str
    icp: str
    icp_url: str
    signed_in: bool
    user_id: int | None
    username: str
    notifications: int
    messages: int
    moderates: bool
    no_images: bool
    touch_layout: bool


class Chrome(NamedTuple):
    head: Markup
    header: Markup
    links: Markup
    powered: Markup


def page_chrome(request: Any, site: Any, perms: Any, csrf_input: Any) -> Chrome:
    user = request.user
    signed_in = bool(user.is_authenticated)
    viewer = Viewer(
        language=current_language(),
        prefix=script_prefix(),
        site_name=site.site_name,
        icp=site.icp,
        icp_url=site.icp_url,
        signed_in=signed_in,
        user_id=user.pk if signed_in else None,
        username=user.username if signed_in else "",
        notifications=user.new_notifications if signed_in else 0,
        messages=user.new_messages if signed_in else 0,
        moderates=bool(
            signed_in and perms and (perms.is_super_moderator or perms.moderated_board_ids)
        ),
        no_images=bool(getattr(request, "no_images", False)),
        touch_layout=bool(getattr(request, "touch_layout", False)),
    )
    head, header, links, powered = _drawn(viewer)
    next_url = str(escape(do_urlencode(request.get_full_path())))
    header = header.replace(_NEXT, next_url)
    if signed_in:
        header = header.replace(_CSRF, str(csrf_input))
    return Chrome(
        Markup(head),
        Markup(header),
        Markup(links.replace(_NEXT, next_url)),
        Markup(powered.replace(_NEXT, next_url)),
    )


@lru_cache(maxsize=1000)
def _drawn(viewer: Viewer) -> tuple[str, str, str, str]:
    from django.template.loader import get_template

    template = get_template("core/_chrome.jinja").template  # type: ignore[attr-defined]
    html = template.render(v=viewer, next=Markup(_NEXT), csrf_input=Markup(_CSRF), cut=Markup(_CUT))
    head, header, links, powered = html.split(_CUT)
    return head, header, links, powered


def forget_chrome() -> None:
    _drawn.cache_clear()


@receiver(setting_changed)
def _forget_on_settings_change(**_: Any) -> None:
    """Tests that change settings (static files, languages) see drawings made under the new ones."""
    forget_chrome()
