"""Stores for the briefing tests, built once per session through the normal import: a small demo
(with boundaries, grids, covariates and SF-36 scores) and a plain dataset with none of those."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard import store
from dashboard.demo.generate import write_demo_dataset
from dashboard.ingest.importer import import_dataset
from tests.conftest import write_small_dataset


@pytest.fixture(scope="session")
def demo_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    folder = tmp_path_factory.mktemp("briefing-demo")
    write_demo_dataset(folder, respondents=3_000, deliveries=30_000, grids=120, seed=7)
    db = tmp_path_factory.mktemp("briefing-store") / "caregap.duckdb"
    import_dataset(folder, db)
    con = store.open_read_only(db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def plain_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    folder = write_small_dataset(tmp_path_factory.mktemp("briefing-plain"), 200, respondents=60)
    db: Path = tmp_path_factory.mktemp("briefing-plain-store") / "caregap.duckdb"
    import_dataset(folder, db)
    con = store.open_read_only(db)
    yield con
    con.close()
