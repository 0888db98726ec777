from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fupan.core import timefmt

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_discuz_format_has_no_zero_padding_on_month_and_day():
    dt = datetime(2021, 5, 15, 22, 10, 36, tzinfo=SHANGHAI)
    assert timefmt.discuz_datetime(dt) == "2021-5-15 22:10:36"
    assert timefmt.discuz_datetime(dt, seconds=False) == "2021-5-15 22:10"


def test_times_are_shown_in_the_site_time_zone():
    utc = datetime(2021, 5, 15, 14, 10, 36, tzinfo=ZoneInfo("UTC"))
    assert timefmt.discuz_datetime(utc) == "2021-5-15 22:10:36"


def test_relative_times_follow_discuz():
    now = datetime(2025, 4, 5, 12, 0, 0, tzinfo=SHANGHAI)
    with translation.override("zh-hans"):
        assert timefmt.relative(now - timedelta(hours=3), now=now) == "3 小时前"
        assert timefmt.relative(now - timedelta(minutes=5), now=now) == "5 分钟前"
        assert timefmt.relative(now.replace(hour=8) - timedelta(days=1), now=now) == "昨天 08:00"
        assert timefmt.relative(now.replace(hour=8) - timedelta(days=2), now=now) == "前天 08:00"
        assert timefmt.relative(now - timedelta(days=4), now=now) == "4 天前"
    assert timefmt.relative(now - timedelta(days=30), now=now) is None


def test_gmt_label_for_shanghai_is_gmt_plus_8():
    assert timefmt.gmt_label(datetime(2025, 4, 5, 6, 56, tzinfo=SHANGHAI)) == "GMT+8"


@given(
    age=st.integers(min_value=0, max_value=10 * 86400),
    later=st.integers(min_value=0, max_value=3 * 86400),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.integers(min_value=0, max_value=59),
)
def test_a_relative_time_reads_the_same_until_it_says_it_changes(age, later, hour, minute):
    """``relative_until`` is what lets a shown time be remembered: before that instant the text
    is unchanged; at it, it has changed."""
    zone = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 29, hour, minute, 17, tzinfo=zone)
    shown_at = now - timedelta(seconds=age)
    with translation.override("zh-hans"):
        text = timefmt.relative_local(shown_at, now)
        until = timefmt.relative_until(shown_at, now)
        if until is None:
            assert age < 60 or text is None
            return
        assert until > now
        moment = now + timedelta(seconds=later)
        if moment < until:
            assert timefmt.relative_local(shown_at, moment) == text
        if text is not None:  # older than six days reads the same (not at all) for good
            assert timefmt.relative_local(shown_at, until) != text


def test_a_remembered_shown_time_moves_on(monkeypatch):
    from django.utils import timezone

    from fupan.core.jinja2 import dztime

    now = datetime(2026, 11, 29, 12, 0, 30, tzinfo=SHANGHAI)
    posted = now - timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: now)
    with translation.override("zh-hans"), timezone.override(SHANGHAI):
        assert ">5 分钟前<" in dztime(posted) and ">5 分钟前<" in dztime(posted)
        monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=60))
        assert ">6 分钟前<" in dztime(posted)
        monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=13))
        assert ">昨天 11:55<" in dztime(posted)
        old = now - timedelta(days=30)
        assert dztime(old) == dztime(old) and "title=" not in dztime(old)


def test_the_footer_clock_shows_the_current_minute(monkeypatch):
    from django.utils import timezone

    from fupan.core import jinja2 as helpers

    footer_clock = helpers.footer_clock
    monkeypatch.setattr(helpers, "_clock", {})  # nothing drawn by earlier tests' real clock
    now = datetime(2026, 11, 29, 10, 5, 59, 900_000, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: now)
    with timezone.override(SHANGHAI):
        assert footer_clock() == "GMT+8, 2026-11-29 10:05"
        monkeypatch.setattr(timezone, "now", lambda: now + timedelta(milliseconds=100))
        assert footer_clock() == "GMT+8, 2026-11-29 10:06"
