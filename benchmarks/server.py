"""The server under real requests: resident memory per worker, and bytes on the wire per map
interaction (issue #5).

`caregap serve` runs with two workers on a free loopback port. Headless Chromium opens each view
once and acts on it (filters, the map's measure, a drill into a district and back) while the Dash
callback requests it sends are recorded; those are then replayed over plain HTTP `reps` times,
each time under another whole-month period so the workers' query caches grow as with real use.
Afterwards the resident memory (VmRSS) of each worker is read from /proc.

A map filter change must not resend the polygons (the map callback answers with a `dash.Patch`):
its bytes are the bodies of every `/_dash-update-component` answer the change causes.

    python -m benchmarks.server --db var/bench/S.duckdb [--reps 3]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import _serve
from benchmarks._serve import Exchange, Interaction
from benchmarks.results import Result

GROUP = "server"
WORKERS = 2
RSS_BUDGET_MB = 1024.0
WIRE_BUDGET_KB = 30.0
#: Map interactions whose answers are weighed, and the budget of each (None: reported only).
WIRE = {
    "map measure change": WIRE_BUDGET_KB,
    "map filter change": WIRE_BUDGET_KB,
    "map period change": WIRE_BUDGET_KB,
    "map drill": None,
    "map back": None,
    "open /map": None,
}
WHAT = {
    "map measure change": "the map's measure changed (gap → need) with the city map drawn",
    "map filter change": "a shared filter changed (sex: all → F) with the city map drawn",
    "map period change": "the period changed (whole months) with the city map drawn",
    "map drill": "a click on a district: its grids are drawn",
    "map back": "the breadcrumb back to the city",
    "open /map": "all callbacks of the map view's first load (the page shell included)",
}


def script(recorded: list[Interaction]) -> list[Interaction]:
    """The recorded interactions in order, plus a period change made from the filter change."""
    start, end = _serve.recorded_period(recorded)
    periods = _serve.month_periods(start, end)
    shorter = periods[len(periods) // 2] if len(periods) > 1 else (start, end)
    out = list(recorded)
    for inter in recorded:
        if inter.name == "map filter change":
            out.insert(
                out.index(inter) + 1, _serve.period_change(inter, shorter, "map period change")
            )
    return out


def _rep_period(recorded: list[Interaction], rep: int) -> tuple[str, str] | None:
    """The recorded period for the first repetition, then others spread over the range."""
    if rep == 0:
        return None
    periods = _serve.month_periods(*_serve.recorded_period(recorded))
    return periods[(rep * 7919) % len(periods)]


def _posted_kb(exchanges: list[Exchange]) -> float:
    return sum(e.nbytes for e in exchanges if e.method == "POST") / 1024


def _failures(exchanges: list[Exchange]) -> list[str]:
    return [
        f"{e.status} {e.method} {e.path} {e.outputs[:60]}" for e in exchanges if not _serve.ok(e)
    ]


@dataclass
class Measured:
    """What the replays gave: KB per map interaction, RSS samples, peak RSS per worker."""

    wire: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    rss: list[float] = field(default_factory=list)
    peak: dict[int, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    server_error: str = ""  # the first traceback in the server's log, when a request failed

    def read_memory(self, served: _serve.Served) -> None:
        for pid in served.workers():
            now, high = _serve.rss_mb(pid)
            self.rss.append(now)
            self.peak[pid] = max(self.peak.get(pid, 0.0), high)


def measure(served: _serve.Served, steps: list[Interaction], reps: int) -> Measured:
    """Replay the steps `reps` times; KB per map interaction, RSS per worker after each pass."""
    got = Measured()
    for rep in range(reps):
        period = _rep_period(steps, rep)
        for inter in steps:
            keep = inter.name == "map period change"  # its period is what changed
            exchanges = _serve.replay(served.origin, _serve.vary(inter, None if keep else period))
            got.failures += [f"{inter.name}: {f}" for f in _failures(exchanges)]
            if inter.name in WIRE:
                got.wire[inter.name].append(_posted_kb(exchanges))
        got.read_memory(served)
    return got


def results(tier: str, got: Measured) -> list[Result]:
    """The memory result, then one per weighed map interaction."""
    failures = got.failures
    note = f"{len(failures)} callback requests failed, e.g. {failures[0]}" if failures else ""
    out = [
        Result(
            tier=tier,
            group=GROUP,
            scenario="resident memory per worker",
            unit="MB",
            samples=got.rss,
            budget=RSS_BUDGET_MB,
            budget_kind="max",
            note=f"VmRSS of each of {WORKERS} gunicorn workers after every view and map "
            "interaction, read after each pass" + (f"; {note}" if note else ""),
            extra={
                "peak_rss_mb": {str(k): round(v, 1) for k, v in got.peak.items()},
                **({"server_error": got.server_error} if got.server_error else {}),
            },
        )
    ]
    for name, budget in WIRE.items():
        if got.wire.get(name):
            out.append(
                Result(
                    tier=tier,
                    group=GROUP,
                    scenario=f"wire: {name}",
                    unit="KB",
                    samples=got.wire[name],
                    budget=budget,
                    budget_kind="max",
                    note=f"response bodies of /_dash-update-component: {WHAT[name]}",
                    extra={"failed_requests": len(failures)},
                )
            )
    return out


def run(db: Path, tier: str, reps: int) -> list[Result]:
    """Serve `db` with two workers, record the views' callbacks in Chromium, replay them."""
    with _serve.serve(db, workers=WORKERS) as served:
        steps = script(_serve.record(served))
        got = measure(served, steps, max(reps, 1))
        got.server_error = served.first_error() if got.failures else ""
    for failure in [*got.failures[:10], got.server_error]:
        if failure:
            print(f"warning: {failure}", file=sys.stderr)
    return results(tier, got)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--tier", default="?")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    _serve.show(run(args.db, args.tier, args.reps))


if __name__ == "__main__":
    main()
