"""A tiny run of the benchmark harness (benchmarks/): it produces every scenario, pairs each
callback with the pandas baseline, renders BENCHMARKS.md, and the baseline's figures are the
product's. No timing is checked: benchmarks are not tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import baseline, callbacks, record
from benchmarks.__main__ import TierRun, run_tier
from benchmarks.results import Result
from benchmarks.tiers import Tier, import_tier

#: the baseline is checked against the product at the k each scenario names (5 and up): a
#: deployment whose floor is 1, as `python -m benchmarks` runs
pytestmark = pytest.mark.usefixtures("floor_one")

TINY = Tier("T", respondents=300, deliveries=4_000, grids=16, reps=1)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TierRun]:
    root = tmp_path_factory.mktemp("bench")
    with pytest.MonkeyPatch.context() as env:  # floor_one is per test; the store is per module
        env.setenv("CAREGAP_MIN_N", "1")
        done = _run_tiny(root)
    return root, done


def _run_tiny(root: Path) -> TierRun:
    return run_tier(
        TINY,
        root=root,
        reps=1,
        baseline_reps=1,
        skip_server=True,
        report_levels=("grid",),
        first_use=False,
    )


def _cold(done: TierRun) -> list[Result]:
    return [r for r in done.results if r.group == callbacks.GROUP_COLD]


def test_every_scenario_has_samples(tiny: tuple[Path, TierRun]) -> None:
    _root, done = tiny
    assert done.failed == []
    groups = {r.group for r in done.results}
    assert {"setup", "import", "baseline", "callback", "callback, warm cache", "report"} <= groups
    for result in done.results:
        assert result.samples, result.scenario
        assert all(s == s and s >= 0 for s in result.samples), result.scenario
    reports = [r.scenario for r in done.results if r.group == "report"]
    assert reports == ["caregap report gaps --level grid"]


def test_every_view_and_interaction_is_timed_with_its_baseline(
    tiny: tuple[Path, TierRun],
) -> None:
    _root, done = tiny
    scenarios = {r.scenario for r in _cold(done)}
    for view in callbacks.VIEWS:
        assert f"{view} open: route" in scenarios
        assert f"{view} language switch: route" in scenarios
    for expected in (
        "/ change region: refresh",
        "/ change period: refresh",
        "/map change service: map",
        "/map drill into a district: map",
        "/map drill into a district: side",
        "/groups change service: refresh",
        "/quality change period: refresh",
    ):
        assert expected in scenarios
    for result in _cold(done):
        assert result.budget == callbacks.CALLBACK_BUDGET_MS
        if result.scenario.endswith(": drill"):  # navigation only: no figures to compare
            assert result.baseline is None
        else:
            assert result.baseline and result.ratio is not None and result.ratio > 0


def test_a_matching_store_is_reused_and_says_so(tiny: tuple[Path, TierRun]) -> None:
    root, done = tiny
    first = next(r for r in done.results if r.scenario.endswith("(time)"))
    assert first.note.startswith("measured in this run; steps (s): ")
    for step in ("read", "validate", "build", "fit", "protect"):
        assert f" {step} " in first.note
    _db, again, memory = import_tier(TINY, root)
    assert again.samples == first.samples
    assert "not re-imported" in again.note
    assert memory.unit == "MB" and memory.samples[0] > 0


def test_the_markdown_keeps_hand_written_text(tiny: tuple[Path, TierRun], tmp_path: Path) -> None:
    _root, done = tiny
    info = record.machine_info(["--tiers", "T"]) | {"seconds": 1.0, "skipped": ["x: absent"]}
    record.write_results(TINY, done.results, info, tmp_path)
    markdown = tmp_path / "BENCHMARKS.md"
    record.render(tmp_path, markdown)
    text = markdown.read_text(encoding="utf-8")
    assert "### Tier T: 300 respondents, 4,000 deliveries, 16 grids" in text
    assert "| callback | /map drill into a district: map |" in text
    assert "Not measured: x: absent" in text
    markdown.write_text(text.replace("## History\n", "## History\n\nA note by hand.\n"))
    record.render(tmp_path, markdown)
    again = markdown.read_text(encoding="utf-8")
    assert "A note by hand." in again
    assert again.count(record.START) == 1 and again.count("### Tier T") == 1


def test_the_baseline_computes_the_products_figures(tiny: tuple[Path, TierRun]) -> None:
    root, _done = tiny
    assert baseline.compare(root / "T.duckdb") == []
