"""Fupan's pytest plugin: fixtures for members, boards and threads, and clients logged in as
each kind of user. Non-trivial state is reached through the real actions, never by hand.

Loaded by ``-p fupan.testing.plugin`` (pyproject's pytest addopts). A guided tour is in
``tests/test_example.py``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest

# Before Django reads its settings: fast hashing, locmem email, no secret key file.
os.environ["FUPAN_TESTING"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupan.conf.settings")

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fupan_isolation(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test starts with an empty cache, no kept drawings and its own media folder."""
    from django.core.cache import cache

    media = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": "/media/"},
        },
    }
    from fupan.core.chrome import forget_chrome
    from fupan.forum.floors import forget_floors
    from fupan.forum.frame import forget_frames
    from fupan.forum.rows import forget_rows
    from fupan.forum.viewcounts import forget_pending_views

    cache.clear()
    forget_pending_views()
    # Kept drawings are pure functions of their keys, so never stale; forgotten anyway so that a
    # test counting what is drawn (cache_info) counts only its own.
    forget_floors()
    forget_frames()
    forget_rows()
    forget_chrome()
    yield
    cache.clear()
    forget_pending_views()


def uncached_guest_pages() -> None:
    """From here on in this test, guests' pages are rendered, not served from the page cache
    (for the query budgets of the render itself)."""
    from django.conf import settings

    settings.FUPAN_GUEST_CACHE = False


@pytest.fixture(autouse=True)
def _guest_page_cache_on(settings: Any) -> None:
    settings.FUPAN_GUEST_CACHE = True


@pytest.fixture
def site(db: Any) -> Any:
    """The site settings row, flood control off (tests post quickly on purpose)."""
    from fupan.accounts.default_groups import ensure_default_groups
    from fupan.core.actions import do_update_site_settings

    ensure_default_groups()  # a transactional test before this one may have emptied the tables
    return do_update_site_settings(acting_user=None, post_interval=0, site_name="测试论坛")


@pytest.fixture
def user_factory(db: Any, site: Any) -> Callable[..., Any]:
    from fupan.accounts.actions import do_register_user
    from fupan.accounts.models import User, UserGroup

    def make(
        username: str | None = None,
        *,
        group: int = UserGroup.NEWBIE,
        password: str = "secret-pass-1",
        **fields: Any,
    ) -> User:
        user = do_register_user(
            username=username or f"member{next(_counter)}", password=password, group_id=group
        )
        if group in (UserGroup.ADMIN,):
            fields.setdefault("is_staff", True)
            fields.setdefault("is_superuser", True)
        if fields:
            User.objects.filter(pk=user.pk).update(**fields)
            user.refresh_from_db()
        return user

    return make


@pytest.fixture
def member(user_factory: Callable[..., Any]) -> Any:
    return user_factory("普通会员")


@pytest.fixture
def other_member(user_factory: Callable[..., Any]) -> Any:
    return user_factory("另一会员")


@pytest.fixture
def admin_user(user_factory: Callable[..., Any]) -> Any:
    from fupan.accounts.models import UserGroup

    return user_factory("管理员甲", group=UserGroup.ADMIN)


@pytest.fixture
def board_factory(db: Any) -> Callable[..., Any]:
    from fupan.forum.models import Board, ThreadType

    def make(
        name: str | None = None,
        *,
        parent: Any = None,
        kind: str = Board.Kind.BOARD,
        types: list[str] | None = None,
        **fields: Any,
    ) -> Board:
        if parent is None and kind != Board.Kind.CATEGORY:
            parent = Board.objects.create(name=f"分区{next(_counter)}", kind=Board.Kind.CATEGORY)
        board = Board.objects.create(
            name=name or f"版块{next(_counter)}",
            parent=parent,
            kind=kind,
            thread_types_enabled=bool(types),
            **fields,
        )
        for order, type_name in enumerate(types or []):
            ThreadType.objects.create(board=board, name=type_name, display_order=order)
        return board

    return make


@pytest.fixture
def board(board_factory: Callable[..., Any]) -> Any:
    return board_factory("民生建言", types=["建言献策", "投诉曝光"])


@pytest.fixture
def moderator(user_factory: Callable[..., Any], board: Any) -> Any:
    from fupan.accounts.models import UserGroup
    from fupan.forum.models import BoardModerator

    user = user_factory("版主乙", group=UserGroup.MODERATOR)
    BoardModerator.objects.create(board=board, user=user)
    return user


@pytest.fixture
def thread_factory(db: Any, user_factory: Callable[..., Any]) -> Callable[..., Any]:
    """``thread_factory(board, replies=3, closed=True, author=…, repliers=[…])``, via the actions."""
    from fupan.forum.actions import do_create_reply, do_create_thread
    from fupan.forum.models import Thread

    def make(
        board: Any,
        *,
        title: str | None = None,
        body: str = "正文内容",
        author: Any = None,
        replies: int = 0,
        repliers: list[Any] | None = None,
        closed: bool = False,
        sticky: int = 0,
        digest: int = 0,
        thread_type: Any = None,
        now: datetime | None = None,
    ) -> Thread:
        author = author or user_factory()
        thread = do_create_thread(
            board,
            acting_user=author,
            title=title or f"主题{next(_counter)}",
            body=body,
            thread_type=thread_type,
            now=now,
        )
        people = repliers or [author]
        for i in range(replies):
            do_create_reply(thread, acting_user=people[i % len(people)], body=f"第{i + 2}楼的回复")
        if closed or sticky or digest:
            # Moderation actions arrive with the moderation issue; set the flags directly here.
            Thread.objects.filter(pk=thread.pk).update(closed=closed, sticky=sticky, digest=digest)
        thread.refresh_from_db()
        return thread

    return make


@pytest.fixture
def thread(thread_factory: Callable[..., Any], board: Any, member: Any) -> Any:
    return thread_factory(board, author=member, title="测试主题", replies=2)


def _client_for(user: Any) -> Any:
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user, backend="fupan.accounts.backends.UsernameOrEmailBackend")
        # A logged-in client stands for a member already seen today: their first request does not
        # pay 每天登录 (tests of that rule clear this mark first).
        from django.core.cache import cache
        from django.utils import timezone

        from fupan.accounts.middleware import VISIT_DAY_SESSION_KEY

        cache.add(f"visited:{user.pk}:{timezone.localdate()}", 1, timeout=86400)
        session = client.session
        session[VISIT_DAY_SESSION_KEY] = timezone.localdate().isoformat()
        session.save()
    return client


@pytest.fixture
def guest_client(site: Any) -> Any:
    return _client_for(None)


@pytest.fixture
def member_client(member: Any) -> Any:
    return _client_for(member)


@pytest.fixture
def other_member_client(other_member: Any) -> Any:
    return _client_for(other_member)


@pytest.fixture
def moderator_client(moderator: Any) -> Any:
    return _client_for(moderator)


@pytest.fixture
def admin_client(admin_user: Any) -> Any:  # overrides pytest-django's admin_client
    return _client_for(admin_user)


@pytest.fixture
def client_for() -> Callable[[Any], Any]:
    return _client_for


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    return dict(HTMX)
