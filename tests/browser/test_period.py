"""The survey-period notice in headless Chromium: a delivery period that misses most of the
survey's "last 12 months" is named in one line, and its button aligns the period in one click
(the date inputs, the address bar and the monthly trend follow; the line goes)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from dashboard import data, store
from dashboard.i18n import t
from dashboard.views import period

from .harness import SPECS, figure, wait_drawn, wait_idle

START = "#filter-period.dash-datepicker-start-date"
END = "input.dash-datepicker-end-date"
NOTICE = "#filter-period-notice"
ALIGN = "#filter-align-period"


@pytest.fixture(scope="module")
def window(server) -> tuple[str, str]:
    """The survey's window in the served store's records (read-only, beside the server)."""
    con = store.open_read_only(server.db)
    try:
        aligned = period.aligned(con)
        first, _last = data.survey_period(con)
    finally:
        con.close()
    assert aligned is not None and aligned[0] == period.months_back(first, 12)
    return aligned[0].isoformat(), aligned[1].isoformat()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_align_button_sets_the_period_to_the_surveys_window(session, window, lang) -> None:
    page, guard = session.new_page(1280, 900)
    page.goto(session.url("/", f"?lang={lang}&start=2008-01-01&end=2008-03-31"))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    notice = page.locator(NOTICE)
    assert notice.is_visible()
    text = notice.inner_text().replace("\u2011", "-").replace("\u00a0", " ")
    assert "2008-01-01 – 2008-03-31" in text
    assert t("ui.align_period", lang) in text
    assert page.locator(START).input_value() == "2008-01-01"
    assert page.locator(END).input_value() == "2008-03-31"
    before = figure(page, "chart-trend")
    assert len(before[0][2]) == 3  # three months drawn

    page.locator(ALIGN).click()
    page.wait_for_function(
        "([s, e]) => window.location.search.includes('start=' + s)"
        " && window.location.search.includes('end=' + e)",
        arg=list(window),
    )
    wait_idle(page, guard)
    assert page.locator(START).input_value() == window[0]
    assert page.locator(END).input_value() == window[1]
    assert f"start={window[0]}" in page.url and f"end={window[1]}" in page.url
    assert f"lang={lang}" in page.url
    page.wait_for_selector(NOTICE, state="hidden")
    assert not notice.is_visible()
    months = figure(page, "chart-trend")[0][2]
    first, last = (dt.date.fromisoformat(d) for d in window)
    assert months[0] == f"{first:%Y-%m}" and months[-1] == f"{last:%Y-%m}"

    # the aligned link, opened afresh, shows no notice
    fresh, fresh_guard = session.new_page(1280, 900)
    fresh.goto(page.url)
    wait_drawn(fresh, SPECS["/"])
    wait_idle(fresh, fresh_guard)
    assert not fresh.locator(NOTICE).is_visible()
    session.assert_clean()


def test_views_without_delivery_figures_show_no_notice(session) -> None:
    page, guard = session.new_page()
    page.goto(session.url("/groups", "?lang=en&start=2008-01-01&end=2008-03-31"))
    wait_drawn(page, SPECS["/groups"])
    wait_idle(page, guard)
    assert not page.locator(NOTICE).is_visible()
    session.assert_clean()


# -- issue 14 (nav): presets are one click, a filter change is a step Back undoes


def test_a_preset_sets_the_period_and_back_undoes_it(session, window) -> None:
    page, guard = session.new_page(1280, 720)
    page.goto(session.url("/", "?lang=en"))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    opened = page.evaluate("location.search")
    page.locator(".cg-presets-toggle").click()
    page.locator(".cg-presets .dropdown-item", has_text=t("ui.preset_survey", "en")).click()
    page.wait_for_function("(s) => location.search.includes('start=' + s)", arg=window[0])
    wait_idle(page, guard)
    assert page.locator(START).input_value() == window[0]
    assert page.locator(END).input_value() == window[1]

    page.go_back()
    page.wait_for_function("(s) => !location.search.includes('start=' + s)", arg=window[0])
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    assert page.evaluate("location.search") == opened
    assert page.locator(START).input_value() != window[0]
    assert urlsplit(page.url).path == "/"
    session.assert_clean()


def test_an_unknown_path_answers_404_with_links_in_the_asked_language(session) -> None:
    page, _guard = session.new_page(1024, 768)
    response = page.goto(session.url("/stationz", "?lang=zh"))
    assert response.status == 404
    assert page.locator("h1").inner_text() == t("ui.not_found_title", "zh")
    assert page.locator("a[href='/map?lang=zh']").count() == 1
    # the browser logs the 404 of the page itself, and nothing else
    problems = _guard.problems()
    assert all("404" in p for p in problems), problems
    _guard.reported = len(problems)
