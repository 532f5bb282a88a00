"""Many people at once (issue 15): 20 simulated users for 60 s against `caregap serve` on
loopback, with no errors, and the p95 latency of each interaction (budget ≤ 300 ms at tier L).

The users are Locust's (benchmarks/locustfile.py: what each one does), run headless in a
process of their own with CSV output; the interactions they replay are recorded once in headless
Chromium (benchmarks/_serve.py). Locust's CSV files (per request and per interaction, with the
failures) are kept in benchmarks/results/locust-<tier>_*.csv.

    python -m benchmarks.load --db var/bench/S.duckdb [--users 20] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from benchmarks import _serve
from benchmarks.results import Result
from dashboard import store

GROUP = "load"
#: Locust's request type for a whole interaction (benchmarks/locustfile.py reports them).
INTERACTION = "INTERACTION"
#: As `caregap serve` defaults to (threaded workers).
WORKERS = 2
P95_BUDGET_MS = 300.0
RESULTS = Path(__file__).resolve().parent / "results"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def _districts(db: Path) -> list[str]:
    con = store.open_read_only(db)
    try:
        rows = con.execute("SELECT region_id FROM regions WHERE level = 'district'").fetchall()
    finally:
        con.close()
    return sorted(r[0] for r in rows)


def _plan(served: _serve.Served, db: Path) -> dict[str, object]:
    steps = _serve.record(served)
    start, end = _serve.recorded_period(steps)
    return {
        "steps": [asdict(step) for step in steps],
        "periods": _serve.month_periods(start, end),
        "district": _serve.drilled_district(steps),
        "districts": _districts(db),
    }


def _locust(origin: str, plan: Path, out: Path, csv_prefix: Path, users: int, seconds: float):
    """Locust headless: all `users` at once for `seconds`, then each finishes its request."""
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
    cmd += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds:g}s"]
    cmd += ["--host", origin, "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "30"]
    cmd += ["--loglevel", "WARNING", "--exit-code-on-error", "0"]
    env = {**os.environ, "CAREGAP_LOAD_PLAN": str(plan), "CAREGAP_LOAD_OUT": str(out)}
    done = subprocess.run(cmd, cwd=_serve.REPO, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")


def _rows(csv_prefix: Path, kind: str) -> list[dict[str, str]]:
    path = Path(f"{csv_prefix}_{kind}.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _results(tier: str, times: dict[str, list[float]], csv_prefix: Path, setup: str):
    """One result per interaction (latency of the whole interaction), then the error count."""
    stats = _rows(csv_prefix, "stats")
    by_name = {(r["Type"], r["Name"]): r for r in stats}
    out = []
    for name, samples in times.items():
        row = by_name.get((INTERACTION, name), {})
        extra = {
            "interactions": int(row.get("Request Count", len(samples))),
            "failed": int(row.get("Failure Count", 0)),
            "per_second": round(float(row.get("Requests/s", 0)), 2),
        }
        out.append(
            Result(
                tier,
                GROUP,
                name,
                "ms",
                samples,
                budget=P95_BUDGET_MS,
                note=setup,
                extra=extra,
            )
        )
    requests = [
        r for r in stats if r["Type"] not in (INTERACTION, "") and r["Name"] != "Aggregated"
    ]
    failures = sum(int(r["Failure Count"]) for r in requests)
    examples = [
        f"{r['Method']} {r['Name']}: {r['Error']} ×{r['Occurrences']}"
        for r in _rows(csv_prefix, "failures")
        if r["Method"] != INTERACTION
    ]
    total = sum(int(r["Request Count"]) for r in requests)
    out.append(
        Result(
            tier,
            GROUP,
            "errors",
            "count",
            [float(failures)],
            budget=0.0,
            budget_kind="max",
            note=f"failed requests of all interactions ({setup})",
            extra={"requests": total, "first": examples[:10]},
        )
    )
    return out


def run(
    db: Path,
    tier: str,
    users: int = 20,
    seconds: float = 60,
    workers: int = WORKERS,
    csv_dir: Path = RESULTS,
) -> list[Result]:
    """`users` Locust users replaying recorded interactions for `seconds` against `workers`;
    Locust's CSV files go to `csv_dir`."""
    _serve.check_store(db)
    csv_dir.mkdir(parents=True, exist_ok=True)
    csv_prefix = csv_dir / f"locust-{tier}"
    with _serve.serve(db, workers=workers) as served, tempfile.TemporaryDirectory() as tmp:
        plan, out = Path(tmp) / "plan.json", Path(tmp) / "times.json"
        plan.write_text(json.dumps(_plan(served, db)), encoding="utf-8")
        _locust(served.origin, plan, out, csv_prefix, users, seconds)
        times = json.loads(out.read_text(encoding="utf-8"))
        server_error = served.first_error()
    setup = f"Locust: {users} users, {seconds:g} s, {workers} workers × threads, loopback"
    found = _results(tier, times, csv_prefix, setup)
    if server_error:
        found[-1].extra["server_error"] = server_error
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--tier", default="?")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--csv-dir", type=Path, default=RESULTS)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    found = run(args.db, args.tier, args.users, args.seconds, args.workers, args.csv_dir)
    _serve.write_json(found, args.json)
    _serve.show(found)


if __name__ == "__main__":
    main()
