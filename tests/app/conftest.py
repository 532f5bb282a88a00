"""The app tests share the session's demo store (tests/conftest.py) through one app context."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.app.connection import StoreConnection
from dashboard.app.context import AppContext
from dashboard.app.factory import create_app


@pytest.fixture(scope="session")
def app_ctx(demo_db: Path) -> AppContext:
    return AppContext(StoreConnection(demo_db), "en")


@pytest.fixture(scope="module")
def client(demo_db: Path):
    """A test client of the whole app on the demo store, in English (`client.dash_app`: the app);
    one per test module."""
    app = create_app(demo_db, "en")
    client = app.server.test_client()
    client.dash_app = app
    return client


@pytest.fixture(scope="module")
def index(client) -> str:
    """The page as the server sends it."""
    return client.get("/").get_data(as_text=True)
