"""``fupan manage update_translations [--check] [--prune]``: the message catalogs, re-runnable.

Without options: extract every msgid from ``src/fupan`` (Python via ``ast``, Jinja2 templates
via ``jinja2.ext.babel_extract``), merge them into ``locale/<lang>/LC_MESSAGES/django.po`` for
every language in ``settings.LANGUAGES`` (translations kept, new msgids added empty, vanished
ones kept as ``#~`` obsolete entries while translated), and compile each .po to its .mo in pure
Python. Then translate the empty ``msgstr`` lines it lists and run it again to refresh the .mo.

``--check`` writes nothing and fails (for CI) when a msgid in the sources is missing, fuzzy or
untranslated in a translated language (every language but English, the source language), when
a translation's ``%(name)s`` placeholders do not match, or when a .mo is stale.

``--prune`` drops obsolete entries instead of keeping them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fupan.core import i18n


class Command(BaseCommand):
    help = "Extract msgids from Python and Jinja2 sources, update the .po catalogs and compile the .mo files."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; fail if a msgid is missing or untranslated, or a .mo is stale",
        )
        parser.add_argument("--prune", action="store_true", help="drop obsolete (#~) entries")

    def handle(self, *args: Any, check: bool = False, prune: bool = False, **options: Any) -> None:
        extraction = i18n.extract()
        for warning in extraction.warnings:
            self.stderr.write(f"warning: {warning}")
        if check:
            self._check(extraction)
        else:
            self._update(extraction, keep_obsolete=not prune)

    def _check(self, extraction: i18n.Extraction) -> None:
        problems = i18n.check(extraction)
        if problems:
            raise CommandError(
                f"{len(problems)} translation problem(s):\n  "
                + "\n  ".join(problems)
                + "\nRun `fupan manage update_translations`, fill in the empty msgstr lines, "
                "then run it again."
            )
        self.stdout.write(
            f"Translations are complete: {len(extraction.messages)} msgids in {', '.join(i18n.locales())}."
        )

    def _update(self, extraction: i18n.Extraction, *, keep_obsolete: bool) -> None:
        self.stdout.write(
            f"{len(extraction.messages)} msgids from {extraction.python_files} Python files "
            f"and {extraction.template_files} templates"
        )
        for locale in i18n.locales():
            po = i18n.po_path(locale)
            try:
                old = i18n.read_catalog(locale)
                catalog = i18n.merge(old, extraction, locale, keep_obsolete=keep_obsolete)
            except i18n.POError as exc:
                raise CommandError(str(exc)) from exc
            po.parent.mkdir(parents=True, exist_ok=True)
            text = i18n.write_po(catalog)
            if not po.exists() or po.read_text(encoding="utf-8") != text:
                po.write_text(text, encoding="utf-8")
            mo = po.with_suffix(".mo")
            data = i18n.compile_mo(catalog)
            if not mo.exists() or mo.read_bytes() != data:
                mo.write_bytes(data)
            live = [e for e in catalog.entries if not e.obsolete]
            obsolete = len(catalog.entries) - len(live)
            line = f"{locale}: {sum(e.translated for e in live)}/{len(live)} translated"
            if obsolete:
                line += f", {obsolete} obsolete"
            self.stdout.write(f"{line} -> {i18n.display_path(po)}")
            if locale == i18n.SOURCE_LANGUAGE:
                continue
            for entry in i18n.iter_untranslated(catalog):
                state = "fuzzy" if entry.fuzzy else "untranslated"
                ctx = f"[{entry.msgctxt}] " if entry.msgctxt is not None else ""
                where = entry.references[0] if entry.references else ""
                self.stdout.write(f"  {state}: {ctx}{entry.msgid!r}  ({where})")
            for entry in live:
                why = i18n.placeholder_problem(entry) if entry.translated else None
                if why:
                    self.stderr.write(f"  bad translation of {entry.msgid!r}: {why}")
