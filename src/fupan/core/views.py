"""Site pages (about) and friendly error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupan.core.pagecache import guest_cache
from fupan.core.site import get_site_settings
from fupan.markup import render_bbcode


@guest_cache()
@require_GET
def about_view(request: HttpRequest) -> HttpResponse:
    site = get_site_settings()
    return render(
        request,
        "core/about.jinja",
        {"about_html": render_bbcode(site.about_text) if site.about_text else ""},
    )


@require_GET
def language_view(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language (remembered in a cookie for a year)."""
    from fupan.core.http import safe_next

    if code not in {c for c, _name in settings.LANGUAGES}:
        raise Http404(_("Unknown language."))
    response = redirect(safe_next(request, "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


PREFERENCE_AGE = 365 * 24 * 3600


@require_GET
def no_images_view(request: HttpRequest) -> HttpResponse:
    """无图浏览: turn images into links (or back), remembered in a cookie; guests too."""
    from fupan.core.http import safe_next
    from fupan.core.middleware import NO_IMAGES_COOKIE

    response = redirect(safe_next(request, "/"))
    if request.no_images:  # type: ignore[attr-defined]
        response.delete_cookie(NO_IMAGES_COOKIE, samesite="Lax")
    else:
        response.set_cookie(NO_IMAGES_COOKIE, "1", max_age=PREFERENCE_AGE, samesite="Lax")
    return response


@require_GET
def layout_view(request: HttpRequest) -> HttpResponse:
    """手机版 / 电脑版: the touch layout or the standard (responsive) one, remembered."""
    from fupan.core.http import safe_next
    from fupan.core.middleware import LAYOUT_COOKIE

    response = redirect(safe_next(request, "/"))
    if request.touch_layout:  # type: ignore[attr-defined]
        response.set_cookie(LAYOUT_COOKIE, "standard", max_age=PREFERENCE_AGE, samesite="Lax")
    else:
        response.set_cookie(LAYOUT_COOKIE, "touch", max_age=PREFERENCE_AGE, samesite="Lax")
    return response


@guest_cache()
@require_GET
def app_view(request: HttpRequest) -> HttpResponse:
    """APP客户端: how to use the site from a phone and how apps connect."""
    return render(request, "core/app.jinja", {})


@require_GET
def captcha_image_view(request: HttpRequest, token: str) -> HttpResponse:
    from fupan.core.captcha import image_text, render_png

    text = image_text(token)
    if text is None:
        raise Http404(_("This captcha has expired; reload the page for a new one."))
    response = HttpResponse(render_png(text), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


def _error(
    request: HttpRequest, status: int, title: str, exception: Exception | None
) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    login_needed = (
        status == 403 and not request.user.is_authenticated if hasattr(request, "user") else False
    )
    try:
        return render(
            request,
            "core/error.jinja",
            {"status": status, "title": title, "message": message, "login_needed": login_needed},
            status=status,
        )
    except Exception:  # the error page itself must never fail (e.g. the database is down)
        return HttpResponse(f"<h1>{status} {title}</h1>", status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), None)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("No permission"), exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"), exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Something went wrong"), None)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Form expired"),
        Exception(
            _(
                "The form expired or came from another site. Go back, reload the page and send it again; what you typed is still in your browser's back history."
            )
        ),
    )
