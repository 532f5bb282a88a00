"""``python -m benchmarks [--tiers S,M] [--reps N] [--reimport] [--skip-server]``.

For each tier: generate (or reuse) its files, import them (or reuse the store), load the pandas
baseline, time every view's callbacks and `caregap report gaps` at each level, then — unless
--skip-server — the server, browser and load suites when their modules are present. Writes
benchmarks/results/<tier>.json after each tier and renders BENCHMARKS.md at the end.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import baseline, callbacks, record, report_cli
from benchmarks.results import Result
from benchmarks.tiers import BENCH_DIR, TIERS, Tier, files_result, import_tier
from dashboard import config
from dashboard.ingest.schema import LEVELS

#: Suites another module provides, each `run(db, tier, reps)` (load: `run(db, tier)`).
OPTIONAL_SUITES = (
    ("benchmarks.server", True),
    ("benchmarks.browser", True),
    ("benchmarks.load", False),
)


@dataclass
class TierRun:
    """What one tier's run produced: its results, the scenarios that failed (the product raised)
    and the optional suites it could not run, each with why."""

    results: list[Result] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception as one short line, for the record (the whole traceback goes to stderr)."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0] if lines else ''}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_tier(
    tier: Tier,
    *,
    root: Path = BENCH_DIR,
    reps: int | None = None,
    baseline_reps: int | None = None,
    reimport: bool = False,
    skip_server: bool = False,
    report_levels: tuple[str, ...] = LEVELS,
    first_use: bool = True,
) -> TierRun:
    """Everything measured at one tier (repetitions default to the tier's).

    `report_levels` and `first_use=False` (no untimed first run per view) make quick smoke runs.
    """
    reps = reps or tier.reps
    if baseline_reps is None:
        baseline_reps = min(reps, tier.baseline_reps)
    out = TierRun()
    say(f"[{tier.name}] dataset files and import")
    db, seconds, memory = import_tier(tier, root, reimport=reimport)
    out.results += [files_result(tier, root), seconds, memory]
    frames = None
    if baseline_reps > 0:
        say(f"[{tier.name}] loading the pandas baseline")
        started = time.perf_counter()
        frames = baseline.load(db)
        out.results.append(_load_result(tier, time.perf_counter() - started))
    say(f"[{tier.name}] callbacks ({reps} reps, baseline {baseline_reps})")
    out.results += callbacks.run(
        db, tier.name, reps, frames, baseline_reps, out.failed, first_use=first_use
    )
    say(f"[{tier.name}] caregap report gaps")
    out.results += report_cli.run(
        db, tier.name, reps, frames, baseline_reps, report_levels, out.failed
    )
    for message in out.failed:
        say(f"[{tier.name}] failed: {message}")
    del frames
    gc.collect()  # the raw frames are large at L; the server suites need the memory
    if not skip_server:
        optional_suites(db, tier.name, reps, out)
    return out


def _load_result(tier: Tier, seconds: float) -> Result:
    return Result(
        tier=tier.name,
        group="baseline",
        scenario="load the raw tables into pandas (once per process)",
        unit="s",
        samples=[seconds],
    )


def optional_suites(db: Path, tier: str, reps: int, out: TierRun) -> None:
    """The server, browser and load suites, each skipped with a message if it cannot run."""
    for name, takes_reps in OPTIONAL_SUITES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            out.skipped.append(f"`{name}`: cannot be imported ({one_line(exc)}).")
            say(f"[{tier}] skipped {name}: cannot import it ({exc})")
            continue
        say(f"[{tier}] {name}")
        try:
            found = module.run(db, tier, reps) if takes_reps else module.run(db, tier)
        except Exception as exc:
            traceback.print_exc()
            out.skipped.append(f"`{name}` failed: {one_line(exc)} (traceback above in the log)")
            continue
        out.results += found


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--tiers", default="S,M", help="comma-separated: S, M, L (default S,M)")
    parser.add_argument("--reps", type=int, default=None, help="repetitions (default per tier)")
    parser.add_argument(
        "--baseline-reps",
        type=int,
        default=None,
        help="baseline repetitions (default per tier; 0 leaves the pandas baseline out: at L it "
        "takes tens of seconds per callback)",
    )
    parser.add_argument("--reimport", action="store_true", help="import even if a store matches")
    parser.add_argument(
        "--skip-server", action="store_true", help="leave out the server/browser/load suites"
    )
    args = parser.parse_args(argv)
    unknown = [t for t in args.tiers.split(",") if t not in TIERS]
    if unknown:
        parser.error(f"unknown tier(s) {unknown}; choose from {list(TIERS)}")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    # a deployment at the default floor (unless the environment sets another): the import
    # stores the disclosure pattern at it and the scenarios ask for it (ViewState's k), as a
    # real server's visitors do; the pandas baseline computes at the same k
    os.environ.setdefault(config.MIN_N_ENV, str(config.DEFAULT_MIN_N))
    for name in args.tiers.split(","):
        tier = TIERS[name]
        started = time.perf_counter()
        info = record.machine_info(argv)  # the commit as the tier starts
        done = run_tier(
            tier,
            reps=args.reps,
            baseline_reps=args.baseline_reps,
            reimport=args.reimport,
            skip_server=args.skip_server,
        )
        info.update(
            seconds=round(time.perf_counter() - started, 1),
            load_average=record.load_average(),
            failed=done.failed,
            skipped=done.skipped,
        )
        path = record.write_results(tier, done.results, info)
        say(f"[{name}] wrote {path}")
    say(f"rendered {record.render()}")


if __name__ == "__main__":
    main()
