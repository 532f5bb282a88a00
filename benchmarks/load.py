"""Many people at once (issue #5): 20 simulated users for 60 s against `caregap serve` on
loopback, with no errors, and the p95 latency of each interaction.

Each user is a thread looping through what a person does (open the overview and change a filter,
open the map, change its measure and a filter, drill into a district and back, open the groups
view and change the grouping, open the quality and data views) with no pause between steps,
from a random starting step. An interaction is the browser's requests for it, recorded once in
headless Chromium and replayed one after the other over plain HTTP: the view's page, layout and
callback graph, then its Dash callbacks. At the start of each pass a user picks a period (the
default one half of the time, else a random whole-month period) and a district to drill into,
so the workers' query caches help as with real use, not for every request.

Standard library only (threads and http.client), loopback only, bounded in time: no interaction
starts after the deadline, no request starts later than REQUEST_TIMEOUT seconds after it (an
interaction cut short there is not counted), and every request times out after REQUEST_TIMEOUT.

    python -m benchmarks.load --db var/bench/S.duckdb [--users 20] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks import _serve
from benchmarks._serve import Interaction
from benchmarks.results import Result

GROUP = "load"
#: As `caregap serve` defaults to; on two cores four sync workers served fewer requests per
#: second than two (python -m benchmarks.load --workers 4 to compare).
WORKERS = 2
REQUEST_TIMEOUT = 30.0
DEFAULT_PERIOD_SHARE = 0.5


@dataclass
class Tally:
    """Latencies and counts per interaction, shared by the user threads."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: per interaction, per request in it (a path, or a callback's first output): ms each time
    parts: dict[str, dict[str, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    requests: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # interactions
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, ms: float, parts: list[tuple[str, float]], errors: list[str]) -> None:
        with self.lock:
            self.requests[name] += len(parts)
            for label, part_ms in parts:
                self.parts[name][label].append(part_ms)
            self.errors[name] += len(errors)
            if errors:
                self.failed[name] += 1
                self.examples += [f"{name}: {e}" for e in errors][: 10 - len(self.examples)]
            else:
                self.ms[name].append(ms)


def _label(call: dict) -> str:
    """A callback by its first output ("chart-map.figure"), to tell slow ones apart."""
    first = call.get("outputs") or [{}]
    first = first[0] if isinstance(first, list) else first
    cid = first.get("id") if isinstance(first, dict) else None
    cid = cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True)
    return f"{cid}.{first.get('property')}" if isinstance(first, dict) else str(call.get("output"))


def _send(
    origin: str, inter: Interaction, stop: float
) -> tuple[list[tuple[str, float]], list[str], bool]:
    """Replay one interaction; (label and ms of each request sent, what went wrong, whether it
    ran to the end before `stop`, the hard end of the run)."""
    parts, errors = [], []
    steps = [("GET", p, None, f"GET {p}") for p in inter.gets]
    steps += [("POST", _serve.DASH_POST, json.dumps(c).encode(), _label(c)) for c in inter.calls]
    for method, path, body, label in steps:
        if time.monotonic() > stop:
            return parts, errors, False
        t0 = time.perf_counter()
        try:
            status, _ = _serve.request(origin, method, path, body, timeout=REQUEST_TIMEOUT)
            if not 200 <= status < 300:
                errors.append(f"{method} {path}: HTTP {status}")
        except (OSError, http.client.HTTPException) as err:  # refused, reset, timed out
            errors.append(f"{method} {path}: {type(err).__name__}: {err}")
        parts.append((label, (time.perf_counter() - t0) * 1000))
    return parts, errors, True


@dataclass(frozen=True)
class Plan:
    """What every user replays, and the values a pass may vary."""

    steps: list[Interaction]
    periods: list[tuple[str, str]]
    district: str | None  # the district the recording drilled into
    districts: list[str]


def _pass_variant(plan: Plan, rng: random.Random) -> tuple[tuple[str, str] | None, dict]:
    period = None if rng.random() < DEFAULT_PERIOD_SHARE else rng.choice(plan.periods)
    mapping: dict[str, str] = {}
    if plan.district and plan.districts:
        new = rng.choice(plan.districts)
        mapping = {plan.district: new, f"district:{plan.district}": f"district:{new}"}
    return period, mapping


def _user(origin: str, plan: Plan, deadline: float, seed: int, tally: Tally) -> None:
    """One person: through the steps in a loop from a random step, until the deadline."""
    rng = random.Random(seed)
    i = rng.randrange(len(plan.steps))
    period, mapping = _pass_variant(plan, rng)
    while time.monotonic() < deadline:
        if i % len(plan.steps) == 0:
            period, mapping = _pass_variant(plan, rng)
        inter = _serve.vary(plan.steps[i % len(plan.steps)], period, mapping)
        t0 = time.perf_counter()
        parts, errors, whole = _send(origin, inter, deadline + REQUEST_TIMEOUT)
        if whole or errors:
            tally.add(inter.name, (time.perf_counter() - t0) * 1000, parts, errors)
        i += 1


def _districts(db: Path) -> list[str]:
    from dashboard import store

    con = store.open_read_only(db)
    try:
        rows = con.execute("SELECT region_id FROM regions WHERE level = 'district'").fetchall()
    finally:
        con.close()
    return sorted(r[0] for r in rows)


def _plan(served: _serve.Served, db: Path) -> Plan:
    steps = _serve.record(served)
    start, end = _serve.recorded_period(steps)
    return Plan(
        steps, _serve.month_periods(start, end), _serve.drilled_district(steps), _districts(db)
    )


def _median(values: list[float]) -> float:
    return round(float(np.median(values)), 1)


def _results(tier: str, tally: Tally, elapsed: float, setup: str, names: list[str]) -> list[Result]:
    """One result per interaction (latency of the whole interaction), then the error count."""
    out = []
    for name in [n for n in names if tally.requests[n]]:
        extra = {
            "errors": tally.errors[name],
            "requests": tally.requests[name],
            "rps": round(tally.requests[name] / elapsed, 2),
            "interactions": len(tally.ms[name]) + tally.failed[name],
            "median_ms_by_request": {k: _median(v) for k, v in tally.parts[name].items()},
        }
        if tally.ms[name]:
            out.append(Result(tier, GROUP, name, "ms", tally.ms[name], note=setup, extra=extra))
    total = sum(tally.requests.values())
    out.append(
        Result(
            tier,
            GROUP,
            "errors",
            "count",
            [float(sum(tally.errors.values()))],
            budget=0.0,
            budget_kind="max",
            note=f"failed requests of all interactions ({setup})",
            extra={
                "requests": total,
                "rps": round(total / elapsed, 2),
                "seconds": round(elapsed, 1),
                "first": tally.examples,
            },
        )
    )
    return out


def run(
    db: Path, tier: str, users: int = 20, seconds: float = 60, workers: int = WORKERS
) -> list[Result]:
    """`users` threads replaying recorded interactions for `seconds` against `workers` workers."""
    _serve.check_store(db)
    with _serve.serve(db, workers=workers) as served:
        plan = _plan(served, db)
        tally = Tally()
        started = time.monotonic()
        deadline = started + seconds
        with ThreadPoolExecutor(max_workers=users, thread_name_prefix="user") as pool:
            futures = [
                pool.submit(_user, served.origin, plan, deadline, seed, tally)
                for seed in range(users)
            ]
            for future in futures:
                future.result()  # a bug in a user thread surfaces here
        elapsed = time.monotonic() - started
        server_error = served.first_error()
    setup = f"{users} users, {seconds:g} s, {workers} workers, loopback, requests in sequence"
    out = _results(tier, tally, elapsed, setup, [s.name for s in plan.steps])
    if server_error:
        out[-1].extra["server_error"] = server_error
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--tier", default="?")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args(argv)
    _serve.show(run(args.db, args.tier, args.users, args.seconds, args.workers))


if __name__ == "__main__":
    main()
