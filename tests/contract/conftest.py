"""Shared, read-only imported databases for the contract tests.

Each fixture imports a dataset once per session through the command line. Tests that change a
database (a refused or a replacing import) work on a copy of the folder holding it (`fresh_copy`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import import_ok, lakeford_tables, main_tables, report_proc, write_dataset


@pytest.fixture(scope="session")
def main_dataset_dir(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("main-dataset"), main_tables())


@pytest.fixture(scope="session")
def main_db(tmp_path_factory, main_dataset_dir) -> Path:
    """A database holding the main dataset. Never modify it: copy it with `fresh_copy`."""
    db = tmp_path_factory.mktemp("main-db") / "caregap.duckdb"
    import_ok(main_dataset_dir, db)
    return db


@pytest.fixture(scope="session")
def lakeford_db(tmp_path_factory) -> Path:
    folder = write_dataset(tmp_path_factory.mktemp("lakeford-dataset"), lakeford_tables())
    db = tmp_path_factory.mktemp("lakeford-db") / "caregap.duckdb"
    import_ok(folder, db)
    return db


@pytest.fixture(scope="session")
def main_baseline(main_db) -> str:
    """What the main database prints at district level with k = 1 (every figure visible)."""
    proc = report_proc(main_db, "district", "--min-n", "1")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def fresh_copy(tmp_path, main_db):
    """A private copy of the main database (the whole folder holding it, sidecar files included)."""
    target = tmp_path / "db"
    shutil.copytree(main_db.parent, target)
    return target / main_db.name
