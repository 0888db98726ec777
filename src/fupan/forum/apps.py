from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "fupan.forum"
    label = "forum"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from fupan.forum.models import Board, ThreadType

        # Boards' settings and thread types are kept in each process under the site generation
        # (caching.py): any saved board or type, whoever saves it (admin, importer, shell), makes
        # them stale.
        post_save.connect(_board_changed, sender=Board, dispatch_uid="fupan-board-saved")
        post_delete.connect(_board_changed, sender=Board, dispatch_uid="fupan-board-deleted")
        post_save.connect(_board_changed, sender=ThreadType, dispatch_uid="fupan-type-saved")
        post_delete.connect(_board_changed, sender=ThreadType, dispatch_uid="fupan-type-deleted")


def _board_changed(**_: object) -> None:
    from fupan.core.pagecache import bump_site

    bump_site()
