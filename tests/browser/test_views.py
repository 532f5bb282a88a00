"""Every view in both languages, the shared filters, copied links, the language switch and a
download, driven in headless Debian Chromium against a served demo store."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from dashboard.i18n import CATALOGUE, t
from dashboard.views.downloads import column_header

from .harness import (
    COLD_DECK_MS,
    LANGS,
    SPECS,
    TIMEOUT_MS,
    choose,
    dash_id,
    dropdown_text,
    figure,
    require_page,
    same_figure,
    wait_drawn,
    wait_figure_change,
    wait_idle,
)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
#: English labels long enough not to occur by chance in Chinese text or data.
ENGLISH_LABELS = sorted(
    {
        texts["en"]
        for texts in CATALOGUE["ui"].values()
        if texts["en"] != texts["zh"] and len(texts["en"]) >= 8 and "{" not in texts["en"]
    }
)


def untranslated(page, lang: str) -> list[str]:
    """Text in the other language: Chinese on an English page, English labels on a Chinese one.

    Reads all text of the view, charts included (SVG), except the language link.
    """
    text = page.evaluate(
        """() => {
            const root = document.getElementById('root').cloneNode(true);
            root.querySelector('#lang-link')?.remove();
            return root.textContent;
        }"""
    )
    if lang == "en":
        return sorted(set(CJK.findall(text)))
    return [label for label in ENGLISH_LABELS if label in text]


def _respondents(page) -> str:
    """The headline respondent count on the overview (first card)."""
    return page.locator("#overview-cards .cg-figure").first.inner_text().strip()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", list(SPECS))
def test_page_answers_draws_and_speaks_its_language(session, record_timing, path, lang) -> None:
    require_page(path)
    spec = SPECS[path]
    page, guard = session.new_page()
    response = page.goto(session.url(path, f"?lang={lang}"))
    assert response is not None and response.status == 200
    # the briefing builds its whole deck cold on first open (issue 15): a longer wait, not a limit
    timeout = COLD_DECK_MS if path == "/briefing" else TIMEOUT_MS
    record_timing(f"{path} ({lang})", wait_drawn(page, spec, timeout=timeout))
    wait_idle(page, guard, timeout=timeout)

    assert page.locator("#root [lang]").first.get_attribute("lang") == (
        "zh-CN" if lang == "zh" else "en"
    )
    other = "en" if lang == "zh" else "zh"
    for nav_path, nav_spec in SPECS.items():
        key = nav_spec.nav_key
        link = page.locator(dash_id({"role": "nav", "path": nav_path}))
        assert link.inner_text().strip() == t(f"ui.{key}", lang)
        assert t(f"ui.{key}", lang) != t(f"ui.{key}", other)
    active = page.locator(".cg-navbar .nav-link.active")
    assert active.inner_text().strip() == t(f"ui.{spec.nav_key}", lang)
    assert page.locator("#lang-link").inner_text().strip() == t("ui.switch_lang", lang)
    assert page.locator("label[for='filter-sex']").inner_text().strip() == t("ui.sex", lang)
    if spec.tables:
        assert page.locator("#root table tbody tr").count() > 0
    assert untranslated(page, lang) == []
    session.assert_clean()


def test_a_filter_changes_the_figures_the_address_and_survives_a_copied_link(session) -> None:
    spec = SPECS["/"]
    page, guard = session.new_page()
    page.goto(session.url("/", "?lang=en"))
    wait_drawn(page, spec)
    wait_idle(page, guard)
    before_figure, before_n = figure(page, "chart-dumbbell"), _respondents(page)
    assert "sex=" not in page.url

    wait_figure_change(page, "chart-dumbbell", lambda: choose(page, "#filter-sex", "F"))
    wait_idle(page, guard)
    after_figure, after_n = figure(page, "chart-dumbbell"), _respondents(page)
    assert not same_figure(after_figure, before_figure)
    assert after_n != before_n
    assert int(after_n.replace(",", "")) < int(before_n.replace(",", ""))
    assert dropdown_text(page, "#filter-sex") == t("ui.sex_F", "en")
    page.wait_for_function("() => window.location.search.includes('sex=F')")
    copied = page.url
    assert "sex=F" in copied and "lang=en" in copied

    # The copied link, opened afresh, shows the same view.
    fresh, fresh_guard = session.new_page()
    fresh.goto(copied)
    wait_drawn(fresh, spec)
    wait_idle(fresh, fresh_guard)
    assert dropdown_text(fresh, "#filter-sex") == t("ui.sex_F", "en")
    assert _respondents(fresh) == after_n
    assert same_figure(figure(fresh, "chart-dumbbell"), after_figure)
    assert fresh.url == copied

    # The language link keeps the filters.
    page.locator("#lang-link").click()
    page.wait_for_url("**lang=zh**")
    wait_drawn(page, spec)
    wait_idle(page, guard)
    assert "sex=F" in page.url
    assert dropdown_text(page, "#filter-sex") == t("ui.sex_F", "zh")
    assert page.locator(".cg-navbar .nav-link.active").inner_text().strip() == t(
        "ui.nav_overview", "zh"
    )
    assert _respondents(page) == after_n
    session.assert_clean()


def test_a_nav_link_keeps_the_filters(session) -> None:
    require_page("/data")
    page, guard = session.new_page()
    page.goto(session.url("/", "?lang=en&sex=F&age=80%2B"))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    link = page.locator(dash_id({"role": "nav", "path": "/data"}))
    link.click()
    page.wait_for_url("**/data?**")
    wait_drawn(page, SPECS["/data"])
    wait_idle(page, guard)
    assert "sex=F" in page.url and "age=80%2B" in page.url
    assert dropdown_text(page, "#filter-sex") == t("ui.sex_F", "en")
    assert dropdown_text(page, "#filter-age") == "80+"
    session.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_the_csv_download_names_the_filters(session, lang: str) -> None:
    page, guard = session.new_page()
    page.goto(session.url("/", f"?lang={lang}&sex=F"))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    card = page.locator(".card", has=page.locator("#chart-dumbbell"))
    with page.expect_download() as info:
        card.get_by_role("button", name=t("ui.download_csv", lang), exact=True).click()
    download = info.value
    assert download.suggested_filename == "caregap-dumbbell.csv"
    path = Path(session.downloads) / download.suggested_filename
    download.save_as(path)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    labels = {row[0]: row[1] for row in rows[1:8] if len(row) == 2}
    for key in ("region", "period", "age_group", "sex", "threshold", "min_n"):
        assert t(f"ui.{key}", lang) in labels, (key, rows[:9])
    assert labels[t("ui.sex", lang)] == t("ui.sex_F", lang)
    assert labels[t("ui.age_group", lang)] == t("ui.all", lang)
    header = rows[rows.index([]) + 1]
    assert column_header("item_code", lang) in header and column_header("gap_pp", lang) in header
    assert len(rows) > rows.index([]) + 2  # some data below the header
    session.assert_clean()


@pytest.mark.parametrize(
    ("path", "graph", "name"),
    [("/", "chart-dumbbell", "dumbbell"), ("/map", "chart-map", "map_areas")],
)
def test_a_chart_saves_as_png_and_svg_as_drawn(session, path: str, graph: str, name: str) -> None:
    page, guard = session.new_page()
    page.goto(session.url(path, "?lang=zh"))
    wait_drawn(page, SPECS[path])
    wait_idle(page, guard)
    card = page.locator(".card", has=page.locator(f"#{graph}"))
    saved = {}
    for fmt in ("png", "svg"):
        with page.expect_download() as info:
            card.get_by_role("button", name=fmt.upper(), exact=True).click()
        download = info.value
        assert download.suggested_filename == f"caregap-{name}.{fmt}"
        target = Path(session.downloads) / download.suggested_filename
        download.save_as(target)
        saved[fmt] = target.read_bytes()
    assert saved["png"].startswith(b"\x89PNG") and len(saved["png"]) > 10_000
    svg = saved["svg"].decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    if path == "/map":
        assert t("ui.credit", "zh") in svg  # the boundary credit travels with a map picture
    else:
        assert "疾病知识教育" in svg  # Chinese labels stay text in the SVG
    session.assert_clean()
