from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from fupan.core.forms import CaptchaMixin


class RegisterForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=64, strip=True)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        max_length=128,
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False, max_length=128
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, password2 = data.get("password"), data.get("password2")
        if password and password2 and password != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class LoginForm(forms.Form):
    login = forms.CharField(label=_("Username or email"), max_length=254)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=128
    )
    remember = forms.BooleanField(label=_("Stay logged in"), required=False, initial=True)


class RegisterWithCaptchaForm(CaptchaMixin, RegisterForm):
    """Registration with 验证码 (site setting ``captcha_on_register``)."""


def register_form(data: Any = None, *, captcha: bool, email_required: bool) -> RegisterForm:
    form = (RegisterWithCaptchaForm if captcha else RegisterForm)(data)
    form.fields["email"].required = email_required
    return form
