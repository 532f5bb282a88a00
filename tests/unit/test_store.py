"""The store swaps datasets atomically: readers see the old or the new one, never a mix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import data, store
from dashboard.ingest.importer import import_dataset

REPO = Path(__file__).resolve().parents[2]

REGIONS = """region_id,parent_id,level,name
C,,city,City
D1,C,district,D1
G1,D1,grid,G1
G2,D1,grid,G2
"""
SERVICES = "service_code,category,name\na,edu,A\nb,care,B\n"


def write_dataset(folder: Path, deliveries: int, respondents: int = 40) -> Path:
    """A small valid dataset whose deliveries file can be made large enough to import slowly."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "regions.csv").write_text(REGIONS)
    (folder / "services.csv").write_text(SERVICES)
    rows = [f"r{i},G{1 + i % 2},{'MF'[i % 2]},{60 + i % 30}" for i in range(respondents)]
    (folder / "respondents.csv").write_text("respondent_id,region_id,sex,age\n" + "\n".join(rows))
    answers = [
        f"r{i},{s},{1 + (i * 7 + len(s)) % 5},{'true' if i % 3 else 'false'}"
        for i in range(respondents)
        for s in "ab"
    ]
    (folder / "needs.csv").write_text(
        "respondent_id,service_code,need,received\n" + "\n".join(answers)
    )
    rng = np.random.default_rng(deliveries)
    days = rng.integers(0, 365, deliveries)
    table = pa.table(
        {
            "region_id": pa.array(np.where(days % 2 == 0, "G1", "G2")),
            "service_code": pa.array(np.where(days % 3 == 0, "a", "b")),
            "delivered_on": pa.array(
                (np.datetime64("2009-01-01") + days).astype("datetime64[D]"), pa.date32()
            ),
            "quantity": pa.array(1 + days % 2),
        }
    )
    pq.write_table(table, folder / "deliveries.parquet")
    return folder


def city_figures(db: Path) -> list[tuple]:
    with store.open_read_only(db) as con:
        frame = data.gaps(con, "city", data.Slice(min_n=1))
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_an_import_keeps_the_replaced_dataset_restorable(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(write_dataset(tmp_path / "one", 100), db)
    first = city_figures(db)
    import_dataset(write_dataset(tmp_path / "two", 500), db)
    second = city_figures(db)
    assert first != second
    assert store.restore_previous(db)
    assert city_figures(db) == first
    assert store.restore_previous(db)  # restoring again undoes the restore
    assert city_figures(db) == second


def test_restore_without_a_previous_dataset_says_so(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(write_dataset(tmp_path / "one", 10), db)
    assert not store.restore_previous(db)
    assert city_figures(db)


def _import_process(folder: Path, db: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), CAREGAP_LANG="en")
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(folder), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.timeout(300)
def test_killing_an_import_at_any_moment_leaves_the_served_dataset_intact(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(write_dataset(tmp_path / "old", 50), db)
    before = city_figures(db)
    big = write_dataset(tmp_path / "new", 3_000_000)

    # How long a full import takes here, to spread the kills over its whole length.
    probe_db = tmp_path / "probe.duckdb"
    started = time.perf_counter()
    assert _import_process(big, probe_db).wait() == 0
    full = time.perf_counter() - started

    for fraction in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97):
        proc = _import_process(big, db)
        time.sleep(full * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = city_figures(db)
        assert after == before or after == city_figures(probe_db), f"mixed state at {fraction}"
        if after != before:  # the swap had completed: go back to the old one for the next kill
            assert store.restore_previous(db)
            assert city_figures(db) == before

    # Leftovers of killed imports are cleared by the next import, which then succeeds.
    proc = _import_process(big, db)
    assert proc.wait() == 0, proc.stderr.read()
    assert city_figures(db) == city_figures(probe_db)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".store.duckdb.")]
    assert leftovers == []
