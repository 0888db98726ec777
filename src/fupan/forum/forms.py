"""Forms parse and bound-check raw input; the rules live in ``check_*`` functions and actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fupan.forum.actions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from fupan.forum.models import ThreadType

# Generous input limits: a too-long title or body must reach the action, which explains how long
# it was, and the text must come back to the editor intact.
_INPUT_SLACK = 10


class BodyField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", BODY_MAX_LENGTH * _INPUT_SLACK)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 12}))
        super().__init__(**kwargs)


class ReplyForm(forms.Form):
    body = BodyField(label=_("Reply"))
    token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)


class ThreadForm(forms.Form):
    type = forms.ModelChoiceField(
        queryset=ThreadType.objects.none(), required=False, label=_("Thread type")
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=TITLE_MAX_LENGTH * _INPUT_SLACK
    )
    body = BodyField(label=_("Body"))
    token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, types: list[ThreadType] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["type"]
        assert isinstance(field, forms.ModelChoiceField)
        if types:
            field.queryset = ThreadType.objects.filter(pk__in=[t.pk for t in types])
            field.choices_list = types  # type: ignore[attr-defined]
        else:
            del self.fields["type"]


class EditForm(ThreadForm):
    pass
