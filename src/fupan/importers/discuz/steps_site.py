"""Site settings (``pre_common_setting``): the forum's name, ICP number, page sizes, flood
control, the credits' names and the total-credits formula, and the attachment selling hours.

The settings are one row of Fupan's ``SiteSettings``, so the step reads them as one batch; a
later run (``--since``) finds the step done and leaves the owner's later changes alone."""

from __future__ import annotations

import re
from typing import Any

from . import convert, php
from .framework import Batch, Context, Step

# Discuz setting → (SiteSettings field, smallest, largest) for whole numbers.
NUMBERS = {
    "postperpage": ("posts_per_page", 1, 100),
    "topicperpage": ("threads_per_page", 1, 100),
    "floodctrl": ("post_interval", 0, 3600),
    "maxchargespan": ("max_charge_hours", 0, 10**6),
}
TEXTS = {"bbname": ("site_name", 80), "icp": ("icp", 80)}
READ = (*NUMBERS, *TEXTS, "extcredits", "creditsformula")

# ``creditsformula``: a sum of terms like ``digestposts*5``; the ones Fupan's formula has.
FORMULA_TERMS = {
    "posts": "formula_posts",
    "threads": "formula_threads",
    "digestposts": "formula_digest",
    "extcredits1": "formula_credit1",
    "extcredits2": "formula_credit2",
    "extcredits3": "formula_credit3",
}
_TERM = re.compile(r"^(?:(\d+)\*)?([a-z]+\d?)(?:\*(\d+))?$")


class SiteSettingsStep(Step):
    name = "site_settings"
    title = "site settings"
    table = "common_setting s"
    key = "1"
    batch_size = 0

    def count(self, ctx: Context, last_key: int | None = None) -> int:
        return 0 if last_key else 1

    def fetch(self, ctx: Context, last_key: int, limit: int) -> list[dict[str, Any]]:
        if last_key:
            return []
        marks = ", ".join(["%s"] * len(READ))
        rows = ctx.source.query(
            f"SELECT skey, svalue FROM {ctx.source.table('common_setting')} WHERE skey IN ({marks})",
            list(READ),
        )
        values = {
            (r["skey"].decode() if isinstance(r["skey"], bytes) else r["skey"]): r["svalue"]
            for r in rows
        }
        return [{"_key": 1, **values}]

    def fetch_keys(self, ctx: Context, keys: list[int]) -> list[dict[str, Any]]:
        return self.fetch(ctx, 0, 0)

    def write(self, batch: Batch, ctx: Context) -> None:
        from fupan.core.actions import do_update_site_settings

        (row,) = batch.rows
        changes: dict[str, Any] = {}
        for skey, (field, longest) in TEXTS.items():
            if row.get(skey) is None:
                continue
            text = convert.strip_tags(batch.text(row, skey, skey)).strip()
            if len(text) > longest:
                batch.change(skey, f"shortened to {longest} characters", text)
            if text or skey == "icp":
                changes[field] = text[:longest]
        for skey, (field, low, high) in NUMBERS.items():
            raw = batch.text(row, skey, skey).strip() if row.get(skey) is not None else ""
            if not raw:
                continue
            try:
                number = int(raw)
            except ValueError:
                batch.skip(skey, "not a whole number", raw)
                continue
            if not low <= number <= high:
                batch.change(skey, f"kept within {low}–{high}", raw)
            changes[field] = min(max(number, low), high)
        changes.update(self._credits(batch, row))
        changes.update(self._formula(batch, row))
        do_update_site_settings(acting_user=None, **changes)
        batch.imported = 1

    def _credits(self, batch: Batch, row: dict[str, Any]) -> dict[str, Any]:
        """``extcredits``: a serialized array of credit number → ``title``, ``available``."""
        raw = row.get("extcredits")
        if not raw:
            return {}
        try:
            credits, repaired = php.loads_reporting(raw, lenient=True)
        except php.PHPSerializeError as exc:
            batch.skip("extcredits", "broken serialized array", str(exc))
            return {}
        if repaired:
            batch.change("extcredits", "serialized array repaired")
        changes: dict[str, Any] = {}
        if not isinstance(credits, dict):
            return changes
        for number in (1, 2, 3):
            credit = credits.get(number) or credits.get(str(number))
            if not isinstance(credit, dict):
                continue
            title = credit.get("title")
            title = title.decode("utf-8", "replace") if isinstance(title, bytes) else title
            if title:
                changes[f"credit{number}_name"] = convert.strip_tags(str(title))[:20]
            changes[f"credit{number}_enabled"] = bool(int(credit.get("available") or 0))
        for number in sorted(k for k in credits if str(k).isdigit() and int(k) > 3):
            batch.change("extcredits", f"credit {number} is not kept (Fupan has three)")
        return changes

    def _formula(self, batch: Batch, row: dict[str, Any]) -> dict[str, Any]:
        raw = (
            batch.text(row, "creditsformula", "creditsformula") if row.get("creditsformula") else ""
        )
        formula = raw.replace(" ", "")
        if not formula:
            return {}
        weights = dict.fromkeys(FORMULA_TERMS.values(), 0)
        for term in formula.split("+"):
            match = _TERM.match(term)
            field = FORMULA_TERMS.get(match.group(2)) if match else None
            if match is None or field is None:
                batch.skip("creditsformula", "a formula Fupan cannot keep", raw)
                return {}
            weights[field] += int(match.group(1) or 1) * int(match.group(3) or 1)
        return weights
