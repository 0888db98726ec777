"""Form pieces shared by several apps."""

from __future__ import annotations

import random
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fupan.core.captcha import Challenge, check_answer, new_challenge


def fresh_challenge() -> Challenge:
    """A new captcha: one of the administrators' questions when the site asks questions and has
    some, else an image."""
    from fupan.core.models import CaptchaQuestion
    from fupan.core.site import get_site_settings

    if get_site_settings().captcha_use_questions:
        questions = list(
            CaptchaQuestion.objects.filter(enabled=True).values_list("question", "answer")[:50]
        )
        if questions:
            return new_challenge(question=random.choice(questions))
    return new_challenge()


class CaptchaMixin(forms.Form):
    """Adds 验证码 to a form. Call ``with_captcha()`` before rendering: every rendering gets a
    new challenge (an answered or failed one is used up)."""

    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    captcha = forms.CharField(label=_("Captcha"), required=False, max_length=40)

    challenge: Challenge | None = None

    def with_captcha(self) -> Any:
        self.challenge = fresh_challenge()
        return self

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not check_answer(self.data.get("captcha_token"), self.data.get("captcha")):
            self.add_error("captcha", _("The captcha answer is wrong; try the new one."))
        return data
