"""The demo site: the seed thread exactly as on the reference page, a believable forum around it,
consistent counters, and a loader that never touches existing data."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fupan.accounts.models import User, UserGroup
from fupan.core.timefmt import discuz_datetime
from fupan.demo.loader import SEED_THREAD_FILE, ensure_demo_admin, load_demo_if_empty
from fupan.forum.models import Board, BoardModerator, Post, PostVote, Thread
from fupan.forum.synchronize import counter_snapshot, synchronize_all
from fupan.testing.demo import load_demo

SEED_TITLE = "遂潼川渝毗邻地区一体化发展先行区建设领导小组第三次会议暨工作推进会召开"


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def demo(db: Any, var_dir: Path) -> None:
    assert load_demo() is True  # the real loader, or a copy of its result earlier this session


def seed_posts() -> list[Post]:
    thread = Thread.objects.get(title=SEED_TITLE)
    return list(thread.post_set.order_by("position").prefetch_related("attachments"))


def test_demo_loads_the_seed_thread_exactly(demo: None) -> None:
    seed = json.loads(SEED_THREAD_FILE.read_text(encoding="utf-8"))["thread"]
    thread = Thread.objects.select_related("board", "type").get(title=SEED_TITLE)
    assert thread.type is not None and thread.type.name == "建言献策"
    assert thread.board.thread_types_enabled
    assert thread.board.jammer is False
    assert thread.replies == 3

    posts = seed_posts()
    assert [p.position for p in posts] == [1, 2, 3, 4]
    assert [p.author_name for p in posts] == ["回望瞬间", "回望瞬间", "雄风万里", "秋雨"]
    assert [discuz_datetime(p.created_at) for p in posts] == [
        "2021-5-15 22:10:36",
        "2021-5-15 23:31:11",
        "2021-5-16 05:29:36",
        "2021-5-16 16:08:25",
    ]
    assert [p.client for p in posts] == [Post.Client.WEB] + [Post.Client.MOBILE_WEB] * 3
    assert [(p.support, p.oppose) for p in posts] == [(0, 0), (0, 0), (1, 0), (0, 0)]
    assert PostVote.objects.get(post=posts[2]).user.username != "雄风万里"
    assert [len(p.attachments.all()) for p in posts] == [1, 2, 0, 0]
    assert all(a.is_image for p in posts for a in p.attachments.all())

    first = seed["posts"][0]
    assert posts[0].body == "\n\n".join(
        [first["body_title"], *(f"  {p}" for p in first["paragraphs"])]
    )
    # Floor 2 is only its two photos, inline; floor 1's photo is listed under the text.
    assert posts[1].body == "\n".join(
        f"[attach]{a.pk}[/attach]" for a in posts[1].attachments.order_by("id")
    )
    assert posts[1].edit_count == 0 and posts[1].edited_at is None
    assert "[attach]" not in posts[0].body
    assert posts[2].body == "看不到有什么具体的实惠"
    assert posts[3].body == "这个才是重点"


def test_demo_builds_a_believable_forum_around_the_seed(demo: None) -> None:
    assert Board.objects.filter(kind=Board.Kind.CATEGORY).count() == 3
    assert 8 <= Board.objects.exclude(kind=Board.Kind.CATEGORY).count() <= 10
    assert Board.objects.filter(kind=Board.Kind.SUB).exists()
    assert 35 <= Thread.objects.count() <= 45
    assert User.objects.count() >= 12
    assert Thread.objects.filter(sticky=Thread.Sticky.GLOBAL).count() == 1
    assert Thread.objects.filter(sticky=Thread.Sticky.BOARD).exists()
    assert Thread.objects.filter(digest__gt=0).count() >= 2
    assert Thread.objects.filter(closed=True).exists()
    assert Thread.objects.filter(highlight="#FF0000").exists()
    assert Thread.objects.filter(replies=0).exists()
    assert Thread.objects.order_by("-replies").first().replies <= 15
    assert Post.objects.filter(client=Post.Client.WEB).exists()
    assert Post.objects.filter(client=Post.Client.MOBILE_WEB).exists()
    assert PostVote.objects.filter(value=PostVote.Value.OPPOSE).exists()

    admin = User.objects.get(username="admin")
    assert admin.group_id == UserGroup.ADMIN and admin.is_superuser and admin.is_staff
    moderators = {link.user.group_id for link in BoardModerator.objects.select_related("user")}
    assert moderators == {UserGroup.MODERATOR}

    from fupan.core.models import SiteSettings

    site = SiteSettings.objects.get(pk=1)
    assert site.site_name == "涪畔生活"
    assert site.icp == "渝ICP备14010238号-7"
    assert site.post_footer_notice == "欢迎使用本站，我们将竭力为大家打造纯净的社区互动平台。"
    assert site.guest_banner == "马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。"
    assert site.votes_enabled and site.hot_replies == 10 and site.hot_reply_min_votes == 1
    assert site.guest_view_thumb
    assert "涪江" in site.about_text


def test_demo_dates_lie_in_the_past_and_some_posts_are_from_today(demo: None) -> None:
    now = timezone.now()
    assert not Post.objects.filter(created_at__gt=now).exists()
    start_of_today = timezone.make_aware(
        timezone.datetime.combine(timezone.localdate(), timezone.datetime.min.time())
    )
    assert Post.objects.filter(created_at__gte=start_of_today).exists()
    assert sum(Board.objects.values_list("today_posts", flat=True)) > 0
    # Seed members joined before the seed thread.
    before = timezone.make_aware(timezone.datetime(2021, 5, 15))
    assert not User.objects.filter(
        username__in=["回望瞬间", "雄风万里", "秋雨"], date_joined__gte=before
    ).exists()


def test_demo_counters_match_a_recount(demo: None) -> None:
    before = counter_snapshot()
    synchronize_all()
    assert counter_snapshot() == before


def test_second_load_returns_false_and_creates_nothing(demo: None) -> None:
    counts = (
        User.objects.count(),
        Board.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
    )
    assert load_demo_if_empty() is False
    assert (
        User.objects.count(),
        Board.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_load_keeps_a_site_that_already_has_a_board(var_dir: Path) -> None:
    Board.objects.create(name="我的分区", kind=Board.Kind.CATEGORY)
    assert load_demo_if_empty() is False
    assert Thread.objects.count() == 0 and Board.objects.count() == 1


@pytest.mark.django_db
def test_ensure_demo_admin_keeps_its_password(var_dir: Path) -> None:
    username, password = ensure_demo_admin()
    assert (username, password) == ensure_demo_admin()
    path = var_dir / "demo_admin_password"
    assert path.read_text().strip() == password
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    user = User.objects.get(username=username)
    assert user.check_password(password) and user.group_id == UserGroup.ADMIN

    path.unlink()  # a lost file: a new password, written down again, that works
    _, new_password = ensure_demo_admin()
    assert new_password != password and path.read_text().strip() == new_password
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert User.objects.filter(username=username).count() == 1


def test_demo_pages_render_for_a_guest(demo: None, client: Any) -> None:
    thread = Thread.objects.get(title=SEED_TITLE)
    assert client.get("/").status_code == 200
    response = client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200
    assert "来自手机" in response.content.decode()
    for board in Board.objects.exclude(kind=Board.Kind.CATEGORY):
        assert client.get(f"/f/{board.pk}/").status_code == 200


def test_stand_in_pictures_are_deterministic_and_need_no_cjk_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image

    from fupan.demo import images

    assert images.picture("meeting") == images.picture("meeting")
    monkeypatch.setattr(images, "cjk_font_path", lambda: None)
    for name, size in (("meeting", (800, 600)), ("river", (600, 800)), ("street", (600, 800))):
        with Image.open(io.BytesIO(images.picture(name))) as image:
            assert (image.format, image.size) == ("JPEG", size)


def test_the_tests_copy_of_the_demo_is_the_demo_exactly(db: Any, var_dir: Path) -> None:
    """``fupan.testing.demo`` hands later tests a copy of a real load: every row (the search
    index included), every picture file and the administrator's password file."""
    from django.conf import settings

    from fupan.testing import demo as copies

    key = copies._state_key()
    assert copies.load_demo() is True
    loaded = copies._dump()
    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert len(files) >= 3
    password = (var_dir / "demo_admin_password").read_text()

    Thread.objects.update(title="改过的标题")  # whatever a test changed afterwards …
    User.objects.filter(username="秋雨").delete()
    for path in files:
        (media / path).unlink()
    (var_dir / "demo_admin_password").unlink()
    copies._restore(copies._copies[key])  # … is undone by the copy

    assert _sorted_rows(copies._dump()) == _sorted_rows(loaded)
    assert {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()} == files
    assert (var_dir / "demo_admin_password").read_text() == password
    assert Thread.objects.filter(title=SEED_TITLE).exists()


def _sorted_rows(dump: dict[str, Any]) -> dict[str, list[Any]]:
    """Each table's rows in a fixed order (PostgreSQL returns updated rows in another)."""
    return {
        table: sorted(rows.split(b"\n")) if isinstance(rows, bytes) else sorted(rows[1])
        for table, rows in dump.items()
    }
