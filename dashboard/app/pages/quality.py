"""Quality of life (/quality): the SF-36 domain profile by group, the QoL grade and ADL level
distributions, and the study's five tables regenerated from the data (T1 regression of the QoL
total on the covariates, T2 demand over the service items, T3 services received, T4/T5 the
correlation of demand and of services received with QoL), each with a plain caption and a download.

Privacy: the respondent-level rows behind T1/T4/T5 are read and reduced on the server
(dashboard.stats.tables); only the aggregate tables reach the page, a download or the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
from dashboard.cache import per_dataset
from dashboard.figures.quality import DOMAINS, domain_profile, level_bars
from dashboard.figures.theme import empty_figure
from dashboard.i18n import t, value_name
from dashboard.i18n.numbers import MINUS, count, is_missing, p_cell, p_text, pct, signed
from dashboard.stats import tables as st

PATH = "/quality"
DIMENSION = ids.state("dimension")
TABLES = ("t1", "t2", "t3", "t4", "t5")


def _group(state: ViewState) -> str:
    return state.dimension if state.dimension in data.PROFILE_GROUPS else "age_group"


def _area(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    tree = data.region_tree(con)
    if state.region and (tree["region_id"] == state.region).any():
        return str(state.region)
    return str(tree.iloc[0]["region_id"])


# -- the figures behind each chart and table (aggregates only) ---------------------------------


def profile_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Mean SF-36 domain scores (0–100) and QoL total per group of the chosen covariate."""
    return data.domain_profile(con, _group(state), _area(con, state), state.slice())


def grades_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.score_levels(con, "qol_grade", _area(con, state), state.slice())


def adl_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.score_levels(con, "adl_level", _area(con, state), state.slice())


def t2_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.service_demand(con, _area(con, state), state.slice())


def t3_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.service_received(con, _area(con, state), state.slice())


def _modelled(
    con: duckdb.DuckDBPyConnection, state: ViewState
) -> tuple[st.Regression, pd.DataFrame, pd.DataFrame]:
    """T1, T4 and T5 for the slice, computed from respondent rows that stay on the server."""
    return _models(con, _area(con, state), state.slice())


@per_dataset(32)
def _models(
    con: duckdb.DuckDBPyConnection, area: str, slice_: data.Slice
) -> tuple[st.Regression, pd.DataFrame, pd.DataFrame]:
    """The fits behind T1/T4/T5 (reused, e.g. by a download, while one dataset is served)."""
    inputs = data.quality_inputs(con, area, slice_)
    services = data.service_bits(con)
    return (
        st.regression_table(inputs, min_n=slice_.min_n),
        st.correlation_table(inputs, services, "need", min_n=slice_.min_n),
        st.correlation_table(inputs, services, "received", min_n=slice_.min_n),
    )


def t1_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return _modelled(con, state)[0].table


def t4_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return _modelled(con, state)[1]


def t5_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return _modelled(con, state)[2]


# -- words ---------------------------------------------------------------------------------------


def term_name(term: str, lang: str) -> str:
    if term == st.INTERCEPT:
        return t("ui.term_intercept", lang)
    if term in ("adl_total", "age"):
        return t(f"ui.term_{term}", lang)
    return t(f"ui.dim_{term}", lang)


def _service_label(names: dict[str, str], lang: str) -> Callable[[str], str]:
    return lambda code: (
        t("ui.all_services", lang) if code == st.ALL_SERVICES else names.get(code, code)
    )


def _extremes(frame: pd.DataFrame, rate: str, label: Callable[[str], str]) -> dict | None:
    rows = frame[frame[rate].notna()]
    if rows.empty:
        return None
    top = rows.loc[rows[rate].astype(float).idxmax()]
    low = rows.loc[rows[rate].astype(float).idxmin()]
    return {
        "top": label(top["item_code"]),
        "rate": pct(top[rate]),
        "low": label(low["item_code"]),
        "low_rate": pct(low[rate]),
    }


def t1_caption(reg: st.Regression, lang: str) -> str:
    if reg.suppressed or "stepwise" not in reg.models:
        return ""
    fit = reg.models["stepwise"]
    if not fit.terms:
        return t("ui.t1_caption_none", lang, n=count(fit.n))
    sep = "、" if lang == "zh" else ", "
    terms = sep.join(term_name(x, lang) for x in fit.terms)
    return t("ui.t1_caption", lang, terms=terms, n=count(fit.n), r2=f"{fit.r2:.2f}")


def correlation_caption(frame: pd.DataFrame, indicator: str, lang: str) -> str:
    row = frame[frame["item_code"] == st.ALL_SERVICES]
    if row.empty or bool(row["suppressed"].iloc[0]) or is_missing(row["r"].iloc[0]):
        return ""
    r, p, n = float(row["r"].iloc[0]), float(row["p"].iloc[0]), int(row["respondents_n"].iloc[0])
    values = {"r": signed(r), "p": p_text(p), "n": count(n)}
    if p >= 0.05:
        return t(f"ui.corr_none_{indicator}", lang, **values)
    key = ("t4_" if indicator == "need" else "t5_") + ("neg" if r < 0 else "pos")
    return t(f"ui.{key}", lang, **values)


def levels_caption(frame: pd.DataFrame, key: str, lang: str) -> str:
    shares = {row.level: pct(row.share) for row in frame.itertuples()}
    n = int(frame["respondents_n"].sum())
    return t(f"ui.{key}", lang, n=count(n), **shares)


# -- the tables as a report: the page, downloads and `caregap report tables` ---------------------


@dataclass(frozen=True)
class StudyTable:
    """One table as the report prints it: aggregate rows only, with a plain caption."""

    name: str
    title: str
    caption: str
    note: str
    frame: pd.DataFrame


def study_tables(con: duckdb.DuckDBPyConnection, state: ViewState) -> list[StudyTable]:
    """The five study tables, then the QoL grade, ADL level and domain-profile distributions."""
    lang = state.lang
    label = _service_label(data.service_names(con, lang), lang)
    reg, t4, t5 = _modelled(con, state)
    t2, t3 = t2_frame(con, state), t3_frame(con, state)
    grades, adl = grades_frame(con, state), adl_frame(con, state)
    suppressed = t("ui.table_suppressed", lang, k=state.min_n)
    ext2, ext3 = _extremes(t2, "demand_rate", label), _extremes(t3, "received_rate", label)
    return [
        StudyTable(
            "t1",
            t("ui.t1_title", lang),
            t1_caption(reg, lang) or suppressed,
            t("ui.t1_method", lang) + " " + t(f"ui.se_{reg.se_method}", lang),
            reg.table,
        ),
        StudyTable(
            "t2",
            t("ui.t2_title", lang),
            t("ui.t2_caption", lang, T=state.threshold, **ext2) if ext2 else suppressed,
            "",
            t2,
        ),
        StudyTable(
            "t3",
            t("ui.t3_title", lang),
            t("ui.t3_caption", lang, **ext3) if ext3 else suppressed,
            "",
            t3,
        ),
        StudyTable(
            "t4",
            t("ui.t4_title", lang),
            correlation_caption(t4, "need", lang) or suppressed,
            t("ui.corr_note_need", lang),
            t4,
        ),
        StudyTable(
            "t5",
            t("ui.t5_title", lang),
            correlation_caption(t5, "received", lang) or suppressed,
            t("ui.corr_note_received", lang),
            t5,
        ),
        StudyTable(
            "qol_grades",
            t("ui.grades_title", lang),
            levels_caption(grades, "grades_caption", lang),
            t("ui.grade_note", lang),
            grades,
        ),
        StudyTable(
            "adl_levels",
            t("ui.adl_title", lang),
            levels_caption(adl, "adl_caption", lang),
            t("ui.adl_note", lang),
            adl,
        ),
        StudyTable(
            "profile",
            t("ui.profile_title", lang),
            t("ui.profile_caption", lang, k=state.min_n),
            t("ui.qol_reading", lang),
            profile_frame(con, state),
        ),
    ]


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
                value=_group(state),
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


# -- tables on screen ------------------------------------------------------------------------------

Column = tuple[str, str, Callable[[object], str]]


def _num(digits: int) -> Callable[[object], str]:
    return lambda v: "—" if is_missing(v) else f"{float(v):.{digits}f}".replace("-", MINUS)


def html_table(frame: pd.DataFrame, columns: list[Column]) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(label) for label, _, _ in columns]))
    body = html.Tbody(
        [
            html.Tr([html.Td(fmt(getattr(row, key))) for _, key, fmt in columns])
            for row in frame.itertuples(index=False)
        ]
    )
    return dbc.Table([header, body], striped=True, hover=True, size="sm", className="cg-table mb-0")


def _t1_table(frame: pd.DataFrame, lang: str) -> dbc.Table:
    shown = frame.assign(
        model=[
            t(f"ui.model_{m}", lang) if i == 0 or frame["model"].iloc[i - 1] != m else ""
            for i, m in enumerate(frame["model"])
        ],
        term=[term_name(x, lang) for x in frame["term"]],
        level=[
            "" if is_missing(v) or v is None else value_name(_bool_or(v), lang)
            for v in frame["level"]
        ],
    )
    text = str
    return html_table(
        shown,
        [
            (t("ui.col_model", lang), "model", text),
            (t("ui.col_term", lang), "term", text),
            (t("ui.col_level", lang), "level", text),
            (t("ui.col_coef", lang), "coef", _num(3)),
            (t("ui.col_se", lang), "se", _num(3)),
            (t("ui.col_t", lang), "t", _num(2)),
            (t("ui.col_p", lang), "p", p_cell),
            (t("ui.col_term_p", lang), "term_p", p_cell),
        ],
    )


def _bool_or(value: object) -> object:
    return {"true": True, "false": False, "True": True, "False": False}.get(str(value), value)


def _correlation_table(frame: pd.DataFrame, label: Callable[[str], str], lang: str) -> dbc.Table:
    shown = frame.assign(item_code=[label(c) for c in frame["item_code"]])
    return html_table(
        shown,
        [
            (t("ui.col_service", lang), "item_code", str),
            (t("ui.col_r", lang), "r", lambda v: signed(v, 3)),
            (t("ui.col_p", lang), "p", p_cell),
            (t("ui.respondents_n", lang), "respondents_n", count),
        ],
    )


def _t2_table(frame: pd.DataFrame, label: Callable[[str], str], lang: str) -> dbc.Table:
    shown = frame.assign(item_code=[label(c) for c in frame["item_code"]])
    return html_table(
        shown,
        [
            (t("ui.col_service", lang), "item_code", str),
            (t("ui.demand_rate", lang), "demand_rate", pct),
            (t("ui.col_need_n", lang), "demand_n", count),
            (t("ui.col_answered", lang), "respondents_n", count),
            *((t("ui.col_answer_k", lang, k=k), f"share_{k}", pct) for k in range(1, 6)),
        ],
    )


def _t3_table(frame: pd.DataFrame, label: Callable[[str], str], lang: str) -> dbc.Table:
    shown = frame.assign(item_code=[label(c) for c in frame["item_code"]])
    return html_table(
        shown,
        [
            (t("ui.col_service", lang), "item_code", str),
            (t("ui.received_rate", lang), "received_rate", pct),
            (t("ui.col_received_n", lang), "receivers_n", count),
            (t("ui.col_answered", lang), "received_n", count),
        ],
    )


def _labels(lang: str) -> dict[str, str]:
    return {
        "mean_score": t("ui.mean_score", lang),
        "suppressed": t("ui.suppressed", lang),
        "share": t("ui.share_weighted", lang),
    }


def update(ctx: AppContext, state: ViewState) -> tuple[object, ...]:
    """Everything the view shows for a state (the callback body, testable without a server):
    the profile, grade and ADL figures with their captions, then caption and table of T1…T5."""
    con = ctx.cursor()
    lang = state.lang
    counts = data.slice_counts(con, _area(con, state), state.slice())
    if counts["respondents"] == 0:
        empty = empty_figure(t("ui.no_respondents", lang))
        none = html.P(t("ui.no_respondents", lang), className="text-muted")
        return (empty, "", empty, "", empty, "", *(x for _ in TABLES for x in ("", none)))
    report = {table.name: table for table in study_tables(con, state)}
    label = _service_label(data.service_names(con, lang), lang)
    profile = report["profile"].frame
    group_names = {v: value_name(v, lang) for v in profile["group_value"]}
    fig_profile = domain_profile(
        profile,
        domain_names={d: t(f"ui.domain_{d}", lang) for d in DOMAINS},
        group_names=group_names,
        labels=_labels(lang),
    )
    level_names = {v: value_name(v, lang) for v in ("poor", "medium", "good")} | {
        v: value_name(v, lang) for v in ("normal", "mild", "moderate", "severe")
    }
    fig_grades = level_bars(
        report["qol_grades"].frame, level_names=level_names, labels=_labels(lang)
    )
    fig_adl = level_bars(report["adl_levels"].frame, level_names=level_names, labels=_labels(lang))
    suppressed = html.P(t("ui.table_suppressed", lang, k=state.min_n), className="text-muted")
    t1 = report["t1"].frame
    reg_method = _modelled(con, state)[0].se_method
    bodies = {
        "t1": html.Div(
            [
                _t1_table(t1, lang),
                html.P(t(f"ui.se_{reg_method}", lang), className="small text-muted mb-0 mt-2"),
            ]
        )
        if len(t1)
        else suppressed,
        "t2": _t2_table(report["t2"].frame, label, lang),
        "t3": _t3_table(report["t3"].frame, label, lang),
        "t4": _correlation_table(report["t4"].frame, label, lang),
        "t5": _correlation_table(report["t5"].frame, label, lang),
    }
    return (
        fig_profile,
        report["profile"].caption,
        fig_grades,
        report["qol_grades"].caption,
        fig_adl,
        report["adl_levels"].caption,
        *(x for name in TABLES for x in (report[name].caption, bodies[name])),
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


CHARTS = {
    "profile": profile_frame,
    "qol_grades": grades_frame,
    "adl_levels": adl_frame,
    "t1": t1_frame,
    "t2": t2_frame,
    "t3": t3_frame,
    "t4": t4_frame,
    "t5": t5_frame,
}
