"""What the browser tests and the screenshot script share: a demo server, Debian's Chromium, a
guard that records console errors and requests leaving the server, and waits for Dash to settle.

Nothing here downloads a browser: Playwright drives /usr/bin/chromium (apt's `chromium`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Small enough to build in seconds, large enough for every chart to have unsuppressed cells.
DEMO_ARGS = ["--respondents", "3000", "--deliveries", "30000", "--grids", "120"]
LANGS = ("zh", "en")
TIMEOUT_MS = 20_000
#: How long the first deck of a language may take to draw on /briefing: it is built cold (every
#: slide's frames and fitted figures; issue 15 is about making that fast). A wait, not a limit.
COLD_DECK_MS = 90_000


@dataclass(frozen=True)
class PageSpec:
    """What a view must show once loaded: its nav label, charts (graph ids) and tables."""

    path: str
    nav_key: str
    charts: tuple[str, ...] = ()  # ids of dcc.Graphs that must draw data
    tables: bool = False


SPECS = {
    "/": PageSpec(
        "/", "nav_overview", charts=("chart-dumbbell", "chart-mix", "chart-trend"), tables=True
    ),
    "/map": PageSpec("/map", "nav_map", charts=("chart-map", "chart-map_area")),
    "/groups": PageSpec(
        "/groups", "nav_groups", charts=("chart-group_heatmap", "chart-group_dumbbell")
    ),
    "/stations": PageSpec("/stations", "nav_stations", tables=True),
    "/quality": PageSpec(
        "/quality",
        "nav_quality",
        charts=("chart-profile", "chart-qol_grades", "chart-adl_levels"),
        tables=True,
    ),
    "/data": PageSpec("/data", "nav_data", tables=True),
    "/briefing": PageSpec("/briefing", "nav_briefing", charts=("chart-briefing",)),
}


def registered_pages() -> set[str]:
    """The paths the app serves right now (pages land one by one)."""
    from dashboard.app.factory import PAGES

    return set(PAGES)


def require_page(path: str) -> None:
    """Skip the calling test while `path` is not yet registered in the app."""
    import pytest

    if path not in registered_pages():
        pytest.skip(f"{path} is not registered in dashboard.app.factory.PAGES yet")


# -- the server --------------------------------------------------------------------------------


def build_demo(db: Path) -> None:
    """A small demo store at `db` (built once per session)."""
    subprocess.run(
        [sys.executable, "-m", "dashboard", "demo", "--db", str(db), *DEMO_ARGS],
        cwd=REPO,
        check=True,
        capture_output=True,
        env=_env(),
    )


def regions(db: Path) -> dict[str, dict[str, Any]]:
    """region_id -> {parent_id, level, name, name_en} (read before the server opens the store)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT region_id, parent_id, level, name, name_en FROM regions"
        ).fetchall()
    finally:
        con.close()
    return {r[0]: {"parent_id": r[1], "level": r[2], "name": r[3], "name_en": r[4]} for r in rows}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CAREGAP_LANG", None)
    env.pop("CAREGAP_DB", None)
    return env


@dataclass
class Server:
    db: Path
    log: Path
    port: int = field(default_factory=free_port)
    workers: int = 1
    #: More `caregap serve` options (e.g. ("--accounts", PATH)).
    args: tuple[str, ...] = ()
    proc: subprocess.Popen | None = None
    regions: dict[str, dict[str, Any]] = field(default_factory=dict)
    _out: Any = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        self._out = self.log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard",
                "serve",
                "--db",
                str(self.db),
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                *self.args,
            ],
            cwd=REPO,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{self.tail()}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(self.origin + "/", timeout=5) as response,
            ):
                if response.status == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer 200 on / in {timeout} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._out:
            self._out.close()
            self._out = None

    def tail(self, lines: int = 60) -> str:
        """The end of the server's log, without the access lines (for failure messages)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        keep = [line for line in text.splitlines() if '"GET ' not in line and '"POST ' not in line]
        return "\n".join(keep[-lines:])


@contextlib.contextmanager
def demo_server(
    workdir: Path, db: Path | None = None, workers: int = 1, args: tuple[str, ...] = ()
) -> Iterator[Server]:
    """A server on a free port for `db`, by default a demo store built in `workdir` if absent;
    `args` are more `caregap serve` options."""
    db = db or workdir / "caregap.duckdb"
    if not db.exists():
        build_demo(db)
    server = Server(db, workdir / "server.log", workers=workers, args=args)
    server.regions = regions(db)  # read before the server holds the store
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- the browser -------------------------------------------------------------------------------


def browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        return f"Playwright for Python is not importable ({err})"
    return None


def unavailable(reason: str) -> None:
    """Skip the test for want of the browser, saying what to install; under CI, fail: .ci/run
    installs it."""
    import pytest

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            f"browser tests cannot run: {reason}. Under CI they must: .ci/run installs Debian "
            "chromium (apt-get install chromium chromium-driver fonts-noto-cjk) and the test "
            "extras (pip install -e '.[test]').",
            pytrace=False,
        )
    pytest.skip(
        f"browser tests skipped: {reason}. To run them, install Debian's browser "
        "(sudo apt-get install chromium chromium-driver fonts-noto-cjk) and the test extras "
        "(pip install -e '.[test]'); no browser is ever downloaded by Playwright."
    )


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


class Guard:
    """Records, for every page of a browser context: console errors, page errors, requests and
    websockets to any host but the server (those are also aborted), and Dash requests in flight."""

    def __init__(self, context: Any, server_host: str) -> None:
        self.host = server_host
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.inflight: set[Any] = set()
        self.reported = 0
        context.route("**/*", self._route)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def _is_foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.netloc != self.host

    def _route(self, route: Any) -> None:
        if self._is_foreign(route.request.url):
            self.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on(
            "pageerror", lambda err: self.errors.append(f"page error: {err}\n{err.stack or ''}")
        )
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)
        page.on("websocket", self._websocket)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.errors.append(f"console error: {msg.text} ({where})")

    def _request(self, request: Any) -> None:
        if self._is_foreign(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)
        if "/_dash-update-component" in request.url:
            self.inflight.add(request)

    def _finished(self, request: Any) -> None:
        self.inflight.discard(request)

    def _failed(self, request: Any) -> None:
        self.inflight.discard(request)
        if not self._is_foreign(request.url):
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _websocket(self, ws: Any) -> None:
        if self._is_foreign(ws.url.replace("ws://", "http://").replace("wss://", "https://")):
            self.foreign.append(ws.url)

    def problems(self) -> list[str]:
        return self.errors + [f"request to another host: {url}" for url in self.foreign]

    def assert_clean(self, server: Server | None = None) -> None:
        """Fail on any problem not reported by an earlier call."""
        problems = self.problems()[self.reported :]
        self.reported += len(problems)
        if problems:
            log = f"\n--- server log ---\n{server.tail(30)}" if server else ""
            raise AssertionError("the browser saw:\n  " + "\n  ".join(problems) + log)


# -- waits -------------------------------------------------------------------------------------

#: True once Dash has rendered the layout and nothing shows a loading state.
IDLE_JS = """() => !!document.querySelector('#root > *')
    && !document.querySelector('._dash-loading, [data-dash-is-loading="true"]')"""

#: performance.now() (ms since navigation start) once the given graphs are drawn with data (and
#: a table has rows, if asked) and Dash is idle; false before.
DRAWN_JS = """([graphs, tables]) => {
    if (!document.querySelector('#root > *')) return false;
    if (document.querySelector('._dash-loading, [data-dash-is-loading="true"]')) return false;
    const drawn = (plot) => !!(plot && plot._fullLayout && plot.querySelector('.main-svg')
        && plot.data && plot.data.length > 0);
    for (const id of graphs) {
        const graph = document.getElementById(id);
        if (!graph || !drawn(graph.querySelector('.js-plotly-plot'))) return false;
    }
    if (tables && !document.querySelector('#root table tbody tr')) return false;
    return performance.now();
}"""


def wait_drawn(page: Any, spec: PageSpec, timeout: float = TIMEOUT_MS) -> float:
    """Wait until the page's charts are drawn; the time since navigation start, in ms."""
    handle = page.wait_for_function(DRAWN_JS, arg=[list(spec.charts), spec.tables], timeout=timeout)
    return float(handle.json_value())


def wait_idle(page: Any, guard: Guard, quiet_ms: int = 300, timeout: float = TIMEOUT_MS) -> None:
    """Wait until no Dash callback is in flight or showing a loading state for `quiet_ms`."""
    deadline = time.monotonic() + timeout / 1000
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = bool(guard.inflight) or not page.evaluate(IDLE_JS)
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif (now - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(50)
    raise TimeoutError(f"Dash did not settle in {timeout / 1000:.0f} s on {page.url}")


def same_figure(a: Any, b: Any) -> bool:
    """Equal figure data, numbers equal up to 1e-9 (DuckDB's parallel sums differ in the last
    bits from one query to the next, so the same view is equal only up to rounding)."""
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_figure(x, y) for x, y in zip(a, b, strict=True))
    return a == b


#: The data of the plotly plot inside a dcc.Graph, as a JSON string (typed arrays, which plotly
#: keeps as {bdata, dtype, _inputArray}, as plain lists).
FIGURE_JS = """(id) => {
    const norm = (a) => {
        if (a === null || a === undefined) return null;
        if (a._inputArray) return norm(a._inputArray);
        if (ArrayBuffer.isView(a)) return Array.from(a);
        if (Array.isArray(a)) return a.map(norm);
        return a;
    };
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    return JSON.stringify(plot.data.map((t) => [t.type, t.name, norm(t.x), norm(t.y), norm(t.z),
        norm(t.locations), norm(t.text)]));
}"""


def figure(page: Any, graph_id: str) -> list[Any]:
    """The data of a drawn graph (to compare two states of a chart with `same_figure`)."""
    return json.loads(page.evaluate(FIGURE_JS, graph_id))


def wait_figure_change(page: Any, graph_id: str, action: Any) -> None:
    """Do `action()` and wait until the graph's data differs from before it."""
    before = page.evaluate(FIGURE_JS, graph_id)
    action()
    page.wait_for_function(
        f"([id, before]) => ({FIGURE_JS})(id) !== before", arg=[graph_id, before]
    )


#: The page coordinates of a (lon, lat) on a map, or null while the map is still moving, loading
#: or being drawn (a map re-centres itself to fit its card after it is drawn, so a point read
#: before that would be clicked where the station no longer is).
PROJECT_JS = """([id, lon, lat]) => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    const layout = plot && plot._fullLayout;
    const box = layout && (layout.map || layout.mapbox);
    const map = box && box._subplot && box._subplot.map;
    const drawing = (plot.__cgInFlight && plot.__cgInFlight.size) || (plot._promises || []).length;
    if (!map || !map.loaded() || map.isMoving() || drawing) return null;
    const canvas = map.getCanvas().getBoundingClientRect();
    const point = map.project([lon, lat]);
    return [canvas.left + point.x, canvas.top + point.y];
}"""


def map_point(page: Any, graph_id: str, lon: float, lat: float) -> tuple[float, float]:
    """Where (lon, lat) is on the map once the map has stood still for two reads 200 ms apart."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    last = None
    while time.monotonic() < deadline:
        point = page.evaluate(PROJECT_JS, [graph_id, lon, lat])
        if point is not None and point == last:
            return point[0], point[1]
        last = point
        page.wait_for_timeout(200)
    raise TimeoutError(f"the map {graph_id} did not stand still in {TIMEOUT_MS / 1000:.0f} s")


def dash_id(component_id: dict[str, str]) -> str:
    """A CSS selector for a Dash pattern-matching id (rendered as compact, key-sorted JSON)."""
    return "[id='" + json.dumps(component_id, separators=(",", ":"), sort_keys=True) + "']"


def dropdown_text(page: Any, selector: str) -> str:
    """The shown value of a dcc.Dropdown (Dash 4 renders it as a button)."""
    return page.locator(selector).inner_text().strip()


def choose(page: Any, selector: str, value: str) -> None:
    """Open the dcc.Dropdown at `selector` and click the option with `value`."""
    page.locator(selector).click()
    option = page.locator(f'[role="option"]:has(input[value="{value}"])')
    option.first.click()
    page.keyboard.press("Escape")


#: What a reader would see as broken on the page, as sentences: a chart whose plot area is
#: narrower than half its card, a tick or category label overlapping another or cut off by the
#: chart's edge, a text cut off by its box, a page wider than the window. `root` is a CSS
#: selector for the part of the page to check.
LAYOUT_JS = """(root) => {
    const out = [];
    const scope = document.querySelector(root);
    if (!scope) return ['no ' + root];
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return {l: r.left, r: r.right, t: r.top, b: r.bottom, w: r.width, h: r.height};
    };
    // a label's four corners on the screen (tick labels may be rotated: their axis-aligned boxes
    // overlap where the glyphs do not), and whether two such quadrilaterals overlap by more
    // than a pixel (separating axes)
    const corners = (t) => {
        const b = t.getBBox();
        const m = t.getScreenCTM();
        return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                [b.x, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                        m.b * x + m.d * y + m.f]);
    };
    const apart = (p, q) => {
        for (const poly of [p, q]) {
            for (let i = 0; i < 4; i++) {
                const [x1, y1] = poly[i];
                const [x2, y2] = poly[(i + 1) % 4];
                const len = Math.hypot(x2 - x1, y2 - y1) || 1;
                const n = [(y1 - y2) / len, (x2 - x1) / len];
                const span = (r) => r.map(([x, y]) => x * n[0] + y * n[1]);
                const a = span(p);
                const c = span(q);
                if (Math.max(...a) <= Math.min(...c) + 1 || Math.max(...c) <= Math.min(...a) + 1) {
                    return true;
                }
            }
        }
        return false;
    };
    const shown = (el) => {
        const s = getComputedStyle(el);
        return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length;
    };
    for (const plot of scope.querySelectorAll('.js-plotly-plot')) {
        if (!shown(plot) || !plot._fullLayout) continue;
        const name = plot.closest('[id]') ? plot.closest('[id]').id : 'a chart';
        const card = plot.closest('.card, .cg-canvas-chart') || plot.parentElement;
        const size = plot._fullLayout._size;
        const mapped = plot._fullLayout.map || plot._fullLayout.mapbox;
        const area = mapped ? plot.querySelector('.maplibregl-canvas, canvas') : null;
        const width = area ? box(area).w : size.w;
        if (width < box(card).w / 2) {
            const of = Math.round(box(card).w);
            out.push(`${name}: plot area ${Math.round(width)} px of a ${of} px card`);
        }
        const svg = box(plot.querySelector('.main-svg'));
        for (const layer of plot.querySelectorAll('.xaxislayer-above, .yaxislayer-above')) {
            const ticks = Array.from(layer.querySelectorAll('text'))
                .filter((t) => t.textContent.trim() && shown(t))
                .map((t) => Object.assign(box(t), {text: t.textContent, quad: corners(t)}));
            for (let i = 0; i < ticks.length; i++) {
                const a = ticks[i];
                if (a.l < svg.l - 1 || a.r > svg.r + 1 || a.t < svg.t - 1 || a.b > svg.b + 1) {
                    out.push(`${name}: label "${a.text}" is cut by the chart's edge`);
                }
                for (let j = i + 1; j < ticks.length; j++) {
                    if (!apart(a.quad, ticks[j].quad)) {
                        out.push(`${name}: labels "${a.text}" and "${ticks[j].text}" overlap`);
                    }
                }
            }
        }
    }
    for (const el of scope.querySelectorAll('*')) {
        if (el.children.length || !el.textContent.trim()) continue;
        if (el.closest('.js-plotly-plot, .cg-scroll-table, .visually-hidden')) continue;
        if (!shown(el)) continue;
        const style = getComputedStyle(el);
        const hides = ['hidden', 'clip'].includes(style.overflowX)
            || style.textOverflow === 'ellipsis';
        const over = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2;
        if (hides && over) {
            out.push(`text cut off: ${el.tagName} "${el.textContent.trim().slice(0, 60)}"`);
        }
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
        const wide = document.documentElement.scrollWidth;
        out.push(`the page is ${wide} px wide in a ${window.innerWidth} px window`);
    }
    return out;
}"""


def layout_problems(page: Any, root: str = "#root") -> list[str]:
    """What `LAYOUT_JS` finds broken on the page, once the charts have finished resizing."""
    page.wait_for_timeout(300)  # dcc.Graph resizes on a debounced window resize
    return page.evaluate(LAYOUT_JS, root)
