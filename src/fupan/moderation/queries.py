"""Reads for the report and appeal pages, each in a fixed number of queries (budgets asserted in
the tests): a count and one joined query per list, whatever the number of rows. And the sensitive-
word filter, built once per process and checked against a version number in the cache."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fupan.core.errors import ErrorCode, FupanError
from fupan.core.pagination import Pager, page_count
from fupan.forum.models import Post, Thread
from fupan.markup import plain_text
from fupan.moderation.models import Appeal, AppealMessage, CensorWord, Report, is_deleted_post
from fupan.moderation.wordfilter import WordAction, WordFilter, WordRule
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


# Sensitive words (词语过滤) -------------------------------------------------------------------

WORD_FILTER_VERSION_KEY = "censor-words:version"
# The filter this process built, and the version it was built for. Building 10,000 words takes
# tens of milliseconds, so it happens once per process and change, never per request; the
# version in the (shared) cache tells every worker when to build again.
_memo: tuple[str, WordFilter] | None = None
_memo_lock = threading.Lock()


def _current_version() -> str:
    version = cache.get(WORD_FILTER_VERSION_KEY)
    if version is None:
        # Evicted or never set: nobody can tell whether a memo is current, so start a new version
        # (``add``: of two workers racing here, both end up with the first one's).
        cache.add(WORD_FILTER_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(WORD_FILTER_VERSION_KEY)
    # A cache that keeps nothing (DummyCache): never trust the memo.
    return str(version) if version is not None else uuid.uuid4().hex


def get_word_filter() -> WordFilter:
    """The ``WordFilter`` of every ``CensorWord`` row. No query on a warm cache (one cache read);
    one query and a rebuild in each process after ``purge_word_filter``."""
    global _memo
    version = _current_version()
    memo = _memo
    if memo is not None and memo[0] == version:
        return memo[1]
    with _memo_lock:
        memo = _memo
        if memo is not None and memo[0] == version:
            return memo[1]
        rules = [
            WordRule(find=find, action=WordAction(action), replacement=replacement)
            for find, action, replacement in CensorWord.objects.values_list(
                "find", "action", "replacement"
            ).iterator(chunk_size=5000)
        ]
        word_filter = WordFilter(rules)
        _memo = (version, word_filter)
    return word_filter


def purge_word_filter() -> None:
    """Make every process rebuild its filter (after words were added, changed or deleted)."""
    cache.set(WORD_FILTER_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    from fupan.core.pagecache import bump_site

    bump_site()


WordTarget = Literal["title", "body", "signature", "username", "message"]
_LISTED_WORDS = 5


def format_word_list(words: list[str]) -> str:
    """The words for a message: the first few, "、"-separated in Chinese."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    shown = separator.join(words[:_LISTED_WORDS])
    return shown + ("…" if len(words) > _LISTED_WORDS else "")


def _refuse(what: WordTarget, words: list[str], *, review: bool = False) -> FupanError:
    listed = {"words": format_word_list(words)}
    if what == "username":
        message = _("This username contains a word that may not be used: %(words)s.") % listed
    elif what == "signature" and review:
        message = (
            _(
                "The signature contains words that a moderator would have to review: %(words)s. "
                "A signature cannot wait for review; please remove them."
            )
            % listed
        )
    elif what == "signature":
        message = _("The signature contains words that are not allowed: %(words)s.") % listed
    elif what == "title":
        message = _("The title contains words that are not allowed: %(words)s.") % listed
    else:
        message = _("The post contains words that are not allowed: %(words)s.") % listed
    return FupanError(ErrorCode.WORD_BLOCKED, message, field=what)


def apply_word_filter(text: str, *, what: WordTarget) -> tuple[str, bool]:
    """Apply the sensitive-word list to a title, a post body, a signature or a username.

    Returns the text with the replace words replaced, and whether a review word was found (the
    caller decides: a member's post waits in the review queue, a moderator's does not). Raises
    ``FupanError`` (``WORD_BLOCKED``, ``field=what``) naming the words when a block word is found;
    a signature cannot wait for review, so there a review word refuses it too; a username is
    refused for any listed word, whatever its action."""
    result = get_word_filter().scan(text)
    if result.clean:
        return text, False
    if what == "username":
        raise _refuse(what, result.blocked + result.review + result.replaced)
    if result.blocked:
        raise _refuse(what, result.blocked)
    if what == "signature" and result.review:
        raise _refuse(what, result.review, review=True)
    return result.text, bool(result.review)


# The moderation log ---------------------------------------------------------------------------


def fetch_mod_log(
    perms: UserPerms, *, action: str = "", actor: str = "", page: int = 1, per_page: int = 50
) -> tuple[int, list[Any], list[tuple[str, str]]]:
    """Log entries the viewer may see (a board moderator: their boards' and their own; super
    moderators: all), newest first, filtered by action and moderator name. Two queries."""
    from django.db.models import Q

    from fupan.moderation.models import ModAction

    qs = ModAction.objects.all()
    if not perms.is_super_moderator:
        qs = qs.filter(Q(board_id__in=perms.moderated_board_ids) | Q(actor_id=perms.user_id))
    if action in ModAction.Action.values:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    total = qs.count()
    start = (max(page, 1) - 1) * per_page
    entries = list(
        qs.select_related("board", "member").order_by("-created_at", "-id")[
            start : start + per_page
        ]
    )
    return total, entries, list(ModAction.Action.choices)
