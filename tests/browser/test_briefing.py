"""The briefing (/briefing) in headless Debian Chromium: the keyboard moves through the slides,
F presents full screen and Esc leaves it, then goes back to the view the person came from; the
type is large and high in contrast; a view added from the map appears as a slide and stays
after a reload. The session's guard fails a test on any console error or request leaving the
server. (The generic checks of every view — nav, language, filters — are in test_views.py.)"""

from __future__ import annotations

import re
from typing import Any

import pytest

from dashboard.i18n import t

from .harness import COLD_DECK_MS, LANGS, SPECS, dash_id, require_page, wait_drawn, wait_idle

SPEC = SPECS["/briefing"]
PINGSHUN = "140425"

#: Computed styles of the slide's text, and what is drawn at the slide's top-left corner.
STYLE_JS = """(ids) => Object.fromEntries(ids.map((id) => {
    const style = getComputedStyle(document.getElementById(id));
    return [id, {size: parseFloat(style.fontSize), color: style.color}];
}))"""
BACKGROUND_JS = (
    """() => getComputedStyle(document.getElementById('briefing-slide')).backgroundColor"""
)


def _text(page: Any, id_: str) -> str:
    return page.locator(f"#{id_}").inner_text().strip()


def wait_text(page: Any, id_: str, text: str) -> None:
    page.wait_for_function(
        "([id, text]) => document.getElementById(id)?.textContent.trim() === text", arg=[id_, text]
    )


def open_briefing(session: Any, query: str) -> tuple[Any, Any]:
    page, guard = session.new_page()
    response = page.goto(session.url("/briefing", query))
    assert response is not None and response.status == 200
    wait_drawn(page, SPEC, timeout=COLD_DECK_MS)
    wait_idle(page, guard, timeout=COLD_DECK_MS)
    return page, guard


def press(page: Any, guard: Any, key: str, counter: str) -> str:
    """Press `key`, wait for the counter to say `counter` and the chart to be drawn; the title."""
    page.keyboard.press(key)
    wait_text(page, "briefing-counter", counter)
    wait_drawn(page, SPEC)
    wait_idle(page, guard)
    return _text(page, "briefing-title")


def luminance(css: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def presenting(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => document.getElementById('briefing-root').classList.contains('cg-present')"
        )
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_keyboard_moves_through_the_slides_presents_and_leaves(session, lang: str) -> None:
    require_page("/briefing")
    page, guard = open_briefing(session, f"?lang={lang}")
    assert _text(page, "briefing-counter") == "1 / 6"
    titles = [_text(page, "briefing-title")]

    titles.append(press(page, guard, "ArrowRight", "2 / 6"))
    titles.append(press(page, guard, " ", "3 / 6"))
    assert len(set(titles)) == 3, titles
    assert press(page, guard, "ArrowLeft", "2 / 6") == titles[1]
    last = press(page, guard, "End", "6 / 6")
    assert press(page, guard, "ArrowRight", "6 / 6") == last  # stays on the last slide
    assert press(page, guard, "Home", "1 / 6") == titles[0]
    assert page.locator("#briefing-next").is_enabled()
    assert page.locator("#briefing-prev").is_disabled()

    # large type, high contrast
    styles = page.evaluate(
        STYLE_JS, ["briefing-title", "briefing-finding", "briefing-n", "briefing-source"]
    )
    background = page.evaluate(BACKGROUND_JS)
    assert styles["briefing-finding"]["size"] >= 28
    assert styles["briefing-n"]["size"] >= 28
    assert styles["briefing-title"]["size"] > styles["briefing-finding"]["size"]
    for id_, style in styles.items():
        assert contrast(style["color"], background) >= 4.5, (id_, style, background)
    assert contrast(styles["briefing-finding"]["color"], background) >= 7

    # F presents: the stage covers the whole window, the app's chrome is out of sight, and the
    # 16:9 slide is as large as the window allows
    page.keyboard.press("f")
    page.wait_for_function(
        "() => document.getElementById('briefing-root').classList.contains('cg-present')"
    )
    stage = page.locator("#briefing-stage").bounding_box()
    viewport = page.viewport_size
    assert stage is not None and viewport is not None
    assert stage["x"] == 0 and stage["y"] == 0
    assert stage["width"] >= viewport["width"] - 1 and stage["height"] >= viewport["height"] - 1
    page.wait_for_timeout(300)  # the canvas is scaled on the next frame
    box = page.locator("#briefing-slide").bounding_box()
    assert box is not None
    assert box["width"] >= viewport["width"] - 2 or box["height"] >= viewport["height"] - 2
    assert page.evaluate("() => !!document.elementFromPoint(20, 20).closest('#briefing-stage')"), (
        "the navigation bar still shows while presenting"
    )
    assert press(page, guard, "ArrowRight", "2 / 6") == titles[1]  # keys work while presenting
    assert press(page, guard, " ", "3 / 6") == titles[2]

    # Esc leaves full screen (and presenting); a second Esc goes back to a view
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => !document.getElementById('briefing-root').classList.contains('cg-present')"
        " && !document.fullscreenElement"
    )
    assert page.url.partition("?")[0].endswith("/briefing")
    page.wait_for_timeout(500)  # an Esc right after leaving full screen is not a second one
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/\?lang=" + lang))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    assert page.locator(".cg-navbar .nav-link.active").inner_text().strip() == t(
        "ui.nav_overview", lang
    )
    session.assert_clean()


def test_a_view_added_from_the_map_becomes_a_slide_and_stays(session, region_rows) -> None:
    require_page("/briefing")
    require_page("/map")
    lang = "en"
    page, guard = session.new_page()
    page.goto(session.url("/map", f"?lang={lang}&sex=F&district={PINGSHUN}"))
    wait_drawn(page, SPECS["/map"])
    wait_idle(page, guard)
    page.locator("#add-to-briefing").click()
    wait_text(page, "add-to-briefing-status", t("ui.added_to_briefing", lang, n=7))

    page.locator(dash_id({"role": "nav", "path": "/briefing"})).click()
    page.wait_for_url("**/briefing?**")
    wait_drawn(page, SPEC)
    wait_idle(page, guard)
    items = page.locator("#briefing-list > li")
    assert items.count() == 7
    district = region_rows[PINGSHUN]["name_en"]
    assert district in items.nth(6).inner_text()
    assert _text(page, "briefing-note") == t("ui.brief_custom_note", lang)
    title = press(page, guard, "End", "7 / 7")
    assert district in title
    assert "women" in _text(page, "briefing-filters")  # the view's own filters

    # kept in the browser: a reload shows the same seven slides
    page.reload()
    wait_drawn(page, SPEC)
    wait_idle(page, guard)
    assert page.locator("#briefing-list > li").count() == 7

    # removing a slide, then leaving: back to the map it came from, filters and all
    page.locator(dash_id({"role": "brief-remove", "i": 0})).click()
    page.wait_for_function("() => document.querySelectorAll('#briefing-list > li').length === 6")
    wait_text(page, "briefing-counter", "1 / 6")
    wait_idle(page, guard)
    page.locator("body").click(position={"x": 5, "y": 5})  # focus off the list's buttons
    page.keyboard.press("Escape")
    page.wait_for_url("**/map?**")
    assert f"district={PINGSHUN}" in page.url and "sex=F" in page.url
    wait_drawn(page, SPECS["/map"])
    wait_idle(page, guard)
    session.assert_clean()
