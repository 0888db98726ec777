"""Times as Discuz shows them: ``2021-5-15 22:10:36`` in the site time zone, or ``3 小时前``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def local(dt: datetime) -> datetime:
    return timezone.localtime(dt)


def discuz_datetime(dt: datetime, *, seconds: bool = True) -> str:
    """Discuz's ``Y-n-j H:i:s`` (no zero padding on month and day)."""
    return format_local(local(dt), seconds=seconds)


def format_local(dt: datetime, *, seconds: bool = True) -> str:
    """``discuz_datetime`` of a time already in the site's time zone."""
    text = f"{dt.year}-{dt.month}-{dt.day} {dt:%H:%M}"
    return f"{text}:{dt:%S}" if seconds else text


def discuz_date(dt: datetime) -> str:
    dt = local(dt)
    return f"{dt.year}-{dt.month}-{dt.day}"


def relative(dt: datetime, *, now: datetime | None = None) -> str | None:
    """Discuz's ``dgmdate(…, 'u')`` wording for times within the last week, else None."""
    return relative_local(local(dt), local(now or timezone.now()))


def relative_local(dt: datetime, now: datetime) -> str | None:
    """``relative`` of two times already in the site's time zone."""
    delta = now - dt
    if delta < timedelta(0):
        return None
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if dt >= today:
        secs = int(delta.total_seconds())
        if secs >= 3600:
            n = secs // 3600
            return ngettext("%(n)d hour ago", "%(n)d hours ago", n) % {"n": n}
        if secs >= 60:
            n = secs // 60
            return ngettext("%(n)d minute ago", "%(n)d minutes ago", n) % {"n": n}
        if secs > 0:
            return ngettext("%(n)d second ago", "%(n)d seconds ago", secs) % {"n": secs}
        return _("just now")
    if dt >= today - timedelta(days=1):
        return _("yesterday %(time)s") % {"time": f"{dt:%H:%M}"}
    if dt >= today - timedelta(days=2):
        return _("the day before yesterday %(time)s") % {"time": f"{dt:%H:%M}"}
    if dt >= today - timedelta(days=6):
        n = (today - dt.replace(hour=0, minute=0, second=0, microsecond=0)).days
        return ngettext("%(n)d day ago", "%(n)d days ago", n) % {"n": n}
    return None


def relative_until(dt: datetime, now: datetime) -> datetime | None:
    """When ``relative_local(dt, now)`` (both in the site's zone) reads differently: its count of
    minutes, hours or days moves on, or midnight turns "today" into "yesterday". None for times
    shown in seconds (they change every second) and for future times."""
    delta = now - dt
    if delta < timedelta(0):
        return None
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    if dt >= midnight - timedelta(days=1):
        secs = int(delta.total_seconds())
        if secs >= 3600:
            return min(dt + timedelta(hours=secs // 3600 + 1), midnight)
        if secs >= 60:
            return min(dt + timedelta(minutes=secs // 60 + 1), midnight)
        return None
    return midnight


def gmt_label(dt: datetime | None = None) -> str:
    """``GMT+8`` for Asia/Shanghai, as in Discuz's footer."""
    offset = local(dt or timezone.now()).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{mins:02d}" if mins else "")
