"""The Jinja2 environment for Fupan's pages: URL and static helpers, gettext, Discuz-style times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from jinja2 import Environment
from markupsafe import Markup

from fupan.attachments.rendering import filesizeformat, render_attachment
from fupan.core import timefmt
from fupan.core.chrome import page_chrome
from fupan.core.page_state import current_language as _language
from fupan.core.page_state import current_zone as _zone
from fupan.core.routes import url
from fupan.forum.floors import floor_html, floors_html

_translated: dict[str, dict[str, str]] = {}


def gettext(message: str) -> str:
    """``gettext`` for templates, remembered per language: a page looks up the same few dozen
    labels on every view (Django's own lookup costs several context-local reads each)."""
    language = _language()
    known = _translated.get(language)
    if known is None:
        known = _translated.setdefault(language, {})
    try:
        return known[message]
    except KeyError:
        result = translation.gettext(message)
        if len(known) < 5000:  # template labels, not unbounded text
            known[message] = result
        return result


_marked: dict[str, dict[str, Markup]] = {}


def underscore(message: str, **variables: Any) -> Markup:
    """``{{ _("…", name=value) }}``: what Jinja's newstyle ``gettext`` gives under autoescape (the
    translation as markup, variables escaped into it, ``%%`` as ``%``), in one call instead of
    three. Without variables the finished markup is remembered per language."""
    if variables:
        return Markup(gettext(message)) % variables
    language = _language()
    known = _marked.get(language)
    if known is None:
        known = _marked.setdefault(language, {})
    try:
        return known[message]
    except KeyError:
        result = Markup(translation.gettext(message)) % {}
        if len(known) < 5000:
            known[message] = result
        return result


@receiver(setting_changed)
def _forget_translations(*, setting: str, **_: Any) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _translated.clear()
        _marked.clear()


_static_url: list[Any] = []  # the storage's own ``url``, once it is set up


def _static(path: str) -> str:
    """``static(path)`` without Django's check that the staticfiles app is installed (it is),
    on every call: a page asks for the same few files, and for the default avatar once per post.
    The storage remembers each URL (``core/storage.py``); its ``url`` is taken from behind
    ``staticfiles_storage``'s lazy wrapper once (each attribute read through the wrapper raises
    and catches an ``AttributeError``)."""
    try:
        storage_url = _static_url[0]
    except IndexError:
        storage_url = staticfiles_storage.url  # sets the storage up
        storage_url = staticfiles_storage._wrapped.url  # type: ignore[attr-defined]
        _static_url.append(storage_url)
    return storage_url(path)  # type: ignore[no-any-return]


@receiver(setting_changed)
def _forget_static_storage(*, setting: str, **_: Any) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS"}:
        _static_url.clear()


_shown_times: dict[tuple[datetime, Any, bool, str], tuple[Markup, datetime | None]] = {}
_WEEK = timedelta(days=7)


def dztime(dt: datetime | None, *, relative: bool = True) -> Markup:
    """A post time as Discuz shows it; recent times as ``3 小时前`` with the full time on hover.
    Each shown time is remembered until it would read differently: a full time (older than a
    week, or not relative) for good, ``3 小时前`` until it becomes ``4 小时前`` or midnight makes it
    yesterday's (a board page shows twenty last-reply times, a thread page its posts')."""
    if dt is None:
        return Markup("")
    return shown_time(dt, timezone.now(), relative=relative)[0]


def shown_time(
    dt: datetime, now: datetime, *, relative: bool = True
) -> tuple[Markup, datetime | None]:
    """``dztime(dt)`` and until when it reads so: None for good, else the first time it reads
    differently (``now`` itself for a time drawn anew each time)."""
    zone = _zone()
    key = (dt, zone, relative, _language())
    found = _shown_times.get(key)
    if found is not None and (found[1] is None or now < found[1]):
        return found
    local = dt.astimezone(zone)
    full = timefmt.format_local(local)
    now_local = now.astimezone(zone)
    rel = timefmt.relative_local(local, now_local) if relative else None
    iso = local.isoformat()
    if rel:
        shown = Markup('<time datetime="%s" title="%s">%s</time>') % (iso, full, rel)
        until = timefmt.relative_until(local, now_local)
        if until is None:  # seconds ago: reads so until the next second (not remembered here)
            return shown, dt + timedelta(seconds=int((now - dt).total_seconds()) + 1)
    else:
        shown = Markup('<time datetime="%s">%s</time>') % (iso, full)
        if relative and now - dt <= _WEEK:
            # A future time, or one six to seven days old: drawn each time until it is a week
            # old (then it reads in full for good).
            return shown, now
        until = None  # never relative again
    if len(_shown_times) >= 20_000:
        _shown_times.clear()
    _shown_times[key] = (shown, until)
    return shown, until


_shown_dates: dict[tuple[datetime, Any], str] = {}
_clock: dict[Any, tuple[datetime, str]] = {}


def footer_clock() -> str:
    """The footer's ``GMT+8, 2026-11-29 10:05``: drawn once a minute per time zone."""
    zone = _zone()
    now = timezone.now()
    found = _clock.get(zone)
    if found is not None and now < found[0]:
        return found[1]
    local = now.astimezone(zone)
    text = f"{timefmt.gmt_label(now)}, {timefmt.format_local(local, seconds=False)}"
    _clock[zone] = (
        now + timedelta(seconds=60 - local.second, microseconds=-local.microsecond),
        text,
    )
    return text


def dzdate(dt: datetime | None) -> str:
    """``2021-5-15 22:10``, remembered per time and zone (a board page shows twenty)."""
    if not dt:
        return ""
    zone = _zone()
    key = (dt, zone)
    shown = _shown_dates.get(key)
    if shown is None:
        if len(_shown_dates) >= 20_000:
            _shown_dates.clear()
        shown = _shown_dates[key] = timefmt.format_local(dt.astimezone(zone), seconds=False)
    return shown


def query(request: Any, **changes: Any) -> str:
    """The current query string with ``changes`` applied (None removes a key)."""
    params = {key: values[-1] for key, values in request.GET.lists()}  # QueryDict's last value
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted(params.items()))
    return f"?{encoded}" if encoded else "?"


_PAGE_MARK = "fupanpagemark"


def page_pattern(request: Any) -> str:
    """The request's query string with a mark for the page number, encoded once per request."""
    pattern = getattr(request, "_fupan_page_query", None)
    if pattern is None:
        pattern = request._fupan_page_query = query(request, page=_PAGE_MARK)
    return pattern  # type: ignore[no-any-return]


def page_query(request: Any, page: int) -> str:
    """``query(request, page=page)`` for a pager's links: the rest of the query string encoded
    once per request, the page number put in (a deep page's pager has a dozen links)."""
    return page_pattern(request).replace(_PAGE_MARK, str(int(page)))


_pagers: dict[tuple[str, int, int, str], Markup] = {}


def pager_html(request: Any, pager: Any) -> Markup:
    """``core/_pager.jinja`` for ``pager``, drawn once and kept by what it shows: the query
    string's pattern, the page, the page count and the language (a board page's pager is the
    same for every reader of that page)."""
    if pager.pages <= 1:
        return Markup("")
    key = (page_pattern(request), pager.page, pager.pages, _language())
    found = _pagers.get(key)
    if found is None:
        from django.template.loader import get_template

        template = get_template("core/_pager.jinja").template  # type: ignore[attr-defined]
        found = Markup(template.render(pager=pager, request=request))
        if len(_pagers) >= 2000:
            _pagers.clear()
        _pagers[key] = found
    return found


def avatar_url(user: Any, size: str = "small") -> str:
    """A member's avatar URL (versioned, so a new upload shows at once), or the default picture."""
    version = getattr(user, "avatar_version", 0) if user is not None else 0
    if not version:
        return _static("fupan/avatar.svg")
    return f"{url('accounts:avatar', user.pk, size)}?v={version}"


def _smilies() -> list[Any]:
    from fupan.markup import SMILIES

    return list(SMILIES)


def _thread_rows_html(*args: Any, **kwargs: Any) -> Markup:
    # Imported at the call: forum/rows.py formats its times with this module's dztime and dzdate.
    from fupan.forum.rows import thread_rows_html

    return thread_rows_html(*args, **kwargs)


class _Environment(Environment):
    def make_globals(self, d: Any) -> Any:
        """A template's globals as one plain dict, not Jinja's ``ChainMap`` over the
        environment's: every render and every ``{% include %}`` copies them into a new context,
        and copying a ``ChainMap`` of some thirty names costs ~15 µs each time (seven times on a
        thread page). All of Fupan's globals are set in ``environment()``, before any template
        loads, so a copy per template sees them all."""
        return {**self.globals, **(d or {})}


def environment(**options: Any) -> Environment:
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    if isinstance(options.get("undefined"), str):
        from django.utils.module_loading import import_string

        options["undefined"] = import_string(options["undefined"])
    env = _Environment(**options)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext,
        translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
        newstyle=True,
    )
    env.globals.update(
        {
            "_": underscore,
            "url": url,
            "static": _static,
            "dztime": dztime,
            "dzdate": dzdate,
            "query": query,
            "page_query": page_query,
            "pager_html": pager_html,
            "gmt_label": timefmt.gmt_label,
            "footer_clock": footer_clock,
            "now": timezone.now,
            "today": timezone.localdate,
            "settings": settings,
            "get_language": _language,
            "get_messages": get_messages,
            "render_attachment": render_attachment,
            "avatar_url": avatar_url,
            "floor_html": floor_html,
            "floors_html": floors_html,
            "page_chrome": page_chrome,
            "thread_rows_html": _thread_rows_html,
            "smilies": _smilies(),
        }
    )
    env.filters.update({"dztime": dztime, "dzdate": dzdate, "filesizeformat": filesizeformat})
    return env
