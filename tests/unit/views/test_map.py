"""The map's view logic on the demo store, without Dash: items, frames, reasons, shapes, and the
stations drawn over the areas."""

from __future__ import annotations

import json
from collections.abc import Iterator

import duckdb
import pandas as pd
import plotly
import plotly.colors
import plotly.graph_objects as go
import pytest

from dashboard import data
from dashboard.figures import theme
from dashboard.figures.choropleth import (
    DOT_DIAMETER,
    HOLLOW_FILL,
    MIN_DIAMETER,
    STATION_DIAMETER,
    STATION_HITS_TRACE,
    TRACES,
    marker_diameters,
)
from dashboard.figures.map_names import LABEL_NAME
from dashboard.views import map as map_view
from dashboard.views import registry
from dashboard.views.state import from_query

PINGSHUN = "140425"


def _size(obj: object) -> int:
    if isinstance(obj, go.Figure):
        obj = obj.to_plotly_json()
    return len(json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder))


def _grids_of(con: duckdb.DuckDBPyConnection, district: str) -> set[str]:
    tree = data.region_tree(con)
    return set(tree[(tree["level"] == "grid") & (tree["district_id"] == district)]["region_id"])


def test_district_payload_stays_small(demo_con: duckdb.DuckDBPyConnection) -> None:
    shapes = data.district_shapes(demo_con)
    assert len(shapes["features"]) == 12
    assert len(json.dumps(shapes, separators=(",", ":"))) <= 150_000
    figure = map_view.map_view(demo_con, from_query("?lang=zh")).figure
    assert _size(figure) <= 150_000


def test_grid_shapes_are_one_districts_only(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    shapes = data.grid_shapes(con, PINGSHUN)
    ids_ = {f["properties"]["region_id"] for f in shapes["features"]}
    assert ids_ == _grids_of(demo_con, PINGSHUN)
    west, south, east, north = shapes["bbox"]
    assert west < east and south < north
    assert data.grid_shapes(con, "no-such-district")["features"] == []
    assert data.grid_shapes(con, data.root_region(con))["features"] == []  # not a district


def test_hidden_figures_are_grey_with_their_reason(demo_con: duckdb.DuckDBPyConnection) -> None:
    state = from_query(f"?lang=en&district={PINGSHUN}&min_n=40")
    values, grey, *_stations = map_view.map_view(demo_con, state).figure.data
    assert len(grey.locations) > 0
    assert all("fewer than" in c[1] for c in grey.customdata)
    assert not set(values.locations) & set(grey.locations)


def test_default_item_is_the_largest_city_gap(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    state = from_query("?lang=en")
    city = data.gap_table(con, "city", state.slice())
    expected = city.loc[city["gap_pp"].idxmax(), "item_code"]
    assert map_view.item_of(con, state) == (expected, "service")
    assert map_view.item_of(con, from_query("?item=health_education")) == (
        "health_education",
        "category",
    )
    frame = map_view.areas_frame(con, from_query("?item=health_education"))
    assert len(frame) == 12 and set(frame["item_code"]) == {"health_education"}


def test_side_panel_shows_the_selected_area_and_its_n(demo_con: duckdb.DuckDBPyConnection) -> None:
    title, n, figure = map_view.side_panel(demo_con, from_query(f"?lang=en&district={PINGSHUN}"))
    assert title == "Selected: Pingshun County"
    assert n.startswith("n = ") and n != "n = 0 respondents"
    assert len(figure.data) == 3  # the dumbbell: lines, need, received
    title, _n, _ = map_view.side_panel(demo_con, from_query("?lang=zh"))
    assert title.startswith("已选：")


def test_downloads_hold_the_figures_behind_the_map(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    state = from_query(f"?district={PINGSHUN}&item=care_injection")
    areas = registry.frame(con, "map_areas", state)
    assert set(areas["region_id"]) == _grids_of(demo_con, PINGSHUN)
    assert set(areas["item_code"]) == {"care_injection"}
    area = registry.frame(con, "map_area", state)
    assert set(area["region_id"]) == {PINGSHUN} and len(area) == 12


# -- stations on the map --------------------------------------------------------------------------

LAYER = "stations_layer=True"
MEASURES = ("gap_pp", "demand_rate", "received_rate", "mix_gap_pp", "provision_per_1000")


def _traces(figure: go.Figure) -> dict[str, object]:
    return dict(zip(TRACES, figure.data, strict=True))


def test_without_the_layer_the_map_draws_no_station(demo_con: duckdb.DuckDBPyConnection) -> None:
    result = map_view.map_view(demo_con, from_query("?lang=en"))
    traces = _traces(result.figure)
    assert result.stations.empty
    assert len(traces["stations"].lon) == 0 and len(traces["station_hits"].lon) == 0
    assert len(traces["outline"].lon) == 0
    assert not result.figure.layout.shapes
    # no station key: the only annotations are the areas' names
    assert all(a.name == LABEL_NAME for a in result.figure.layout.annotations)
    assert "station" not in result.hint.lower()


def test_the_layer_draws_the_stations_of_the_area_shown(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    con = demo_con
    city = map_view.stations_frame(con, from_query(f"?lang=en&{LAYER}"))
    assert set(city["station_id"]) == set(data.stations(con)["station_id"])
    drilled = map_view.stations_frame(con, from_query(f"?lang=en&{LAYER}&district={PINGSHUN}"))
    inside = data.stations(con, PINGSHUN)
    assert set(drilled["station_id"]) == set(inside["station_id"]) and len(inside) > 0
    assert set(inside["district_id"]) == {PINGSHUN}
    result = map_view.map_view(con, from_query(f"?lang=en&{LAYER}"))
    hits = _traces(result.figure)["station_hits"]
    assert sorted(c[0] for c in hits.customdata) == sorted(city["station_id"])
    assert "Click a station" in result.hint


@pytest.mark.parametrize("measure", MEASURES)
def test_each_station_shows_its_catchments_figure_through_the_gate(
    demo_con: duckdb.DuckDBPyConnection, measure: str
) -> None:
    con = demo_con
    state = from_query(f"?lang=en&{LAYER}&measure={measure}&item=care_injection")
    frame = map_view.stations_frame(con, state).set_index("station_id")
    table = data.gap_table(con, "station", state.slice())
    rows = table[table["item_code"] == "care_injection"].set_index("region_id")
    assert set(frame.index) == set(rows.index)
    for sid, row in rows.iterrows():
        got = frame.loc[sid]
        if pd.isna(row[measure]):
            assert pd.isna(got["value"]) and got["note"].startswith("not shown")
        else:
            assert got["value"] == pytest.approx(row[measure])
        assert got["item_deliveries"] == row["provision_count"]
        same_n = (pd.isna(got["n"]) and pd.isna(row["respondents_n"])) or got["n"] == row[
            "respondents_n"
        ]
        assert same_n
    # the circle's area: every delivery of the station in the period, over all services
    totals = table.groupby("region_id")["provision_count"].sum()
    assert frame["deliveries"].to_dict() == pytest.approx(totals.to_dict())


def test_a_category_colours_the_stations_by_the_categorys_figure(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query(f"?lang=en&{LAYER}&item=health_education&measure=demand_rate")
    frame = map_view.stations_frame(demo_con, state).set_index("station_id")
    table = data.gap_table(demo_con, "station", state.slice(), by="category")
    rows = table[table["item_code"] == "health_education"].set_index("region_id")
    assert frame["value"].to_dict() == pytest.approx(rows["demand_rate"].to_dict(), nan_ok=True)


def test_circles_are_sized_by_deliveries_and_coloured_on_the_areas_scale(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query(f"?lang=en&{LAYER}&district={PINGSHUN}")
    result = map_view.map_view(demo_con, state)
    traces = _traces(result.figure)
    stations = result.stations.set_index("station_id")
    diameters = marker_diameters(stations["deliveries"], STATION_DIAMETER["district"])
    big = diameters[diameters > MIN_DIAMETER]
    ratio = (big / big.max()) ** 2
    expected = stations.loc[big.index, "deliveries"] / stations["deliveries"].max()
    assert ratio.to_dict() == pytest.approx(expected.to_dict(), abs=0.01)  # area ∝ deliveries
    assert big.max() == pytest.approx(STATION_DIAMETER["district"])
    values = traces["values"]
    zmin, zmax = values.zmin, values.zmax
    shown = stations["value"].dropna()
    assert zmin <= shown.min() and shown.max() <= zmax  # one scale covers areas and stations
    # each station's fill (drawn at its own diameter) is its value's colour on that scale
    circles = traces["stations"]
    fills = {
        (round(lon, 5), round(lat, 5), size): colour
        for lon, lat, size, colour in zip(
            circles.lon, circles.lat, circles.marker.size, circles.marker.color, strict=True
        )
    }
    for sid, value in shown.items():
        row = stations.loc[sid]
        key = (round(row["lon"], 5), round(row["lat"], 5), round(diameters[sid], 2))
        where = (value - zmin) / (zmax - zmin)
        assert (
            fills[key]
            == plotly.colors.sample_colorscale([list(s) for s in values.colorscale], [where])[0]
        )


def test_stations_whose_figure_is_hidden_are_hollow_and_say_so(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query(f"?lang=en&{LAYER}&age=80%2B&min_n=20")
    result = map_view.map_view(demo_con, state)
    hidden = result.stations[result.stations["value"].isna()]
    assert len(hidden) > 0, "expected some stations whose catchment is too small"
    assert all(note.startswith("not shown — ") for note in hidden["note"])
    traces = _traces(result.figure)
    circles = traces["stations"]
    colours = list(circles.marker.color)
    assert colours.count(HOLLOW_FILL) >= len(hidden)
    text = {c[0]: c for c in traces["station_hits"].customdata}
    for sid in hidden["station_id"]:
        assert text[sid][3].startswith("not shown — ")
        assert text[sid][4] == "n < 20" or int(text[sid][4].split("= ")[1].replace(",", "")) >= 20
    # n on every hover is the gate's: never a count below the floor
    for custom in text.values():
        assert custom[4] == "n < 20" or int(custom[4].split("= ")[1].replace(",", "")) >= 20
    key = " ".join(a.text for a in result.figure.layout.annotations).replace("<br>", " ")
    assert "Hollow: figure not shown" in key  # the key says what a hollow circle means


def test_the_selected_station_is_ringed_with_its_catchment_outlined(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    con = demo_con
    station = str(data.stations(con, PINGSHUN)["station_id"].iloc[0])
    # arriving from /stations with the layer off: only that station, ringed, and its outline
    result = map_view.map_view(con, from_query(f"?lang=zh&station={station}"))
    assert list(result.stations["station_id"]) == [station]
    assert bool(result.stations["selected"].iloc[0])
    traces = _traces(result.figure)
    assert len(traces["outline"].lon) > 10
    assert traces["outline"].mode == "lines" and traces["outline"].hoverinfo == "skip"
    # the halo: the largest circle is dark, a white gap inside it
    sizes, colours = list(traces["stations"].marker.size), list(traces["stations"].marker.color)
    assert colours[sizes.index(max(sizes))] == theme.INK and "#FFFFFF" in colours
    # the outline is the catchment's outer edge (its grids merged): inside the catchment's box
    shapes = data.catchment_shapes(con, station)
    west, south, east, north = shapes["bbox"]
    lons = [v for v in traces["outline"].lon if v is not None]
    lats = [v for v in traces["outline"].lat if v is not None]
    assert west - 1e-3 <= min(lons) and max(lons) <= east + 1e-3
    assert south - 1e-3 <= min(lats) and max(lats) <= north + 1e-3
    rings = 1 + list(traces["outline"].lon).count(None)
    assert rings < len(shapes["features"])  # not every grid's own border
    # with the layer on, every station is drawn and the selected one last (on top)
    layer = map_view.map_view(con, from_query(f"?lang=en&{LAYER}&station={station}"))
    assert len(layer.stations) > 1
    assert _traces(layer.figure)["station_hits"].customdata[-1][0] == station
    # a station outside the district shown is not drawn, nor its outline
    other = next(d for d in data.stations(con)["district_id"].unique() if d != PINGSHUN)
    away = map_view.map_view(con, from_query(f"?lang=en&station={station}&district={other}"))
    assert away.stations.empty and len(_traces(away.figure)["outline"].lon) == 0


def test_a_click_on_a_station_leads_to_its_page_with_the_views_parameters() -> None:
    click = {"points": [{"curveNumber": STATION_HITS_TRACE, "customdata": ["ST-1", "name"]}]}
    assert map_view.clicked_station(click) == "ST-1"
    area = {"points": [{"curveNumber": 0, "location": PINGSHUN}]}
    assert map_view.clicked_station(area) is None
    assert map_view.clicked_station(None) is None
    assert map_view.clicked_station({"points": []}) is None
    state = from_query(f"?lang=en&age=70-79&sex=F&{LAYER}&measure=demand_rate")
    href = map_view.station_href(state, "ST-1")
    path, _, query = href.partition("?")
    assert path == "/stations"
    parsed = from_query(query)
    assert parsed.station == "ST-1"
    assert (parsed.lang, parsed.age, parsed.sex, parsed.measure) == (
        "en",
        "70-79",
        "F",
        "demand_rate",
    )


def test_the_station_layer_keeps_payloads_small(demo_con: duckdb.DuckDBPyConnection) -> None:
    state = from_query(f"?lang=zh&{LAYER}")
    full = map_view.map_view(demo_con, state)
    assert len(full.stations) == len(data.stations(demo_con))
    assert _size(full.figure) <= 200_000
    patch = map_view.map_view(demo_con, state, shown=full.geometry)
    assert patch.figure is None
    assert _size([patch.restyle, patch.relayout]) <= 60_000
    assert "geojson" not in json.dumps(patch.restyle)


# -- a station without coordinates, drawn at its region's centre ----------------------------------


@pytest.fixture(scope="module")
def placed_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """A small demo store whose first station has no coordinates."""
    from dashboard import sql, store
    from dashboard.demo.generate import write_demo_dataset
    from dashboard.ingest.importer import import_dataset

    folder = tmp_path_factory.mktemp("placed")
    write_demo_dataset(folder, respondents=1_500, deliveries=6_000, grids=60, seed=3)
    stations = pd.read_csv(folder / "stations.csv", dtype=str)
    stations.loc[0, ["lon", "lat"]] = None
    stations.to_csv(folder / "stations.csv", index=False)
    db = tmp_path_factory.mktemp("placed-store") / "caregap.duckdb"
    import_dataset(folder, db)
    con = store.open_read_only(db)
    yield sql.scoped(con, "placed")
    con.close()


def test_a_station_without_coordinates_is_marked_at_its_regions_centre(
    placed_con: duckdb.DuckDBPyConnection,
) -> None:
    con = placed_con
    places = data.stations(con)
    placed = places[places["placed_at_region"]]
    assert len(placed) == 1
    sid = str(placed["station_id"].iloc[0])
    result = map_view.map_view(con, from_query(f"?lang=en&{LAYER}"))
    row = result.stations.set_index("station_id").loc[sid]
    assert bool(row["placed"])
    assert (row["lon"], row["lat"]) == pytest.approx(
        data.region_place(con, placed["region_id"].iloc[0])
    )
    traces = _traces(result.figure)
    hover = {c[0]: c for c in traces["station_hits"].customdata}
    assert hover[sid][2] == "<br>placed at its region's centre (no coordinates)"
    assert all(c[2] == "" for k, c in hover.items() if k != sid)
    # the dot: a small dark circle at the station's place, on top of its fill
    circles = traces["stations"]
    at = [
        (size, colour)
        for lon, lat, size, colour in zip(
            circles.lon, circles.lat, circles.marker.size, circles.marker.color, strict=True
        )
        if (lon, lat) == pytest.approx((row["lon"], row["lat"]))
    ]
    assert at[-1][1] == theme.INK and at[-1][0] <= DOT_DIAMETER  # drawn last: on top
    assert any("region's centre" in a.text for a in result.figure.layout.annotations)
    zh = map_view.map_view(con, from_query(f"?lang=zh&{LAYER}"))
    zh_hover = {c[0]: c for c in _traces(zh.figure)["station_hits"].customdata}
    assert "位于所在地区中心（无坐标）" in zh_hover[sid][2]


# -- a map for a room (issue 14) -----------------------------------------------------------------


def test_the_map_names_every_district_in_the_chosen_language(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    for lang in ("en", "zh"):
        figure = map_view.map_view(demo_con, from_query(f"?lang={lang}")).figure
        names = [a.text for a in figure.layout.annotations if a.name == LABEL_NAME]
        expected = map_view.map_frame(
            map_view.areas_frame(demo_con, from_query(f"?lang={lang}")), from_query(f"?lang={lang}")
        )["name"]
        assert len(names) == len(expected) >= 2
        flat = {n.replace("<br>", " ") for n in names}
        assert flat == set(expected)
        assert len(figure.layout.meta["cg_map"]["labels"]) == len(names)


def test_the_names_switch_off_draws_no_name(demo_con: duckdb.DuckDBPyConnection) -> None:
    figure = map_view.map_view(demo_con, from_query("?lang=en"), names=False).figure
    assert not [a for a in figure.layout.annotations if a.name == LABEL_NAME]


def test_a_grid_name_drops_its_districts() -> None:
    assert map_view.short_name("壶关县第1街道第1社区第3网格", "壶关县") == "第1街道第1社区第3网格"
    assert map_view.short_name("Huguan S1-C1 Grid 3", "Huguan County") == "S1-C1 Grid 3"
    assert map_view.short_name("Other Grid 3", "Huguan County") == "Other Grid 3"


def test_the_hover_gives_the_interval_and_reliability_and_unreliable_areas_fade(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query(f"?lang=en&district={PINGSHUN}")
    frame = map_view.map_frame(map_view.areas_frame(demo_con, state), state)
    shown = frame[frame["value"].notna()]
    assert shown["detail"].str.contains("95% CI").all()
    assert shown["detail"].str.contains("Reliability: ").all()
    raw = map_view.areas_frame(demo_con, state)
    flags = [map_view.reliability_of(r, "gap_pp") for _, r in raw.iterrows()]
    unreliable = [f == map_view.UNRELIABLE for f in flags]
    assert list(frame["faded"]) == [
        u and pd.notna(v) for u, v in zip(unreliable, frame["value"], strict=True)
    ]
    assert frame[frame["value"].isna()]["detail"].eq("").all()  # nothing said of a hidden figure


def test_the_bivariate_measure_classes_the_areas_shown(demo_con: duckdb.DuckDBPyConnection) -> None:
    state = from_query("?lang=zh&measure=bivariate")
    raw = map_view.areas_frame(demo_con, state)
    frame = map_view.map_frame(raw, state)
    both = raw["demand_rate"].notna() & raw["provision_per_1000"].notna()
    assert frame["value"].notna().tolist() == both.tolist()
    assert frame.loc[both, "value"].between(0, 8).all()
    assert frame.loc[both, "value_text"].str.contains("需求").all()
    result = map_view.map_view(demo_con, state)
    assert result.figure.data[0].showscale is False
    assert len(result.figure.layout.shapes) == 9  # the legend square


def test_the_default_item_is_never_an_unreliable_city_cell(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en")
    item = map_view.default_item(demo_con, state)
    city = map_view.with_intervals(
        demo_con, data.gap_table(demo_con, "city", state.slice()), "city", state.slice()
    )
    assert city.loc[city["item_code"] == item, "reliability"].iloc[0] != map_view.UNRELIABLE
