"""Forms parse raw input; the rules (lengths, choices, duplicates) live in the actions, so a refused
report or appeal comes back with the text as typed and the action's reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fupan.core.errors import FupanError
from fupan.moderation.models import Report

# Generous input limits: a too-long text reaches the action, which says how long it was.
_SLACK = 10


def _text(limit: int, *, rows: int = 4, label: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        max_length=limit * _SLACK,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=20)
    message = _text(200, rows=3, label=_("Message (optional)"))

    reasons = Report.Reason.choices


class SiteReportForm(forms.Form):
    url = forms.CharField(label=_("Address of the page"), required=False, max_length=5000)
    category = forms.CharField(label=_("Category"), required=False, max_length=20)
    description = _text(1000, rows=6, label=_("Description"))
    contact = forms.CharField(
        label=_("Contact (email or phone, optional)"), required=False, max_length=1000
    )

    categories = Report.Category.choices


class ResolveForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=20)
    note = _text(500, rows=3, label=_("Note to the reporter (optional)"))

    outcomes = Report.Outcome.choices


class AppealForm(forms.Form):
    subject = forms.CharField(label=_("What do you appeal?"), required=False, max_length=20)
    statement = _text(2000, rows=6, label=_("Your statement"))


class AppealMessageForm(forms.Form):
    body = _text(2000, rows=3, label=_("Add a message"))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        required=False,
    )
    reply = _text(2000, rows=3, label=_("Reply to the member"))


def attach_error(form: forms.Form, exc: Exception) -> int:
    """Put the refusal on the form (on its field when it names one); return the HTTP status."""
    if isinstance(exc, FupanError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return exc.status
    form.add_error(None, str(exc) or _("You may not do this."))
    return 403
