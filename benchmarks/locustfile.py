"""Locust's simulated person for benchmarks/load.py (run by it: `locust -f` this file, headless).

Each user loops through what a person does (the interactions benchmarks/_serve.py recorded in
headless Chromium: open a view and change a filter, the map's measure, a drill into a district and
back, the groups view's grouping, the quality and data views) with no pause between steps, from a
random starting step. At the start of each pass it picks a period (the recorded one half of the
time, else a random whole-month period) and a district to drill into, so the workers' answer
caches help as with real use, not for every request. Requests go over keep-alive connections
(FastHttpUser), one after the other within an interaction, as Locust reports per request; each
whole interaction is reported too, as request type INTERACTION, and its times are written to
$CAREGAP_LOAD_OUT when the run ends (Locust's CSV gives percentiles, not the samples).

The plan comes from $CAREGAP_LOAD_PLAN (JSON written by benchmarks/load.py).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import defaultdict
from pathlib import Path

from locust import FastHttpUser, events, task

from benchmarks import _serve
from benchmarks._serve import Interaction
from benchmarks.load import INTERACTION

DEFAULT_PERIOD_SHARE = 0.5

_PLAN = json.loads(Path(os.environ["CAREGAP_LOAD_PLAN"]).read_text(encoding="utf-8"))
STEPS = [Interaction(**step) for step in _PLAN["steps"]]
PERIODS = [tuple(p) for p in _PLAN["periods"]]
DISTRICT = _PLAN["district"]
DISTRICTS = _PLAN["districts"]
_TIMES: dict[str, list[float]] = defaultdict(list)
_SEED = iter(range(10_000))


def label(call: dict) -> str:
    """A callback by its first output ("chart-map.figure"), to tell slow ones apart."""
    first = call.get("outputs") or [{}]
    first = first[0] if isinstance(first, list) else first
    cid = first.get("id") if isinstance(first, dict) else None
    cid = cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True)
    return f"{cid}.{first.get('property')}" if isinstance(first, dict) else str(call.get("output"))


@events.request.add_listener
def _keep(request_type: str, name: str, response_time: float, exception, **_: object) -> None:
    if request_type == INTERACTION and exception is None:
        _TIMES[name].append(response_time)


@events.quitting.add_listener
def _write(**_: object) -> None:
    out = os.environ.get("CAREGAP_LOAD_OUT")
    if out:
        Path(out).write_text(json.dumps(_TIMES), encoding="utf-8")


class Person(FastHttpUser):
    """One person going through the recorded interactions, as fast as the server answers."""

    def on_start(self) -> None:
        self.rng = random.Random(next(_SEED))
        self.step = self.rng.randrange(len(STEPS))
        self._new_pass()

    def _new_pass(self) -> None:
        rng = self.rng
        self.period = None if rng.random() < DEFAULT_PERIOD_SHARE else rng.choice(PERIODS)
        self.mapping: dict[str, str] = {}
        if DISTRICT and DISTRICTS:
            new = rng.choice(DISTRICTS)
            self.mapping = {DISTRICT: new, f"district:{DISTRICT}": f"district:{new}"}

    @task
    def next_step(self) -> None:
        if self.step % len(STEPS) == 0:
            self._new_pass()
        inter = _serve.vary(STEPS[self.step % len(STEPS)], self.period, self.mapping)
        self.step += 1
        started = time.perf_counter()
        failure = self._send(inter)
        events.request.fire(
            request_type=INTERACTION,
            name=inter.name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=failure,
            context={},
        )

    def _send(self, inter: Interaction) -> Exception | None:
        """Every request of the interaction in order; the first failure, if any."""
        failure = None
        steps = [("GET", path, None, f"GET {path}") for path in inter.gets]
        steps += [("POST", _serve.DASH_POST, json.dumps(c), label(c)) for c in inter.calls]
        for method, path, body, name in steps:
            headers = {"Content-Type": "application/json"} if body else {}
            with self.client.request(
                method, path, data=body, headers=headers, name=name, catch_response=True
            ) as response:
                if not 200 <= (response.status_code or 0) < 300:
                    failure = failure or RuntimeError(f"{method} {path}: {response.status_code}")
                    response.failure(f"HTTP {response.status_code}")
                else:
                    response.success()
        return failure
