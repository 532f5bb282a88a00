"""The frame around every view: header, navigation, language switch, filters, and the router.

The URL is the single source of truth when a page is opened: the router renders the shell and the
page from it. While a person works, controls change the figures through callbacks, and one
callback writes the resulting state back into the address bar (history.replaceState, so nothing
reloads) and into the navigation links, so a copied link or a switch of view keeps the filters.
"""

from __future__ import annotations

from types import ModuleType

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import data
from dashboard.app import ids
from dashboard.app.components.download import ChartData, filter_lines, send
from dashboard.app.context import AppContext
from dashboard.app.state import ViewState, from_query
from dashboard.i18n import category_name, t
from dashboard.ingest.schema import AGE_GROUPS
from dashboard.store import StoreOutdated

NAV_ITEMS = (
    ("/", "nav_overview"),
    ("/map", "nav_map"),
    ("/groups", "nav_groups"),
    ("/quality", "nav_quality"),
    ("/data", "nav_data"),
    ("/briefing", "nav_briefing"),
)
#: Pages whose view can be added to the briefing (dashboard.briefing.slides.CHARTS; not imported
#: here: the briefing imports the pages, which import this module).
BRIEFING_SOURCES = ("/", "/map", "/groups", "/quality")
#: Where the browser remembers the last view shown (the briefing's "leave" goes back to it).
LAST_VIEW_KEY = "cg-last-view"
#: Filters every view shares, as (component id, property).
FILTER_INPUTS = (
    (ids.REGION, "value"),
    (ids.PERIOD, "start_date"),
    (ids.PERIOD, "end_date"),
    (ids.AGE, "value"),
    (ids.SEX, "value"),
    (ids.THRESHOLD, "value"),
    (ids.MIN_N, "value"),
)


EM_SPACE = "\u2003"
#: The URL parameter each shared filter sets, in FILTER_INPUTS order.
FILTER_KEYS = ("region", "start", "end", "age", "sex", "threshold", "min_n")


def filter_inputs() -> list[Input]:
    return [Input(i, p) for i, p in FILTER_INPUTS]


def root_layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.QUERY),
            html.Div(id=ids.HISTORY_SINK, hidden=True),
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Store(id=ids.BRIEFING, storage_type="local"),
            html.Div(id=ids.ROOT),
        ]
    )


def region_label(row: object, lang: str) -> str:
    name = (row.name_en if lang == "en" and isinstance(row.name_en, str) else None) or row.name
    indent = EM_SPACE * int(row.depth)
    return f"{indent}{name} · {t('ui.level_' + row.level, lang)}"


#: At most this many regions in the area list: it is sent with every view and drawn by the browser.
MAX_LISTED_REGIONS = 1500


def _listed_levels(tree: pd.DataFrame) -> set[str]:
    """The levels the area list shows: from the top down, while the list stays short.

    A province has tens of thousands of grids; its list stops at the deepest level that keeps it
    under MAX_LISTED_REGIONS (the city and its districts always; a grid is reached on the map).
    """
    counts = tree.groupby("level", sort=False).size()
    order = tree.drop_duplicates("level").sort_values("depth")["level"]
    shown: set[str] = set()
    total = 0
    for level in order:
        total += int(counts[level])
        if shown and total > MAX_LISTED_REGIONS and level not in ("city", "district"):
            break
        shown.add(level)
    return shown


def _filters(ctx_: AppContext, state: ViewState) -> dbc.Card:
    con = ctx_.cursor()
    tree = data.region_tree(con)
    first, last = data.delivery_period(con)
    lang = state.lang
    shown = _listed_levels(tree)
    region_options = [
        {"label": region_label(r, lang), "value": r.region_id}
        for r in tree.itertuples()
        if r.level in shown or r.region_id == state.region
    ]
    age_options = [{"label": t("ui.all", lang), "value": ""}] + [
        {"label": g, "value": g} for g in AGE_GROUPS
    ]
    sex_options = [
        {"label": t("ui.all", lang), "value": ""},
        {"label": t("ui.sex_M", lang), "value": "M"},
        {"label": t("ui.sex_F", lang), "value": "F"},
    ]
    root = tree.iloc[0].region_id if len(tree) else None
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(t("ui.region", lang), html_for=ids.REGION),
                                dcc.Dropdown(
                                    id=ids.REGION,
                                    options=region_options,
                                    value=state.region or root,
                                    clearable=False,
                                    searchable=True,
                                ),
                            ],
                            lg=3,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(t("ui.period", lang), html_for=ids.PERIOD),
                                dcc.DatePickerRange(
                                    id=ids.PERIOD,
                                    min_date_allowed=first,
                                    max_date_allowed=last,
                                    start_date=state.start or first,
                                    end_date=state.end or last,
                                    display_format="YYYY-MM-DD",
                                    first_day_of_week=1,
                                    className="d-block",
                                ),
                            ],
                            lg=3,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(t("ui.age_group", lang), html_for=ids.AGE),
                                dcc.Dropdown(
                                    id=ids.AGE,
                                    options=age_options,
                                    value=state.age or "",
                                    clearable=False,
                                    searchable=False,
                                ),
                            ],
                            lg=2,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(t("ui.sex", lang), html_for=ids.SEX),
                                dcc.Dropdown(
                                    id=ids.SEX,
                                    options=sex_options,
                                    value=state.sex or "",
                                    clearable=False,
                                    searchable=False,
                                ),
                            ],
                            lg=2,
                        ),
                        dbc.Col(
                            dbc.Button(
                                t("ui.settings", lang),
                                id=ids.SETTINGS_TOGGLE,
                                color="secondary",
                                outline=True,
                                className="mt-4 w-100 text-nowrap",
                            ),
                            lg=2,
                        ),
                    ],
                    className="g-3 align-items-start",
                ),
                dbc.Collapse(_settings(state), id=ids.SETTINGS, is_open=False),
            ]
        ),
        className="cg-filters mb-3",
    )


def _settings(state: ViewState) -> dbc.Row:
    lang = state.lang
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("ui.threshold", lang), html_for=ids.THRESHOLD),
                    dcc.Slider(
                        id=ids.THRESHOLD,
                        min=1,
                        max=5,
                        step=1,
                        value=state.threshold,
                        marks={i: str(i) for i in range(1, 6)},
                    ),
                ],
                lg=5,
            ),
            dbc.Col(
                [
                    dbc.Label(t("ui.min_n", lang), html_for=ids.MIN_N),
                    dbc.Input(
                        id=ids.MIN_N,
                        type="number",
                        min=1,
                        step=1,
                        value=state.min_n,
                        debounce=True,
                    ),
                ],
                lg=3,
            ),
        ],
        className="g-3 mt-2",
    )


def _header(state: ViewState, pathname: str) -> dbc.Navbar:
    lang = state.lang
    query = state.to_query()
    other = state.with_(lang="en" if lang == "zh" else "zh").to_query()
    links = [
        dbc.NavItem(
            dcc.Link(
                t(f"ui.{key}", lang),
                href=path + query,
                id={"role": "nav", "path": path},
                className="nav-link" + (" active" if path == pathname else ""),
            )
        )
        for path, key in NAV_ITEMS
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                html.Div(
                    [
                        html.Span(t("ui.app_title", lang), className="cg-brand"),
                        html.Span(
                            t("ui.tagline", lang), className="cg-tagline d-none d-xxl-inline"
                        ),
                    ]
                ),
                dbc.Nav(links, className="me-auto ms-4", navbar=True),
                *(_add_to_briefing(lang) if pathname in BRIEFING_SOURCES else []),
                html.A(
                    t("ui.switch_lang", lang),
                    href=pathname + other,
                    id=ids.LANG_LINK,
                    className="btn btn-outline-light",
                    lang="zh" if lang == "en" else "en",
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3 cg-navbar",
    )


def _add_to_briefing(lang: str) -> list:
    """The button that appends the current view (with its filters) to the briefing."""
    return [
        html.Span(id=ids.ADD_STATUS, className="cg-add-status me-2", role="status"),
        dbc.Button(
            t("ui.add_to_briefing", lang),
            id=ids.ADD_TO_BRIEFING,
            color="light",
            outline=True,
            className="me-2 text-nowrap",
            title=t("ui.add_to_briefing_title", lang),
        ),
    ]


def render(
    ctx_: AppContext, pages: dict[str, ModuleType], pathname: str | None, search: str | None
) -> html.Div:
    """Shell and page for a URL (an unknown path shows the overview)."""
    path = pathname if pathname in pages else "/"
    state = from_query(search, ctx_.default_lang)
    page = pages[path]
    return html.Div(
        [
            _header(state, path),
            dbc.Container(
                [
                    _filters(ctx_, state),
                    page.layout(ctx_, state),
                    html.Footer(
                        [
                            html.Span(t("ui.n_note", state.lang)),
                            " ",
                            html.Span(t("ui.credit", state.lang)),
                        ],
                        className="cg-footer text-muted mt-4 mb-3",
                    ),
                ],
                fluid=True,
            ),
        ],
        lang="zh-CN" if state.lang == "zh" else "en",
    )


def register(app: Dash, ctx_: AppContext, pages: dict[str, ModuleType]) -> None:
    """The shell's callbacks: routing, settings, URL state, downloads."""

    @app.callback(
        Output(ids.ROOT, "children"), Input(ids.URL, "pathname"), State(ids.URL, "search")
    )
    def route(pathname: str | None, search: str | None) -> html.Div:
        try:
            return render(ctx_, pages, pathname, search)
        except StoreOutdated:
            lang = from_query(search, ctx_.default_lang).lang
            return dbc.Alert(t("ui.store_outdated", lang), color="warning", className="m-4")

    @app.callback(
        Output(ids.SETTINGS, "is_open"),
        Input(ids.SETTINGS_TOGGLE, "n_clicks"),
        State(ids.SETTINGS, "is_open"),
        prevent_initial_call=True,
    )
    def toggle_settings(_clicks: int | None, is_open: bool) -> bool:
        return not is_open

    @app.callback(
        Output(ids.QUERY, "data"),
        Output({"role": "nav", "path": ALL}, "href"),
        Output(ids.LANG_LINK, "href"),
        *filter_inputs(),
        Input(ids.state(ALL), "value"),
        Input(ids.state_store(ALL), "data"),
        State(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def sync_url(*args: object) -> tuple[str, list[str], str]:
        state = current_state(ctx_, args[-1], args[:-2])
        pathname = args[-2] if args[-2] in pages else "/"
        query = state.to_query()
        other = state.with_(lang="en" if state.lang == "zh" else "zh").to_query()
        navs = [path + query for path, _ in NAV_ITEMS]
        return pathname + query, navs, pathname + other

    charts = {
        name: fn for page in pages.values() for name, fn in getattr(page, "CHARTS", {}).items()
    }

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.download(ALL, ALL), "n_clicks"),
        State(ids.QUERY, "data"),
        prevent_initial_call=True,
    )
    def download(clicks: list[int | None], target: str | None) -> dict | None:
        trigger = ctx.triggered_id
        if not trigger or not any(clicks):
            return None
        state = from_query((target or "").partition("?")[2], ctx_.default_lang)
        return build_download(ctx_, charts, trigger["chart"], trigger["fmt"], state)

    @app.callback(
        Output(ids.BRIEFING, "data", allow_duplicate=True),
        Output(ids.ADD_STATUS, "children"),
        Input(ids.ADD_TO_BRIEFING, "n_clicks"),
        State(ids.QUERY, "data"),
        State(ids.BRIEFING, "data"),
        prevent_initial_call=True,
    )
    def add_to_briefing(clicks: int | None, target: str | None, stored: object):
        # imported here: the briefing imports the pages, which import this module
        from dashboard.app.components import briefing_store

        if not clicks:
            return no_update, no_update
        lang = from_query((target or "").partition("?")[2], ctx_.default_lang).lang
        added, message = briefing_store.add(ctx_.cursor(), stored, target, lang)
        return (no_update if added is None else added), message

    app.clientside_callback(
        """
        function(target) {
            if (target && window.location.pathname + window.location.search !== target) {
                window.history.replaceState(null, "", target);
            }
            if (target && !target.startsWith("/briefing")) {
                try { window.sessionStorage.setItem("%s", target); } catch (e) {}
            }
            const lang = new URLSearchParams(window.location.search).get("lang");
            if (lang) {
                document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
            }
            return "";
        }
        """.replace("%s", LAST_VIEW_KEY),
        Output(ids.HISTORY_SINK, "children"),
        Input(ids.QUERY, "data"),
    )


def build_download(
    ctx_: AppContext, charts: dict[str, ChartData], chart: str, fmt: str, state: ViewState
) -> dict:
    """The figures behind `chart` for `state`, as a CSV or Excel download with filters on top."""
    con = ctx_.cursor()
    frame = charts[chart](con, state)
    names = data.service_names(con, state.lang)
    if "item_code" in frame:
        frame = frame.assign(
            item_name=frame["item_code"].map(lambda c: names.get(c) or category_name(c, state.lang))
        )
    tree = data.region_tree(con)
    match = tree[tree["region_id"] == (state.region or tree.iloc[0]["region_id"])]
    region_name = str(match.iloc[0]["name"]) if len(match) else ""
    return send(frame, filter_lines(state, region_name), chart, fmt)


def state_from_inputs(
    ctx_: AppContext, search: str | None, values: tuple[object, ...]
) -> ViewState:
    """The state of the URL a page was opened with, under the shared filters' current values."""
    changes = dict(zip(FILTER_KEYS, values, strict=True))
    return from_query(search, ctx_.default_lang).updated(changes)


def current_state(ctx_: AppContext, search: str | None, values: tuple[object, ...]) -> ViewState:
    """The state from the URL the page was opened with, updated by the controls' current values.

    `values` are the filter values in FILTER_INPUTS order, then the list of page-control values
    and the list of page-store data (their keys are read from the callback context).
    """
    changes: dict[str, object] = dict(zip(FILTER_KEYS, values[: len(FILTER_INPUTS)], strict=True))
    for group in ctx.inputs_list[len(FILTER_INPUTS) : len(FILTER_INPUTS) + 2]:
        for item in group:
            changes[item["id"]["key"]] = item.get("value", item.get("data"))
    return from_query(search, ctx_.default_lang).updated(changes)
