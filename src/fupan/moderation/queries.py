"""Reads for the report and appeal pages, each in a fixed number of queries (budgets asserted in
the tests): a count and one joined query per list, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from fupan.core.pagination import Pager, page_count
from fupan.forum.models import Post, Thread
from fupan.markup import plain_text
from fupan.moderation.models import Appeal, AppealMessage, Report, is_deleted_post
from fupan.permissions.core import UserPerms
from fupan.permissions.moderation import filter_appeals_queryset, filter_reports_queryset

EXCERPT_LENGTH = 200
PER_PAGE = 20


@dataclass
class ListPage:
    items: list[Any]
    total: int
    pager: Pager


def excerpt(body: str, length: int = EXCERPT_LENGTH) -> str:
    # Cut the source first: a 200 KB post does not need parsing for 200 characters.
    text = plain_text(body[: length * 10]).replace("\n", " ").strip()
    return text if len(text) <= length else text[:length] + "…"


def _page(qs: QuerySet[Any], *, page: int, per_page: int) -> ListPage:
    total = qs.count()
    pages = page_count(total, per_page)
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    items = list(qs[start : start + per_page]) if total else []
    return ListPage(items=items, total=total, pager=Pager(page, pages))


def _with_excerpts(reports: list[Report]) -> list[Report]:
    for report in reports:
        report.excerpt = excerpt(report.post.body) if report.post_id and report.post else ""  # type: ignore[attr-defined]
    return reports


# Reports -------------------------------------------------------------------------------------

_REPORT_RELATED = ("post", "thread", "board", "member", "reporter", "resolved_by")


def fetch_report_queue(
    perms: UserPerms, *, status: str, page: int, per_page: int = PER_PAGE
) -> ListPage:
    """The moderator's queue: post, member and site reports together, newest first, open or
    resolved. Two queries."""
    qs = filter_reports_queryset(perms, Report.objects.all())
    if status == "resolved":
        qs = qs.filter(status=Report.Status.RESOLVED)
    else:
        qs = qs.filter(status=Report.Status.OPEN)
    result = _page(
        qs.select_related(*_REPORT_RELATED).order_by("-created_at", "-id"),
        page=page,
        per_page=per_page,
    )
    _with_excerpts(result.items)
    return result


def prepare_report(report: Report) -> Report:
    """The report's detail page: the excerpt of the reported post (no query)."""
    _with_excerpts([report])
    return report


def fetch_my_reports(user: Any, *, page: int, per_page: int = PER_PAGE) -> ListPage:
    """A member's own reports and their outcomes, newest first. Two queries."""
    qs = (
        Report.objects.filter(reporter=user)
        .select_related("post", "thread", "member")
        .order_by("-created_at", "-id")
    )
    return _page(qs, page=page, per_page=per_page)


# Appeals -------------------------------------------------------------------------------------

_APPEAL_RELATED = ("appellant", "banned_group", "post", "post__thread", "board", "decided_by")


def fetch_appeal_queue(
    perms: UserPerms, *, status: str, page: int, per_page: int = PER_PAGE
) -> ListPage:
    """Appeals the moderator may decide, open ones oldest first (first come, first served),
    decided ones newest first. Two queries."""
    qs = filter_appeals_queryset(perms, Appeal.objects.all()).select_related(*_APPEAL_RELATED)
    if status == "decided":
        qs = qs.exclude(status=Appeal.Status.OPEN).order_by("-decided_at", "-id")
    else:
        qs = qs.filter(status=Appeal.Status.OPEN).order_by("created_at", "id")
    return _page(qs, page=page, per_page=per_page)


def fetch_my_appeals(user: Any, *, limit: int = 50) -> list[Appeal]:
    """A member's appeals, newest first. One query."""
    return list(
        Appeal.objects.filter(appellant=user)
        .select_related(*_APPEAL_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )


def fetch_appealable_posts(perms: UserPerms, *, limit: int = 50) -> list[Post]:
    """The member's deleted posts that someone else deleted, newest first, each with
    ``excerpt``: deleted floors and first posts of deleted threads, outside the boards the member
    moderates. One query."""
    if perms.is_super_moderator:
        return []
    qs = (
        Post.objects.filter(author_id=perms.user_id)
        .filter(Q(state=Post.State.DELETED) | Q(is_first=True, thread__state=Thread.State.RECYCLED))
        .select_related("thread", "thread__board")
        .order_by("-created_at", "-id")
    )
    if perms.moderated_board_ids:
        qs = qs.exclude(thread__board_id__in=perms.moderated_board_ids)
    posts = [p for p in qs[:limit] if is_deleted_post(p)]
    for post in posts:
        post.excerpt = excerpt(post.body, 80)  # type: ignore[attr-defined]
    return posts


def fetch_appeal_messages(appeal: Appeal) -> list[AppealMessage]:
    """The exchange after the statement, oldest first. One query."""
    return list(AppealMessage.objects.filter(appeal=appeal).order_by("created_at", "id"))


def prepare_appeal(appeal: Appeal) -> Appeal:
    """The appealed post's excerpt (no query: the post came with the appeal)."""
    appeal.excerpt = excerpt(appeal.post.body) if appeal.post_id and appeal.post else ""  # type: ignore[attr-defined]
    return appeal
