"""/stations as a station manager uses it, in headless Debian Chromium: find the station by
typing part of its name, read its months, mix, targets and people served, cut the period, and
download the months — at 1024×768, 1280×720 and 1920×1080 in both languages, with no console
error, no request leaving the server and no clipped text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from dashboard.i18n import t
from dashboard.views.downloads import column_header

from .harness import (
    PageSpec,
    dash_id,
    figure,
    layout_problems,
    map_point,
    wait_drawn,
    wait_idle,
)

SIZES = ((1024, 768), (1280, 720), (1920, 1080))
PICKED = PageSpec(
    "/stations",
    "nav_stations",
    charts=("chart-station_months", "chart-station_mix", "chart-station_targets"),
    tables=True,
)
STATION = dash_id({"role": "state", "key": "station"})


@pytest.fixture(scope="module")
def station(server) -> dict[str, str]:
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        row = con.execute(
            "SELECT station_id, name, name_en FROM stations ORDER BY station_id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return {"id": row[0], "zh": row[1], "en": row[2]}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_station_page_draws_every_chart_unclipped(session, station, lang, width, height):
    page, guard = session.new_page(width, height)
    page.goto(session.url("/stations", f"?lang={lang}&station={station['id']}"))
    wait_drawn(page, PICKED)
    wait_idle(page, guard)
    assert station[lang] in page.locator("#root").inner_text()
    assert page.locator("#stations-cards .cg-figure").count() == 5
    assert page.locator("#stations-ranking tbody tr").count() > 1
    assert layout_problems(page) == []
    session.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_manager_finds_the_station_by_typing_part_of_its_name(session, station, lang):
    page, guard = session.new_page(1280, 720)
    page.goto(session.url("/stations", f"?lang={lang}"))
    wait_drawn(page, PageSpec("/stations", "nav_stations", tables=True))
    assert t("stations.none_picked", lang)[:12] in page.locator("#stations-prompt").inner_text()
    page.locator(STATION).click()
    typed = station[lang][-12:] if lang == "zh" else station["en"].split(" Health")[0]
    page.keyboard.type(typed)
    page.locator('[role="option"]', has_text=station[lang]).first.click()
    wait_drawn(page, PICKED)
    wait_idle(page, guard)
    assert f"station={station['id']}" in page.url
    assert page.locator("#stations-picked").is_visible()
    session.assert_clean()


def test_cutting_the_period_redraws_the_months_and_the_download_follows(session, station):
    page, guard = session.new_page(1280, 720)
    page.goto(session.url("/stations", f"?lang=en&station={station['id']}"))
    wait_drawn(page, PICKED)
    wait_idle(page, guard)
    months = len(figure(page, "chart-station_months")[0][2])
    page.goto(
        session.url(
            "/stations", f"?lang=en&station={station['id']}&start=2009-04-01&end=2009-06-30"
        )
    )
    wait_drawn(page, PICKED)
    wait_idle(page, guard)
    assert figure(page, "chart-station_months")[0][2] == ["2009-04", "2009-05", "2009-06"]
    assert months > 3
    with page.expect_download() as download:
        page.locator(dash_id({"role": "download", "chart": "station_months", "fmt": "csv"})).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    lang = next(x for x in ("en", "zh") if column_header("provision_count", x) in text)
    header = next(i for i, r in enumerate(rows) if column_header("provision_count", lang) in r)
    month = rows[header].index(column_header("month", lang))
    assert {r[month][:7] for r in rows[header + 1 :]} == {"2009-04", "2009-05", "2009-06"}
    session.assert_clean()


def test_a_click_on_a_station_on_the_map_opens_its_page(session, station, server) -> None:
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        lon, lat = con.execute(
            "SELECT lon, lat FROM stations WHERE station_id = ?", [station["id"]]
        ).fetchone()
    finally:
        con.close()
    page, guard = session.new_page(1280, 900)
    page.goto(session.url("/map", "?lang=en&stations_layer=True"))
    wait_drawn(page, PageSpec("/map", "nav_map", charts=("chart-map",)))
    wait_idle(page, guard)
    x, y = map_point(page, "chart-map", lon, lat)
    page.mouse.click(x, y)
    page.wait_for_url("**/stations?**")
    assert f"station={station['id']}" in page.url and "lang=en" in page.url
    wait_drawn(page, PICKED)
    assert station["en"] in page.locator("#root").inner_text()
    session.assert_clean()
