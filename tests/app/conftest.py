"""A small demo store shared by the app tests (built once per session through the import path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.app.connection import StoreConnection
from dashboard.app.context import AppContext
from dashboard.demo.generate import write_demo_dataset
from dashboard.ingest.importer import import_dataset


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo-dataset")
    write_demo_dataset(folder, respondents=3_000, deliveries=30_000, grids=120, seed=7)
    db = tmp_path_factory.mktemp("demo-store") / "caregap.duckdb"
    import_dataset(folder, db)
    return db


@pytest.fixture(scope="session")
def app_ctx(demo_db: Path) -> AppContext:
    return AppContext(StoreConnection(demo_db), "en")
