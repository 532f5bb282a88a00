"""A plain store for the briefing tests (no boundaries, grids, covariates or scores), built once
per session through the normal import; the demo store is the session's (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard import store
from dashboard.ingest.importer import import_dataset
from tests.conftest import write_small_dataset


@pytest.fixture(scope="session")
def plain_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    folder = write_small_dataset(tmp_path_factory.mktemp("briefing-plain"), 200, respondents=60)
    db: Path = tmp_path_factory.mktemp("briefing-plain-store") / "caregap.duckdb"
    import_dataset(folder, db)
    con = store.open_read_only(db)
    yield con
    con.close()
