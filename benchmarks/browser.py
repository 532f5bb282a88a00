"""CareGap in headless Chromium, as a person meets it (issue 15): the first load of each view
beside a bare Dash page measured in the same run, the bytes it took on the wire, and how long a
view switch or a filter change takes until every chart is drawn again.

Debian's /usr/bin/chromium driven by Playwright exactly as the browser tests do (their launch
arguments, their "charts drawn and Dash settled" check and their list of charts per view, imported
from tests/browser/harness.py); nothing is downloaded.

- *first load*: every repetition opens a fresh browser context (nothing cached) against a server
  started for that view alone (two workers), whose answer caches only hold what the earlier
  repetitions of the same view asked: the first repetition is a cold server, the rest a warm
  one, as for the first and later visitors of a deployment. Its floor is the bare Dash page
  (benchmarks/bare_dash.py: one bar chart, same Dash, plotly.js and gunicorn settings) loaded
  the same way in the same run, as Dash ships it (`stock`) and delivered as CareGap delivers
  (`lean`: the partial plotly.js, compressed); the budget is ≤ 1.2× the stock floor.
- *on the wire*: the bytes of the first load (the page, every script, style, answer and image:
  the Resource Timing API's transferSize, headers included) until every chart is drawn.
- *view switch*, *filter change*: in one warm page, a nav link clicked (/ → /map → /groups → /)
  or the sex filter changed, from the click until every chart of the view is drawn again (a
  changed figure, for the filter) and Dash is idle.

    python -m benchmarks.browser --db var/bench/S.duckdb [--reps 5]
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from benchmarks import _serve
from benchmarks.bare_dash import GRAPH_ID
from benchmarks.results import Result

GROUP = "browser"
WORKERS = 2
#: Views whose first load is timed.
VIEWS = ("/", "/map", "/groups")
#: A view's first load may take this many times the bare Dash page's.
FLOOR_RATIO = 1.2
#: /map's first load, on the wire (KB).
MAP_WIRE_BUDGET_KB = 1024.0
#: A view switch or a filter change, until drawn: median budget (ms) per tier.
SWITCH_BUDGET_MS = {"S": 300.0, "M": 300.0, "L": 500.0}
#: The nav links clicked in turn, starting from /.
SWITCHES = ("/map", "/groups", "/")
#: The filter changed back and forth, and the chart of each view that must change with it.
FILTER = "#filter-sex"
FILTER_VALUES = ("F", "M")
FILTER_CHARTS = {"/": "chart-dumbbell", "/map": "chart-map"}
VIEWPORT = {"width": 1440, "height": 1000}

#: When (ms since navigation start) the last callback answer and plotly.js had arrived: what is
#: left of a load after those is the browser drawing.
ARRIVED_JS = """() => {
    const done = (match) => Math.max(0, ...performance.getEntriesByType('resource')
        .filter((e) => e.name.includes(match)).map((e) => e.responseEnd));
    return [done('/_dash-update-component'), done('plotly')];
}"""
#: Bytes on the wire so far: the page and every resource, headers included.
WIRE_JS = """() => performance.getEntriesByType('navigation').concat(
    performance.getEntriesByType('resource')).reduce((sum, e) => sum + e.transferSize, 0)"""


def _spec(path: str) -> Any:
    from tests.browser.harness import SPECS

    return SPECS[path]


def _bare_spec() -> Any:
    from tests.browser.harness import PageSpec

    return PageSpec("/", "", charts=(GRAPH_ID,))


class _Load:
    """One cold load: ms until drawn, until the last answer and plotly.js arrived, KB on the
    wire."""

    def __init__(self, browser: Any, origin: str, path: str, spec: Any) -> None:
        from tests.browser.harness import TIMEOUT_MS, Guard

        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            guard = Guard(context, origin.removeprefix("http://"))  # aborts any foreign request
            page = context.new_page()
            page.goto(origin + path)
            self.ms = _wait_drawn(page, spec, guard)
            answered, plotly = page.evaluate(ARRIVED_JS)
            self.answered, self.plotly = float(answered), float(plotly)
            self.kb = float(page.evaluate(WIRE_JS)) / 1024
            guard.assert_clean()
        finally:
            context.close()


def _wait_drawn(page: Any, spec: Any, guard: Any) -> float:
    from tests.browser.harness import wait_drawn

    try:
        return wait_drawn(page, spec)
    except Exception as err:
        problems = "; ".join(guard.problems()) or "no console error"
        raise RuntimeError(f"{spec.path} did not draw {spec.charts}: {problems}") from err


def _loads(
    browser: Any, serving: Callable[[], AbstractContextManager], spec: Any, reps: int
) -> list[_Load]:
    with serving() as served:
        try:
            return [_Load(browser, served.origin, spec.path, spec) for _ in range(reps)]
        except RuntimeError as err:
            raise RuntimeError(f"{err}\n--- server log ---\n{served.tail()}") from err


def _median(values: list[float]) -> float:
    return round(float(statistics.median(values)), 1)


FLOOR_NOTES = {
    "stock": "the floor: one bar chart on Dash as shipped (full plotly.js, uncompressed)",
    "lean": "the floor delivered as CareGap delivers (partial plotly.js, compressed)",
}


def _wire(tier: str, scenario: str, loads: list[_Load], budget: float | None = None) -> Result:
    return Result(
        tier=tier,
        group=GROUP,
        scenario=f"{scenario}, on the wire",
        unit="KB",
        samples=[load.kb for load in loads],
        budget=budget,
        budget_kind="max",
        note="transferSize of the page and every resource until drawn (headers included)",
    )


def _floor_results(tier: str, floors: dict[str, list[_Load]]) -> list[Result]:
    out = []
    for variant, loads in floors.items():
        scenario = f"first load, bare Dash page ({variant})"
        samples = [load.ms for load in loads]
        out.append(Result(tier, GROUP, scenario, "ms", samples, note=FLOOR_NOTES[variant]))
        out.append(_wire(tier, scenario, loads))
    return out


def _view_results(tier: str, path: str, loads: list[_Load], floors: dict) -> list[Result]:
    samples = [load.ms for load in loads]
    stock = [load.ms for load in floors["stock"]]
    lean = [load.ms for load in floors["lean"]]
    first = Result(
        tier=tier,
        group=GROUP,
        scenario=f"first load {path}",
        unit="ms",
        samples=samples,
        baseline=stock,
        note=f"navigation start to every chart drawn, fresh browser context per repetition, the "
        f"first against a cold server; baseline: the stock bare Dash page; budget ≤ "
        f"{FLOOR_RATIO}× it (ratio ≥ {1 / FLOOR_RATIO:.2f})",
        extra={
            "min_ratio": round(1 / FLOOR_RATIO, 3),
            "budget_text": f"≤ {FLOOR_RATIO}× the stock bare page",
            "cold_server_ms": round(samples[0], 1),
            "callbacks_answered_ms": _median([load.answered for load in loads]),
            "plotly_js_arrived_ms": _median([load.plotly for load in loads]),
            "times_lean_floor": round(statistics.median(samples) / statistics.median(lean), 2),
        },
    )
    budget = MAP_WIRE_BUDGET_KB if path == "/map" else None
    return [first, _wire(tier, f"first load {path}", loads, budget)]


def _switch_ms(page: Any, path: str) -> float:
    """Click the nav link to `path`; ms until its charts are drawn and Dash is idle."""
    from tests.browser.harness import dash_id, wait_drawn

    started = float(page.evaluate("performance.now()"))
    page.locator(dash_id({"role": "nav", "path": path})).click()
    return wait_drawn(page, _spec(path)) - started


def _changed_js() -> str:
    """performance.now() once the graph's data differs from `before` and Dash is idle; false
    before (the figure reader is inlined: the page's CSP allows no eval)."""
    from tests.browser.harness import FIGURE_JS

    return f"""([id, before]) => {{
        if (document.querySelector('._dash-loading, [data-dash-is-loading="true"]')) return false;
        return ({FIGURE_JS})(id) !== before && performance.now();
    }}"""


def _filter_ms(page: Any, chart: str, value: str) -> float:
    """Set the sex filter to `value`; ms from the option's click until `chart` has changed and
    Dash is idle (opening the drop-down is not timed: it is the person, not the dashboard)."""
    from tests.browser.harness import FIGURE_JS

    before = page.evaluate(FIGURE_JS, chart)
    page.locator(FILTER).click()
    option = page.locator(f'[role="option"]:has(input[value="{value}"])').first
    option.wait_for()
    started = float(page.evaluate("performance.now()"))
    option.click()
    handle = page.wait_for_function(_changed_js(), arg=[chart, before])
    page.keyboard.press("Escape")
    return float(handle.json_value()) - started


def _in_page(browser: Any, origin: str, reps: int) -> Iterator[tuple[str, float]]:
    """(scenario, ms) of every switch and filter change, `reps` rounds in one warm page."""
    from tests.browser.harness import TIMEOUT_MS, Guard, wait_idle

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        guard = Guard(context, origin.removeprefix("http://"))
        page = context.new_page()
        page.goto(origin + "/?lang=en")
        _wait_drawn(page, _spec("/"), guard)
        wait_idle(page, guard)
        changes = 0
        for _ in range(reps):
            for path in SWITCHES:
                yield "view switch by nav link (/ → /map → /groups → /)", _switch_ms(page, path)
                wait_idle(page, guard)
            for path, chart in FILTER_CHARTS.items():
                if path != "/":
                    _switch_ms(page, path)
                    wait_idle(page, guard)
                # the filter is kept across views: each change sets the other value
                value = FILTER_VALUES[changes % len(FILTER_VALUES)]
                changes += 1
                yield f"filter change (sex) on {path}", _filter_ms(page, chart, value)
                wait_idle(page, guard)
            _switch_ms(page, "/")
            wait_idle(page, guard)
        guard.assert_clean()
    finally:
        context.close()


def _interaction_results(tier: str, timed: list[tuple[str, float]]) -> list[Result]:
    by_name: dict[str, list[float]] = {}
    for name, ms in timed:
        by_name.setdefault(name, []).append(ms)
    return [
        Result(
            tier=tier,
            group=GROUP,
            scenario=name,
            unit="ms",
            samples=samples,
            budget=SWITCH_BUDGET_MS.get(tier),
            budget_kind="median",
            note="from the click until every chart of the view is drawn (again) and Dash is idle",
        )
        for name, samples in by_name.items()
    ]


def run(db: Path, tier: str, reps: int) -> list[Result]:
    """The floors, `reps` cold loads of each view in VIEWS (each against its own fresh server),
    then `reps` rounds of switches and filter changes in one page."""
    _serve.check_store(db)
    _serve.harness_importable()
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import browser_problem, launch

    problem = browser_problem()
    if problem:
        raise SystemExit(f"browser scenarios cannot run: {problem}")
    reps = max(reps, 1)
    out: list[Result] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            floors = {
                variant: _loads(
                    browser, lambda v=variant: _serve.serve_bare(v, WORKERS), _bare_spec(), reps
                )
                for variant in ("stock", "lean")
            }
            out += _floor_results(tier, floors)
            for path in VIEWS:
                loads = _loads(browser, lambda: _serve.serve(db, WORKERS), _spec(path), reps)
                out += _view_results(tier, path, loads, floors)
            with _serve.serve(db, WORKERS) as served:
                out += _interaction_results(tier, list(_in_page(browser, served.origin, reps)))
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--tier", default="?")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    found = run(args.db, args.tier, args.reps)
    _serve.write_json(found, args.json)
    _serve.show(found)


if __name__ == "__main__":
    main()
