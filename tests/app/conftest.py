"""The app tests share the session's demo store (tests/conftest.py) through one app context."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.app.connection import StoreConnection
from dashboard.app.context import AppContext


@pytest.fixture(scope="session")
def app_ctx(demo_db: Path) -> AppContext:
    return AppContext(StoreConnection(demo_db), "en")
