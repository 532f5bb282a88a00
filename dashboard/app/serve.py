"""Run the dashboard: gunicorn with several workers, or Dash's development server."""

from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from dashboard.app.auth import AuthConfig
from dashboard.app.factory import create_app


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
    lang: str | None = None,
    auth: AuthConfig | None = None,
) -> None:
    """Serve `db`; each worker opens the store read-only itself, after the fork."""
    if debug:
        create_app(db, lang, auth).run(host=host, port=port, debug=True)
        return
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": 120,
        "accesslog": "-",
        "preload_app": False,
    }
    _Gunicorn(db, lang, auth, options).run()
