"""A smoke run of the suites that time CareGap as a person meets it (benchmarks/browser.py,
benchmarks/load.py) on a tiny store: every scenario is produced, nothing fails on the way, and
what the delivery claims to save is saved. No time is checked: benchmarks are not tests.

Each suite runs as `python -m benchmarks.<suite> --json`, as a person runs it alone: in the test
process, Playwright's sync API would clash with the browser tests' own session on the same
xdist worker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import browser
from benchmarks.results import Result, from_dict
from benchmarks.tiers import Tier, import_tier
from tests.browser.harness import REPO, browser_problem, unavailable

#: every figure of a tiny store published: the charts must draw data
pytestmark = pytest.mark.usefixtures("floor_one")

TINY = Tier("T", respondents=400, deliveries=4_000, grids=16, reps=1)


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    problem = browser_problem()
    if problem:
        unavailable(problem)
    db, _, _ = import_tier(TINY, tmp_path_factory.mktemp("bench-serve"))
    return db


def _suite(name: str, db: Path, out: Path, *args: str) -> list[Result]:
    json_path = out / f"{name}.json"
    cmd = [sys.executable, "-m", f"benchmarks.{name}", "--db", str(db), "--tier", "T"]
    done = subprocess.run(
        [*cmd, *args, "--json", str(json_path)], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return [from_dict(row) for row in json.loads(json_path.read_text(encoding="utf-8"))]


def test_the_browser_suite_times_the_floors_every_view_and_every_interaction(
    tiny_db, tmp_path: Path
) -> None:
    found = {r.scenario: r for r in _suite("browser", tiny_db, tmp_path, "--reps", "1")}
    expected = {
        "first load, bare Dash page (stock)",
        "first load, bare Dash page (lean)",
        "first load, bare Dash page (stock), on the wire",
        *(f"first load {path}" for path in browser.VIEWS),
        *(f"first load {path}, on the wire" for path in browser.VIEWS),
        "view switch by nav link (/ → /map → /groups → /)",
        *(f"filter change (sex) on {path}" for path in browser.FILTER_CHARTS),
    }
    assert expected <= set(found)
    assert all(r.samples and min(r.samples) > 0 for r in found.values())
    assert found["first load /map"].baseline == found["first load, bare Dash page (stock)"].samples
    stock = found["first load, bare Dash page (stock), on the wire"].median
    lean = found["first load, bare Dash page (lean), on the wire"].median
    assert lean < stock / 4  # the partial bundle, compressed: 4.8 MB of plotly.js → ~0.7 MB


def test_the_load_suite_runs_locust_users_through_every_interaction_without_errors(
    tiny_db, tmp_path: Path
) -> None:
    args = ("--users", "2", "--seconds", "6", "--csv-dir", str(tmp_path))
    found = _suite("load", tiny_db, tmp_path, *args)
    errors = found[-1]
    assert errors.scenario == "errors"
    assert errors.samples == [0.0], errors.extra
    assert errors.extra["requests"] > 0
    timed = found[:-1]
    assert len(timed) >= 3 and all(r.samples for r in timed)
    assert (tmp_path / "locust-T_stats.csv").exists()
