"""Forms parse raw input; the rules (lengths, names, blocks, words) live in the actions, so a
refused message comes back with the text as typed and the action's reason."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from fupan.core.errors import FupanError
from fupan.pm.actions import MESSAGE_MAX

# Generous input limits: a too-long text reaches the action, which says how long it was.
_SLACK = 10


def _body() -> forms.CharField:
    return forms.CharField(
        label=pgettext_lazy("pm", "Message"),
        required=False,
        strip=False,
        max_length=MESSAGE_MAX * _SLACK,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ComposeForm(forms.Form):
    to = forms.CharField(label=_lazy("To"), required=False, max_length=1000)
    body = _body()


class ReplyForm(forms.Form):
    body = _body()


class BlockForm(forms.Form):
    username = forms.CharField(label=_lazy("Username"), required=False, max_length=200)


def attach_error(form: forms.Form, exc: Exception) -> int:
    """Put the refusal on the form (on its field when it names one); return the HTTP status."""
    if isinstance(exc, FupanError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return exc.status
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You may not do this."))
        return 403
    raise exc
