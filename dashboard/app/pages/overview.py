"""Overview (/): the page — its layout and one callback over dashboard.views.overview."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html

from dashboard.app import answers, ids
from dashboard.app.components.download import download_buttons
from dashboard.app.components.panel import chart_panel
from dashboard.app.components.switch import BREAKDOWN, GAP_RANK, breakdown_switch, gap_rank_switch
from dashboard.app.context import AppContext
from dashboard.app.filters import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.i18n import t
from dashboard.sql import CachedCursor
from dashboard.views import overview as view
from dashboard.views.overview import Card, Overview
from dashboard.views.state import ViewState

PATH = view.PATH
CARDS = "overview-cards"
TOP_TABLE = "overview-top-gaps"


def layout(ctx: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    return html.Div(
        [
            html.H1(t("ui.ov_title", lang), className="visually-hidden"),
            dcc.Loading(html.Div(id=CARDS, className="mb-3"), type="dot"),
            chart_panel("dumbbell", t("ui.dumbbell_title", lang), lang),
            chart_panel("mix", t("ui.mix_title", lang), lang),
            chart_panel("trend", t("ui.trend_title", lang), lang, breakdown_switch(state)),
            chart_panel("unmet", t("ui.unmet_title", lang), lang),
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            html.H2(t("ui.top_gaps_title", lang), className="h5 mb-0"),
                            download_buttons("top_gaps", lang),
                        ],
                        className="d-flex justify-content-between align-items-center",
                    ),
                    dbc.CardBody(
                        [
                            gap_rank_switch(state),
                            html.P(t("ui.top_gaps_caption", lang), className="cg-caption"),
                            dcc.Loading(html.Div(id=TOP_TABLE), type="dot"),
                        ]
                    ),
                ],
                className="mb-3",
            ),
        ]
    )


def _card(card: Card) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(card.value, className="cg-figure-sm" if card.small else "cg-figure"),
                    html.Div(card.label, className="cg-card-label"),
                    html.Div(card.note, className="cg-card-note text-muted"),
                ]
            ),
            className="h-100",
        ),
        md=6,
        xl=True,
    )


GAP_COLUMN = view.TOP_COLUMNS.index("gap_pp")


def top_table(result: Overview, lang: str) -> dbc.Table | html.P:
    if not result.top_rows:
        return html.P(t("ui.no_respondents", lang), className="text-muted")
    header = html.Thead(html.Tr([html.Th(label) for label in result.top_header]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(cell, className="fw-semibold" if i == GAP_COLUMN else None)
                    for i, cell in enumerate(row)
                ],
                className="cg-unreliable" if flagged else None,
            )
            for row, flagged in zip(result.top_rows, result.top_unreliable, strict=True)
        ]
    )
    return dbc.Table([header, body], striped=True, hover=True, size="sm", className="cg-table mb-0")


def update(ctx: AppContext, state: ViewState) -> tuple[object, object, object, object, object]:
    """The callback body: the view's result as the page's outputs."""
    return _outputs(ctx.cursor(), state)


@answers.kept
def _outputs(con: CachedCursor, state: ViewState) -> tuple[object, object, object, object, object]:
    result = view.overview(con, state)
    cards = dbc.Row([_card(c) for c in result.cards], className="g-3")
    return cards, result.dumbbell, result.mix, result.unmet, top_table(result, state.lang)


def trend_update(ctx: AppContext, state: ViewState) -> object:
    """The monthly trend's callback body: redrawn on a filter or the breakdown switch alone."""
    return _trend(ctx.cursor(), state)


@answers.kept
def _trend(con: CachedCursor, state: ViewState) -> object:
    return view.trend(con, state)


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(CARDS, "children"),
        Output(ids.chart("dumbbell"), "figure"),
        Output(ids.chart("mix"), "figure"),
        Output(ids.chart("unmet"), "figure"),
        Output(TOP_TABLE, "children"),
        *filter_inputs(),
        Input(GAP_RANK, "value"),
        State(ids.URL, "search"),
    )
    def refresh(*args: object) -> tuple[object, object, object, object, object]:
        n = len(FILTER_INPUTS)
        state = state_from_inputs(ctx, args[-1], args[:n]).updated({"gap_rank": args[n]})
        return update(ctx, state)

    @app.callback(
        Output(ids.chart("trend"), "figure"),
        *filter_inputs(),
        Input(BREAKDOWN, "value"),
        State(ids.URL, "search"),
    )
    def refresh_trend(*args: object) -> object:
        n = len(FILTER_INPUTS)
        state = state_from_inputs(ctx, args[-1], args[:n]).updated({"breakdown": args[n]})
        return trend_update(ctx, state)
