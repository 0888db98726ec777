from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mysql",
        required=True,
        metavar="URL",
        help="the Discuz database, mysql://user:password@host:port/database",
    )
    parser.add_argument("--prefix", default="pre_", help="table prefix (default pre_)")
    parser.add_argument(
        "--attachments", metavar="PATH", help="Discuz's data/attachment/forum folder"
    )
    parser.add_argument("--avatars", metavar="PATH", help="UCenter's data/avatar folder")
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only rows from this date on (YYYY-MM-DD), for catching up after a first import",
    )
    parser.add_argument(
        "--batch", type=int, default=1000, metavar="N", help="rows per batch (default 1000)"
    )
    parser.add_argument(
        "--report",
        metavar="PATH",
        help="where to write the report (default ./var/import-report-<time>.txt)",
    )


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise CommandError(f"--since takes a date like 2024-05-01, not {value!r}") from None
    return timezone.make_aware(day)


class Command(BaseCommand):
    help = "Import a Discuz! X3.5 site from its MySQL database (resumable; ids kept)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        import pymysql

        from fupan.importers.discuz.importer import run_import
        from fupan.importers.discuz.source import SourceConfig

        try:
            config = SourceConfig.from_url(options["mysql"], prefix=options["prefix"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            run_import(
                config,
                since=parse_since(options["since"]),
                batch_size=options["batch"],
                attachments=options["attachments"],
                avatars=options["avatars"],
                report_path=options["report"],
                out=self.stdout._out,
            )
        except pymysql.err.OperationalError as exc:
            raise CommandError(f"cannot read the Discuz database: {exc}") from None
