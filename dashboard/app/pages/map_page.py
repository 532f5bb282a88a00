"""Map (/map): the page — layout and thin callbacks over dashboard.views.map.

The figure with the polygons is sent only when the geometry changes (the city's districts, or one
district's grids); a change of filter, measure or item sends a `dash.Patch` with the new colours
and hover text, and so does the station layer's switch (the figure always has the station traces,
empty while the layer is off). The drilled district is a URL parameter (`district`), and so is the
layer (`stations_layer`), so a copied link reopens the same map. A click on a district drills
into it; a click on a station opens /stations for it, with the view's other parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import data
from dashboard.app import answers, ids
from dashboard.app.components.download import download_buttons
from dashboard.app.context import AppContext
from dashboard.app.filters import FILTER_INPUTS, FILTER_KEYS
from dashboard.figures.choropleth import BIVARIATE, FADED_OPACITY
from dashboard.figures.theme import SUPPRESSED
from dashboard.i18n import t
from dashboard.sql import CachedCursor
from dashboard.views import map as view
from dashboard.views.state import MEASURES, ViewState, from_query

PATH = view.PATH
CITY = view.CITY
MEASURE = ids.state("measure")
ITEM = ids.state("item")
LAYER = ids.state("stations_layer")
DISTRICT = ids.state_store("district")
GRAPH = ids.chart("map")
SIDE_GRAPH = ids.chart("map_area")
#: What the map figure holds: {"geometry": "city" | "district:<id>", "has_shapes": bool}
GEOMETRY = "map-geometry"
#: Where a click on a station leads: the page's own location, so that no output of this page is
#: a component every page has (the shell's URL), which would wake its callbacks on other pages.
GO = "map-go"
BACK = "map-back"
CRUMB = "map-crumb"
TITLE = "map-title"
CAPTION = "map-caption"
TABLE = "map-table"
TABLE_OPEN = "map-table-open"
TABLE_TOGGLE = "map-table-toggle"
SIDE_TITLE = "map-side-title"
SIDE_N = "map-side-n"
#: The map's height: what a window leaves below the header, filters and card title, within bounds
MAP_CSS_HEIGHT = "clamp(360px, calc(100vh - 300px), 780px)"
#: The names switch (on by default, not part of the URL: a room wants them, a link need not say so)
NAMES = "map-names"
#: Where the browser's fit-and-place step (assets/map.js) and the history step report (nothing).
FIT_SINK = "map-fit-sink"
HISTORY_STEP = "map-history-step"
BACK_CLASS = "btn btn-link p-0 align-baseline"
#: The shared filters the map's figures depend on (the area filter only moves the drill).
SLICE_KEYS = tuple(
    k for (i, _), k in zip(FILTER_INPUTS, FILTER_KEYS, strict=True) if i != ids.REGION
)


def _swatch(background: str = SUPPRESSED, opacity: float = 1.0) -> html.Span:
    return html.Span(
        className="d-inline-block me-2 align-middle",
        style={
            "width": "1.1em",
            "height": "1.1em",
            "background": background,
            "border": "1px solid #9AA5B1",
            "opacity": opacity,
        },
    )


#: The swatch of a faded area in the caption's legend line (the scales' middle orange, faded).
FADED_SWATCH = "#F1A340"


@dataclass
class MapUpdate:
    """What the map callback returns (a dataclass so tests can read it by name).

    `geometry` is what the figure now holds (GEOMETRY's data): without shapes for the view the
    map says so, and the table opens by itself.
    """

    figure: object  # a go.Figure when the geometry changes, else a dash.Patch
    geometry: dict[str, object]
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


def _patch(restyle: list[dict[str, object]], relayout: dict[str, object] | None = None) -> Patch:
    """Colours, hover text, stations and their key replaced in the figure the browser holds (no
    polygons resent)."""
    figure = Patch()
    for i, props in enumerate(restyle):
        for key, value in props.items():
            figure["data"][i][key] = value  # type: ignore[index]
    for key, value in (relayout or {}).items():
        figure["layout"][key] = value  # type: ignore[index]
    return figure


def held(geometry: dict | None) -> str | None:
    """The polygons the browser's figure holds (None: none yet, or a "no boundaries" notice)."""
    if isinstance(geometry, dict) and geometry.get("has_shapes"):
        return str(geometry.get("geometry"))
    return None


def caption_lines(result: view.MapResult, state: ViewState) -> list[object]:
    """The caption's legend lines: grey, faded (when some area is), what the bivariate colours
    are (on that measure), n, and what a click does."""
    lang = state.lang
    lines: list[object] = [
        html.Span([_swatch(), t("ui.grey_missing", lang, k=state.min_n)], className="me-3")
    ]
    if bool(result.frame["faded"].any()):
        lines.append(
            html.Span(
                [_swatch(FADED_SWATCH, FADED_OPACITY), t("ui.map_faded_legend", lang)],
                className="me-3 cg-map-faded",
            )
        )
    if state.measure == BIVARIATE:
        lines.append(html.Span(t("ui.map_bivariate_note", lang), className="me-3"))
    lines += [
        html.Span(result.n_text, className="fw-semibold me-3"),
        html.Span(result.hint, className="text-muted"),
    ]
    return lines


def update(
    ctx_: AppContext, state: ViewState, shown: dict | None = None, names: bool = True
) -> MapUpdate:
    """The map callback's body: `shown` is GEOMETRY's data (what the figure already holds);
    `names`: the names switch. A whole figure leaves its height to the card (the map fills it,
    and the browser fits centre and zoom to its real size)."""
    return _update(ctx_.cursor(), state, held(shown), names)


@answers.kept(maxsize=answers.MAP_ANSWERS)
def _update(con: CachedCursor, state: ViewState, shown: str | None, names: bool) -> MapUpdate:
    result = view.map_view(con, state, shown, names=names)
    if result.figure is not None and result.has_shapes:
        result.figure.update_layout(height=None, autosize=True)
    if result.district_name:
        crumb: object = [
            html.Span("›", className="mx-2 text-muted"),
            html.Strong(result.district_name),
        ]
    else:
        crumb = []
    caption = html.Div(caption_lines(result, state), className="cg-map-caption small mt-2")
    return MapUpdate(
        figure=_patch(result.restyle, result.relayout) if result.figure is None else result.figure,
        geometry={"geometry": result.geometry, "has_shapes": result.has_shapes},
        crumb=crumb,
        back_class=BACK_CLASS
        + ("" if result.district else " disabled fw-bold text-body text-decoration-none"),
        title=result.title,
        caption=caption,
    )


def areas_table(ctx_: AppContext, state: ViewState) -> dbc.Table:
    """The map as a table (also the fallback when there are no boundaries): value and n per area."""
    return _areas_table(ctx_.cursor(), state)


@answers.kept
def _areas_table(con: CachedCursor, state: ViewState) -> dbc.Table:
    labels = view.map_labels(state)
    header = html.Thead(
        html.Tr(
            [
                html.Th(t("ui.col_area", state.lang)),
                html.Th(labels.measure),
                html.Th("n"),
                html.Th(t("ui.map_col_sure", state.lang)),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(name),
                    html.Td(
                        value
                        if value is not None
                        else html.Span(f"{labels.suppressed}: {note}", className="text-muted")
                    ),
                    html.Td(n),
                    html.Td(detail, className="small"),
                ]
            )
            for name, value, note, n, detail in view.table_rows(con, state)
        ]
    )
    return dbc.Table([header, body], striped=True, hover=True, size="sm", className="cg-table mb-0")


def table_update(
    ctx_: AppContext, state: ViewState, clicks: int | None, geometry: dict | None
) -> tuple[bool, object, str]:
    """The areas as a table: (open, table, toggle label).

    Built only when open (on request, or always when the map found no shapes to draw), so that
    a filter change with the table closed sends nothing but the map's colours.
    """
    lang = state.lang
    no_shapes = isinstance(geometry, dict) and not geometry.get("has_shapes")
    is_open = bool((clicks or 0) % 2) or no_shapes
    label = t("ui.hide_table" if is_open else "ui.show_table", lang)
    if not is_open:
        return False, [], label
    return True, areas_table(ctx_, state), label


def side_panel(ctx_: AppContext, state: ViewState) -> tuple[str, str, object]:
    return _side_panel(ctx_.cursor(), state)


@answers.kept
def _side_panel(con: CachedCursor, state: ViewState) -> tuple[str, str, object]:
    return view.side_panel(con, state)


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
        return view.district_of(con, region)
    if trigger == GRAPH and click and click.get("points"):
        location = view.clicked_district(con, click["points"][0].get("location"))
        if location:
            return location
    return no_update if district is None else district


def area_following(ctx_: AppContext, district: str | None, region: str | None) -> object:
    """The area filter's value after the map drilled into `district` (None: back to the city):
    the district itself, unless the filter already names an area inside it; the whole dataset
    when the map is back at the city from a district. `no_update` when it already fits."""
    con = ctx_.cursor()
    if district is None:
        return data.root_region(con) if view.district_of(con, region) is not None else no_update
    return no_update if view.district_of(con, region) == district else district


def station_target(
    ctx_: AppContext, trigger: object, click: dict | None, query: str | None, search: str | None
) -> str | None:
    """Where a click on a station leads ('/stations?…&station=ID', keeping the view's other
    parameters: the current state `query` holds, else the opening URL's `search`); None when
    the click was not on a station."""
    station = view.clicked_station(click) if trigger == GRAPH else None
    if station is None:
        return None
    current = query.partition("?")[2] if isinstance(query, str) and query else search
    return view.station_href(from_query(current, ctx_.default_lang), station)


# -- layout and callbacks -------------------------------------------------------------------------


def layout(ctx_: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    con = ctx_.cursor()
    item = view.chosen_item(con, state)
    district = view.opening_district(con, state)
    controls = dbc.Row(
        [
            dbc.Col(
                html.Div(
                    [
                        dbc.Label(t("ui.measure", lang), html_for="map-measure", className="mb-0"),
                        dcc.Dropdown(
                            id=MEASURE,
                            options=[{"label": t(f"ui.{m}", lang), "value": m} for m in MEASURES],
                            value=state.measure,
                            clearable=False,
                            searchable=False,
                            className="flex-grow-1",
                        ),
                    ],
                    className="cg-map-control",
                ),
                lg=4,
            ),
            dbc.Col(
                html.Div(
                    [
                        dbc.Label(t("ui.item", lang), html_for="map-item", className="mb-0"),
                        dcc.Dropdown(
                            id=ITEM,
                            options=view.item_options(con, lang),
                            value=item,
                            # no output of this page may touch the dropdown: another page has it
                            placeholder=t("ui.card_largest_gap", lang),
                            clearable=True,
                            searchable=True,
                            className="flex-grow-1",
                        ),
                    ],
                    className="cg-map-control",
                ),
                lg=5,
            ),
            dbc.Col(
                [
                    dbc.Switch(
                        id=LAYER,
                        label=t("ui.stations_layer", lang),
                        value=state.stations_layer,
                        className="mb-0 me-3",
                    ),
                    dbc.Switch(
                        id=NAMES, label=t("ui.map_names_switch", lang), value=True, className="mb-0"
                    ),
                ],
                lg=3,
                className="d-flex flex-wrap align-items-center",
            ),
        ],
        className="g-2 mb-2 align-items-center",
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
                        [html.H2(id=TITLE, className="h6 mb-0 me-2"), breadcrumb],
                        className="d-flex flex-wrap align-items-baseline",
                    ),
                    html.Div(
                        download_buttons("map_areas", lang, graph=GRAPH, credit=True),
                        className="flex-shrink-0 ms-2",
                    ),
                ],
                className="d-flex justify-content-between align-items-center py-1",
            ),
            dbc.CardBody(
                [
                    dcc.Loading(
                        dcc.Graph(
                            id=GRAPH,
                            config={"displaylogo": False, "scrollZoom": True},
                            className="cg-map-graph",
                            # the map fills what the window leaves below the bars (the browser
                            # then fits centre and zoom to that size: assets/map.js)
                            style={"height": MAP_CSS_HEIGHT},
                            responsive=True,
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
            dcc.Location(id=GO, refresh="callback-nav"),
            html.Div(id=FIT_SINK, hidden=True),
            html.Div(id=HISTORY_STEP, hidden=True),
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
        Output(GO, "href"),
        Input(GRAPH, "clickData"),
        Input(BACK, "n_clicks"),
        Input(ids.REGION, "value"),
        Input(ids.URL, "search"),
        State(DISTRICT, "data"),
        State(ids.QUERY, "data"),
        prevent_initial_call=True,
    )
    def drill(
        click: dict | None,
        _back: int,
        region: str | None,
        search: str | None,
        district: str | None,
        query: str | None,
    ):
        trigger = ctx.triggered_id
        target = station_target(ctx_, trigger, click, query, search)
        if target is not None:  # the page is left: nothing of it is touched on the way out
            return no_update, no_update, target
        if trigger == ids.URL:  # Back or Forward: the address's drill level
            moved = view.opening_district(ctx_.cursor(), from_query(search, ctx_.default_lang))
        else:
            moved = navigate(ctx_, trigger, click, region, district)
        if moved is no_update or moved == district:
            return no_update, None, no_update
        return moved, None, no_update

    @app.callback(
        Output(ids.REGION, "value", allow_duplicate=True),
        Input(DISTRICT, "data"),
        State(ids.REGION, "value"),
        prevent_initial_call="initial_duplicate",  # also a page opened drilled into a district
    )
    def follow(district: str | None, region: str | None) -> object:
        return area_following(ctx_, district, region)

    # a drill (a click, the breadcrumb, the area filter) is a history step: when the drilled
    # district changes, the address still shows the level left, and is kept as its own entry
    # (the shell's replaceState then writes the new level over the copy); not after Back/Forward
    app.clientside_callback(
        """
        function(district) {
            if (window.cgMap) window.cgMap.remember();
            return "";
        }
        """,
        Output(HISTORY_STEP, "children"),
        Input(DISTRICT, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        """
        function(figure) {
            if (figure && window.cgMap) window.cgMap.refresh("%s");
            return "";
        }
        """.replace("%s", GRAPH),
        Output(FIT_SINK, "children"),
        Input(GRAPH, "figure"),
    )

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
        Input(LAYER, "value"),
        Input(NAMES, "value"),
        State(GEOMETRY, "data"),
        State(ids.URL, "search"),
    )
    def refresh(*args: object) -> tuple[object, ...]:
        measure, item, district, layer, names, shown, search = args[n:]
        state = state_from(ctx_, search, args[:n]).updated(  # type: ignore[arg-type]
            {"measure": measure, "item": item, "district": district, "stations_layer": layer}
        )
        return update(ctx_, state, shown, names=names is not False).outputs()  # type: ignore[arg-type]

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
