"""Rebuild the inbox's denormalised counters from the rows they count: ``Thread.favorites``
(Discuz ``favtimes``) and ``User.new_notifications`` (the header badge)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from fupan.inbox.models import Favorite, Notification


def _count(qs, field: str) -> Coalesce:  # type: ignore[no-untyped-def]
    sub = qs.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def synchronize_favorites(thread_ids: Iterable[int] | None = None) -> int:
    """How many members keep each thread (all threads when ``thread_ids`` is None)."""
    from fupan.forum.models import Thread

    qs = Thread.objects.all() if thread_ids is None else Thread.objects.filter(pk__in=thread_ids)
    return qs.update(favorites=_count(Favorite.objects.filter(thread=OuterRef("pk")), "thread"))


def synchronize_notifications(user_ids: Iterable[int] | None = None) -> int:
    """Each member's unread notifications (all members when ``user_ids`` is None)."""
    user_model = get_user_model()
    qs = (
        user_model.objects.all() if user_ids is None else user_model.objects.filter(pk__in=user_ids)
    )
    unread = Notification.objects.filter(user=OuterRef("pk"), is_new=True)
    return qs.update(new_notifications=_count(unread, "user"))
