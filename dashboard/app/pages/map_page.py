"""Map (/map): one measure for one service or category, by district; click a district for its grids.

The map is drawn from the dataset's own simplified polygons (no tile server). The figure with the
polygons is sent only when the geometry changes (the city's districts, or one district's grids);
a change of filter, measure or item sends a `dash.Patch` with the new colours and hover text. The
drilled district is a URL parameter (`district`), so a copied link reopens the same map. Beside
the map, the selected area (the district drilled into, or the city) shows need beside receipt for
every service, with its n.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import duckdb
import pandas as pd
from dash import Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import data
from dashboard.app import ids
from dashboard.app.components.download import download_buttons
from dashboard.app.context import AppContext
from dashboard.app.shell import FILTER_INPUTS, FILTER_KEYS
from dashboard.app.state import MEASURES, ViewState, from_query
from dashboard.cache import per_dataset
from dashboard.figures.choropleth import MAP_HEIGHT, MapLabels, choropleth_map, choropleth_parts
from dashboard.figures.choropleth import format_value as _format_value
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.theme import SUPPRESSED, empty_figure
from dashboard.i18n import category_name, figure_labels, t
from dashboard.i18n.numbers import count

PATH = "/map"
MEASURE = ids.state("measure")
ITEM = ids.state("item")
DISTRICT = ids.state_store("district")
GRAPH = ids.chart("map")
SIDE_GRAPH = ids.chart("map_area")
GEOMETRY = "map-geometry"  # which polygons the map figure holds: "city" or "district:<id>"
BACK = "map-back"
CRUMB = "map-crumb"
TITLE = "map-title"
CAPTION = "map-caption"
TABLE = "map-table"
TABLE_OPEN = "map-table-open"
TABLE_TOGGLE = "map-table-toggle"
SIDE_TITLE = "map-side-title"
SIDE_N = "map-side-n"
CITY = "city"
BACK_CLASS = "btn btn-link p-0 align-baseline"
#: The shared filters the map's figures depend on (the area filter only moves the drill).
SLICE_KEYS = tuple(
    k for (i, _), k in zip(FILTER_INPUTS, FILTER_KEYS, strict=True) if i != ids.REGION
)


# -- state ----------------------------------------------------------------------------------------


def _name(name: object, name_en: object, lang: str) -> str:
    """A name from the data in the chosen language, falling back to the other."""
    return str(name_en if lang == "en" and isinstance(name_en, str) and name_en else name)


def _regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return data.region_tree(con).set_index("region_id", drop=False)


def district_of(con: duckdb.DuckDBPyConnection, region: str | None) -> str | None:
    """The district a region lies in (itself for a district); None for the city or unknown ids."""
    tree = _regions(con)
    if not region or region not in tree.index:
        return None
    row = tree.loc[region]
    return row["district_id"] if isinstance(row["district_id"], str) else None


def drilled(con: duckdb.DuckDBPyConnection, state: ViewState) -> str | None:
    """The district the map shows the grids of: `state.district` if it is a district, else None."""
    tree = _regions(con)
    if state.district in tree.index and tree.loc[state.district, "level"] == "district":
        return state.district
    return None


def _items(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    return data.categories(con), list(data.service_names(con, "zh"))


def item_of(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[str, str]:
    """(item, "service" | "category"): the chosen one, or the service with the largest city gap."""
    categories, services = _items(con)
    if state.item in services:
        return state.item, "service"
    if state.item in categories:
        return state.item, "category"
    return default_item(con, state), "service"


def default_item(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    """The service with the largest gap in the whole dataset for the slice (the first if none)."""
    return _largest_city_gap(con, state.slice())


@per_dataset(256)
def _largest_city_gap(con: duckdb.DuckDBPyConnection, slice_: data.Slice) -> str:
    # the city-wide query behind it is the slowest step of a map update
    city = data.gap_table(con, "city", slice_)
    gaps = city.dropna(subset=["gap_pp"])
    best = gaps.loc[gaps["gap_pp"].idxmax()] if len(gaps) else city.iloc[0]
    return str(best["item_code"])


def _item_name(con: duckdb.DuckDBPyConnection, item: str, by: str, lang: str) -> str:
    return category_name(item, lang) if by == "category" else data.service_names(con, lang)[item]


# -- data behind each chart (also what its download contains) -------------------------------------


def areas_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Every measure of the chosen item for the areas on the map (districts, or one's grids)."""
    district = drilled(con, state)
    item, by = item_of(con, state)
    level, within = ("grid", district) if district else ("district", None)
    frame = data.gap_table(con, level, state.slice(), within=within, by=by)
    return frame[frame["item_code"] == item].reset_index(drop=True)


def area_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Every service for the selected area: the district drilled into, or the whole dataset."""
    district = drilled(con, state)
    if district:
        return data.gap_table(con, "district", state.slice(), within=district)
    return data.gap_table(con, "city", state.slice())


# -- rendering ------------------------------------------------------------------------------------


def _reason(row: pd.Series, measure: str, min_n: int, lang: str) -> str:
    """Why an area's figure is not shown (empty when it is shown)."""
    if pd.notna(row[measure]):
        return ""
    if measure == "provision_per_1000":
        return t("ui.reason_no_population", lang)
    if row["suppressed"]:
        return t("ui.suppressed_reason", lang, k=min_n)
    if measure in ("received_rate", "gap_pp") and row["received_n"] < min_n:
        return t("ui.reason_received", lang, k=min_n)
    if measure == "mix_gap_pp":
        return t("ui.reason_no_deliveries", lang)
    return t("ui.not_shown", lang)


def map_frame(areas: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """What the figure builder takes: region_id, name, value, n, note."""
    measure, lang = state.measure, state.lang
    return pd.DataFrame(
        {
            "region_id": areas["region_id"],
            "name": [
                _name(a, b, lang)
                for a, b in zip(areas["region_name"], areas["region_name_en"], strict=True)
            ],
            "value": areas[measure].astype(float),
            "n": areas["respondents_n"],
            "note": [_reason(r, measure, state.min_n, lang) for _, r in areas.iterrows()],
        }
    )


def map_labels(state: ViewState) -> MapLabels:
    lang = state.lang
    return MapLabels(
        measure=t(f"ui.{state.measure}", lang),
        pp=t("ui.pp", lang),
        per_1000=t("ui.per_1000", lang),
        suppressed=t("ui.not_shown", lang),
    )


def areas_table(frame: pd.DataFrame, state: ViewState) -> dbc.Table:
    """The map as a table (also the fallback when there are no boundaries): value and n per area."""
    lang, labels = state.lang, map_labels(state)
    rows = frame.sort_values(["value", "name"], ascending=[False, True], na_position="last")
    header = html.Thead(
        html.Tr([html.Th(t("ui.col_area", lang)), html.Th(labels.measure), html.Th("n")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r.name),
                    html.Td(
                        _format_value(r.value, state.measure, labels)
                        if pd.notna(r.value)
                        else html.Span(f"{labels.suppressed}: {r.note}", className="text-muted")
                    ),
                    html.Td(count(r.n)),
                ]
            )
            for r in rows.itertuples()
        ]
    )
    return dbc.Table([header, body], striped=True, hover=True, size="sm", className="cg-table mb-0")


def _swatch() -> html.Span:
    return html.Span(
        className="d-inline-block me-2 align-middle",
        style={
            "width": "1.1em",
            "height": "1.1em",
            "background": SUPPRESSED,
            "border": "1px solid #9AA5B1",
        },
    )


@dataclass
class MapUpdate:
    """What the map callback returns (a dataclass so tests can read it by name)."""

    figure: object  # a go.Figure when the geometry changes, else a dash.Patch
    geometry: str
    crumb: object
    back_class: str
    title: str
    caption: object

    def outputs(self) -> tuple[object, ...]:
        return (
            self.figure,
            self.geometry,
            self.crumb,
            self.back_class,
            self.title,
            self.caption,
        )


def update(ctx_: AppContext, state: ViewState, shown: str | None = None) -> MapUpdate:
    """The map for a state; `shown` is the geometry the figure already holds (the callback body).

    When the state needs the same geometry as `shown`, the figure is a `Patch` that only replaces
    colours and hover text; otherwise a whole figure with the polygons.
    """
    con = ctx_.cursor()
    lang = state.lang
    district = drilled(con, state)
    item, by = item_of(con, state)
    areas = areas_frame(con, state.with_(district=district, item=item))
    frame = map_frame(areas, state)
    labels = map_labels(state)
    geometry = f"district:{district}" if district else CITY
    tree = _regions(con)
    if district:
        district_name = _name(tree.loc[district, "name"], tree.loc[district, "name_en"], lang)
        crumb: object = [html.Span("›", className="mx-2 text-muted"), html.Strong(district_name)]
        hint = t("ui.grid_hint", lang)
    else:
        crumb, hint = [], t("ui.click_hint", lang)
    item_name = _item_name(con, item, by, lang)
    title = f"{labels.measure} · {item_name}"
    if district:
        title += " · " + t("ui.grids_of", lang, name=district_name)
    if shown == geometry:
        figure: object = Patch()
        for i, props in enumerate(choropleth_parts(frame, measure=state.measure, labels=labels)):
            for key, value in props.items():
                figure["data"][i][key] = value  # type: ignore[index]
    else:
        shapes = data.grid_shapes(con, district) if district else data.district_shapes(con)
        if shapes["features"]:
            figure = choropleth_map(
                frame, shapes, measure=state.measure, labels=labels, revision=geometry
            )
        else:
            figure = empty_figure(t("ui.no_boundaries", lang))
            geometry = f"none:{geometry}"
    caption = html.Div(
        [
            html.Span([_swatch(), t("ui.grey_missing", lang, k=state.min_n)], className="me-3"),
            html.Span(t("ui.map_n", lang, n=count(frame["n"].sum())), className="fw-semibold me-3"),
            html.Span(hint, className="text-muted"),
        ],
        className="cg-map-caption small mt-2",
    )
    return MapUpdate(
        figure=figure,
        geometry=geometry,
        crumb=crumb,
        back_class=BACK_CLASS
        + ("" if district else " disabled fw-bold text-body text-decoration-none"),
        title=title,
        caption=caption,
    )


def side_panel(ctx_: AppContext, state: ViewState) -> tuple[str, str, object]:
    """Title, n and dumbbell of the selected area (the drilled district, or the whole dataset)."""
    con = ctx_.cursor()
    lang = state.lang
    district = drilled(con, state)
    tree = _regions(con)
    area = district or data.root_region(con)
    name = _name(tree.loc[area, "name"], tree.loc[area, "name_en"], lang)
    frame = area_frame(con, state.with_(district=district))
    n = data.slice_counts(con, area, state.slice())["respondents"]
    if int(frame["respondents_n"].max() or 0) == 0:
        figure = empty_figure(t("ui.no_respondents", lang))
    else:
        names = data.service_names(con, lang)
        categories = {c: category_name(c, lang) for c in data.categories(con)}
        figure = dumbbell(
            frame,
            service_names=names,
            category_names=categories,
            labels=figure_labels(lang),
            compact=True,
        )
        figure.update_layout(
            margin={"l": 0, "r": 10, "t": 40, "b": 40},
            legend={
                "xref": "container",
                "yref": "container",
                "x": 0.01,
                "y": 0.99,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 13},
            },
            font={"size": 13},
        )
        figure.update_yaxes(tickfont={"size": 12})
    return t("ui.selected_area", lang, name=name), t("ui.side_n", lang, n=count(n)), figure


def table_update(
    ctx_: AppContext, state: ViewState, clicks: int | None, geometry: str | None
) -> tuple[bool, object, str]:
    """The areas as a table: (open, table, toggle label).

    Built only when open (on request, or always when there are no boundaries to draw), so that
    a filter change with the table closed sends nothing but the map's colours.
    """
    lang = state.lang
    is_open = bool((clicks or 0) % 2) or (geometry or "").startswith("none:")
    label = t("ui.hide_table" if is_open else "ui.show_table", lang)
    if not is_open:
        return False, [], label
    con = ctx_.cursor()
    item, _by = item_of(con, state)
    district = drilled(con, state)
    areas = areas_frame(con, state.with_(district=district, item=item))
    return True, areas_table(map_frame(areas, state), state), label


def navigate(
    ctx_: AppContext,
    trigger: object,
    click: dict | None,
    region: str | None,
    district: str | None,
) -> object:
    """The district to drill into after a map click, the breadcrumb or an area filter change.

    A district id, None for the city, or `no_update` when nothing changes.
    """
    con = ctx_.cursor()
    if trigger == BACK:
        return None
    if trigger == ids.REGION:
        return district_of(con, region)
    if trigger == GRAPH and click and click.get("points"):
        location = click["points"][0].get("location")
        tree = _regions(con)
        if location in tree.index and tree.loc[location, "level"] == "district":
            return location
    return no_update if district is None else district


# -- layout and callbacks -------------------------------------------------------------------------


def _item_options(con: duckdb.DuckDBPyConnection, lang: str) -> list[dict[str, object]]:
    """Categories, then services, each under a (disabled) heading."""
    categories = data.categories(con)
    services = data.service_names(con, lang)
    return [
        {"label": f"— {t('ui.categories', lang)} —", "value": "__categories", "disabled": True},
        *({"label": category_name(c, lang), "value": c} for c in categories),
        {"label": f"— {t('ui.services', lang)} —", "value": "__services", "disabled": True},
        *({"label": name, "value": code} for code, name in services.items()),
    ]


def layout(ctx_: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    con = ctx_.cursor()
    categories, services = _items(con)
    item = state.item if state.item in categories or state.item in services else None
    district = drilled(con, state) or (
        district_of(con, state.region) if state.district is None else None
    )
    controls = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("ui.measure", lang), html_for="map-measure"),
                    dcc.Dropdown(
                        id=MEASURE,
                        options=[{"label": t(f"ui.{m}", lang), "value": m} for m in MEASURES],
                        value=state.measure,
                        clearable=False,
                        searchable=False,
                    ),
                ],
                lg=4,
            ),
            dbc.Col(
                [
                    dbc.Label(t("ui.item", lang), html_for="map-item"),
                    dcc.Dropdown(
                        id=ITEM,
                        options=_item_options(con, lang),
                        value=item,
                        # no output of this page may touch the dropdown: another page has it too
                        placeholder=t("ui.map_default_item", lang),
                        clearable=True,
                        searchable=True,
                    ),
                ],
                lg=5,
            ),
        ],
        className="g-3 mb-3",
    )
    breadcrumb = html.Nav(
        html.Div(
            [
                html.Button(
                    t("ui.breadcrumb_city", lang),
                    id=BACK,
                    n_clicks=0,
                    type="button",
                    className=BACK_CLASS,
                ),
                html.Span(id=CRUMB),
            ],
            className="d-flex align-items-baseline",
        ),
        **{"aria-label": "breadcrumb"},
        className="cg-breadcrumb",
    )
    map_card = dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Div(
                        [html.H2(id=TITLE, className="h5 mb-1"), breadcrumb],
                    ),
                    html.Div(
                        download_buttons("map_areas", lang, graph=GRAPH, credit=True),
                        className="flex-shrink-0 ms-2",
                    ),
                ],
                className="d-flex justify-content-between align-items-center",
            ),
            dbc.CardBody(
                [
                    dcc.Loading(
                        dcc.Graph(
                            id=GRAPH,
                            config={"displaylogo": False, "scrollZoom": True},
                            style={"height": f"{MAP_HEIGHT}px"},
                        ),
                        type="dot",
                        delay_show=400,
                    ),
                    html.Div(id=CAPTION),
                ],
                className="p-2",
            ),
        ],
        className="h-100",
    )
    side_card = dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Div(
                        [
                            html.H2(id=SIDE_TITLE, className="h5 mb-1"),
                            html.Div(id=SIDE_N, className="fw-semibold"),
                        ]
                    ),
                    html.Div(
                        download_buttons("map_area", lang, graph=SIDE_GRAPH),
                        className="flex-shrink-0 ms-2",
                    ),
                ],
                className="d-flex justify-content-between align-items-center",
            ),
            dbc.CardBody(
                dcc.Loading(
                    dcc.Graph(id=SIDE_GRAPH, config={"displaylogo": False}),
                    type="dot",
                    delay_show=400,
                ),
                className="p-2",
            ),
        ],
        className="h-100",
    )
    return html.Div(
        [
            html.H1(t("ui.map_title", lang), className="visually-hidden"),
            dcc.Store(id=DISTRICT, data=district),
            dcc.Store(id=GEOMETRY),
            controls,
            dbc.Row(
                [
                    dbc.Col(map_card, xl=7, className="mb-3"),
                    dbc.Col(side_card, xl=5, className="mb-3"),
                ],
                className="g-3",
            ),
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            html.H2(t("ui.map_areas_title", lang), className="h5 mb-0"),
                            dbc.Button(
                                t("ui.show_table", lang),
                                id=TABLE_TOGGLE,
                                n_clicks=0,
                                size="sm",
                                color="secondary",
                                outline=True,
                            ),
                        ],
                        className="d-flex justify-content-between align-items-center",
                    ),
                    dbc.Collapse(
                        dbc.CardBody(
                            html.Div(id=TABLE, style={"maxHeight": "420px", "overflowY": "auto"})
                        ),
                        id=TABLE_OPEN,
                        is_open=False,
                    ),
                ],
                className="mb-3",
            ),
        ]
    )


def _slice_inputs() -> list[Input]:
    return [Input(i, p) for i, p in FILTER_INPUTS if i != ids.REGION]


def state_from(ctx_: AppContext, search: str | None, values: tuple[object, ...]) -> ViewState:
    """The state of the opening URL under the current slice filters (SLICE_KEYS order)."""
    return from_query(search, ctx_.default_lang).updated(dict(zip(SLICE_KEYS, values, strict=True)))


def register(app: Dash, ctx_: AppContext) -> None:
    n = len(SLICE_KEYS)

    @app.callback(
        Output(DISTRICT, "data"),
        Output(GRAPH, "clickData"),
        Input(GRAPH, "clickData"),
        Input(BACK, "n_clicks"),
        Input(ids.REGION, "value"),
        State(DISTRICT, "data"),
        prevent_initial_call=True,
    )
    def drill(click: dict | None, _back: int, region: str | None, district: str | None):
        return navigate(ctx_, ctx.triggered_id, click, region, district), None

    @app.callback(
        Output(GRAPH, "figure"),
        Output(GEOMETRY, "data"),
        Output(CRUMB, "children"),
        Output(BACK, "className"),
        Output(TITLE, "children"),
        Output(CAPTION, "children"),
        *_slice_inputs(),
        Input(MEASURE, "value"),
        Input(ITEM, "value"),
        Input(DISTRICT, "data"),
        State(GEOMETRY, "data"),
        State(ids.URL, "search"),
    )
    def refresh(*args: object) -> tuple[object, ...]:
        measure, item, district, shown, search = args[n:]
        state = state_from(ctx_, search, args[:n]).updated(  # type: ignore[arg-type]
            {"measure": measure, "item": item, "district": district}
        )
        return update(ctx_, state, shown).outputs()  # type: ignore[arg-type]

    @app.callback(
        Output(TABLE_OPEN, "is_open"),
        Output(TABLE, "children"),
        Output(TABLE_TOGGLE, "children"),
        *_slice_inputs(),
        Input(MEASURE, "value"),
        Input(ITEM, "value"),
        Input(DISTRICT, "data"),
        Input(TABLE_TOGGLE, "n_clicks"),
        Input(GEOMETRY, "data"),
        State(ids.URL, "search"),
    )
    def table(*args: object) -> tuple[object, ...]:
        measure, item, district, clicks, geometry, search = args[n:]
        state = state_from(ctx_, search, args[:n]).updated(  # type: ignore[arg-type]
            {"measure": measure, "item": item, "district": district}
        )
        return table_update(ctx_, state, clicks, geometry)  # type: ignore[arg-type]

    @app.callback(
        Output(SIDE_TITLE, "children"),
        Output(SIDE_N, "children"),
        Output(SIDE_GRAPH, "figure"),
        *_slice_inputs(),
        Input(DISTRICT, "data"),
        State(ids.URL, "search"),
    )
    def side(*args: object) -> tuple[object, ...]:
        district, search = args[n:]
        state = state_from(ctx_, search, args[:n]).updated(  # type: ignore[arg-type]
            {"district": district}
        )
        return side_panel(ctx_, state)


CHARTS = {"map_areas": areas_frame, "map_area": area_frame}
