"""The ``fupan`` command: ``demo``, ``serve``, ``manage …``, ``bench …`` and ``import-discuz``.

Configuration errors are printed as one message that says how to fix them, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from fupan.server import SERVERS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupan.conf.settings")
    import django

    django.setup()


def _fail(message: str, code: int = 2) -> int:
    print(f"fupan: {message}", file=sys.stderr)
    return code


def _prepare(*, verbose: bool = True) -> None:
    """Checks, migrations and static files: everything a fresh or upgraded site needs."""
    from django.core.management import call_command

    call_command("check", fail_level="ERROR")
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    _collect_static()


def _collect_static() -> None:
    """``collectstatic`` (hashed names, gzip and brotli copies), skipped when no static file
    changed since the last run: compressing a thousand files takes a quarter of a minute."""
    import hashlib
    from pathlib import Path

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".fupan-collected"
    try:
        if stamp.read_text() == digest.hexdigest():
            return
    except OSError:
        pass
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


def _resolve_processes(args: argparse.Namespace) -> None:
    """Worker processes and threads. Without REDIS_URL the cache lives in each process, so one
    process with threads is the default: several processes would each keep their own cached
    pages and settings and could show a page from before the latest reply."""
    shared_cache = bool(os.environ.get("REDIS_URL"))
    if args.workers is None:
        args.workers = 2 if shared_cache else 1
    if args.threads is None:
        args.threads = 1 if shared_cache else 4
    if args.workers > 1 and not shared_cache:
        print(
            "fupan: warning: several worker processes without REDIS_URL each keep their own "
            "cache, so a guest may see a page without the latest change for up to "
            "FUPAN_GUEST_CACHE_SECONDS. Set REDIS_URL, or use --workers 1 --threads N.",
            file=sys.stderr,
        )


def _serve(args: argparse.Namespace) -> int:
    from fupan.server import ServerOptions, granian_available, run

    if args.server == "granian" and not granian_available():
        return _fail("granian is not installed: `pip install granian`, or use --server gunicorn.")
    return run(
        ServerOptions(
            host=args.host,
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            timeout=args.timeout,
            access_log=args.access_log,
            server=args.server,
        )
    )


def cmd_demo(args: argparse.Namespace) -> int:
    _resolve_processes(args)
    _setup()
    _prepare()
    from fupan.demo.loader import ensure_demo_admin, load_demo_if_empty

    created = load_demo_if_empty(stdout=sys.stdout)
    username, password = ensure_demo_admin()
    url = f"http://{args.host}:{args.port}/"
    print()
    print("  Fupan demo " + ("created" if created else "(existing data kept)"))
    print(f"  Open:  {url}")
    print(f"  Admin: {url}admin/  user {username}  password {password}")
    print("  Stop with Ctrl-C; run `fupan demo` again to continue with the same data.")
    print()
    if args.no_serve:
        return 0
    return _serve(args)


def cmd_serve(args: argparse.Namespace) -> int:
    _resolve_processes(args)
    _setup()
    _prepare(verbose=False)
    threads = 1 if args.server == "granian" else args.threads
    print(
        f"  Fupan serving on http://{args.host}:{args.port}/ with {args.server}, "
        f"{args.workers} worker(s) × {threads} thread(s)"
    )
    return _serve(args)


def cmd_manage(argv: Sequence[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fupan manage", *argv])
    return 0


def cmd_bench(argv: Sequence[str]) -> int:
    if list(argv[:1]) == ["http"]:
        # The bare view at /_bench/bare/ in this process too: pages are timed in-process against it.
        os.environ["FUPAN_BENCH"] = "1"
    if list(argv[:1]) != ["http-plot"]:  # the plot reads saved files, no database
        _setup()
        _prepare(verbose=False)
    from fupan.bench import main as bench_main

    return bench_main(list(argv))


def cmd_import_discuz(argv: Sequence[str]) -> int:
    _setup()
    from django.core.management import call_command, execute_from_command_line

    if not any(a in ("-h", "--help") for a in argv):
        call_command("migrate", interactive=False, verbosity=0)
    execute_from_command_line(["fupan", "import_discuz", *argv])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fupan", description="Fupan community forum")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add_server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
        )
        p.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
        )
        p.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (default 2 with REDIS_URL, else 1)",
        )
        p.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads per gunicorn worker (default 1 with REDIS_URL: sync workers; "
            "else 4: gthread workers)",
        )
        p.add_argument(
            "--server",
            choices=SERVERS,
            default="gunicorn",
            help="WSGI server: gunicorn (default) or granian (if installed; --blocking-threads 1)",
        )
        p.add_argument(
            "--timeout",
            type=int,
            default=30,
            help="seconds before a stuck request's worker is replaced (default 30)",
        )
        p.add_argument(
            "--access-log", action="store_true", help="log every request to standard output"
        )

    demo = sub.add_parser("demo", help="create the demo site under ./var/ (once) and serve it")
    add_server_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo and exit")
    serve = sub.add_parser("serve", help="migrate and serve the site (no demo data)")
    add_server_options(serve)
    sub.add_parser(
        "manage",
        help="run a Django management command, e.g. `fupan manage createsuperuser`",
        add_help=False,
    )
    sub.add_parser("bench", help="benchmarks, e.g. `fupan bench pages`", add_help=False)
    sub.add_parser(
        "import-discuz",
        help="import a Discuz! X3.5 site: `fupan import-discuz --mysql mysql://user:pw@host/db`",
        add_help=False,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        if argv and argv[0] == "manage":
            return cmd_manage(argv[1:])
        if argv and argv[0] == "bench":
            return cmd_bench(argv[1:])
        if argv and argv[0] == "import-discuz":
            return cmd_import_discuz(argv[1:])
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "serve":
            return cmd_serve(args)
        parser.print_help()
        return 1
    except ImproperlyConfigured as exc:
        return _fail(f"configuration problem: {exc}")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # start-up failures that are the environment's, not a bug
        from django.core.management.base import SystemCheckError
        from django.db.utils import OperationalError

        if isinstance(exc, SystemCheckError):
            return _fail(f"the site is not configured correctly:\n{exc}")
        if isinstance(exc, OperationalError):
            return _fail(
                f"cannot use the database: {exc}\n"
                "Check DATABASE_URL (or unset it to use SQLite under ./var/) and that the database server is running."
            )
        raise


if __name__ == "__main__":
    sys.exit(main())
