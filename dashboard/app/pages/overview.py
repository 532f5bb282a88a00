"""Overview (/): headline figures, need beside receipt per service, need mix vs delivery mix, and
the largest gaps by service and area."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import duckdb
import pandas as pd
from dash import Dash, Output, State, dcc, html

from dashboard import data
from dashboard.app import ids
from dashboard.app.components.download import download_buttons
from dashboard.app.context import AppContext
from dashboard.app.shell import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.app.state import ViewState
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.mix import mix_bars
from dashboard.figures.theme import empty_figure
from dashboard.figures.unmet import unmet_bars
from dashboard.i18n import category_name, figure_labels, t
from dashboard.i18n.numbers import count, pct, points

PATH = "/"
NB_HYPHEN = "\u2011"
TOP_GAPS = 15
CARDS = "overview-cards"
TOP_TABLE = "overview-top-gaps"


def layout(ctx: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    return html.Div(
        [
            html.H1(t("ui.ov_title", lang), className="visually-hidden"),
            dcc.Loading(html.Div(id=CARDS, className="mb-3"), type="dot"),
            _panel("dumbbell", t("ui.dumbbell_title", lang), lang),
            _panel("mix", t("ui.mix_title", lang), lang),
            _panel("unmet", t("ui.unmet_title", lang), lang),
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            html.H2(t("ui.top_gaps_title", lang), className="h5 mb-0"),
                            download_buttons("top_gaps", lang),
                        ],
                        className="d-flex justify-content-between align-items-center",
                    ),
                    dbc.CardBody(dcc.Loading(html.Div(id=TOP_TABLE), type="dot")),
                ],
                className="mb-3",
            ),
        ]
    )


def _panel(name: str, title: str, lang: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(title, className="h5 mb-0"),
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


# -- data behind each chart (also what its download contains) ---------------------------------


def _area(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[str, str, str]:
    """(region_id, display name, level) of the selected area, the root when none is selected."""
    tree = data.region_tree(con)
    row = tree[tree["region_id"] == state.region]
    row = row.iloc[0] if len(row) else tree.iloc[0]
    return row["region_id"], _name(row["name"], row["name_en"], state.lang), row["level"]


def services_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The selected area's figures per service, with 95% intervals and reliability flags."""
    region, _name, level = _area(con, state)
    frame = data.gap_table(con, level, state.slice(), within=region)
    intervals = data.gap_intervals(con, level, state.slice(), within=region)
    keep = ["region_id", "item_code", *data.GAP_INTERVAL_COLUMNS]
    return frame.merge(intervals[keep], on=["region_id", "item_code"], how="left")


def unmet_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The selected area's person-level need × receipt 2×2 per service."""
    region, _name, level = _area(con, state)
    return data.unmet_cells(con, level, state.slice(), within=region)


def top_gaps_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Largest unsuppressed gaps by service × district (× grid inside a chosen district)."""
    region, _name, level = _area(con, state)
    child = "district" if level == "city" else "grid"
    frame = data.gap_table(con, child, state.slice(), within=region)
    frame = frame[frame["gap_pp"].notna()].sort_values("gap_pp", ascending=False)
    return frame.head(TOP_GAPS)


# -- rendering ------------------------------------------------------------------------------


def _name(name: str, name_en: object, lang: str) -> str:
    """A name from the data in the chosen language, falling back to the other."""
    return name_en if lang == "en" and isinstance(name_en, str) and name_en else name


def _card(label: str, value: str, note: str = "", small: bool = False) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(value, className="cg-figure-sm" if small else "cg-figure"),
                    html.Div(label, className="cg-card-label"),
                    html.Div(note, className="cg-card-note text-muted"),
                ]
            ),
            className="h-100",
        ),
        md=6,
        xl=True,
    )


def _period(first: object, last: object) -> str:
    """'2009-03-01 – 2009-12-31', breaking only at the dash (non-breaking hyphens inside dates)."""
    if not first:
        return "—"
    return f"{first} – {last}".replace("-", NB_HYPHEN)


def cards(con: duckdb.DuckDBPyConnection, state: ViewState, top: pd.DataFrame) -> dbc.Row:
    lang = state.lang
    region, _area_name, _level = _area(con, state)
    counts = data.slice_counts(con, region, state.slice())
    survey = data.survey_period(con)
    first, last = data.delivery_period(con)
    start, end = state.start or first, state.end or last
    names = data.service_names(con, lang)
    if len(top):
        best = top.iloc[0]
        place = _name(best["region_name"], best["region_name_en"], lang)
        service = names.get(best["item_code"], best["item_code"])
        largest = points(best["gap_pp"], t("ui.pp", lang))
        note = f"{service} · {place} · n\u00a0=\u00a0{count(best['respondents_n'])}"
    else:
        largest, note = t("ui.no_gap", lang), ""
    return dbc.Row(
        [
            _card(t("ui.card_respondents", lang), count(counts["respondents"])),
            _card(t("ui.card_grids", lang), count(counts["grids_covered"])),
            _card(t("ui.card_survey", lang), _period(*survey), small=True),
            _card(t("ui.card_deliveries", lang), _period(start, end), small=True),
            _card(t("ui.card_largest_gap", lang), largest, note),
        ],
        className="g-3",
    )


def top_table(frame: pd.DataFrame, names: dict[str, str], lang: str) -> dbc.Table | html.P:
    if frame.empty:
        return html.P(t("ui.no_respondents", lang), className="text-muted")
    header = html.Thead(
        html.Tr(
            [
                html.Th(t(f"ui.{key}", lang))
                for key in (
                    "col_rank",
                    "col_service",
                    "col_area",
                    "demand_rate",
                    "received_rate",
                    "gap_pp",
                    "respondents_n",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(i + 1),
                    html.Td(names.get(r.item_code, r.item_code)),
                    html.Td(_name(r.region_name, r.region_name_en, lang)),
                    html.Td(pct(r.demand_rate)),
                    html.Td(pct(r.received_rate)),
                    html.Td(points(r.gap_pp, t("ui.pp", lang)), className="fw-semibold"),
                    html.Td(count(r.respondents_n)),
                ]
            )
            for i, r in enumerate(frame.itertuples())
        ]
    )
    return dbc.Table([header, body], striped=True, hover=True, size="sm", className="cg-table mb-0")


def update(ctx: AppContext, state: ViewState) -> tuple[object, object, object, object, object]:
    """Everything the overview shows for a state (the callback body, testable without a server)."""
    con = ctx.cursor()
    lang = state.lang
    names = data.service_names(con, lang)
    categories = {c: category_name(c, lang) for c in data.categories(con)}
    services = services_frame(con, state)
    if int(services["respondents_n"].max() or 0) == 0:
        empty = empty_figure(t("ui.no_respondents", lang))
        fig_dumbbell, fig_mix, fig_unmet = empty, empty, empty
    else:
        fig_unmet = unmet_bars(
            unmet_frame(con, state),
            service_names=names,
            cell_names={c: t(f"ui.cell_{c}", lang) for c in data.UNMET_CELLS},
            suppressed_label=t("ui.suppressed", lang),
        )
        fig_dumbbell = dumbbell(
            services, service_names=names, category_names=categories, labels=figure_labels(lang)
        )
        fig_mix = mix_bars(services, service_names=names, labels=figure_labels(lang))
    top = top_gaps_frame(con, state)
    return cards(con, state, top), fig_dumbbell, fig_mix, fig_unmet, top_table(top, names, lang)


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(CARDS, "children"),
        Output(ids.chart("dumbbell"), "figure"),
        Output(ids.chart("mix"), "figure"),
        Output(ids.chart("unmet"), "figure"),
        Output(TOP_TABLE, "children"),
        *filter_inputs(),
        State(ids.URL, "search"),
    )
    def refresh(*args: object) -> tuple[object, object, object, object, object]:
        return update(ctx, state_from_inputs(ctx, args[-1], args[: len(FILTER_INPUTS)]))


CHARTS = {
    "dumbbell": services_frame,
    "mix": services_frame,
    "unmet": unmet_frame,
    "top_gaps": top_gaps_frame,
}
