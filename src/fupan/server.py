"""Serving Fupan in production (``fupan serve`` / ``fupan demo``): gunicorn, or granian.

gunicorn (the default) runs ``workers`` processes; with ``threads`` > 1 each is a ``gthread``
worker (keep-alive, slow clients do not hold a whole process), else a ``sync`` worker, the
fastest for CPU-bound pages behind a buffering reverse proxy (nginx). Workers are recycled after
about 10,000 requests so a slow leak cannot grow without bound.

granian (``--server granian``, when installed: ``pip install granian``) runs the same WSGI
application from Rust; ``--blocking-threads 1`` keeps one Python thread per worker, which is what
a CPU-bound Django app wants.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from typing import Any

SERVERS = ("gunicorn", "granian")


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 1
    timeout: int = 30
    access_log: bool = False
    server: str = "gunicorn"

    @property
    def bind(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def granian_available() -> bool:
    try:
        import granian  # noqa: F401
    except ImportError:
        return False
    return True


def gunicorn_settings(options: ServerOptions) -> dict[str, Any]:
    """gunicorn's configuration for ``options`` (a pure function, tested)."""
    threads = max(1, options.threads)
    return {
        "bind": options.bind,
        "workers": max(1, options.workers),
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        # A request that takes longer than this is a bug or an attack: the worker is replaced.
        "timeout": options.timeout,
        "graceful_timeout": options.timeout,
        "keepalive": 5,
        "accesslog": "-" if options.access_log else None,
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"',
        "errorlog": "-",
        "loglevel": "warning",
        "max_requests": 10000,
        "max_requests_jitter": 1000,
        # Heartbeat files in memory, not on a possibly slow disk (gunicorn's advice for containers).
        "worker_tmp_dir": "/dev/shm",
        "proc_name": "fupan",
    }


def _close_inherited_connections() -> None:
    """The parent ran checks and migrations: never let forked workers share its sockets."""
    from django.db import connections

    connections.close_all()


def run_gunicorn(options: ServerOptions) -> int:
    from gunicorn.app.base import BaseApplication

    from fupan.conf.wsgi import application

    settings = gunicorn_settings(options)
    if not os.path.isdir(settings["worker_tmp_dir"]):
        del settings["worker_tmp_dir"]

    class FupanServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _close_inherited_connections()
    # Everything imported so far (Django, the app, the URL map) lives as long as the workers:
    # moved out of the collector's sight before forking, so a worker's full collections do not
    # walk it and its pages stay shared with the master (Python's advice for pre-fork servers).
    gc.collect()
    gc.freeze()
    FupanServer().run()
    return 0


def run_granian(options: ServerOptions) -> int:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    _close_inherited_connections()
    Granian(
        "fupan.conf.wsgi:application",
        address=options.host,
        port=options.port,
        interface=Interfaces.WSGI,
        workers=max(1, options.workers),
        blocking_threads=1,
        backlog=1024,
        log_access=options.access_log,
        log_level=LogLevels.warning,
        respawn_failed_workers=True,
    ).serve()
    return 0


def run(options: ServerOptions | None = None, **kwargs: Any) -> int:
    """Serve until stopped; ``run(host=…, port=…, workers=…)`` works too."""
    options = options or ServerOptions(**kwargs)
    if options.server == "granian":
        return run_granian(options)
    return run_gunicorn(options)
