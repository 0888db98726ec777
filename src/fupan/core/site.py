"""Cached access to the site settings row."""

from __future__ import annotations

from fupan.core.models import SiteSettings
from fupan.core.pagecache import bump_site
from fupan.core.versioned import versioned


def _load() -> SiteSettings:
    settings, _ = SiteSettings.objects.get_or_create(pk=1)
    return settings


def get_site_settings() -> SiteSettings:
    """The site settings, kept in the process under the site version key (no query, no cache
    read of its own on a warm process: ``fupan.core.versioned``). Read-only."""
    return versioned("site-settings", _load)


def purge_site_settings() -> None:
    bump_site()
