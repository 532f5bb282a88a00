"""Map callbacks as plain functions on the shared demo store: districts, drilling, Patch, URL;
the station layer's switch and a click on a station, also posted as the browser posts them."""

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
from dashboard.app.filters import FILTER_INPUTS
from dashboard.app.pages import map_page
from dashboard.figures.choropleth import STATION_HITS_TRACE
from dashboard.ingest.importer import import_dataset
from dashboard.views import map as view
from dashboard.views.state import from_query
from tests.conftest import post_callback

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
    # a few KB (colours, hover text, and the names with their anchors) against ~50 KB for the
    # figure with its polygons
    assert len(payload) < 12_000
    # the patch recolours both traces: the shown areas and the grey ones
    full = map_page.update(app_ctx, state)
    assert _size(full.figure) > 4 * len(payload)


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


# -- stations on the map --------------------------------------------------------------------------


def _station_trace(fig: go.Figure) -> object:
    return fig.data[STATION_HITS_TRACE]


def test_the_switch_opens_with_the_url_and_draws_the_stations(app_ctx: AppContext) -> None:
    layout = map_page.layout(app_ctx, from_query("?lang=en&stations_layer=True"))
    switch = _find(layout, map_page.LAYER)
    assert switch is not None and switch.value is True and switch.label == "Show stations"
    assert _find(map_page.layout(app_ctx, from_query("?lang=zh")), map_page.LAYER).value is False
    off = map_page.update(app_ctx, from_query("?lang=en"))
    assert len(_station_trace(off.figure).lon) == 0
    on = map_page.update(app_ctx, from_query("?lang=en&stations_layer=True"))
    stations = set(data.stations(app_ctx.cursor())["station_id"])
    assert {c[0] for c in _station_trace(on.figure).customdata} == stations
    assert "Click a station to open it." in str(on.caption)


def test_switching_the_layer_on_patches_in_the_stations_and_their_key(app_ctx: AppContext) -> None:
    result = map_page.update(app_ctx, from_query("?lang=en&stations_layer=True"), shown=HELD_CITY)
    assert isinstance(result.figure, Patch)
    payload = json.dumps(result.figure.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "geojson" not in payload and "coordinates" not in payload
    assert len(payload) < 80_000
    operations = result.figure.to_plotly_json()["operations"]
    locations = {tuple(op["location"]) for op in operations}
    assert ("data", STATION_HITS_TRACE, "customdata") in locations
    assert ("layout", "shapes") in locations and ("layout", "annotations") in locations
    # and off again: the station traces emptied, the key removed
    off = map_page.update(app_ctx, from_query("?lang=en"), shown=HELD_CITY)
    emptied = {
        tuple(op["location"]): op["params"]["value"]
        for op in off.figure.to_plotly_json()["operations"]
    }
    assert emptied[("data", STATION_HITS_TRACE, "customdata")] == []
    assert emptied[("layout", "shapes")] == []


def test_a_click_on_a_station_opens_its_page_keeping_the_parameters(app_ctx: AppContext) -> None:
    station = sorted(data.stations(app_ctx.cursor())["station_id"])[0]
    click = {
        "points": [
            {"curveNumber": STATION_HITS_TRACE, "pointNumber": 3, "customdata": [station, "x"]}
        ]
    }
    query = "/map?lang=en&age=70-79&measure=demand_rate&stations_layer=True"
    target = map_page.station_target(app_ctx, map_page.GRAPH, click, query, None)
    path, _, search = target.partition("?")
    assert path == "/stations"
    state = from_query(search)
    assert (state.station, state.lang, state.age, state.measure) == (
        station,
        "en",
        "70-79",
        "demand_rate",
    )
    assert state.stations_layer is True
    # the opening URL stands in while the current state is not known yet
    fallback = map_page.station_target(app_ctx, map_page.GRAPH, click, None, "?lang=zh&sex=F")
    assert from_query(fallback.partition("?")[2]).sex == "F"
    # a click on an area is not a station's
    area = {"points": [{"curveNumber": 0, "location": PINGSHUN}]}
    assert map_page.station_target(app_ctx, map_page.GRAPH, area, query, None) is None
    assert map_page.navigate(app_ctx, map_page.GRAPH, area, None, None) == PINGSHUN


# -- the callbacks as the browser posts them ------------------------------------------------------


@pytest.fixture(scope="module")
def dash_client(demo_db: Path):
    from dashboard.app.factory import create_app

    app = create_app(demo_db, "en")
    client = app.server.test_client()
    client.dash_app = app
    return client


def _prop(component: object, prop: str, value: object) -> dict[str, object]:
    return {"id": component, "property": prop, "value": value}


def _post(client, wanted: str, inputs: list, state: list, changed: str) -> dict:
    """Post the callback whose outputs include `wanted` ('id.property'), as the browser does."""
    response = post_callback(client, client.dash_app.callback_map, wanted, inputs, state, changed)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def _refresh(client, layer: bool, held: dict | None) -> dict:
    layer_id = json.dumps(map_page.LAYER, separators=(",", ":"), sort_keys=True)
    slice_inputs = [_prop(i, p, None) for i, p in FILTER_INPUTS if i != ids.REGION]
    return _post(
        client,
        f"{map_page.GRAPH}.figure",
        [
            *slice_inputs,
            _prop(map_page.MEASURE, "value", "gap_pp"),
            _prop(map_page.ITEM, "value", None),
            _prop(map_page.DISTRICT, "data", None),
            _prop(map_page.LAYER, "value", layer),
            _prop(map_page.NAMES, "value", True),
        ],
        [_prop(map_page.GEOMETRY, "data", held), _prop(ids.URL, "search", "?lang=en")],
        f"{layer_id}.value",
    )


def test_the_switch_callback_draws_the_station_trace(dash_client) -> None:
    whole = _refresh(dash_client, True, None)[map_page.GRAPH]["figure"]
    hits = whole["data"][STATION_HITS_TRACE]
    assert hits["type"] == "scattermap" and len(hits["customdata"]) > 0
    assert whole["layout"]["shapes"], "the stations' key"
    patched = _refresh(dash_client, True, HELD_CITY)[map_page.GRAPH]["figure"]
    assert "operations" in patched  # a Patch: the polygons stay in the browser
    assert "geojson" not in json.dumps(patched)


def test_the_click_callback_sends_the_browser_to_the_stations_page(dash_client) -> None:
    station = "ST-140425-S01-C01"
    click = {"points": [{"curveNumber": STATION_HITS_TRACE, "customdata": [station, "x"]}]}
    answer = _post(
        dash_client,
        f"{map_page.GO}.href",
        [
            _prop(map_page.GRAPH, "clickData", click),
            _prop(map_page.BACK, "n_clicks", 0),
            _prop(ids.REGION, "value", None),
            _prop(ids.URL, "search", "?lang=en"),
        ],
        [
            _prop(map_page.DISTRICT, "data", None),
            _prop(ids.QUERY, "data", "/map?lang=en&sex=F&stations_layer=True"),
        ],
        f"{map_page.GRAPH}.clickData",
    )
    href = answer[map_page.GO]["href"]
    path, _, search = href.partition("?")
    assert path == "/stations"
    assert from_query(search).station == station and from_query(search).sex == "F"
    district_key = json.dumps(map_page.DISTRICT, separators=(",", ":"), sort_keys=True)
    assert district_key not in answer  # the drill is left as it was
    # a click on a district still drills into it, and goes nowhere
    area = {"points": [{"curveNumber": 0, "location": PINGSHUN}]}
    answer = _post(
        dash_client,
        f"{map_page.GO}.href",
        [
            _prop(map_page.GRAPH, "clickData", area),
            _prop(map_page.BACK, "n_clicks", 0),
            _prop(ids.REGION, "value", None),
            _prop(ids.URL, "search", "?lang=en"),
        ],
        [
            _prop(map_page.DISTRICT, "data", None),
            _prop(ids.QUERY, "data", "/map?lang=en"),
        ],
        f"{map_page.GRAPH}.clickData",
    )
    assert map_page.GO not in answer
    assert answer[district_key]["data"] == PINGSHUN


# -- a map for a room (issue 14) -----------------------------------------------------------------


def test_the_area_filter_follows_the_drill(app_ctx: AppContext) -> None:
    root = data.root_region(app_ctx.cursor())
    assert map_page.area_following(app_ctx, PINGSHUN, root) == PINGSHUN
    assert map_page.area_following(app_ctx, PINGSHUN, PINGSHUN) is no_update
    assert map_page.area_following(app_ctx, None, PINGSHUN) == root
    assert map_page.area_following(app_ctx, None, root) is no_update


def test_the_caption_says_what_fading_means_when_an_area_is_faded(app_ctx: AppContext) -> None:
    drilled = map_page.update(app_ctx, from_query(f"?lang=en&district={PINGSHUN}"))
    faded = bool(view_of(app_ctx, f"?lang=en&district={PINGSHUN}").frame["faded"].any())
    assert ("Faded: the estimate is unreliable" in str(drilled.caption)) == faded
    bivariate = map_page.update(app_ctx, from_query("?lang=en&measure=bivariate"))
    assert "third of the areas on this map" in str(bivariate.caption)


def view_of(app_ctx: AppContext, query: str):
    from dashboard.views import map as map_view

    return map_view.map_view(app_ctx.cursor(), from_query(query))


def test_a_whole_map_figure_leaves_its_height_to_the_card(app_ctx: AppContext) -> None:
    result = map_page.update(app_ctx, from_query("?lang=en"))
    assert result.figure.layout.height is None and result.figure.layout.autosize
