"""Screenshots as tests: every view, the map drilled into a district, and every briefing slide
presented full screen, at 1024×768, 1280×720 and 1920×1080 in both languages, fail when a
chart's plot area is narrower than half its card, a tick or category label overlaps another or
is cut by the chart's edge, a text is cut off by its box or the page is wider than the window
(harness.LAYOUT_JS). Slides are laid out on one 1920 × 1080 canvas scaled as a whole, so each
must also read from the back of a room at every size: chart ≥ 60% of the slide's width, type ≥
24 canvas px. `tests/browser/screenshots.py` takes the same pictures to look at."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import (
    COLD_DECK_MS,
    LANGS,
    SPECS,
    TIMEOUT_MS,
    layout_problems,
    require_page,
    wait_drawn,
    wait_idle,
)

SIZES = ((1024, 768), (1280, 720), (1920, 1080))
CANVAS = (1920, 1080)
PINGSHUN = "140425"

#: Every text on the slide canvas with its computed size (canvas px), and the chart's share of
#: the slide's width.
ROOM_JS = """() => {
    const canvas = document.getElementById('briefing-slide');
    const scale = parseFloat(document.getElementById('briefing-stage').dataset.scale);
    const sizes = [];
    for (const el of canvas.querySelectorAll('h2, p, span, text')) {
        if (!el.textContent.trim() || el.closest('.legendtoggle')) { continue; }
        if (!el.getBoundingClientRect().width) { continue; }
        sizes.push([el.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize)]);
    }
    const chart = canvas.querySelector('.cg-canvas-chart').getBoundingClientRect();
    return {scale, sizes, chart: chart.width / canvas.getBoundingClientRect().width};
}"""


def _open(session: Any, path: str, query: str, width: int, height: int) -> tuple[Any, Any]:
    require_page(path)
    page, guard = session.new_page(width, height)
    page.goto(session.url(path, query))
    wait = COLD_DECK_MS if path == "/briefing" else TIMEOUT_MS
    wait_drawn(page, SPECS[path], timeout=wait)
    wait_idle(page, guard, timeout=wait)
    return page, guard


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("path", list(SPECS))
def test_every_view_is_whole_at_every_size(session, path, width, height, lang) -> None:
    page, _guard = _open(session, path, f"?lang={lang}", width, height)
    assert layout_problems(page) == []
    session.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_map_drilled_into_a_district_is_whole(session, width, height, lang) -> None:
    page, _guard = _open(session, "/map", f"?lang={lang}&district={PINGSHUN}", width, height)
    assert layout_problems(page) == []
    session.assert_clean()


def _next_slide(page: Any, guard: Any, number: int) -> None:
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(n) => (document.getElementById('briefing-counter')?.textContent || '')"
        ".trim().startsWith(n + ' /')",
        arg=str(number),
    )
    wait_drawn(page, SPECS["/briefing"])
    wait_idle(page, guard)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_slide_reads_from_the_back_of_the_room(session, width, height, lang) -> None:
    """Done-when of issue 14, item 4, at every size: every label whole, chart ≥ 60% of the
    slide, type ≥ 24 px in the slide's own pixels (the canvas scaled as a whole)."""
    page, guard = _open(session, "/briefing", f"?lang={lang}", width, height)
    page.keyboard.press("f")
    page.wait_for_function(
        "() => document.getElementById('briefing-root').classList.contains('cg-present')"
    )
    total = int(page.locator("#briefing-counter").inner_text().split("/")[1])
    assert total >= 6
    for number in range(1, total + 1):
        if number > 1:
            _next_slide(page, guard, number)
        problems = layout_problems(page, "#briefing-slide")  # (after the charts settle)
        room = page.evaluate(ROOM_JS)
        assert room["scale"] == pytest.approx(min(width / CANVAS[0], height / CANVAS[1]), abs=0.01)
        assert room["chart"] >= 0.6, (number, room["chart"])
        assert [(text, size) for text, size in room["sizes"] if size < 24] == [], number
        assert problems == [], number
    session.assert_clean()


#: Break the overview the ways LAYOUT_JS must see: a tick label moved onto its neighbour, one
#: pushed past the chart's edge, a card's figure squeezed into an ellipsis, a page made wider.
BREAK_JS = """() => {
    const ticks = document.querySelectorAll('#chart-dumbbell .yaxislayer-above .ytick text');
    ticks[1].setAttribute('y', ticks[0].getAttribute('y'));
    ticks[1].setAttribute('transform', ticks[0].getAttribute('transform') || '');
    ticks[2].setAttribute('transform', 'translate(-5000, 0)');
    const figure = document.querySelector('#overview-cards .cg-figure');
    Object.assign(figure.style, {width: '12px', overflow: 'hidden', textOverflow: 'ellipsis',
                                whiteSpace: 'nowrap', display: 'block'});
    document.getElementById('root').appendChild(Object.assign(document.createElement('div'),
        {style: 'width: 3000px; height: 1px'}));
}"""


def test_the_layout_check_sees_what_a_reader_would(session) -> None:
    page, _guard = _open(session, "/", "?lang=en", 1280, 720)
    assert layout_problems(page) == []
    page.evaluate(BREAK_JS)
    problems = "\n".join(layout_problems(page))
    assert "chart-dumbbell: labels" in problems and "overlap" in problems
    assert "is cut by the chart's edge" in problems
    assert "text cut off" in problems
    assert "px wide in a 1280 px window" in problems
    session.assert_clean()
