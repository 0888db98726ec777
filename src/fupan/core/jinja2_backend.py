"""Django's Jinja2 backend, plus the ``template_rendered`` signal so tests can read the context
of a response (``response.context``) as they can with Django templates."""

from __future__ import annotations

from typing import Any

import jinja2
from django.template import TemplateSyntaxError
from django.template.backends.jinja2 import Jinja2 as DjangoJinja2
from django.template.backends.jinja2 import Template as DjangoTemplate
from django.template.backends.jinja2 import get_exception_info
from django.template.backends.utils import csrf_input, csrf_token_lazy
from django.test.signals import template_rendered

from fupan.core.page_state import page_language_and_zone
from fupan.core.routes import page_script_prefix


class _CsrfInput:
    """``{{ csrf_input }}``, made once per page. Django's lazy string masks a new token at every
    use (a page of posts has a form per post for moderators); and it stays lazy, so a page whose
    template never prints it sets no CSRF cookie (cacheable guest pages)."""

    __slots__ = ("_html", "_request")

    def __init__(self, request: Any) -> None:
        self._request = request
        self._html: str | None = None

    def __html__(self) -> str:
        if self._html is None:
            self._html = csrf_input(self._request)
        return self._html

    __str__ = __html__


class Template(DjangoTemplate):
    def render(self, context: Any = None, request: Any = None) -> str:
        if template_rendered.receivers:
            template_rendered.send(sender=self, template=self, context=dict(context or {}))
        if request is None:
            return super().render(context, request)
        context = {} if context is None else context
        context["request"] = request
        context["csrf_input"] = _CsrfInput(request)
        context["csrf_token"] = csrf_token_lazy(request)
        for context_processor in self.backend.template_context_processors:
            context.update(context_processor(request))
        try:
            with page_language_and_zone(), page_script_prefix():
                return self.template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            new = TemplateSyntaxError(exc.args)
            new.template_debug = get_exception_info(exc)
            raise new from exc

    @property
    def name(self) -> str:
        return self.template.name or ""


class Jinja2(DjangoJinja2):
    def from_string(self, template_code: str) -> Template:
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        template = super().get_template(template_name)
        return Template(template.template, self)
