from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation

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
