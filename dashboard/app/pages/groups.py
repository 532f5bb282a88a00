"""Groups (/groups): the page — layout and one callback over dashboard.views.groups."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html

from dashboard import data
from dashboard.app import answers, ids
from dashboard.app.components.panel import chart_panel, title_id
from dashboard.app.context import AppContext
from dashboard.app.filters import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.i18n import t
from dashboard.sql import CachedCursor
from dashboard.views import groups as view
from dashboard.views import words
from dashboard.views.state import ViewState

PATH = view.PATH
DIMENSION = ids.state("dimension")
ITEM = ids.state("item")


def layout(ctx: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    con = ctx.cursor()
    dimensions = data.group_dimensions(con)
    names = words.service_names(con, lang)
    return html.Div(
        [
            html.H1(t("ui.groups_title", lang), className="visually-hidden"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("ui.dimension", lang), html_for="groups-dimension"),
                            dcc.Dropdown(
                                id=DIMENSION,
                                options=[
                                    {"label": t(f"ui.dim_{d}", lang), "value": d}
                                    for d in dimensions
                                ],
                                value=view.dimension_of(con, state),
                                clearable=False,
                            ),
                        ],
                        lg=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("ui.col_service", lang)),
                            dcc.Dropdown(
                                id=ITEM,
                                options=[{"label": v, "value": k} for k, v in names.items()],
                                value=state.item if state.item in names else None,
                                placeholder=t("ui.card_largest_gap", lang),
                            ),
                        ],
                        lg=4,
                    ),
                ],
                className="g-3 mb-3",
            ),
            chart_panel("group_heatmap", t("ui.heatmap_title", lang), lang),
            chart_panel("group_dumbbell", t("ui.group_table_title", lang), lang),
        ]
    )


def update(ctx: AppContext, state: ViewState) -> tuple[object, object, str]:
    """The heat map, the per-group dumbbell of one service, and that panel's title."""
    return _outputs(ctx.cursor(), state)


@answers.kept
def _outputs(con: CachedCursor, state: ViewState) -> tuple[object, object, str]:
    result = view.groups(con, state)
    return result.heatmap, result.dumbbell, result.dumbbell_title


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.chart("group_heatmap"), "figure"),
        Output(ids.chart("group_dumbbell"), "figure"),
        Output(title_id("group_dumbbell"), "children"),
        *filter_inputs(),
        Input(DIMENSION, "value"),
        Input(ITEM, "value"),
        State(ids.URL, "search"),
    )
    def refresh(*args: object) -> tuple[object, object, str]:
        n = len(FILTER_INPUTS)
        state = state_from_inputs(ctx, args[-1], args[:n]).updated(
            {"dimension": args[n], "item": args[n + 1]}
        )
        return update(ctx, state)
