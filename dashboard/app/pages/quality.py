"""Quality of life (/quality): the page — layout and one callback over dashboard.views.quality."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html

from dashboard import data
from dashboard.app import answers, ids
from dashboard.app.components.download import download_buttons
from dashboard.app.context import AppContext
from dashboard.app.filters import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.i18n import t
from dashboard.sql import CachedCursor
from dashboard.views import quality as view
from dashboard.views.quality import TABLES, Quality, TextTable
from dashboard.views.state import ViewState

PATH = view.PATH
DIMENSION = ids.state("dimension")


# -- layout ----------------------------------------------------------------------------------------


def _header(
    name: str, title: str, lang: str, extra: object = None, graph: str | None = None
) -> dbc.CardHeader:
    return dbc.CardHeader(
        [
            html.H2(title, className="h5 mb-0", id=f"{name}-title"),
            extra,
            download_buttons(name, lang, graph=graph),
        ],
        className="d-flex justify-content-between align-items-center flex-wrap gap-2",
    )


def _chart_card(name: str, title: str, lang: str, note: str = "") -> dbc.Card:
    return dbc.Card(
        [
            _header(name, title, lang, graph=ids.chart(name)),
            dbc.CardBody(
                [
                    html.P(id=f"{name}-caption", className="cg-caption mb-1"),
                    dcc.Loading(
                        dcc.Graph(id=ids.chart(name), config={"displaylogo": False}), type="dot"
                    ),
                    html.P(note, className="small text-muted mb-0") if note else None,
                ]
            ),
        ],
        className="mb-3 h-100",
    )


def _table_card(name: str, lang: str, note: str) -> dbc.Card:
    return dbc.Card(
        [
            _header(name, t(f"ui.{name}_title", lang), lang),
            dbc.CardBody(
                [
                    html.P(id=f"{name}-caption", className="cg-caption fw-semibold mb-2"),
                    dcc.Loading(
                        html.Div(id=f"{name}-table", className="table-responsive"), type="dot"
                    ),
                    html.P(note, className="small text-muted mb-0 mt-2") if note else None,
                ]
            ),
        ],
        className="mb-3",
    )


def layout(ctx: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    profile_controls = html.Div(
        [
            dbc.Label(
                t("ui.profile_group", lang), html_for="quality-dimension", className="mb-0 me-2"
            ),
            dcc.Dropdown(
                id=DIMENSION,
                options=[
                    {"label": t(f"ui.dim_{d}", lang), "value": d} for d in data.PROFILE_GROUPS
                ],
                value=view.profile_group(state),
                clearable=False,
                searchable=False,
                style={"minWidth": "14rem"},
            ),
        ],
        className="d-flex align-items-center",
    )
    return html.Div(
        [
            html.H1(t("ui.quality_title", lang), className="visually-hidden"),
            dbc.Alert(
                [
                    html.H2(t("ui.qol_reading_title", lang), className="h6"),
                    html.P(t("ui.qol_reading", lang), className="mb-1"),
                    html.P(t("ui.adl_reading", lang), className="mb-0"),
                ],
                color="light",
                className="cg-reading border small",
                id="quality-reading",
            ),
            dbc.Card(
                [
                    _header(
                        "profile",
                        t("ui.profile_title", lang),
                        lang,
                        profile_controls,
                        graph=ids.chart("profile"),
                    ),
                    dbc.CardBody(
                        [
                            html.P(id="profile-caption", className="cg-caption mb-1"),
                            dcc.Loading(
                                dcc.Graph(id=ids.chart("profile"), config={"displaylogo": False}),
                                type="dot",
                            ),
                        ]
                    ),
                ],
                className="mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _chart_card(
                            "qol_grades", t("ui.grades_title", lang), lang, t("ui.grade_note", lang)
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        _chart_card(
                            "adl_levels", t("ui.adl_title", lang), lang, t("ui.adl_note", lang)
                        ),
                        lg=6,
                    ),
                ],
                className="g-3 mb-3",
            ),
            _table_card("t1", lang, t("ui.t1_method", lang)),
            _table_card("t2", lang, ""),
            _table_card("t3", lang, ""),
            _table_card("t4", lang, t("ui.corr_note_need", lang)),
            _table_card("t5", lang, t("ui.corr_note_received", lang)),
        ]
    )


# -- the view's result as the page's outputs ---------------------------------------------------


def html_table(table: TextTable) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(label) for label in table.header]))
    body = html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in table.rows])
    return dbc.Table([header, body], striped=True, hover=True, size="sm", className="cg-table mb-0")


def _body(result: Quality, name: str, lang: str) -> object:
    if result.empty:
        return html.P(t("ui.no_respondents", lang), className="text-muted")
    table = result.tables[name]
    if table is None:
        return html.P(t("ui.table_suppressed", lang, k=result.k), className="text-muted")
    if name == "t1":
        note = html.P(result.t1_note, className="small text-muted mb-0 mt-2")
        return html.Div([html_table(table), note])
    return html_table(table)


def update(ctx: AppContext, state: ViewState) -> tuple[object, ...]:
    """The callback body: the profile, grade and ADL figures with their captions, then caption
    and table of T1…T5."""
    return _outputs(ctx.cursor(), state)


@answers.kept
def _outputs(con: CachedCursor, state: ViewState) -> tuple[object, ...]:
    result = view.quality(con, state)
    return (
        result.profile,
        result.profile_caption,
        result.grades,
        result.grades_caption,
        result.adl,
        result.adl_caption,
        *(x for name in TABLES for x in (result.captions[name], _body(result, name, state.lang))),
    )


def register(app: Dash, ctx: AppContext) -> None:
    outputs = [
        Output(ids.chart("profile"), "figure"),
        Output("profile-caption", "children"),
        Output(ids.chart("qol_grades"), "figure"),
        Output("qol_grades-caption", "children"),
        Output(ids.chart("adl_levels"), "figure"),
        Output("adl_levels-caption", "children"),
    ]
    for name in TABLES:
        outputs += [Output(f"{name}-caption", "children"), Output(f"{name}-table", "children")]

    @app.callback(*outputs, *filter_inputs(), Input(DIMENSION, "value"), State(ids.URL, "search"))
    def refresh(*args: object) -> tuple[object, ...]:
        n = len(FILTER_INPUTS)
        state = state_from_inputs(ctx, args[-1], args[:n]).updated({"dimension": args[n]})
        return update(ctx, state)
