"""Build the Dash app for one store. Everything it serves comes from the local assets folder."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from dashboard.app.connection import StoreConnection
from dashboard.app.pages import home
from dashboard.config import REPO_ROOT

ASSETS = REPO_ROOT / "assets"


def create_app(db: Path) -> Dash:
    """A Dash app serving the dataset at `db`; scripts and styles are served locally (no CDN)."""
    connection = StoreConnection(db)
    app = Dash(
        __name__,
        title="CareGap",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )
    app.layout = lambda: home.layout(connection)
    app.server.config["CAREGAP_DB"] = str(db)
    return app
