"""Screenshots of every view in both languages, to look at (not a test: pytest does not collect it).

    python tests/browser/screenshots.py --db /tmp/cg/caregap.duckdb --out /tmp/cg-shots

Builds a small demo store at --db if there is none, serves it on a free port, and writes
<view>-<lang>-<width>.png (full page) for every registered view at 1440×1000 and 1280×800, plus
the map drilled into a district, the overview with its settings open and the briefing presenting.
Prints each view's load time and anything the browser complained about.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

VIEWPORTS = ((1440, 1000), (1280, 800))


def _slug(path: str) -> str:
    return path.strip("/") or "overview"


def shoot(db: Path, out: Path) -> int:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    pages = [p for p in harness.SPECS if p in harness.registered_pages()]
    districts = sorted(r for r, row in harness.regions(db).items() if row["level"] == "district")
    shots: list[tuple[str, str, str]] = [
        (path, f"?lang={lang}", f"{_slug(path)}-{lang}") for path in pages for lang in harness.LANGS
    ]
    if "/map" in pages and districts:
        shots += [
            ("/map", f"?lang={lang}&district={districts[0]}", f"map-district-{lang}")
            for lang in harness.LANGS
        ]
    problems = 0
    with (
        tempfile.TemporaryDirectory() as work,
        harness.demo_server(Path(work), db=db) as server,
        sync_playwright() as playwright,
    ):
        browser = harness.launch(playwright)
        for width, height in VIEWPORTS:
            for path, query, name in shots:
                context = browser.new_context(viewport={"width": width, "height": height})
                guard = harness.Guard(context, server.host)
                page = context.new_page()
                page.goto(server.origin + path + query)
                ms = harness.wait_drawn(page, harness.SPECS[path])
                harness.wait_idle(page, guard)
                page.wait_for_timeout(300)  # let transitions finish
                file = out / f"{name}-{width}.png"
                page.screenshot(path=str(file), full_page=True)
                print(f"{file.name:<32} {ms:6.0f} ms")
                if path == "/" and width == VIEWPORTS[0][0]:
                    page.locator("#settings-toggle").click()
                    page.wait_for_timeout(600)
                    page.screenshot(path=str(out / f"{name}-settings-{width}.png"))
                if path == "/briefing":  # presenting: F, as a presenter would
                    page.keyboard.press("f")
                    page.wait_for_timeout(600)
                    page.screenshot(path=str(out / f"{name}-present-{width}.png"))
                for problem in guard.problems():
                    problems += 1
                    print(f"    {problem.splitlines()[0][:300]}")
                context.close()
        browser.close()
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="store (a demo is built if absent)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cg-shots"))
    args = parser.parse_args()
    problem = harness.browser_problem()
    if problem:
        print(f"cannot take screenshots: {problem} (apt-get install chromium)", file=sys.stderr)
        return 2
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        harness.build_demo(args.db)
    return shoot(args.db, args.out)


if __name__ == "__main__":
    sys.exit(main())
