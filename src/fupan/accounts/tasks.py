"""Background work for members."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_all_credits() -> int:
    """Every member's total credits after the administrators change the formula."""
    from fupan.accounts.credits import synchronize_credits

    return synchronize_credits()
