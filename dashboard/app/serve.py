"""Run the dashboard: gunicorn with several workers of several threads, or Dash's development
server.

Threads (gunicorn's `gthread` workers), because a callback that waits on DuckDB (which lets go of
the GIL) or on a cold answer must not hold up the quick requests queued behind it on the same
worker: with sync workers, 20 users' p95 was the slowest callback's time. Every request takes
its own DuckDB cursor and the answer caches are locked (dashboard.app.connection,
dashboard.cache), so requests on threads of one worker share its caches safely."""

from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from dashboard.app.auth import AuthConfig
from dashboard.app.factory import create_app

#: Threads per worker unless `caregap serve --threads` says otherwise.
THREADS = 4


def gunicorn_options(host: str, port: int, workers: int, threads: int = THREADS) -> dict:
    """How `caregap serve` runs gunicorn (benchmarks/bare_dash.py serves its floor the same)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,
        "accesslog": "-",
        "preload_app": False,
    }


class _Gunicorn(BaseApplication):
    def __init__(
        self, db: Path, lang: str | None, auth: AuthConfig | None, options: dict[str, object]
    ) -> None:
        self.db = db
        self.lang = lang
        self.auth = auth
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.db, self.lang, self.auth).server


def run_server(
    db: Path,
    *,
    host: str,
    port: int,
    workers: int,
    debug: bool,
    threads: int = THREADS,
    lang: str | None = None,
    auth: AuthConfig | None = None,
) -> None:
    """Serve `db`; each worker opens the store read-only itself, after the fork."""
    if debug:
        create_app(db, lang, auth).run(host=host, port=port, debug=True)
        return
    _Gunicorn(db, lang, auth, gunicorn_options(host, port, workers, threads)).run()
