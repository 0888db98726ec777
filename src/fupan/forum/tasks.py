"""Background work for the forum (django-tasks: run at once by default, by a worker in
production)."""

from __future__ import annotations

from django_tasks import task


@task()
def flush_view_counts() -> int:
    """Write the buffered thread view counts (``fupan.forum.viewcounts``)."""
    from fupan.forum.viewcounts import do_flush_view_counts

    return do_flush_view_counts()
