"""Build the Dash app for one store. Everything it serves comes from the local assets folder."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from dash import Dash

from dashboard import scope
from dashboard.accounts import default_path
from dashboard.app import api, delivery, notfound, security, shell
from dashboard.app.auth import Auth, AuthConfig
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


def create_app(db: Path, lang: str | None = None, auth: AuthConfig | None = None) -> Dash:
    """A Dash app serving the dataset at `db`; scripts and styles are served locally (no CDN).

    `auth`: how it knows who is asking (default: the accounts file beside the store, open
    while that has no account — the demo on loopback).
    """
    lang = lang or default_lang()
    config = auth or AuthConfig(accounts=default_path(db), default_lang=lang)
    signin = Auth(config)
    ctx = AppContext(StoreConnection(db), lang, signin)
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
        page.register(app, ctx.for_page(page.PATH))
    app.server.config["CAREGAP_DB"] = str(db)
    signin.install(app.server)
    notfound.install(app.server, PAGES, lambda: shell.nav_items(scope.of(ctx.cursor())), lang)
    api.register(app.server, ctx)
    delivery.install(app.server, ASSETS)
    security.install(app)  # after every callback: the CSP hashes their inline scripts
    delivery.settle(app.server)
    return app
