"""Old Discuz addresses answer with a permanent redirect to the same page on Fupan.

The mapping is :func:`fupan.importers.discuz.links.resolve_legacy` (no database); the two forms it
cannot finish alone (``goto=lastpost``, ``username=…``) cost one query here. Permissions are left
to the page redirected to, which answers 404 alike for missing and hidden objects.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fupan.importers.discuz.links import Lookup, resolve_legacy


def find_last_post_id(thread_id: int) -> int | None:
    """The id of a thread's last visible floor: one index range scan from the end."""
    from fupan.forum.models import Post, Thread

    return (
        Post.objects.filter(
            thread_id=thread_id, state=Post.State.VISIBLE, thread__state=Thread.State.VISIBLE
        )
        .order_by("-position")
        .values_list("id", flat=True)
        .first()
    )


def find_user_id(username: str) -> int | None:
    from fupan.accounts.models import User, username_key

    return (
        User.objects.filter(username_key=username_key(username))
        .values_list("id", flat=True)
        .first()
    )


def _finish(lookup: Lookup) -> str | None:
    if lookup.kind == "lastpost":
        post_id = find_last_post_id(int(lookup.key))
        return f"/p/{post_id}/" if post_id else None
    key = str(lookup.key).strip()
    user_id = find_user_id(key) if key else None
    return f"/u/{user_id}/{lookup.suffix}" if user_id else None


@require_safe
def legacy_redirect_view(request: HttpRequest, **_kwargs: str) -> HttpResponsePermanentRedirect:
    """``forum.php``, ``home.php``, ``member.php``, ``search.php``, ``misc.php``, ``portal.php``,
    ``index.php``, ``archiver/`` and the rewrite forms (``thread-1-1-1.html`` …), also under one
    leading folder (a forum that lived at ``/bbs/``): 301 to the Fupan page, or 404."""
    target = resolve_legacy(request.path_info, request.GET)
    if isinstance(target, Lookup):
        target = _finish(target)
    if target is None:
        raise Http404(_("This address is from the old forum and leads to no page here."))
    # Targets are built by resolve_legacy from parsed ids; this check only guards that promise.
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        raise Http404(_("This address is from the old forum and leads to no page here."))
    return HttpResponsePermanentRedirect(target)
