"""`caregap export briefing` through the command line, on a small demo store: both formats in
both languages, files opened and checked; and plain messages when something is missing.

Needs Debian's chromium (and poppler-utils for the PDF pages): without them the tests skip,
except under CI, where .ci/run installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import describe, run_cli

from dashboard.i18n import t

DEMO = ("--respondents", 3000, "--deliveries", 30000, "--grids", 120, "--seed", 7)


def needed(tool: str, package: str) -> str:
    path = shutil.which(tool) or (tool if os.access(tool, os.X_OK) else None)
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{tool} is missing: .ci/run installs {package}", pytrace=False)
    pytest.skip(f"{tool} is missing (apt-get install {package})")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export-contract") / "caregap.duckdb"
    proc = run_cli("demo", *DEMO, "--db", db, timeout=300)
    assert proc.returncode == 0, describe(proc)
    return db


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_briefing_as_powerpoint(demo_store: Path, tmp_path: Path, lang: str) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    needed("/usr/bin/chromium", "chromium")
    out = tmp_path / f"briefing-{lang}.pptx"
    proc = run_cli(
        "export",
        "briefing",
        "--format",
        "pptx",
        "--lang",
        lang,
        "--out",
        out,
        "--db",
        demo_store,
        lang=lang,
        timeout=300,
    )
    assert proc.returncode == 0, describe(proc)
    assert str(out) in proc.stderr
    slides = list(Presentation(str(out)).slides)
    assert len(slides) == 7  # the title slide and the six views of the demo
    # the message counts every page written (it said "6 slides" for a 7-page deck)
    said = t("cli.exported_pages", lang, path=out, pages=7, views=6, seconds=0.0)
    assert said.split("7")[0] + "7" in proc.stderr
    titles = [s.shapes.title.text for s in slides]
    assert titles[0] == (
        "Community care in Changzhi: need and provision"
        if lang == "en"
        else "长治市社区护理：需求与供给"
    )
    for slide in slides[1:]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        charts = [s for s in slide.shapes if s.has_chart]  # bars and dumbbells: native
        assert len(pictures) + len(charts) == 1
        notes = slide.notes_slide.notes_text_frame.text
        assert ("Open this view in CareGap" if lang == "en" else "在 CareGap 中打开此视图") in notes
    text = " ".join(s.text_frame.text for s in slides[3].shapes if s.has_text_frame)
    assert ("AMap" if lang == "en" else "高德地图") in text  # a map slide carries the credit


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_briefing_as_pdf(demo_store: Path, tmp_path: Path, lang: str) -> None:
    needed("/usr/bin/chromium", "chromium")
    pdftoppm = needed("pdftoppm", "poppler-utils")
    out = tmp_path / f"briefing-{lang}.pdf"
    proc = run_cli(
        "export",
        "briefing",
        "--format",
        "pdf",
        "--lang",
        lang,
        "--out",
        out,
        "--db",
        demo_store,
        lang=lang,
        timeout=300,
    )
    assert proc.returncode == 0, describe(proc)
    subprocess.run([pdftoppm, "-r", "20", "-png", str(out), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == 7


def test_without_a_store_the_message_is_plain(tmp_path: Path) -> None:
    proc = run_cli(
        "export", "briefing", "--db", tmp_path / "none.duckdb", "--out", tmp_path / "x.pptx"
    )
    assert proc.returncode == 1
    assert "There is no dataset" in proc.stderr and "Traceback" not in proc.stderr


def test_without_chromium_the_message_is_plain(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the command's environment is this one's (builders.cli_env): point it at no browser
    monkeypatch.setenv("CAREGAP_CHROMIUM", str(tmp_path / "no-chromium"))
    proc = run_cli(
        "export", "briefing", "--db", demo_store, "--out", tmp_path / "x.pdf", "--format", "pdf"
    )
    assert proc.returncode == 1, describe(proc)
    assert "not an executable browser" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.pdf").exists()
