"""Django's Jinja2 backend, plus the ``template_rendered`` signal so tests can read the context
of a response (``response.context``) as they can with Django templates."""

from __future__ import annotations

from typing import Any

from django.template.backends.jinja2 import Jinja2 as DjangoJinja2
from django.template.backends.jinja2 import Template as DjangoTemplate
from django.test.signals import template_rendered


class Template(DjangoTemplate):
    def render(self, context: Any = None, request: Any = None) -> str:
        if template_rendered.receivers:
            template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return super().render(context, request)

    @property
    def name(self) -> str:
        return self.template.name or ""


class Jinja2(DjangoJinja2):
    def from_string(self, template_code: str) -> Template:
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        template = super().get_template(template_name)
        return Template(template.template, self)
