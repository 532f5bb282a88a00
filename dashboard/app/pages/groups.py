"""Groups (/groups): need beside receipt for each group of a covariate (age group, sex, education,
income, payment form, …), as a group × service heat map of the gap and a per-group dumbbell for one
service. Groups smaller than the minimum n are suppressed, like every other cell."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import duckdb
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html

from dashboard import data
from dashboard.app import ids
from dashboard.app.components.download import download_buttons
from dashboard.app.context import AppContext
from dashboard.app.shell import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.app.state import ViewState
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.heatmap import gap_heatmap
from dashboard.figures.theme import empty_figure
from dashboard.i18n import figure_labels, t, value_name

PATH = "/groups"
#: Natural order of ordinal groups (others: as the data sorts them); not recorded comes last.
GROUP_ORDER = {
    "age_group": ("<60", "60-69", "70-79", "80+"),
    "adl_level": ("normal", "mild", "moderate", "severe"),
    "qol_grade": ("poor", "medium", "good"),
    "education": ("junior_or_less", "senior_high", "college"),
    "income_band": ("under_1000", "1000_1999", "2000_plus"),
}
DIMENSION = ids.state("dimension")
ITEM = ids.state("item")


def _dimension(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    """The chosen covariate if the data has it, else the first one it has."""
    present = data.group_dimensions(con)
    return (
        state.dimension if state.dimension in present else (present[0] if present else "age_group")
    )


def _area(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[str, str]:
    tree = data.region_tree(con)
    row = tree[tree["region_id"] == state.region]
    row = row.iloc[0] if len(row) else tree.iloc[0]
    return row["region_id"], row["level"]


def groups_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Survey figures per group value × service for the selected area (suppression applied)."""
    region, level = _area(con, state)
    frame = data.gap_table(con, level, state.slice(), within=region, group=_dimension(con, state))
    columns = [
        "region_id",
        "region_name",
        "group_value",
        "item_code",
        "category",
        "respondents_n",
        "demand_rate",
        "received_rate",
        "gap_pp",
        "unmet_rate",
        "received_n",
        "unmet_n",
        "suppressed",
    ]
    return frame[columns]


def layout(ctx: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    con = ctx.cursor()
    dimensions = data.group_dimensions(con)
    names = data.service_names(con, lang)
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
                                value=_dimension(con, state),
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
            _panel("group_heatmap", t("ui.heatmap_title", lang), lang),
            _panel("group_dumbbell", t("ui.group_table_title", lang), lang),
        ]
    )


def _panel(name: str, title: str, lang: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(title, className="h5 mb-0", id=f"{name}-title"),
                    download_buttons(name, lang, graph=ids.chart(name)),
                ],
                className="d-flex justify-content-between align-items-center",
            ),
            dbc.CardBody(
                dcc.Loading(
                    dcc.Graph(id=ids.chart(name), config={"displaylogo": False}), type="dot"
                )
            ),
        ],
        className="mb-3",
    )


def _group_names(frame: pd.DataFrame, dimension: str, lang: str) -> dict[object, str]:
    values = frame["group_value"].drop_duplicates()
    if dimension in ("has_spouse", "chronic_disease", "psych_problem"):
        return {v: value_name(None if pd.isna(v) else v == "true", lang) for v in values}
    return {v: value_name(v, lang) for v in values}


def update(ctx: AppContext, state: ViewState) -> tuple[object, object, str]:
    """The heat map, the per-group dumbbell of one service, and that panel's title."""
    con = ctx.cursor()
    lang = state.lang
    frame = groups_frame(con, state)
    names = data.service_names(con, lang)
    if int(frame["respondents_n"].max() or 0) == 0:
        empty = empty_figure(t("ui.no_respondents", lang))
        return empty, empty, t("ui.group_table_title", lang)
    dimension = _dimension(con, state)
    frame = _in_group_order(frame, dimension)
    group_names = _group_names(frame, dimension, lang)
    heat = gap_heatmap(
        frame, group_names=group_names, service_names=names, labels=figure_labels(lang)
    )
    item = state.item if state.item in names else _largest_gap_service(frame)
    rows = frame[frame["item_code"] == item].assign(
        item_code=lambda f: f["group_value"].map(group_names),
        category=t(f"ui.dim_{dimension}", lang),
    )
    by_group = dumbbell(
        rows,
        service_names={},
        category_names={},
        labels=figure_labels(lang),
    )
    return heat, by_group, t("ui.group_title_for", lang, service=names.get(item, item))


def _in_group_order(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    order = GROUP_ORDER.get(dimension, ())
    rank = {value: i for i, value in enumerate(order)}
    key = frame["group_value"].map(lambda v: (v is None or v != v, rank.get(v, len(rank)), str(v)))
    return frame.assign(_key=key).sort_values("_key", kind="stable").drop(columns="_key")


def _largest_gap_service(frame: pd.DataFrame) -> str:
    gaps = frame.groupby("item_code")["gap_pp"].mean()
    return str(gaps.idxmax()) if gaps.notna().any() else str(frame["item_code"].iloc[0])


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.chart("group_heatmap"), "figure"),
        Output(ids.chart("group_dumbbell"), "figure"),
        Output("group_dumbbell-title", "children"),
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


CHARTS = {"group_heatmap": groups_frame, "group_dumbbell": groups_frame}
