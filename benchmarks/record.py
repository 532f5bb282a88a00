"""The record of a run: ``benchmarks/results/<tier>.json`` and the generated part of BENCHMARKS.md.

Each tier's JSON keeps its machine and command, so BENCHMARKS.md can show tiers measured in
different runs side by side; only the text between the two markers is rewritten, so notes
written by hand around it stay.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from benchmarks.results import Result, from_dict, verdict
from benchmarks.tiers import TIERS, Tier
from dashboard.config import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
MARKDOWN = REPO_ROOT / "BENCHMARKS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
PACKAGES = ("duckdb", "pandas", "numpy", "pyarrow", "dash", "plotly")

HEADER = f"""# Benchmarks

CareGap timed at the scale tiers of DESIGN.md (issue #5): every view's callbacks as the server
runs them, `caregap report gaps` at each level, and the import, each beside a baseline: the
straightforward implementation a data analyst would write, pandas group-bys over the raw tables
on every request (`benchmarks/baseline.py`, checked to give the product's figures). Benchmarks are
not tests: nothing here fails the test suite.

    make bench                       # tiers S and M
    make bench TIERS=S,M,L           # L: 100M deliveries, many GB and a long run
    .venv/bin/python -m benchmarks --tiers S --reps 3 [--reimport] [--skip-server]

Dataset files and stores are cached in `var/bench/` and reused while the generator, the import
code and the store schema are unchanged (`--reimport` forces a new import). Each tier's wall time
is given above its table; on the 2-core machine below, with cached files and stores, S takes
about 5 min and M about 15 min (`--reps 5`), most of it the server, browser and load suites and,
at M, the baseline; `--skip-server` leaves those suites out. At L, generating the files took
about 7 min here and importing them about 9 min, and the pandas baseline takes tens of seconds
per callback (over an hour in all): the L table below was made with `--baseline-reps 0`, which
leaves the baseline out (`make bench TIERS=L BENCH_ARGS="--reps 3 --baseline-reps 0"`, about
30 min with the import).

How to read the tables. *callback*: server time in ms of one Dash callback, called in process
as the server calls it and serialised to JSON, with every answer cache emptied before each call
("cold": the whole-dataset tables the import stores, such as the disclosure pattern, are read
again, not recomputed); *callback, warm cache* is the same call repeated at once (a page
callback's answer is then kept, `dashboard/app/answers.py`: mostly its serialisation). A callback's
baseline is the same callback with the pandas functions as its data layer (same figures, same
JSON; intervals left out, in the baseline's favour). *report*: wall time of the command in a
fresh process, beside the pandas table computed in memory. The ratio is the baseline's median
over the product's. *browser* (`benchmarks/browser.py`): headless Chromium: each view's first
load beside a bare Dash page loaded the same way in the same run (its baseline; the ratio is the
floor's median over the view's), the bytes it took on the wire, and view switches and filter
changes in one page until every chart is drawn. *load* (`benchmarks/load.py`): Locust users
replaying recorded interactions. Issue 15's budgets: every callback's p95 ≤ 150 ms cold and
≤ 50 ms warm; `report gaps --level grid` ≤ 3 s; a view switch or a filter change ≤ 300 ms
median (M) and ≤ 500 ms (L); a first load ≤ 1.2× the stock bare Dash page; `/map` ≤ 1 MB on the
wire; 20 users p95 ≤ 300 ms per interaction and no error; the import ≤ 10 min and ≤ 8 GB. They
bind at tier L (the switches also at M); at S they are shown for reference. The machine's load
average is given with each tier: other work skews timings.

## Results

{START}
{END}

## History

Notes written by hand: what changed between runs and why.
"""


def machine_info(argv: list[str]) -> dict[str, object]:
    """Where and how the numbers were taken."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": round(_ram_bytes() / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        **{name: _version(name) for name in PACKAGES},
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "command": " ".join(["python -m benchmarks", *argv]),
        "load_average": load_average(),
    }


def load_average() -> list[float]:
    """The 1/5/15-minute load: other work on the machine skews timings, so it is recorded."""
    return [round(x, 1) for x in os.getloadavg()]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "?"


# -- JSON -----------------------------------------------------------------------------------------


def write_results(
    tier: Tier,
    results: list[Result],
    info: dict[str, object],
    results_dir: Path = RESULTS_DIR,
) -> Path:
    """Write one tier's run: its sizes, the machine, the results, anything skipped."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{tier.name}.json"
    record = {
        "tier": tier.name,
        "sizes": {
            "respondents": tier.respondents,
            "deliveries": tier.deliveries,
            "grids": tier.grids,
        },
        **info,
        "results": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_results(results_dir: Path = RESULTS_DIR) -> list[dict[str, object]]:
    """Every tier's record, in tier order (S, M, L, then others by name); the folder also holds
    other suites' records (access.json) and Locust's CSV files, which are not tiers."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("*.json")]
    records = [r for r in records if "tier" in r]
    order = list(TIERS)
    return sorted(
        records, key=lambda r: (order.index(r["tier"]) if r["tier"] in order else 99, r["tier"])
    )


# -- Markdown -------------------------------------------------------------------------------------


def number(value: float | None) -> str:
    """Three significant figures or so; a dash for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _budget(r: Result) -> str:
    if isinstance(r.extra.get("budget_text"), str):
        return str(r.extra["budget_text"])
    parts = []
    if r.budget is not None:
        parts.append(f"{r.budget_kind} ≤ {number(r.budget)} {r.unit}")
    min_ratio = r.extra.get("min_ratio")
    if isinstance(min_ratio, int | float):
        parts.append(f"≥ {min_ratio:g}×")
    return ", ".join(parts)


def _met(r: Result) -> str:
    ok = verdict(r)
    return "" if ok is None else "yes" if ok else "**no**"


def row(r: Result) -> str:
    cells = [
        r.group,
        r.scenario.replace("|", "\\|"),
        str(len(r.samples)),
        number(r.median),
        number(r.p95),
        r.unit,
        number(float(np.median(r.baseline))) if r.baseline else "",
        f"{r.ratio:.1f}×" if r.ratio is not None else "",
        _budget(r),
        _met(r),
    ]
    return "| " + " | ".join(cells) + " |"


TABLE_HEAD = (
    "| group | scenario | reps | median | p95 | unit | baseline median | ratio | budget | met |\n"
    "|---|---|---:|---:|---:|---|---:|---:|---|---|"
)


def _one_line(message: str, limit: int = 300) -> str:
    """A message as one line of Markdown (records written by older runs may hold tracebacks)."""
    first = (message.strip().splitlines() or [""])[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


def tier_section(record: dict[str, object]) -> str:
    """One tier: what was run where, how long it took, the budgets' tally, the table."""
    results = [from_dict(r) for r in record["results"]]  # type: ignore[union-attr]
    sizes = record["sizes"]
    verdicts = [v for v in map(verdict, results) if v is not None]
    minutes = float(record.get("seconds", 0)) / 60  # type: ignore[arg-type]
    lines = [
        f"### Tier {record['tier']}: {sizes['respondents']:,} respondents, "  # type: ignore[index]
        f"{sizes['deliveries']:,} deliveries, {sizes['grids']:,} grids",  # type: ignore[index]
        "",
        f"Run {record['date']} on {record['cpu']} ({record['cores']} cores, "
        f"{record['ram_gb']} GB RAM), Python {record['python']}, DuckDB {record['duckdb']}, "
        f"pandas {record['pandas']}; commit {record['commit']}"
        f"{' with uncommitted changes' if record.get('dirty') else ''}; "
        f"`{record['command']}`; the tier took {minutes:.1f} min; load average at its end "
        f"{' / '.join(map(str, record.get('load_average', [])))} (1/5/15 min).",
        "",
        f"Budgets met (they bind at tier L): {sum(verdicts)} of {len(verdicts)}.",
        "",
    ]
    for message in record.get("failed", []):  # type: ignore[union-attr]
        lines += [f"**Failed** (the product raised): {_one_line(message)}", ""]
    for message in record.get("skipped", []):  # type: ignore[union-attr]
        lines += [f"Not measured: {_one_line(message)}", ""]
    lines += [TABLE_HEAD, *map(row, results), ""]
    return "\n".join(lines)


def render(results_dir: Path = RESULTS_DIR, markdown: Path = MARKDOWN) -> Path:
    """Rewrite the generated part of BENCHMARKS.md (creating the file with its header)."""
    text = markdown.read_text(encoding="utf-8") if markdown.exists() else HEADER
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n## Results\n\n{START}\n{END}\n"
    sections = [tier_section(r) for r in read_results(results_dir)]
    body = "\n".join(sections) if sections else "No results yet.\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    markdown.write_text(f"{head}{START}\n\n{body}\n{END}{tail}", encoding="utf-8")
    return markdown
