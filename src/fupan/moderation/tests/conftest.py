"""Fixtures for reports and appeals: more kinds of moderators, a reply to report, a deleted reply
to appeal, banned members. State is reached through the actions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from fupan.accounts.models import UserGroup
from fupan.forum.actions import do_delete_post
from fupan.forum.models import BoardModerator, Post
from fupan.moderation.actions import do_report_member, do_report_post, do_report_site_content


@pytest.fixture
def reply(thread: Any) -> Post:
    """The first reply (floor 2) of ``thread``, written by ``member``."""
    return Post.objects.select_related("thread", "thread__board").get(thread=thread, position=2)


@pytest.fixture
def super_moderator(user_factory: Callable[..., Any]) -> Any:
    return user_factory("超级版主丙", group=UserGroup.SUPER_MODERATOR)


@pytest.fixture
def other_board(board_factory: Callable[..., Any]) -> Any:
    return board_factory("二手交易")


@pytest.fixture
def other_moderator(user_factory: Callable[..., Any], other_board: Any) -> Any:
    """A moderator of another board than ``board``."""
    user = user_factory("别版版主", group=UserGroup.MODERATOR)
    BoardModerator.objects.create(board=other_board, user=user)
    return user


@pytest.fixture
def deleted_reply(reply: Post, moderator: Any) -> Post:
    """``member``'s reply, deleted by the board's moderator."""
    do_delete_post(reply, acting_user=moderator)
    reply.refresh_from_db()
    return reply


@pytest.fixture
def post_banned(user_factory: Callable[..., Any]) -> Any:
    """A member banned from posting (禁止发言), with some credits to earn a rank back."""
    return user_factory("禁言会员", group=UserGroup.BANNED_POST, credits=60)


@pytest.fixture
def visit_banned(user_factory: Callable[..., Any]) -> Any:
    """A member banned from visiting (禁止访问)."""
    return user_factory("禁访会员", group=UserGroup.BANNED_VISIT)


_addresses = itertools.count(1)


def _ip() -> str:
    """A new address for each report made by a fixture: the per-IP limit is tested on its own."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@pytest.fixture
def report_post() -> Callable[..., Any]:
    def make(post: Any, by: Any, reason: str = "spam", message: str = "") -> Any:
        return do_report_post(post, acting_user=by, reason=reason, message=message, ip=_ip())

    return make


@pytest.fixture
def report_member() -> Callable[..., Any]:
    def make(member: Any, by: Any, reason: str = "other", message: str = "") -> Any:
        return do_report_member(member, acting_user=by, reason=reason, message=message, ip=_ip())

    return make


@pytest.fixture
def report_site() -> Callable[..., Any]:
    def make(by: Any = None, description: str = "有诈骗信息", **fields: Any) -> Any:
        fields.setdefault("category", "fraud")
        return do_report_site_content(acting_user=by, description=description, ip=_ip(), **fields)

    return make
