"""The map (/map): a click on a district shows only that district's grids, and the address of that
view, opened afresh, shows the same; the station layer turns on from its switch, and a click on a
station leads to /stations for it. Skipped while the page is not registered."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from shapely.geometry import shape

from .harness import (
    SPECS,
    dash_id,
    map_point,
    registered_pages,
    require_page,
    wait_drawn,
    wait_idle,
)

GRAPH = "chart-map"

#: Per choropleth trace of the map: its locations, GeoJSON and feature id key.
TRACES_JS = """(id) => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    return plot.data.filter((t) => String(t.type).startsWith('choropleth')).map((t) => ({
        locations: Array.from(t.locations || []),
        geojson: typeof t.geojson === 'string' ? (window.PlotlyGeoAssets || {})[t.geojson]
            : t.geojson,
        key: t.featureidkey || 'id',
    }));
}"""


def hover_at(page, x: float, y: float) -> str:
    """Move the mouse to (x, y) on the map and read the tooltip it opens."""
    page.mouse.move(x, y)
    page.wait_for_function(
        "(id) => !!document.querySelector('#' + id + ' .hoverlayer .hovertext')", arg=GRAPH
    )
    return page.locator(f"#{GRAPH} .hoverlayer").text_content() or ""


def _feature_id(feature: dict, key: str) -> object:
    value: Any = feature
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def areas(page) -> dict[str, Any]:
    """region_id -> shapely geometry of every area drawn on the map."""
    shapes: dict[str, Any] = {}
    for trace in page.evaluate(TRACES_JS, GRAPH):
        features = {
            _feature_id(f, trace["key"]): f for f in (trace["geojson"] or {}).get("features", [])
        }
        for location in trace["locations"]:
            assert location in features, f"{location} has no polygon in the map's GeoJSON"
            shapes[location] = shape(features[location]["geometry"])
    return shapes


def district_of(region: str, rows: dict[str, dict[str, Any]]) -> str | None:
    while region in rows:
        if rows[region]["level"] == "district":
            return region
        region = rows[region]["parent_id"]
    return None


def _name(row: dict[str, Any], lang: str) -> str:
    return row["name_en"] if lang == "en" and row["name_en"] else row["name"]


def open_map(session, query: str) -> tuple[Any, Any, float]:
    page, guard = session.new_page()
    response = page.goto(session.url("/map", query))
    assert response is not None and response.status == 200
    ms = wait_drawn(page, SPECS["/map"])
    page.wait_for_function(
        "(id) => !!document.getElementById(id)?.querySelector('.js-plotly-plot')?._fullLayout"
        "?.map?._subplot?.map?.loaded()",
        arg=GRAPH,
    )
    wait_idle(page, guard)
    return page, guard, ms


def assert_grids_of(district: str, shown: dict[str, Any], rows, city: dict[str, Any]) -> None:
    """Only the grids of `district` are drawn: several, each smaller than the district."""
    assert len(shown) >= 2, f"expected the grids of {district}, got {sorted(shown)}"
    for region, geometry in shown.items():
        assert rows[region]["level"] == "grid", (region, rows[region])
        assert district_of(region, rows) == district, (region, district)
        assert geometry.area < city[district].area
    assert sum(g.area for g in shown.values()) <= city[district].area * 1.05


def test_a_click_on_a_district_shows_its_grids_and_its_address_reopens_them(
    session, region_rows
) -> None:
    require_page("/map")
    page, guard, _ms = open_map(session, "?lang=en")
    city = areas(page)
    assert city and all(region_rows[r]["level"] == "district" for r in city), sorted(city)
    assert "district=" not in page.url

    target = max(city, key=lambda r: city[r].area)
    inside = city[target].representative_point()
    x, y = map_point(page, GRAPH, inside.x, inside.y)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_function(
        """([id, before]) => {
            const plot = document.getElementById(id).querySelector('.js-plotly-plot');
            const shown = plot.data.flatMap((t) => Array.from(t.locations || []));
            return shown.length > 0 && !shown.some((r) => before.includes(r));
        }""",
        arg=[GRAPH, list(city)],
    )
    wait_idle(page, guard)
    drilled = areas(page)
    assert_grids_of(target, drilled, region_rows, city)
    name = _name(region_rows[target], "en")
    assert name in page.locator("#map-crumb").inner_text()
    page.wait_for_function("(id) => window.location.search.includes('district=' + id)", arg=target)
    copied = page.url

    fresh, _fresh_guard, _ = open_map(session, copied.partition("/map")[2])
    assert set(areas(fresh)) == set(drilled)
    assert name in fresh.locator("#map-crumb").inner_text()

    # The breadcrumb leads back to all districts.
    page.locator("#map-back").click()
    page.wait_for_function(
        """([id, before]) => {
            const plot = document.getElementById(id).querySelector('.js-plotly-plot');
            const shown = plot.data.flatMap((t) => Array.from(t.locations || []));
            return shown.length > 0 && !shown.some((r) => before.includes(r));
        }""",
        arg=[GRAPH, list(drilled)],
    )
    wait_idle(page, guard)
    assert set(areas(page)) == set(city)
    assert "district=" not in page.url
    session.assert_clean()


def test_a_district_address_opens_its_grids(session, region_rows) -> None:
    """Opened directly in Chinese (the click test above runs in English)."""
    require_page("/map")
    lang = "zh"
    page, _guard, _ms = open_map(session, f"?lang={lang}")
    city = areas(page)
    target = sorted(city)[0]
    page, _guard, _ms = open_map(session, f"?lang={lang}&district={target}")
    assert_grids_of(target, areas(page), region_rows, city)
    assert _name(region_rows[target], lang) in page.locator("#map-crumb").inner_text()
    session.assert_clean()


# -- stations on the map -------------------------------------------------------------------------

#: Records every address the page pushes into its history (a click that leads elsewhere), so the
#: test sees where a click led even when the shell then shows another view at that address.
PUSHED_JS = """(() => {
    window.__cgPushed = [];
    const push = window.history.pushState.bind(window.history);
    window.history.pushState = (state, title, url) => {
        window.__cgPushed.push(String(url));
        return push(state, title, url);
    };
})()"""

#: The stations' hit targets on the map (trace STATION_HITS_TRACE): lon, lat and station id.
STATIONS_JS = """([id, trace]) => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    const hits = plot.data[trace];
    if (!hits || !hits.customdata) return [];
    const lon = Array.from(hits.lon || []), lat = Array.from(hits.lat || []);
    return hits.customdata.map((c, i) => [lon[i], lat[i], c[0]]);
}"""


def _loneliest(stations: list[list[Any]]) -> list[Any]:
    """The station farthest from any other (its circle is not under another's)."""

    def gap(s: list[Any]) -> float:
        return min((s[0] - o[0]) ** 2 + (s[1] - o[1]) ** 2 for o in stations if o[2] != s[2])

    return max(stations, key=gap)


def test_the_station_layer_turns_on_and_a_click_on_a_station_opens_its_page(session) -> None:
    require_page("/map")
    from dashboard.figures.choropleth import STATION_HITS_TRACE

    page, guard = session.new_page(width=1280, height=900)
    page.context.add_init_script(PUSHED_JS)
    response = page.goto(session.url("/map", "?lang=en&sex=F"))
    assert response is not None and response.status == 200
    wait_drawn(page, SPECS["/map"])
    wait_idle(page, guard)
    assert page.evaluate(STATIONS_JS, [GRAPH, STATION_HITS_TRACE]) == []
    switch = page.locator(dash_id({"role": "state", "key": "stations_layer"}))
    switch.check()
    page.wait_for_function(
        "([id, trace]) => (document.getElementById(id).querySelector('.js-plotly-plot')"
        ".data[trace].customdata || []).length > 0",
        arg=[GRAPH, STATION_HITS_TRACE],
    )
    page.wait_for_function("() => window.location.search.includes('stations_layer=True')")
    page.wait_for_function(
        "(id) => !!document.getElementById(id)?.querySelector('.js-plotly-plot')?._fullLayout"
        "?.map?._subplot?.map?.loaded()",
        arg=GRAPH,
    )
    wait_idle(page, guard)
    stations = page.evaluate(STATIONS_JS, [GRAPH, STATION_HITS_TRACE])
    assert len(stations) >= 10
    lon, lat, station = _loneliest(stations)
    page.locator(f"#{GRAPH}").scroll_into_view_if_needed()
    x, y = map_point(page, GRAPH, lon, lat)
    assert "Deliveries, all services" in hover_at(page, x, y)
    page.mouse.click(x, y)
    page.wait_for_function(
        "() => window.__cgPushed.some((u) => u.startsWith('/stations?'))", timeout=10_000
    )
    pushed = [u for u in page.evaluate("window.__cgPushed") if u.startswith("/stations?")]
    target = urlsplit(pushed[-1])
    query = parse_qs(target.query)
    assert target.path == "/stations"
    assert query["station"] == [station]
    assert query["lang"] == ["en"] and query["sex"] == ["F"]  # the view's other parameters
    assert query["stations_layer"] == ["True"]
    wait_idle(page, guard)
    if "/stations" in registered_pages():  # the page is there: the address stays on it
        assert urlsplit(page.url).path == "/stations"
        assert parse_qs(urlsplit(page.url).query)["station"] == [station]
    session.assert_clean()


# -- a map for a room (issue 14) -----------------------------------------------------------------

#: The names drawn on the map: text, whether shown, and where (page px) vs where the map projects
#: their anchors; and the map's canvas box.
NAMES_JS = """(id) => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    const sub = plot._fullLayout.map._subplot;
    const canvas = sub.map.getCanvas().getBoundingClientRect();
    const anchors = plot.layout.meta.cg_map.labels;
    const notes = plot.layout.annotations.filter((a) => a.name === 'cg-place');
    return {
        canvas: [canvas.left, canvas.top, canvas.width, canvas.height],
        names: notes.map((a, i) => {
            const p = sub.map.project(anchors[i]);
            return {text: a.text, visible: a.visible, anchor: [p.x, p.y],
                    at: [a.x * plot._fullLayout._size.w, (1 - a.y) * plot._fullLayout._size.h]};
        }),
    };
}"""


def test_the_map_names_its_districts_offline_and_fills_its_card_at_1280x720(
    session, region_rows
) -> None:
    require_page("/map")
    page, guard = session.new_page(width=1280, height=720)
    page.goto(session.url("/map", "?lang=en"))
    wait_drawn(page, SPECS["/map"])
    page.wait_for_function(
        "(id) => !!document.getElementById(id)?.querySelector('.js-plotly-plot')?._fullLayout"
        "?.map?._subplot?.map?.loaded()",
        arg=GRAPH,
    )
    wait_idle(page, guard)
    page.wait_for_timeout(500)  # the fit and the names' placing run after the draw
    drawn = page.evaluate(NAMES_JS, GRAPH)
    shown = [n for n in drawn["names"] if n["visible"]]
    districts = {_name(r, "en") for r in region_rows.values() if r["level"] == "district"}
    texts = {n["text"].replace("<br>", " ") for n in shown}
    assert len(shown) >= len(districts) * 0.75, texts  # most names fit without overlapping
    assert texts <= districts
    for name in shown:  # each near the point the map projects its anchor to
        dx = abs(name["at"][0] - name["anchor"][0])
        dy = abs(name["at"][1] - name["anchor"][1])
        assert dx < 80 and dy < 40, name
    _left, top, _width, height = drawn["canvas"]
    assert top + height / 2 < 720, "most of the map is below the fold"
    assert height >= 360
    session.assert_clean()  # no glyph (or any other) request left the machine


def test_back_after_a_drill_returns_to_the_city_map_and_the_area_follows(
    session, region_rows
) -> None:
    require_page("/map")
    page, guard, _ms = open_map(session, "?lang=en")
    city = areas(page)
    target = max(city, key=lambda r: city[r].area)
    inside = city[target].representative_point()
    page.locator(f"#{GRAPH}").scroll_into_view_if_needed()
    x, y = map_point(page, GRAPH, inside.x, inside.y)
    assert "95% CI" in hover_at(page, x, y)
    page.mouse.click(x, y)
    page.wait_for_function("(id) => window.location.search.includes('district=' + id)", arg=target)
    wait_idle(page, guard)
    assert _name(region_rows[target], "en") in page.locator("#filter-region").inner_text()
    page.go_back()
    page.wait_for_function("() => !window.location.search.includes('district=')")
    page.wait_for_function(
        """([id, before]) => {
            const plot = document.getElementById(id).querySelector('.js-plotly-plot');
            const shown = plot.data.flatMap((t) => Array.from(t.locations || []));
            return before.every((r) => shown.includes(r));
        }""",
        arg=[GRAPH, list(city)],
    )
    wait_idle(page, guard)
    assert "/map" in page.url
    assert page.locator("#map-crumb").inner_text().strip() == ""
    session.assert_clean()


#: The map's drawing order (Maplibre layers) and the station circles' paint.
LAYERS_JS = """(id) => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    const map = plot._fullLayout.map._subplot.map;
    return map.getStyle().layers.map((l) => [l.id, l.type]);
}"""


def test_station_circles_stay_above_the_areas_after_the_layer_is_toggled(session) -> None:
    require_page("/map")
    from dashboard.figures.choropleth import STATIONS_TRACE

    page, guard, _ms = open_map(session, "?lang=en&stations_layer=True")
    fresh = page.evaluate(
        "([id, i]) => document.getElementById(id).querySelector('.js-plotly-plot')"
        "._fullData[i].marker.color",
        [GRAPH, STATIONS_TRACE],
    )
    switch = page.locator(dash_id({"role": "state", "key": "stations_layer"}))
    for _ in range(2):
        switch.click()
        page.wait_for_timeout(300)
        wait_idle(page, guard)
    page.wait_for_function(
        "([id, trace]) => (document.getElementById(id).querySelector('.js-plotly-plot')"
        ".data[trace].lon || []).length > 0",
        arg=[GRAPH, STATIONS_TRACE],
    )
    plot = "document.getElementById(id).querySelector('.js-plotly-plot')"
    after = page.evaluate(f"([id, i]) => {plot}._fullData[i].marker.color", [GRAPH, STATIONS_TRACE])
    opacity = page.evaluate(
        f"([id, i]) => {plot}._fullData[i].marker.opacity", [GRAPH, STATIONS_TRACE]
    )
    assert after == fresh and opacity == 1
    layers = page.evaluate(LAYERS_JS, GRAPH)
    fills = [i for i, (_, kind) in enumerate(layers) if kind == "fill"]
    circles = [i for i, (_, kind) in enumerate(layers) if kind == "circle"]
    stations_layer = circles[-2]  # the circles, then the invisible hit targets
    assert max(fills[:2]) < stations_layer  # both area traces are drawn below the circles
    session.assert_clean()
