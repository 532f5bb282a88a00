"""The store swaps datasets atomically: readers see the old or the new one, never a mix."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import data, store
from dashboard.ingest.importer import import_dataset

#: these tests check definitions at small k: a deployment whose floor is 1
pytestmark = pytest.mark.usefixtures("floor_one")

REPO = Path(__file__).resolve().parents[2]


def city_figures(db: Path) -> list[tuple]:
    with store.open_read_only(db) as con:
        frame = data.gaps(con, "city", data.Slice(min_n=1))
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_an_import_keeps_the_replaced_dataset_restorable(tmp_path: Path, small_dataset) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 100), db)
    first = city_figures(db)
    import_dataset(small_dataset(tmp_path / "two", 500), db)
    second = city_figures(db)
    assert first != second
    assert store.restore_previous(db)
    assert city_figures(db) == first
    assert store.restore_previous(db)  # restoring again undoes the restore
    assert city_figures(db) == second


def test_restore_without_a_previous_dataset_says_so(tmp_path: Path, small_dataset) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 10), db)
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
def test_killing_an_import_at_any_moment_leaves_the_served_dataset_intact(
    tmp_path: Path, small_dataset
) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "old", 50), db)
    before = city_figures(db)
    big = small_dataset(tmp_path / "new", 3_000_000)

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


#: A `caregap restore` that SIGKILLs itself just before (or after) its Nth link/rename, so a test
#: can stop it at every point of the sequence (the renames take microseconds: no timer can).
RESTORE_KILLED_AT = """
import os, signal, sys
db, nth, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = 0
def killing(fn):
    def step(*args, **kwargs):
        global calls
        calls += 1
        if calls == nth and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = fn(*args, **kwargs)
        if calls == nth and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return step
os.link, os.replace = killing(os.link), killing(os.replace)
from dashboard.cli import main
main(["restore", "--db", db])
"""

#: restore's steps: link served → .restoring, rename previous → served, .restoring → previous.
RESTORE_KILL_POINTS = [(1, "before"), (1, "after"), (2, "after"), (3, "after")]


def _restore_process(db: Path, *kill: object) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), CAREGAP_LANG="en")
    args = ["-c", RESTORE_KILLED_AT, str(db), *map(str, kill)] if kill else ["-m", "dashboard"]
    if not kill:
        args += ["restore", "--db", str(db)]
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)


def _datasets(db: Path) -> list[list[tuple]]:
    """The figures of every dataset file beside `db` that restore knows by name."""
    names = [db, store.previous_path(db), store.restoring_path(db)]
    return [city_figures(p) for p in names if p.exists()]


@pytest.fixture
def two_datasets(tmp_path: Path, small_dataset):
    """A store folder serving dataset `second` with `first` as its previous one."""
    db = tmp_path / "pristine" / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 100), db)
    first = city_figures(db)
    import_dataset(small_dataset(tmp_path / "two", 500), db)
    second = city_figures(db)
    assert first != second
    return db, first, second


@pytest.mark.parametrize(("nth", "when"), RESTORE_KILL_POINTS)
def test_a_restore_killed_between_its_renames_loses_nothing(
    tmp_path: Path, two_datasets, nth: int, when: str
) -> None:
    pristine, first, second = two_datasets
    folder = tmp_path / f"killed-{nth}-{when}"
    shutil.copytree(pristine.parent, folder)
    db = folder / pristine.name

    killed = _restore_process(db, nth, when)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # at the moment of the kill: a whole dataset is served, and both exist under known names
    assert city_figures(db) in (first, second)
    held = _datasets(db)
    assert first in held and second in held, f"a dataset was lost at step {nth} ({when})"

    # a second restore finishes the first one (or, if it had completed, swaps back)
    again = _restore_process(db)
    assert again.returncode == 0, again.stderr
    completed = (nth, when) == (3, "after")
    served, previous = (second, first) if completed else (first, second)
    assert city_figures(db) == served
    assert city_figures(store.previous_path(db)) == previous
    assert not store.restoring_path(db).exists()


def test_an_import_after_a_killed_restore_finishes_it_first(
    tmp_path: Path, two_datasets, small_dataset
) -> None:
    pristine, first, _second = two_datasets
    folder = tmp_path / "killed"
    shutil.copytree(pristine.parent, folder)
    db = folder / pristine.name
    assert _restore_process(db, 2, "after").returncode == -signal.SIGKILL  # `first` now served

    proc = _import_process(small_dataset(tmp_path / "three", 50), db)
    assert proc.wait() == 0, proc.stderr.read()
    # the dataset it replaced (`first`, served after the restore) is the previous one
    assert city_figures(store.previous_path(db)) == first
    assert [p.name for p in folder.iterdir() if p.name.startswith(".store.duckdb.")] == []


@pytest.mark.parametrize(
    ("start", "end", "m0", "m1"),
    [
        (dt.date(2009, 1, 1), dt.date(2009, 3, 31), dt.date(2009, 1, 1), dt.date(2009, 3, 1)),
        (dt.date(2009, 1, 15), dt.date(2009, 3, 14), dt.date(2009, 2, 1), dt.date(2009, 2, 1)),
        (dt.date(2009, 3, 5), dt.date(2009, 3, 20), dt.date(2009, 4, 1), dt.date(2009, 2, 1)),
    ],
    ids=["whole-months", "cut-both-ends", "inside-one-month"],
)
def test_period_bounds_split_whole_months_from_edge_days(
    tmp_path: Path, small_dataset, start: dt.date, end: dt.date, m0: dt.date, m1: dt.date
) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 10), db)
    with store.open_read_only(db) as con:
        bounds = data.period_params(con, start, end)
    assert bounds == {"d0": start, "d1": end, "m0": m0, "m1": m1}


def test_rollup_and_raw_rows_give_the_same_provision_for_any_period(
    tmp_path: Path, small_dataset
) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 5_000), db)
    with store.open_read_only(db) as con:
        for start, end in [
            (dt.date(2009, 1, 1), dt.date(2009, 12, 31)),
            (dt.date(2009, 2, 14), dt.date(2009, 7, 3)),
            (dt.date(2009, 3, 5), dt.date(2009, 3, 20)),
            (dt.date(2009, 4, 30), dt.date(2009, 5, 1)),
        ]:
            frame = data.gaps(con, "grid", data.Slice(start, end, min_n=1))
            raw = con.execute(
                "SELECT region_id, service_code, sum(quantity) FROM deliveries "
                "WHERE delivered_on BETWEEN ? AND ? GROUP BY ALL",
                [start, end],
            ).fetchall()
            got = {
                (r.region_id, r.service_code): r.provision_count
                for r in frame.itertuples()
                if r.provision_count
            }
            assert got == {(r, s): q for r, s, q in raw}, (start, end)


def test_a_store_built_by_an_older_version_is_refused_until_imported_again(
    tmp_path: Path, small_dataset
) -> None:
    import duckdb

    db = tmp_path / "store.duckdb"
    folder = small_dataset(tmp_path / "one", 10)
    import_dataset(folder, db)
    with duckdb.connect(str(db)) as con:  # what a store from before the schema marker looks like
        con.execute("DELETE FROM dataset_meta WHERE key = 'store_schema'")
    with pytest.raises(store.StoreOutdated):
        store.open_read_only(db)
    proc = _import_process(folder, db)
    assert proc.wait() == 0, proc.stderr.read()
    assert city_figures(db)
