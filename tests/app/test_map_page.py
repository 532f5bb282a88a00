"""Map callbacks as plain functions on the shared demo store: districts, drilling, Patch, URL."""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from dash import Patch, dcc, no_update

from dashboard import data
from dashboard.app import ids
from dashboard.app.connection import StoreConnection
from dashboard.app.context import AppContext
from dashboard.app.pages import map_page
from dashboard.ingest.importer import import_dataset
from dashboard.views import map as view
from dashboard.views.state import from_query

PINGSHUN = "140425"
#: What the page's geometry store holds once the city's districts are drawn.
HELD_CITY = {"geometry": map_page.CITY, "has_shapes": True}


def _size(obj: object) -> int:
    if isinstance(obj, go.Figure):
        obj = obj.to_plotly_json()
    return len(json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder))


def _locations(fig: go.Figure) -> list[str]:
    """The areas drawn (the choropleth traces' locations; the station traces have none)."""
    return [loc for trace in fig.data if trace.type == "choroplethmap" for loc in trace.locations]


def _grids_of(app_ctx: AppContext, district: str) -> set[str]:
    tree = data.region_tree(app_ctx.cursor())
    return set(tree[(tree["level"] == "grid") & (tree["district_id"] == district)]["region_id"])


def _find(component: object, wanted: object) -> object | None:
    """The component with id `wanted` in a layout tree."""
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def test_the_city_map_shows_the_twelve_districts(app_ctx: AppContext) -> None:
    result = map_page.update(app_ctx, from_query("?lang=en"))
    assert isinstance(result.figure, go.Figure)
    assert result.geometry == HELD_CITY
    assert len(_locations(result.figure)) == 12
    assert len(result.figure.data[0].geojson["features"]) == 12
    assert "All districts" not in str(result.crumb)  # nothing after the city in the breadcrumb
    assert "disabled" in result.back_class
    con = app_ctx.cursor()
    default = view.default_item(con, from_query("?lang=en"))
    assert data.service_names(con, "en")[default] in result.title  # the largest city gap


def test_drilling_into_a_district_draws_only_its_grids(app_ctx: AppContext) -> None:
    result = map_page.update(app_ctx, from_query(f"?lang=en&district={PINGSHUN}"))
    grids = _grids_of(app_ctx, PINGSHUN)
    assert grids
    assert set(_locations(result.figure)) == grids
    features = {f["properties"]["region_id"] for f in result.figure.data[0].geojson["features"]}
    assert features == grids
    assert result.geometry == {"geometry": f"district:{PINGSHUN}", "has_shapes": True}
    assert "Pingshun County" in str(result.crumb) and "Grids of Pingshun County" in result.title
    assert "disabled" not in result.back_class


def test_a_filter_change_sends_a_patch_without_geometry(app_ctx: AppContext) -> None:
    state = from_query("?lang=en&age=70-79&measure=demand_rate")
    result = map_page.update(app_ctx, state, shown=HELD_CITY)
    assert isinstance(result.figure, Patch)
    payload = json.dumps(result.figure.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "geojson" not in payload and "coordinates" not in payload
    assert len(payload) < 4_000  # a few KB against ~50 KB for the figure with its polygons
    # the patch recolours both traces: the shown areas and the grey ones
    full = map_page.update(app_ctx, state)
    assert _size(full.figure) > 10 * len(payload)


def test_changing_the_geometry_sends_a_whole_figure(app_ctx: AppContext) -> None:
    result = map_page.update(app_ctx, from_query(f"?lang=en&district={PINGSHUN}"), shown=HELD_CITY)
    assert isinstance(result.figure, go.Figure)


def test_the_url_restores_the_drill(app_ctx: AppContext) -> None:
    for query in (f"?district={PINGSHUN}&lang=en", f"?region={PINGSHUN}&lang=en"):
        layout = map_page.layout(app_ctx, from_query(query))
        store = _find(layout, ids.state_store("district"))
        assert isinstance(store, dcc.Store) and store.data == PINGSHUN
    layout = map_page.layout(app_ctx, from_query("?district=nonsense"))
    assert _find(layout, ids.state_store("district")).data is None


def test_clicks_and_the_breadcrumb_move_the_drill(app_ctx: AppContext) -> None:
    click = {"points": [{"location": PINGSHUN}]}
    assert map_page.navigate(app_ctx, map_page.GRAPH, click, None, None) == PINGSHUN
    grid = sorted(_grids_of(app_ctx, PINGSHUN))[0]
    grid_click = {"points": [{"location": grid}]}
    assert map_page.navigate(app_ctx, map_page.GRAPH, grid_click, None, PINGSHUN) == PINGSHUN
    assert map_page.navigate(app_ctx, map_page.BACK, None, None, PINGSHUN) is None
    # choosing an area in the shared filter drills into its district
    assert map_page.navigate(app_ctx, ids.REGION, None, grid, None) == PINGSHUN
    root = data.root_region(app_ctx.cursor())
    assert map_page.navigate(app_ctx, ids.REGION, None, root, PINGSHUN) is None
    assert map_page.navigate(app_ctx, map_page.GRAPH, None, None, None) is no_update


@pytest.mark.parametrize("measure", ["gap_pp", "provision_per_1000", "mix_gap_pp"])
def test_the_table_is_built_only_when_open(app_ctx: AppContext, measure: str) -> None:
    state = from_query(f"?lang=en&measure={measure}")
    is_open, table, label = map_page.table_update(app_ctx, state, 0, HELD_CITY)
    assert (is_open, table, label) == (False, [], "Show as a table")
    is_open, table, label = map_page.table_update(app_ctx, state, 1, HELD_CITY)
    assert is_open and label == "Hide the table"
    assert len(table.children[1].children) == 12
    # no boundaries: the table opens by itself
    no_shapes = {"geometry": map_page.CITY, "has_shapes": False}
    assert map_page.table_update(app_ctx, state, 0, no_shapes)[0] is True


def test_without_boundaries_the_map_says_so_and_shows_the_table(
    tmp_path: Path, small_dataset
) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "plain", 50, respondents=40), db)
    plain = AppContext(StoreConnection(db), "en")
    result = map_page.update(plain, from_query("?lang=en"))
    assert result.geometry == {"geometry": map_page.CITY, "has_shapes": False}
    assert "no boundaries" in json.dumps(result.figure.to_plotly_json()["layout"]["annotations"])
    is_open, table, _ = map_page.table_update(plain, from_query("?lang=en"), 0, result.geometry)
    assert is_open and len(table.children[1].children) == 1  # the one district, D1
    # the next change draws the message again rather than patching a map that is not there
    again = map_page.update(plain, from_query("?lang=en&min_n=5"), shown=result.geometry)
    assert isinstance(again.figure, go.Figure)
