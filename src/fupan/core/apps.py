from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fupan.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from fupan.core import checks  # noqa: F401  (registers the system checks)
