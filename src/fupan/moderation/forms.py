"""Forms parse raw input; the rules (lengths, choices, duplicates) live in the actions, so a refused
report or appeal comes back with the text as typed and the action's reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fupan.core.errors import FupanError
from fupan.moderation.actions import check_censor_word_find
from fupan.moderation.models import CensorWord, Report

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


# Sensitive words (the admin) -----------------------------------------------------------------

CENSOR_UPLOAD_MAX = 5 * 1024 * 1024  # a list of 100,000 words is about 1 MB


class CensorWordForm(forms.ModelForm):
    """One word in the admin; the action's checks decide what is a usable word."""

    class Meta:
        model = CensorWord
        fields = ["find", "action", "replacement"]

    def clean_find(self) -> str:
        try:
            return check_censor_word_find(self.cleaned_data.get("find"))
        except FupanError as exc:
            raise forms.ValidationError(exc.message) from None


class CensorImportForm(forms.Form):
    """词语过滤 bulk import: pasted lines and/or a text file, one word a line."""

    words = forms.CharField(
        label=_("Words"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 60}),
        help_text=_(
            "One word a line. Discuz's export format is accepted too: word=replacement, where "
            "{BANNED} means block and {MOD} means send to review. Write /…/ for a regular "
            "expression and {n} for up to n characters of anything in between."
        ),
    )
    file = forms.FileField(
        label=_("Or a text file"),
        required=False,
        help_text=_("UTF-8 or GBK, one word a line, at most 5 MB."),
    )
    action = forms.ChoiceField(
        label=_("Action for words without their own"),
        choices=CensorWord.Action.choices,
        initial=CensorWord.Action.REPLACE,
    )
    replacement = forms.CharField(
        label=_("Replacement"), required=False, initial="**", max_length=255, strip=False
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > CENSOR_UPLOAD_MAX:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        data = upload.read()
        # Discuz sites of the GBK era export their lists in GBK.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is neither UTF-8 nor GBK text."))

    def lines(self) -> list[str]:
        return (self.cleaned_data.get("words") or "").splitlines() + (
            self.cleaned_data.get("file") or ""
        ).splitlines()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(line.strip() for line in self.lines()):
            raise forms.ValidationError(_("Paste some words or choose a file."))
        return cleaned
