from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmConfig(AppConfig):
    name = "fupan.pm"
    label = "pm"
    verbose_name = _("Private messages")
