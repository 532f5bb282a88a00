"""Run the dashboard: gunicorn with several workers, or Dash's development server.

gunicorn's `gthread` workers, one thread each by default. More threads (`--threads N`) let a
slow callback not hold up the quick requests queued behind it on the same worker, and every
request takes its own DuckDB cursor and the answer caches are locked (dashboard.app.connection,
dashboard.cache), so threads of one worker share its caches safely. They are not the default
yet: answers then overtake each other, and one that reaches a dcc.Graph the page has just
replaced (back from a drilled map) makes Dash's graph code fail in the browser ("Cannot read
properties of null (reading 'classList')" in async-graph.js; tests/browser/test_map.py's
back-after-drill test, 2 runs in 3 with 4 threads, 0 in 3 with 1)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from gunicorn.app.base import BaseApplication

from dashboard.app.auth import AuthConfig
from dashboard.app.factory import create_app

#: Threads per worker unless `caregap serve --threads` says otherwise (see above: 1 until the
#: graph race is solved).
THREADS = 1


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


class Gunicorn(BaseApplication):
    """gunicorn running the WSGI app `load()` makes, in each worker after the fork."""

    def __init__(self, load: Callable[[], Flask], options: dict[str, object]) -> None:
        self._load = load
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._load()


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
    options = gunicorn_options(host, port, workers, threads)
    Gunicorn(lambda: create_app(db, lang, auth).server, options).run()
