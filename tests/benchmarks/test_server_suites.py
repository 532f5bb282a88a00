"""A smoke run of the suites that time CareGap as a person meets it (benchmarks/browser.py,
benchmarks/load.py) on a tiny store: every scenario is produced, nothing fails on the way, and
what the delivery claims to save is saved. No time is checked: benchmarks are not tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import browser, load
from benchmarks.tiers import Tier, import_tier
from tests.browser.harness import browser_problem, unavailable

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


def test_the_browser_suite_times_the_floors_every_view_and_every_interaction(tiny_db) -> None:
    found = {r.scenario: r for r in browser.run(tiny_db, "T", reps=1)}
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
    found = load.run(tiny_db, "T", users=2, seconds=6, csv_dir=tmp_path)
    errors = found[-1]
    assert errors.scenario == "errors"
    assert errors.samples == [0.0], errors.extra
    assert errors.extra["requests"] > 0
    timed = found[:-1]
    assert len(timed) >= 3 and all(r.samples for r in timed)
    assert (tmp_path / "locust-T_stats.csv").exists()
