"""Cached access to the site settings row."""

from __future__ import annotations

from django.core.cache import cache

from fupan.core.models import SiteSettings
from fupan.core.pagecache import bump_site

CACHE_KEY = "site-settings:v1"


def get_site_settings() -> SiteSettings:
    """The site settings, from the cache when possible (no query on a warm cache)."""
    settings = cache.get(CACHE_KEY)
    if settings is None:
        settings, _ = SiteSettings.objects.get_or_create(pk=1)
        cache.set(CACHE_KEY, settings, timeout=None)
    return settings


def purge_site_settings() -> None:
    cache.delete(CACHE_KEY)
    bump_site()
