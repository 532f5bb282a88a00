"""Stations (/stations): the page — layout and thin callbacks over dashboard.views.stations.

The station, what the table ranks by, its item and the monthly breakdown are URL state
(ids.state controls), so a copied link — or a click on a station on the map — opens the same
station. A station's name in the ranking table picks it (the picker's value changes, as if
typed).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.app import answers, ids
from dashboard.app.components.download import download_buttons
from dashboard.app.components.panel import chart_panel
from dashboard.app.components.switch import BREAKDOWN, breakdown_switch
from dashboard.app.context import AppContext
from dashboard.app.filters import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.i18n import t
from dashboard.sql import CachedCursor
from dashboard.views import stations as view
from dashboard.views import words
from dashboard.views.overview import Card
from dashboard.views.state import STATION_MEASURES, ViewState

PATH = view.PATH
STATION = ids.state("station")
RANK_BY = ids.state("rank_by")
ITEM = ids.state("item")
SUMMARY = "stations-summary"
CARDS = "stations-cards"
PICKED = "stations-picked"  # the station panels, hidden until a station is picked
PROMPT = "stations-prompt"
MIX_TABLE = "stations-mix-table"
PEOPLE = "stations-people"
RANKING = "stations-ranking"
RANKING_CAPTION = "stations-ranking-caption"
TARGETS_CAPTION = "stations-targets-caption"


def pick_button(station: str) -> dict[str, str]:
    """A station's name in the ranking table: clicking it picks the station."""
    return {"role": "pick-station", "station": station}


def layout(ctx_: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    con = ctx_.cursor()
    options = view.station_options(con, state)
    chosen = view.selected(con, state)
    items = words.item_names(con, lang)
    return html.Div(
        [
            html.H1(t("stations.title", lang), className="visually-hidden"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("stations.pick", lang), html_for="stations-pick"),
                            dcc.Dropdown(
                                id=STATION,
                                options=options,
                                value=None if chosen is None else chosen["station_id"],
                                searchable=True,
                                clearable=True,
                                placeholder=t("stations.pick_placeholder", lang),
                                className="cg-station-pick",
                            ),
                        ],
                        lg=5,
                    ),
                    dbc.Col(html.P(id=SUMMARY, className="mt-lg-4 mb-0 text-muted"), lg=7),
                ],
                className="g-3 mb-3",
            ),
            html.P(
                _prompt(state, options),
                id=PROMPT,
                className="cg-caption",
                hidden=chosen is not None,
            ),
            html.Div(
                [
                    dcc.Loading(html.Div(id=CARDS, className="mb-3"), type="dot"),
                    chart_panel(
                        "station_months",
                        t("stations.months_title", lang),
                        lang,
                        breakdown_switch(state),
                    ),
                    chart_panel("station_mix", t("stations.mix_title", lang), lang),
                    html.P(t("stations.mix_caption", lang), className="cg-caption"),
                    _table_card(
                        "station_mix_table", MIX_TABLE, t("stations.mix_table_title", lang), lang
                    ),
                    chart_panel("station_targets", t("stations.targets_title", lang), lang),
                    html.P(id=TARGETS_CAPTION, className="cg-caption"),
                    _table_card("station_people", PEOPLE, t("stations.people_title", lang), lang),
                ],
                id=PICKED,
                hidden=chosen is None,
            ),
            _ranking_card(state, items, view.default_item_label(con, state), lang),
        ]
    )


def _prompt(state: ViewState, options: list[dict]) -> str:
    if not options:
        return t("stations.no_stations", state.lang)
    if state.station:
        return t("stations.unknown_station", state.lang, station=state.station)
    return t("stations.none_picked", state.lang)


def _table_card(chart: str, body_id: str, title: str, lang: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.H2(title, className="h5 mb-0"), download_buttons(chart, lang)],
                className="d-flex justify-content-between align-items-center",
            ),
            dbc.CardBody(dcc.Loading(html.Div(id=body_id), type="dot")),
        ],
        className="mb-3",
    )


def _ranking_card(
    state: ViewState, items: dict[str, str], default_item: str, lang: str
) -> dbc.Card:
    controls = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("stations.rank_by", lang)),
                    dcc.Dropdown(
                        id=RANK_BY,
                        options=[
                            {"label": t(f"stations.rank_{m}", lang), "value": m}
                            for m in STATION_MEASURES
                        ],
                        value=state.rank_by,
                        clearable=False,
                    ),
                ],
                md=6,
            ),
            dbc.Col(
                [
                    dbc.Label(t("stations.item", lang)),
                    dcc.Dropdown(
                        id=ITEM,
                        options=[{"label": v, "value": k} for k, v in items.items()],
                        value=state.item if state.item in items else None,
                        placeholder=default_item,
                    ),
                ],
                md=6,
            ),
        ],
        className="g-3 mb-2",
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(t("stations.ranking_title", lang), className="h5 mb-0"),
                    download_buttons("stations_ranking", lang),
                ],
                className="d-flex justify-content-between align-items-center",
            ),
            dbc.CardBody(
                [
                    controls,
                    html.P(id=RANKING_CAPTION, className="cg-caption"),
                    dcc.Loading(html.Div(id=RANKING, className="cg-scroll-table"), type="dot"),
                ]
            ),
        ],
        className="mb-3",
    )


def _cards(cards: list[Card]) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.Div(c.value, className="cg-figure"),
                            html.Div(c.label, className="cg-card-label"),
                        ]
                    ),
                    className="h-100",
                ),
                md=6,
                xl=True,
            )
            for c in cards
        ],
        className="g-3",
    )


def _table(header: list[str], rows: list[list], empty: str) -> dbc.Table | html.P:
    """A table of words; figures (every column but the names) never wrap."""
    if not rows:
        return html.P(empty, className="text-muted")
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(
                                cell,
                                className=None
                                if isinstance(cell, html.Button) or i == 0
                                else "text-nowrap",
                            )
                            for i, cell in enumerate(row)
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        striped=True,
        hover=True,
        size="sm",
        className="cg-table mb-0",
    )


def _ranking_table(state: ViewState, header: list[str], rows: list[list]) -> object:
    def station_cell(cell: tuple[str, str]) -> html.Button:
        station, name = cell
        picked = station == state.station
        return html.Button(
            name,
            id=pick_button(station),
            type="button",
            className="btn btn-link p-0 text-start" + (" fw-bold" if picked else ""),
            title=station,
        )

    body = [[station_cell(row[1]) if i == 1 else row[i] for i in range(len(row))] for row in rows]
    return _table(header, body, t("ui.no_respondents", state.lang))


def update(ctx_: AppContext, state: ViewState) -> tuple:
    """The callback body: every output of the page for a state."""
    return _outputs(ctx_.cursor(), state)


@answers.kept
def _outputs(con: CachedCursor, state: ViewState) -> tuple:
    lang = state.lang
    result = view.stations_view(con, state)
    ranking = _ranking_table(state, result.ranking_header, result.ranking_rows)
    picked = result.station is not None
    return (
        result.summary,
        _cards(result.cards),
        result.months,
        result.mix,
        _table(result.mix_header, result.mix_rows, t("ui.no_respondents", lang)),
        result.targets,
        result.targets_caption,
        _table(result.people_header, result.people_rows, t("stations.no_people", lang)),
        ranking,
        result.ranking_caption,
        not picked,
        picked,
    )


def register(app: Dash, ctx_: AppContext) -> None:
    @app.callback(
        Output(SUMMARY, "children"),
        Output(CARDS, "children"),
        Output(ids.chart("station_months"), "figure"),
        Output(ids.chart("station_mix"), "figure"),
        Output(MIX_TABLE, "children"),
        Output(ids.chart("station_targets"), "figure"),
        Output(TARGETS_CAPTION, "children"),
        Output(PEOPLE, "children"),
        Output(RANKING, "children"),
        Output(RANKING_CAPTION, "children"),
        Output(PICKED, "hidden"),
        Output(PROMPT, "hidden"),
        *filter_inputs(),
        Input(STATION, "value"),
        Input(BREAKDOWN, "value"),
        Input(RANK_BY, "value"),
        Input(ITEM, "value"),
        State(ids.URL, "search"),
    )
    def refresh(*args: object) -> tuple:
        n = len(FILTER_INPUTS)
        state = state_from_inputs(ctx_, args[-1], args[:n]).updated(
            {
                "station": args[n],
                "breakdown": args[n + 1],
                "rank_by": args[n + 2],
                "item": args[n + 3],
            }
        )
        return update(ctx_, state)

    @app.callback(
        Output(STATION, "value"),
        Input(pick_button(ALL), "n_clicks"),
        prevent_initial_call=True,
    )
    def pick(clicks: list[int | None]) -> object:
        trigger = ctx.triggered_id
        if not trigger or not any(clicks):
            return no_update
        return trigger["station"]
