"""Bookkeeping of imports: how far each source table has come, and every row left out (or changed)
with its reason. Written in the same transaction as the rows of each batch, so an interrupted
import resumes exactly where it stopped."""

from __future__ import annotations

from django.db import models


class Checkpoint(models.Model):
    """One step (usually one source table) of one import source: the highest key done so far."""

    source = models.CharField(max_length=200)
    step = models.CharField(max_length=100)
    last_key = models.BigIntegerField(default=0)
    imported = models.PositiveBigIntegerField(default=0)
    skipped = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "step"], name="checkpoint_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.step} @ {self.last_key}"


class Issue(models.Model):
    """A source row that was skipped, or imported with a change (renamed, repaired, …)."""

    class Kind(models.TextChoices):
        SKIPPED = "skipped", "skipped"
        CHANGED = "changed", "imported with a change"

    source = models.CharField(max_length=200)
    step = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_key = models.CharField(max_length=64)
    reason = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["source", "step", "kind"], name="issue_step_idx")]

    def __str__(self) -> str:
        return f"{self.step} {self.source_key}: {self.reason}"
