"""Screenshots of every view and every slide in both languages, to look at (not a test: pytest
does not collect it), and a contact sheet of them.

    python tests/browser/screenshots.py --db /tmp/cg/caregap.duckdb --out /tmp/cg-shots \
        [--sheet docs/screenshots/contact-sheet.png]

Builds a small demo store at --db if there is none, serves it on a free port, and writes
<view>-<lang>-<width>x<height>.png (what the window shows) for every registered view at
1024×768, 1280×720 and 1920×1080, plus the map drilled into a district and every briefing slide
presented full screen. Prints each view's load time, what `harness.LAYOUT_JS` finds broken and
anything the browser complained about; exits 1 if there was any of either.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

SIZES = ((1024, 768), (1280, 720), (1920, 1080))
THUMB_WIDTH = 360


def _slug(path: str) -> str:
    return path.strip("/") or "overview"


def _slides(page: Any, guard: Any, stem: str, out: Path) -> list[tuple[Path, list[str]]]:
    """Present the deck (F) and shoot every slide: [(png, layout problems)]."""
    page.keyboard.press("f")
    page.wait_for_function(
        "() => document.getElementById('briefing-root').classList.contains('cg-present')"
    )
    total = int(page.locator("#briefing-counter").inner_text().split("/")[1])
    shots = []
    for number in range(1, total + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "(n) => (document.getElementById('briefing-counter')?.textContent || '')"
                ".trim().startsWith(n + ' /')",
                arg=str(number),
            )
        harness.wait_drawn(page, harness.SPECS["/briefing"])
        harness.wait_idle(page, guard)
        file = out / f"{stem}-slide{number}.png"
        problems = harness.layout_problems(page, "#briefing-slide")
        page.screenshot(path=str(file))
        shots.append((file, problems))
    return shots


def shoot(db: Path, out: Path) -> tuple[list[tuple[Path, list[str]]], int]:
    """Every shot with its layout problems, and how many browser problems were seen."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    pages = [p for p in harness.SPECS if p in harness.registered_pages()]
    districts = sorted(r for r, row in harness.regions(db).items() if row["level"] == "district")
    views: list[tuple[str, str, str]] = [
        (path, f"?lang={lang}", f"{_slug(path)}-{lang}") for lang in harness.LANGS for path in pages
    ]
    if "/map" in pages and districts:
        views += [
            ("/map", f"?lang={lang}&district={districts[0]}", f"map-district-{lang}")
            for lang in harness.LANGS
        ]
    shots: list[tuple[Path, list[str]]] = []
    seen = 0
    with (
        tempfile.TemporaryDirectory() as work,
        harness.demo_server(Path(work), db=db) as server,
        sync_playwright() as playwright,
    ):
        browser = harness.launch(playwright)
        for width, height in SIZES:
            for path, query, name in views:
                context = browser.new_context(viewport={"width": width, "height": height})
                guard = harness.Guard(context, server.host)
                page = context.new_page()
                page.goto(server.origin + path + query)
                cold = harness.COLD_DECK_MS if path == "/briefing" else harness.TIMEOUT_MS
                ms = harness.wait_drawn(page, harness.SPECS[path], timeout=cold)
                harness.wait_idle(page, guard, timeout=cold)
                stem = f"{name}-{width}x{height}"
                problems = harness.layout_problems(page)
                page.screenshot(path=str(out / f"{stem}.png"))
                shots.append((out / f"{stem}.png", problems))
                print(f"{stem:<36} {ms:6.0f} ms")
                if path == "/briefing":
                    shots += _slides(page, guard, stem, out)
                for problem in guard.problems():
                    seen += 1
                    print(f"    browser: {problem.splitlines()[0][:300]}")
                context.close()
        browser.close()
    return shots, seen


def contact_sheet(shots: list[Path], sheet: Path, columns: int = 6) -> None:
    """Thumbnails of `shots` in a grid, each captioned with its file name."""
    from PIL import Image, ImageDraw

    thumbs = []
    for file in shots:
        with Image.open(file) as image:
            height = round(image.height * THUMB_WIDTH / image.width)
            thumbs.append((file.stem, image.convert("RGB").resize((THUMB_WIDTH, height))))
    cell_h = max(t.height for _, t in thumbs) + 22
    rows = -(-len(thumbs) // columns)
    canvas = Image.new("RGB", (columns * (THUMB_WIDTH + 8), rows * cell_h), "white")
    draw = ImageDraw.Draw(canvas)
    for i, (caption, thumb) in enumerate(thumbs):
        x, y = (i % columns) * (THUMB_WIDTH + 8), (i // columns) * cell_h
        draw.text((x + 2, y + 2), caption, fill="black")
        canvas.paste(thumb, (x, y + 20))
    sheet.parent.mkdir(parents=True, exist_ok=True)
    canvas.quantize(256).save(sheet, optimize=True)  # a palette: a quarter of the bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="store (a demo is built if absent)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cg-shots"))
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet of every shot here")
    args = parser.parse_args()
    problem = harness.browser_problem()
    if problem:
        print(f"cannot take screenshots: {problem} (apt-get install chromium)", file=sys.stderr)
        return 2
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        harness.build_demo(args.db)
    shots, seen = shoot(args.db, args.out)
    broken = [(file, problems) for file, problems in shots if problems]
    for file, problems in broken:
        print(f"{file.name}:\n    " + "\n    ".join(problems))
    if args.sheet:
        contact_sheet([file for file, _ in shots], args.sheet)
        print(f"contact sheet: {args.sheet} ({len(shots)} shots)")
    return 1 if broken or seen else 0


if __name__ == "__main__":
    sys.exit(main())
