"""What the server-side scenarios share: `caregap serve` on a free loopback port, stopped with its
whole process group; its workers' resident memory; plain HTTP requests to it; and the Dash
callback requests a real browser sends, recorded once with Playwright so they can be replayed.

Only the standard library talks to the server (no aiohttp/httpx), and only on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.results import Result

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DASH_POST = "/_dash-update-component"
#: What a browser fetches for every view besides the static bundles it has cached.
PAGE_GETS = ("/_dash-layout", "/_dash-dependencies")


# -- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def check_store(db: Path) -> None:
    """Fail early, with the fix, when the store is missing or built by an older CareGap (the
    server would answer every view with a warning and no chart would ever draw)."""
    from dashboard import store

    try:
        store.open_read_only(Path(db)).close()
    except store.StoreOutdated:
        raise SystemExit(
            f"{db}: store outdated; rebuild it (e.g. caregap demo --db {db})"
        ) from None
    except store.StoreMissing:
        raise SystemExit(f"{db}: no store there (build one with caregap demo --db {db})") from None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CAREGAP_LANG", None)
    env.pop("CAREGAP_DB", None)
    return env


@dataclass
class Served:
    """A running `caregap serve`: its origin and process ids."""

    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def workers(self) -> list[int]:
        """The gunicorn workers: the master's children (read from /proc)."""
        master = self.proc.pid
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                if ppid == master:
                    found.append(int(entry.name))
        return sorted(found)

    def tail(self, lines: int = 30) -> str:
        """The end of the server's log without access lines (for error messages)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        keep = [ln for ln in text.splitlines() if '"GET ' not in ln and '"POST ' not in ln]
        return "\n".join(keep[-lines:])

    def first_error(self, frames: int = 6) -> str:
        """The innermost lines of the first traceback in the server's log ("" if none)."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        start = next((i for i, ln in enumerate(lines) if ln.startswith("Traceback")), None)
        if start is None:
            return ""
        end = start + 1
        while end < len(lines) and (lines[end][:1].isspace() or not lines[end].strip()):
            end += 1
        return "\n".join(lines[max(start, end - frames) : end + 1])


def rss_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process in MB, from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB -> MB
    return values["VmRSS"], values["VmHWM"]


def _wait_ready(served: Served, expected: int, timeout: float) -> None:
    """Until / answers 200 and all `expected` workers are up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.proc.poll() is not None:
            raise RuntimeError(f"the server exited ({served.proc.returncode}):\n{served.tail()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _ = request(served.origin, "GET", "/", timeout=5)
            if status == 200 and len(served.workers()) >= expected:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on / in {timeout:.0f} s:\n{served.tail()}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (master and workers), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # workers left behind by a master that died first


@contextlib.contextmanager
def serve(db: Path, workers: int = 2, timeout: float = 90) -> Iterator[Served]:
    """`caregap serve --db DB --workers N --host 127.0.0.1 --port <free>`."""
    check_store(db)
    cmd = [sys.executable, "-m", "dashboard", "serve", "--db", str(Path(db).resolve())]
    with _serve_command([*cmd, "--workers", str(workers)], workers, timeout) as served:
        yield served


@contextlib.contextmanager
def serve_bare(variant: str, workers: int = 2, timeout: float = 90) -> Iterator[Served]:
    """The bare Dash page of benchmarks/bare_dash.py, on the same gunicorn settings."""
    cmd = [sys.executable, "-m", "benchmarks.bare_dash", "--variant", variant]
    with _serve_command([*cmd, "--workers", str(workers)], workers, timeout) as served:
        yield served


@contextlib.contextmanager
def _serve_command(cmd: list[str], workers: int, timeout: float) -> Iterator[Served]:
    """`cmd --host 127.0.0.1 --port <free>` in its own process group, so that the master and
    every worker are stopped on exit, whatever happens."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="caregap-bench-") as tmp:
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*cmd, "--host", HOST, "--port", str(port)],
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=_env(),
                start_new_session=True,
            )
            served = Served(proc, port, log)
            try:
                _wait_ready(served, workers, timeout)
                yield served
            finally:
                _stop(proc)


# -- plain HTTP ---------------------------------------------------------------------------------


def request(
    origin: str, method: str, path: str, body: bytes | None = None, timeout: float = 60
) -> tuple[int, bytes]:
    """One request on a fresh connection (gunicorn's sync workers close after each response)."""
    host, port = origin.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        headers = {"Accept": "*/*"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- recorded interactions ----------------------------------------------------------------------


@dataclass
class Interaction:
    """One thing a person does, as the requests the browser sent for it, in the order sent.

    `gets` are page fetches (a view's HTML, layout and callback graph), `calls` the bodies of the
    Dash callback POSTs. A recorded body carries every value the callback needs (including what
    earlier answers put in the page), so replaying the calls in order reproduces the interaction.
    """

    name: str
    path: str
    gets: list[str] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Exchange:
    """What one replayed request took."""

    method: str
    path: str
    status: int
    ms: float
    nbytes: int
    outputs: str = ""


def replay(origin: str, interaction: Interaction, timeout: float = 60) -> list[Exchange]:
    """Send an interaction's requests one after the other (a browser overlaps some callbacks;
    sequential replay gives each its own latency and an upper bound for the whole)."""
    done = []
    for path in interaction.gets:
        t0 = time.perf_counter()
        status, body = request(origin, "GET", path, timeout=timeout)
        done.append(Exchange("GET", path, status, (time.perf_counter() - t0) * 1000, len(body)))
    for call in interaction.calls:
        payload = json.dumps(call).encode()
        t0 = time.perf_counter()
        status, body = request(origin, "POST", DASH_POST, payload, timeout=timeout)
        ms = (time.perf_counter() - t0) * 1000
        done.append(Exchange("POST", DASH_POST, status, ms, len(body), str(call.get("output"))))
    return done


def ok(exchange: Exchange) -> bool:
    """2xx (Dash answers 204 when a callback prevents its update)."""
    return 200 <= exchange.status < 300


# -- recording with Playwright ------------------------------------------------------------------

MAP = "chart-map"
#: The map's measure and the groups view's grouping (dcc.Dropdowns with pattern-matching ids).
MEASURE = {"role": "state", "key": "measure"}
DIMENSION = {"role": "state", "key": "dimension"}
#: The views whose first load is recorded, and what is done on each afterwards.
VIEWS = ("/", "/map", "/groups", "/quality", "/data")


class Recorder:
    """Collects the Dash callback POSTs of one browser context while an action runs."""

    def __init__(self, context: Any) -> None:
        self.bodies: list[dict[str, Any]] = []
        context.on("request", self._request)

    def _request(self, req: Any) -> None:
        if req.method == "POST" and DASH_POST in req.url and req.post_data:
            self.bodies.append(json.loads(req.post_data))

    def take(
        self, name: str, path: str, gets: list[str], action: Callable[[], None]
    ) -> Interaction:
        start = len(self.bodies)
        action()
        return Interaction(name, path, gets, self.bodies[start:])


def _click_district(page: Any) -> str:
    """Click the largest district on the drawn city map; its id."""
    from tests.browser.harness import map_point
    from tests.browser.test_map import areas

    city = areas(page)
    target = max(city, key=lambda r: city[r].area)
    inside = city[target].representative_point()
    x, y = map_point(page, MAP, inside.x, inside.y)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    return target


def _wait_map_changed(page: Any, before: list[str]) -> None:
    page.wait_for_function(
        """([id, before]) => {
            const plot = document.getElementById(id).querySelector('.js-plotly-plot');
            const shown = plot.data.flatMap((t) => Array.from(t.locations || []));
            return shown.length > 0 && !shown.some((r) => before.includes(r));
        }""",
        arg=[MAP, before],
    )


def _map_interactions(page: Any, guard: Any, rec: Recorder) -> list[Interaction]:
    """Measure and shared-filter changes on the drawn map, a drill into a district and back."""
    from tests.browser.harness import SPECS, choose, dash_id, wait_drawn, wait_idle
    from tests.browser.test_map import areas

    page.wait_for_function(
        "(id) => !!document.getElementById(id)?.querySelector('.js-plotly-plot')?._fullLayout"
        "?.map?._subplot?.map?.loaded()",
        arg=MAP,
    )
    settle = lambda: wait_idle(page, guard)  # noqa: E731
    out = [
        rec.take(
            "map measure change",
            "/map",
            [],
            lambda: (choose(page, dash_id(MEASURE), "demand_rate"), settle()),
        ),
        rec.take(
            "map filter change", "/map", [], lambda: (choose(page, "#filter-sex", "F"), settle())
        ),
    ]
    city = list(areas(page))

    def drill() -> None:
        _click_district(page)
        _wait_map_changed(page, city)
        settle()

    out.append(rec.take("map drill", "/map", [], drill))
    grids = list(areas(page))

    def back() -> None:
        page.locator("#map-back").click()
        _wait_map_changed(page, grids)
        wait_drawn(page, SPECS["/map"])
        settle()

    out.append(rec.take("map back", "/map", [], back))
    return out


def _after_load(path: str, page: Any, guard: Any, rec: Recorder) -> list[Interaction]:
    """The interactions recorded on a view once it is drawn."""
    from tests.browser.harness import choose, dash_id, wait_idle

    settle = lambda: wait_idle(page, guard)  # noqa: E731
    if path == "/":
        act = lambda: (choose(page, "#filter-sex", "F"), settle())  # noqa: E731
        return [rec.take("overview filter change", path, [], act)]
    if path == "/map":
        return _map_interactions(page, guard, rec)
    if path == "/groups":
        act = lambda: (choose(page, dash_id(DIMENSION), "sex"), settle())  # noqa: E731
        return [rec.take("groups dimension change", path, [], act)]
    return []


def harness_importable() -> None:
    """Put the repository on sys.path so `tests.browser.harness` imports from anywhere."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def _record_view(browser: Any, served: Served, path: str) -> list[Interaction]:
    """Open one view in a fresh context, wait for its charts, then act on it."""
    from tests.browser.harness import SPECS, TIMEOUT_MS, Guard, wait_drawn, wait_idle

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        guard = Guard(context, served.origin.removeprefix("http://"))
        rec = Recorder(context)
        page = context.new_page()

        def load() -> None:
            page.goto(served.origin + path)
            wait_drawn(page, SPECS[path])
            wait_idle(page, guard)

        try:
            found = [rec.take(f"open {path}", path, [path, *PAGE_GETS], load)]
            found += _after_load(path, page, guard, rec)
            guard.assert_clean()
        except Exception as err:
            seen = "; ".join(guard.problems()) or "no console error"
            raise RuntimeError(f"recording {path} failed ({seen}):\n{served.tail()}") from err
        return found
    finally:
        context.close()


def record(served: Served, views: tuple[str, ...] = VIEWS) -> list[Interaction]:
    """Open each view in a fresh headless Chromium context, then act on it; every Dash callback
    request the browser sent, grouped by interaction ("open /map", "map drill", ...)."""
    harness_importable()
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import browser_problem, launch

    problem = browser_problem()
    if problem:
        raise SystemExit(f"cannot record the views' callbacks: {problem}")
    found: list[Interaction] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for path in views:
                found += _record_view(browser, served, path)
        finally:
            browser.close()
    return found


# -- varying recorded values --------------------------------------------------------------------


def _prop(entry: dict[str, Any]) -> tuple[str, str]:
    """(id, property) of an input or state; a pattern-matching id as its JSON text."""
    cid = entry.get("id")
    return (cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True)), str(
        entry.get("property")
    )


def set_values(call: dict[str, Any], values: dict[tuple[str, str], object]) -> dict[str, Any]:
    """A copy of a callback body with some (component id, property) values replaced wherever it
    carries them as inputs or states (e.g. the period's start and end dates)."""
    out = json.loads(json.dumps(call))
    for key in ("inputs", "state"):
        for entry in out.get(key, []):
            for item in entry if isinstance(entry, list) else [entry]:
                if _prop(item) in values:
                    item["value"] = values[_prop(item)]
    return out


def replace_strings(value: object, mapping: dict[str, str]) -> object:
    """`value` with every string equal to a key of `mapping` replaced (a district id, or a
    "district:<id>" geometry tag), anywhere in a JSON body."""
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [replace_strings(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: replace_strings(v, mapping) for k, v in value.items()}
    return value


def drilled_district(interactions: list[Interaction]) -> str | None:
    """The district the recorded drill went into (from the clickData the browser sent)."""
    for inter in interactions:
        if inter.name != "map drill":
            continue
        for call in inter.calls:
            for entry in call.get("inputs", []):
                if isinstance(entry, dict) and entry.get("property") == "clickData":
                    points = (entry.get("value") or {}).get("points") or []
                    if points and points[0].get("location"):
                        return str(points[0]["location"])
    return None


PERIOD = "filter-period"


def recorded_period(interactions: list[Interaction]) -> tuple[str, str]:
    """The default period (start, end) the views opened with, from the recorded bodies."""
    for inter in interactions:
        for call in inter.calls:
            values = {
                e.get("property"): e.get("value")
                for e in call.get("inputs", [])
                if isinstance(e, dict) and e.get("id") == PERIOD
            }
            if values.get("start_date") and values.get("end_date"):
                return str(values["start_date"])[:10], str(values["end_date"])[:10]
    raise ValueError("no recorded callback carries the period filter")


def month_periods(start: str, end: str) -> list[tuple[str, str]]:
    """Every whole-month period (first day, last day) inside [start, end], as a person picks them
    in the date picker; the cached answers of one period are no help for another."""
    first, last = dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10])
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    ends = [(m + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) for m in months]
    return [
        (max(a, first).isoformat(), min(b, last).isoformat())
        for i, a in enumerate(months)
        for b in ends[i:]
    ]


def vary(
    inter: Interaction, period: tuple[str, str] | None = None, mapping: dict[str, str] | None = None
) -> Interaction:
    """The interaction under another period (and with strings such as a district id swapped)."""
    calls = inter.calls
    if period:
        values = {(PERIOD, "start_date"): period[0], (PERIOD, "end_date"): period[1]}
        calls = [set_values(c, values) for c in calls]  # type: ignore[arg-type]
    if mapping:
        calls = [replace_strings(c, mapping) for c in calls]  # type: ignore[misc]
    return Interaction(inter.name, inter.path, list(inter.gets), list(calls))


def period_change(inter: Interaction, period: tuple[str, str], name: str) -> Interaction:
    """A recorded shared-filter change turned into a change of the period: the same callbacks
    fire (all of them take the period as an input), with the period as what changed."""
    changed = vary(inter, period)
    for call in changed.calls:
        ids = [f"{PERIOD}.start_date", f"{PERIOD}.end_date"]
        call["changedPropIds"] = ids
        if "parsedChangedPropsIds" in call:
            call["parsedChangedPropsIds"] = ids
    return Interaction(name, changed.path, changed.gets, changed.calls)


def write_json(found: list[Result], path: Path | None) -> None:
    """The results as JSON (`--json PATH` of the suites run alone: the smoke tests read it)."""
    if path is not None:
        path.write_text(json.dumps([r.as_dict() for r in found], ensure_ascii=False), "utf-8")


def show(found: list[Result]) -> None:
    """One line per result (median, p95, largest, budget), for running a module alone."""
    for r in found:
        budget = "" if r.budget is None else f"  budget {r.budget_kind} <= {r.budget:g}"
        met = "" if r.met is None else ("  met" if r.met else "  NOT MET")
        print(
            f"{r.group:7} {r.scenario:28} median {r.median:8.1f}  p95 {r.p95:8.1f}  "
            f"max {max(r.samples):8.1f} {r.unit}{budget}{met}"
        )
        if r.note:
            print(f"{'':8}{r.note}")
        if r.extra:
            print(f"{'':8}{r.extra}")
