"""``caregap report gaps --level L`` at every level, timed as a person running it sees it.

Each repetition is a fresh process (wall time: start-up, opening the store, the figures with their
intervals, printing the CSV). The baseline beside it is the pandas gap table for the same level
computed on tables already in memory: no start-up, no loading, no intervals — all in its favour.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.baseline import Baseline
from benchmarks.results import Result
from dashboard.config import REPO_ROOT
from dashboard.ingest.schema import LEVELS

GROUP = "report"


def command(db: Path, level: str) -> list[str]:
    """`caregap report gaps` as `python -m dashboard`: the same command line, run by this Python
    with the code of this checkout (the installed script could point at another one)."""
    program = [sys.executable, "-m", "dashboard"]
    return [*program, "report", "gaps", "--level", level, "--db", str(db), "--format", "csv"]


def _wall_seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1][:300]
        raise RuntimeError(f"exit {done.returncode}: {last}")
    return time.perf_counter() - started


#: Issue 15: `caregap report gaps --level grid` at tier L within 3 s.
GRID_BUDGET_S = 3.0


def _baseline_seconds(b: Baseline, level: str) -> float:
    started = time.perf_counter()
    b.gap_table(level)
    return time.perf_counter() - started


def run(
    db: Path,
    tier: str,
    reps: int,
    b: Baseline | None,
    baseline_reps: int,
    levels: tuple[str, ...] = LEVELS,
    failed: list[str] | None = None,
) -> list[Result]:
    """One result per level: `reps` runs of the command, `baseline_reps` of the pandas table.

    A level whose command fails is left out and described in `failed` (when given; else raised).
    """
    out = []
    for level in levels:
        scenario = f"caregap report gaps --level {level}"
        try:
            samples = [_wall_seconds(command(db, level)) for _ in range(reps)]
        except RuntimeError as exc:
            if failed is None:
                raise
            failed.append(f"{scenario}: {exc}")
            continue
        out.append(
            Result(
                tier=tier,
                group=GROUP,
                scenario=scenario,
                unit="s",
                samples=samples,
                baseline=[_baseline_seconds(b, level) for _ in range(baseline_reps)]
                if b is not None
                else None,
                budget=GRID_BUDGET_S if level == "grid" else None,
                note="process wall time; baseline in memory, without intervals",
            )
        )
    return out
