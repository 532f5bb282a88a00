"""Build the Dash app for one store. Everything it serves comes from the local assets folder."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from dash import Dash

from dashboard.app import security, shell
from dashboard.app.connection import StoreConnection
from dashboard.app.context import AppContext
from dashboard.app.pages import (
    briefing,
    data_page,
    groups,
    map_page,
    overview,
    quality,
    stations,
)
from dashboard.config import REPO_ROOT, default_lang

ASSETS = REPO_ROOT / "assets"
PAGES: dict[str, ModuleType] = {
    overview.PATH: overview,
    map_page.PATH: map_page,
    groups.PATH: groups,
    stations.PATH: stations,
    quality.PATH: quality,
    data_page.PATH: data_page,
    briefing.PATH: briefing,
}


def create_app(db: Path, lang: str | None = None) -> Dash:
    """A Dash app serving the dataset at `db`; scripts and styles are served locally (no CDN)."""
    ctx = AppContext(StoreConnection(db), lang or default_lang())
    app = security.QuietDash(
        __name__,
        title="CareGap",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
        suppress_callback_exceptions=True,
    )
    app.layout = shell.root_layout()
    shell.register(app, ctx, PAGES)
    for page in PAGES.values():
        page.register(app, ctx)
    app.server.config["CAREGAP_DB"] = str(db)
    security.install(app)  # after every callback: the CSP hashes their inline scripts
    return app
