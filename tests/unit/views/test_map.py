"""The map's view logic on the demo store, without Dash: items, frames, reasons, shapes."""

from __future__ import annotations

import json

import duckdb
import plotly
import plotly.graph_objects as go

from dashboard import data
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
