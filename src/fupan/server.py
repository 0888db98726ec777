"""Serving Fupan over WSGI with gunicorn (``fupan serve`` / ``fupan demo``)."""

from __future__ import annotations

from typing import Any


def run(*, host: str, port: int, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    from fupan.conf.wsgi import application

    class FupanServer(BaseApplication):  # type: ignore[misc]
        def __init__(self, options: dict[str, Any]) -> None:
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": max(1, workers),
        "worker_class": "sync",
        "threads": 1,
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
        "max_requests": 10000,
        "max_requests_jitter": 500,
    }
    FupanServer(options).run()
    return 0
