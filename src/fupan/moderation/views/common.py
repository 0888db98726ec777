"""Small pieces shared by the moderation views."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from fupan.forum.presenters import login_url_for


def to_login(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    """Send a guest to the login page, coming back to ``next_url`` (htmx: a client redirect, so
    the login page is not swapped into a fragment)."""
    url = login_url_for(next_url or request.get_full_path())
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


def done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """After a plain form post: a flash message and the redirect (htmx: a client redirect)."""
    messages.success(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)
