"""Writes to the site settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fupan.core.models import SiteSettings
from fupan.core.site import purge_site_settings


def do_update_site_settings(*, acting_user: Any, **changes: Any) -> SiteSettings:
    """Apply ``changes`` to the settings row and purge the cached copy after commit.

    Precondition: ``acting_user`` is an administrator (checked by the caller's view/admin)."""
    with transaction.atomic():
        settings, _ = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        for field, value in changes.items():
            setattr(settings, field, value)
        settings.full_clean()
        settings.save()
        # Purge now (this process sees the change at once) and again after commit (another request
        # may have cached the old row in between).
        purge_site_settings()
        transaction.on_commit(purge_site_settings)
    return settings


def do_save_site_settings(settings: SiteSettings, *, acting_user: Any) -> None:
    """Save a settings object edited as a whole (the admin form). A changed credits formula
    recomputes every member's total in the background after commit."""
    with transaction.atomic():
        settings.pk = 1
        before = (
            SiteSettings.objects.filter(pk=1).values(*SiteSettings.FORMULA_FIELDS).first() or {}
        )
        settings.save()
        if any(before.get(f) != getattr(settings, f) for f in SiteSettings.FORMULA_FIELDS):
            from fupan.accounts.tasks import recompute_all_credits

            transaction.on_commit(lambda: recompute_all_credits.enqueue())
        purge_site_settings()
        transaction.on_commit(purge_site_settings)
