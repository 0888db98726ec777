"""New thread, reply, edit, delete, vote and preview.

A rejected post always comes back in its editor with the text as typed and the reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from fupan.attachments.actions import do_upload_attachment, max_upload_size
from fupan.attachments.files import ALLOWED_EXTENSIONS
from fupan.core import ratelimit, submissions
from fupan.core.errors import ErrorCode, FupanError
from fupan.core.http import client_ip, parse_int
from fupan.core.site import get_site_settings
from fupan.forum.actions import (
    do_create_reply,
    do_create_thread,
    do_delete_post,
    do_edit_post,
    do_vote_post,
)
from fupan.forum.forms import EditForm, ReplyForm, ThreadForm
from fupan.forum.models import Board, Post, PostVote, ThreadType
from fupan.forum.presenters import (
    attachment_viewer,
    floor_of,
    floors_page,
    login_url_for,
    present_post,
)
from fupan.forum.queries import prefetch_attachments
from fupan.forum.rendering import render_body
from fupan.forum.views.thread import post_url, thread_url
from fupan.markup import plain_text
from fupan.permissions import (
    access_board_by_id,
    access_post_by_id,
    access_thread_by_id,
    can_moderate_board,
    can_upload_attachments,
    can_use_thread_types,
    check_delete_post_permission,
    check_edit_post_permission,
    check_reply_thread_permission,
    check_start_thread_permission,
    check_upload_attachments_permission,
    check_vote_post_permission,
    needs_review,
)
from fupan.permissions.forum import LoginRequired

QUOTE_EXCERPT = 100


def _flood_check(request: HttpRequest, *, moderator: bool) -> bool:
    """Claim this member's posting slot (Discuz floodctrl). True if a slot was claimed — the caller
    gives it back when the post is then refused for another reason, so a corrected post is not
    turned away as "too fast"."""
    seconds = get_site_settings().post_interval
    if moderator or not seconds:
        return False
    if not ratelimit.claim_interval("post", str(request.user.pk), seconds=seconds):
        raise FupanError(
            ErrorCode.RATE_LIMITED,
            _("You are posting too fast; please wait %(n)d seconds and try again.")
            % {"n": seconds},
            status=429,
        )
    return True


def _types_for(board: Board, *, moderator: bool, perms: Any) -> list[ThreadType]:
    if not board.thread_types_enabled or not can_use_thread_types(perms, board):
        return []
    return [t for t in board.thread_types.all() if moderator or not t.moderators_only]


def _editor(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    body = context["form"]["body"].value() or ""
    if context.get("preview"):
        context["preview_html"] = render_body(body, context["board"])
    perms = request.perms  # type: ignore[attr-defined]
    context.setdefault("uploaded", _pending_uploads(request, _posted_attachment_ids(request)))
    context["can_upload"] = can_upload_attachments(perms, context["board"])
    context["max_upload"] = max_upload_size(perms.group)
    context["allowed_files"] = ALLOWED_EXTENSIONS
    return render(request, "forum/editor.jinja", context, status=status)


def _posted_attachment_ids(request: HttpRequest) -> list[int]:
    ids = (
        [parse_int(raw) for raw in request.POST.getlist("attachments")]
        if request.method == "POST"
        else []
    )
    return [i for i in ids if i][:50]


def _pending_uploads(request: HttpRequest, ids: list[int]) -> list[Any]:
    """The member's own uploads not yet in a post, for the editor to list again."""
    if not ids or not request.user.is_authenticated:
        return []
    from fupan.attachments.models import Attachment

    return list(
        Attachment.objects.filter(pk__in=ids, uploader=request.user, post__isnull=True).order_by(
            "id"
        )
    )


def _store_uploads(request: HttpRequest, board: Board, context: dict[str, Any]) -> list[int]:
    """Files sent with the editor form (the path without JavaScript): store each one; return every
    attachment id to bind. A refused file raises FupanError; the ones stored before it stay listed
    in the editor (``context["uploaded"]``), so nothing the member did is lost."""
    ids = _posted_attachment_ids(request)
    files = request.FILES.getlist("files")
    if files:
        perms = request.perms  # type: ignore[attr-defined]
        check_upload_attachments_permission(perms, board)
        limit = max_upload_size(perms.group)
        try:
            for upload in files[:20]:
                data = upload.read(limit + 1)
                attachment = do_upload_attachment(
                    acting_user=request.user, filename=upload.name or "", data=data, max_size=limit
                )
                ids.append(attachment.pk)
        finally:
            context["uploaded"] = _pending_uploads(request, ids)
    return ids


def _fail(form: Any, exc: Exception) -> int:
    """Attach the reason to the form; return the HTTP status to answer with."""
    if isinstance(exc, FupanError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return exc.status
    form.add_error(None, str(exc) or _("You may not do this."))
    return 403


# New thread -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_thread_view(request: HttpRequest, board_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    board = access_board_by_id(perms, board_id)
    moderator = can_moderate_board(perms, board)
    types = _types_for(board, moderator=moderator, perms=perms)
    context: dict[str, Any] = {"board": board, "mode": "new", "types": types}
    if request.method == "GET":
        if not perms.is_authenticated:
            return redirect(login_url_for(request.get_full_path()))
        check_start_thread_permission(perms, board)
        context["form"] = ThreadForm(
            types=types,
            initial={"token": submissions.new_token(), "type": parse_int(request.GET.get("type"))},
        )
        return _editor(request, context)

    form = ThreadForm(request.POST, types=types)
    context["form"] = form
    if "preview" in request.POST:
        form.is_valid()
        context["preview"] = True
        return _editor(request, context)
    token = request.POST.get("token")
    claimed = False
    try:
        check_start_thread_permission(perms, board)
        if not form.is_valid():
            return _editor(request, context, status=400)
        earlier = submissions.claim(request.user.pk, token)
        if earlier is not None:
            return _duplicate(request, earlier)
        claimed = _flood_check(request, moderator=moderator)
        attachment_ids = _store_uploads(request, board, context)
        thread = do_create_thread(
            board,
            acting_user=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            thread_type=form.cleaned_data.get("type"),
            moderator=moderator,
            types_allowed=can_use_thread_types(perms, board),
            client=request.client,  # type: ignore[attr-defined]
            ip=client_ip(request),
            attachment_ids=attachment_ids,
            pending=needs_review(perms, board, new_thread=True),
        )
    except (FupanError, PermissionDenied) as exc:
        if request.user.is_authenticated:
            submissions.release(request.user.pk, token)
        if claimed:
            ratelimit.release_interval("post", str(request.user.pk))
        if isinstance(exc, LoginRequired):
            context["login_url"] = login_url_for(request.get_full_path())
        return _editor(request, context, status=_fail(form, exc))
    url = thread_url(thread)
    submissions.complete(request.user.pk, token, url)
    if thread.state == thread.State.PENDING:
        messages.info(
            request,
            _("Your thread waits for a moderator's approval; until then only you can see it."),
        )
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _duplicate(request: HttpRequest, earlier: str) -> HttpResponse:
    if earlier:
        messages.info(request, _("That was already posted; here it is."))
        return HttpResponseClientRedirect(earlier) if request.htmx else redirect(earlier)  # type: ignore[attr-defined]
    return render(
        request,
        "core/message.jinja",
        {
            "title": _("Already submitted"),
            "message": _("This post is being submitted; please do not send it twice."),
        },
        status=409,
    )


# Reply ----------------------------------------------------------------------------------------


def _quote_text(post: Post) -> str:
    from fupan.core.timefmt import discuz_datetime

    excerpt = plain_text(post.body).strip()
    if len(excerpt) > QUOTE_EXCERPT:
        excerpt = excerpt[:QUOTE_EXCERPT] + " ..."
    header = _("%(author)s posted at %(time)s") % {
        "author": post.author_name,
        "time": discuz_datetime(post.created_at),
    }
    return f"[quote][size=2][url=/p/{post.pk}/][color=#999999]{header}[/color][/url][/size]\n{excerpt}[/quote]\n"


@require_http_methods(["GET", "POST"])
def reply_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    board = thread.board
    moderator = can_moderate_board(perms, board)
    context: dict[str, Any] = {"board": board, "thread": thread, "mode": "reply"}
    if request.method == "GET":
        if not perms.is_authenticated:
            return redirect(login_url_for(request.get_full_path()))
        check_reply_thread_permission(perms, thread)
        initial = {"token": submissions.new_token()}
        quote_id = parse_int(request.GET.get("quote"))
        if quote_id:
            quoted = access_post_by_id(perms, quote_id)
            if quoted.thread_id == thread.pk and quoted.is_visible:
                initial["body"] = _quote_text(quoted)
        context["form"] = ReplyForm(initial=initial)
        return _editor(request, context)

    form = ReplyForm(request.POST)
    context["form"] = form
    quick = request.POST.get("quick") == "1"
    if "preview" in request.POST:
        form.is_valid()
        context["preview"] = True
        return _editor(request, context)
    token = request.POST.get("token")
    claimed = False
    try:
        check_reply_thread_permission(perms, thread)
        if not form.is_valid():
            raise FupanError(ErrorCode.BAD_REQUEST, _("Please correct the errors below."))
        earlier = submissions.claim(request.user.pk, token)
        if earlier is not None:
            return _duplicate(request, earlier)
        claimed = _flood_check(request, moderator=moderator)
        attachment_ids = _store_uploads(request, board, context)
        post = do_create_reply(
            thread,
            acting_user=request.user,
            body=form.cleaned_data["body"],
            moderator=moderator,
            client=request.client,  # type: ignore[attr-defined]
            ip=client_ip(request),
            attachment_ids=attachment_ids,
            pending=needs_review(perms, board, new_thread=False),
        )
    except (FupanError, PermissionDenied) as exc:
        if request.user.is_authenticated:
            submissions.release(request.user.pk, token)
        if claimed:
            ratelimit.release_interval("post", str(request.user.pk))
        status = _fail(form, exc)
        if isinstance(exc, LoginRequired):
            context["login_url"] = login_url_for(thread_url(thread))
        if quick and request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "forum/_quick_reply.jinja",
                {**context, "reply_form": form, "can_reply": True},
                status=status,
            )
        return _editor(request, context, status=status)
    post.thread = thread
    url = post_url(post)
    submissions.complete(request.user.pk, token, url)
    if post.state == Post.State.PENDING:
        messages.info(
            request,
            _("Your reply waits for a moderator's approval; until then only you can see it."),
        )
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(url)
    if quick and request.htmx and request.POST.get("append") == "1":  # type: ignore[attr-defined]
        return _appended_post(request, thread, post)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _appended_post(request: HttpRequest, thread: Any, post: Post) -> HttpResponse:
    """The quick reply's htmx answer: the new floor to append, and a fresh empty form."""
    perms = request.perms  # type: ignore[attr-defined]
    site = get_site_settings()
    prefetch_attachments([post])
    post.author = request.user
    viewer = attachment_viewer(
        perms, thread.board, site, login_url_for(thread_url(thread)), no_images=request.no_images
    )
    pv = present_post(post, thread=thread, perms=perms, site=site, viewer=viewer)
    page = floors_page(request, site=site, thread=thread, viewer=viewer, is_moderator=False)
    context = {
        "thread": thread,
        "board": thread.board,
        "pv": pv,
        "floor": floor_of(pv, page, relative_times=site.relative_times),
        "keep_floors": not thread.board.jammer,
        "can_reply": True,
        "reply_token": submissions.new_token(),
        "data": {"author_id": None, "reverse": False},
        "append_ok": post.position % site.posts_per_page != 0,
        "viewer": viewer,
        "login_url": login_url_for(thread_url(thread)),
    }
    return render(request, "forum/_appended_post.jinja", context)


# Edit and delete ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def edit_post_view(request: HttpRequest, post_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    post = access_post_by_id(perms, post_id)
    thread = post.thread
    board = thread.board
    moderator = can_moderate_board(perms, board)
    types = _types_for(board, moderator=moderator, perms=perms) if post.is_first else []
    context: dict[str, Any] = {
        "board": board,
        "thread": thread,
        "post": post,
        "mode": "edit",
        "types": types,
    }
    if request.method == "GET":
        if not perms.is_authenticated:
            return redirect(login_url_for(request.get_full_path()))
        check_edit_post_permission(perms, post)
        initial = {"body": post.body, "title": thread.title, "type": thread.type_id}
        form = EditForm(types=types, initial=initial)
        if not post.is_first:
            del form.fields["title"]
        context["form"] = form
        return _editor(request, context)

    form = EditForm(request.POST, types=types)
    if not post.is_first:
        del form.fields["title"]
    context["form"] = form
    if "preview" in request.POST:
        form.is_valid()
        context["preview"] = True
        return _editor(request, context)
    try:
        check_edit_post_permission(perms, post)
        if not form.is_valid():
            return _editor(request, context, status=400)
        attachment_ids = _store_uploads(request, board, context)
        do_edit_post(
            post,
            acting_user=request.user,
            body=form.cleaned_data["body"],
            title=form.cleaned_data.get("title"),
            thread_type=form.cleaned_data.get("type") if post.is_first else None,
            moderator=moderator,
            types_allowed=can_use_thread_types(perms, board),
            attachment_ids=attachment_ids,
        )
    except (FupanError, PermissionDenied) as exc:
        return _editor(request, context, status=_fail(form, exc))
    if post.state == Post.State.PENDING and not moderator:
        messages.info(
            request,
            _("Your post waits for a moderator's approval; until then only you can see it."),
        )
    url = post_url(post)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_http_methods(["GET", "POST"])
def delete_post_view(request: HttpRequest, post_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    post = access_post_by_id(perms, post_id)
    check_delete_post_permission(perms, post)
    if request.method == "GET":
        return render(
            request,
            "forum/delete.jinja",
            {"post": post, "thread": post.thread, "board": post.thread.board},
        )
    do_delete_post(post, acting_user=request.user, reason=request.POST.get("reason", "")[:200])
    if post.is_first:
        messages.success(request, _("The thread has been moved to the recycle bin."))
        url = f"/f/{post.thread.board_id}/"
    else:
        messages.success(request, _("The post has been deleted."))
        url = thread_url(post.thread)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


# Votes ----------------------------------------------------------------------------------------


@require_POST
def vote_post_view(request: HttpRequest, post_id: int) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    post = access_post_by_id(perms, post_id)
    value = {"support": PostVote.Value.SUPPORT, "oppose": PostVote.Value.OPPOSE}.get(
        request.POST.get("value", "")
    )
    error = None
    my_vote = 0
    try:
        if value is None:
            raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown vote."))
        check_vote_post_permission(perms, post)
        post = do_vote_post(post, acting_user=request.user, value=value)
        my_vote = value
    except LoginRequired:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(login_url_for(post_url(post)))
        return redirect(login_url_for(post_url(post)))
    except (FupanError, PermissionDenied) as exc:
        error = exc.message if isinstance(exc, FupanError) else str(exc)
        if isinstance(exc, FupanError) and exc.code == ErrorCode.ALREADY_VOTED:
            my_vote = (
                PostVote.objects.filter(post=post, user=request.user)
                .values_list("value", flat=True)
                .first()
                or 0
            )
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "forum/_votes.jinja",
            {
                "post": post,
                "my_vote": my_vote,
                "can_vote": False,
                "vote_error": error,
                "signed_in": request.user.is_authenticated,
            },
            status=200 if error is None else 409,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thanks for your vote."))
    return redirect(post_url(post))


@require_POST
def recommend_thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """顶/踩 a thread: htmx swaps the counts, a plain form returns to the thread."""
    from fupan.forum.actions.posting import do_recommend_thread
    from fupan.forum.models import ThreadRecommend
    from fupan.permissions.forum import check_recommend_thread_permission

    perms = request.perms  # type: ignore[attr-defined]
    thread = access_thread_by_id(perms, thread_id)
    value = {"add": ThreadRecommend.Value.ADD, "subtract": ThreadRecommend.Value.SUBTRACT}.get(
        request.POST.get("value", "")
    )
    error = None
    mine = 0
    try:
        if value is None:
            raise FupanError(ErrorCode.BAD_REQUEST, _("Unknown vote."))
        check_recommend_thread_permission(perms, thread)
        thread = do_recommend_thread(thread, acting_user=request.user, value=value)
        mine = value
    except LoginRequired:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(login_url_for(thread_url(thread)))
        return redirect(login_url_for(thread_url(thread)))
    except (FupanError, PermissionDenied) as exc:
        error = exc.message if isinstance(exc, FupanError) else str(exc)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "forum/_recommend.jinja",
            {
                "thread": thread,
                "can_recommend": False,
                "my_recommend": mine,
                "recommend_error": error,
                "signed_in": request.user.is_authenticated,
            },
            status=200 if error is None else 409,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thanks for your vote."))
    return redirect(thread_url(thread))


# Preview --------------------------------------------------------------------------------------


@require_POST
def preview_view(request: HttpRequest) -> HttpResponse:
    perms = request.perms  # type: ignore[attr-defined]
    if not perms.is_authenticated:
        raise LoginRequired(_("You need to log in first."))
    if not ratelimit.hit("preview", str(request.user.pk), limit=60, window=60):
        return HttpResponse(_("Too many previews; please slow down."), status=429)
    board_id = parse_int(request.POST.get("board"))
    board = access_board_by_id(perms, board_id) if board_id else Board()
    body = request.POST.get("body", "")[:200_000]
    return render(request, "forum/_preview.jinja", {"preview_html": render_body(body, board)})
