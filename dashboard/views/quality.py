"""Quality of life (/quality): the SF-36 domain profile by group, the QoL grade and ADL level
distributions, and the study's five tables regenerated from the data (T1 regression of the QoL
total on the covariates, T2 demand over the service items, T3 services received, T4/T5 the
correlation of demand and of services received with QoL), each with a plain caption.

Privacy: the respondent-level rows behind T1/T4/T5 are read and reduced on the server
(dashboard.stats.tables); only the aggregate tables reach a page, a download or the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import data
from dashboard.cache import per_dataset
from dashboard.figures.correlation import correlation_bars
from dashboard.figures.quality import DOMAINS, domain_profile, level_bars
from dashboard.figures.theme import empty_figure
from dashboard.i18n import figure_labels, t, value_name
from dashboard.i18n.numbers import (
    MINUS,
    count,
    count_or_withheld,
    is_missing,
    p_cell,
    p_text,
    pct,
    signed,
)
from dashboard.stats import tables as st
from dashboard.stats.scoring import ADL_LEVELS, QOL_GRADES
from dashboard.views import areas, counts, words
from dashboard.views.state import ViewState

PATH = "/quality"
TABLES = ("t1", "t2", "t3", "t4", "t5")


def profile_group(state: ViewState) -> str:
    """The covariate the SF-36 profile is broken down by (age group unless another is chosen)."""
    return state.dimension if state.dimension in data.PROFILE_GROUPS else "age_group"


def _area(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    return areas.selected(con, state.region, state.lang).region_id


# -- the figures behind each chart and table (aggregates only) ---------------------------------


def profile_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Mean SF-36 domain scores (0–100) and QoL total per group of the chosen covariate."""
    return data.domain_profile(con, profile_group(state), _area(con, state), state.slice())


def grades_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.score_levels(con, "qol_grade", _area(con, state), state.slice())


def adl_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.score_levels(con, "adl_level", _area(con, state), state.slice())


def t2_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.service_demand(con, _area(con, state), state.slice())


def t3_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return data.service_received(con, _area(con, state), state.slice())


def modelled(
    con: duckdb.DuckDBPyConnection, state: ViewState
) -> tuple[st.Regression, pd.DataFrame, pd.DataFrame]:
    """T1, T4 and T5 for the slice, computed from respondent rows that stay on the server."""
    return _models(con, _area(con, state), state.slice())


@per_dataset(32)
def _models(
    con: duckdb.DuckDBPyConnection, area: str, slice_: data.Slice
) -> tuple[st.Regression, pd.DataFrame, pd.DataFrame]:
    """The fits behind T1/T4/T5 (reused, e.g. by a download, while one dataset is served),
    published through the floor and the differencing rule."""
    fit, need, received = data.quality_fits(con, area, slice_)
    k = slice_.min_n

    def rows_open(received: bool) -> Callable[[str], bool]:
        # a correlation rests on the QoL totals and the item's answers (and receipts)
        def is_open(item: str) -> bool:
            item = "" if item == st.ALL_SERVICES else item
            bases = ("qol", *data.item_bases(con, item, received))
            return data.slice_open(con, area, slice_, bases)

        return is_open

    model_open = data.slice_open(con, area, slice_, data.all_bases(con))
    return (
        st.publish_regression(fit, min_n=k, published=model_open),
        st.publish_correlations(need, min_n=k, published=rows_open(False)),
        st.publish_correlations(received, min_n=k, published=rows_open(True)),
    )


def t1_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return modelled(con, state)[0].table


def t4_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return modelled(con, state)[1]


def t5_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    return modelled(con, state)[2]


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
    sep = t("ui.sep_enum", lang)
    terms = sep.join(term_name(x, lang) for x in fit.terms)
    return t("ui.t1_caption", lang, terms=terms, n=count(fit.n), r2=f"{fit.r2:.2f}")


def correlation_caption(frame: pd.DataFrame, indicator: str, lang: str, k: int) -> str:
    row = frame[frame["item_code"] == st.ALL_SERVICES]
    if row.empty or bool(row["suppressed"].iloc[0]) or is_missing(row["r"].iloc[0]):
        return ""
    r, p, n = float(row["r"].iloc[0]), float(row["p"].iloc[0]), row["respondents_n"].iloc[0]
    values = {"r": signed(r), "p": p_text(p), "n": count_or_withheld(n, k)}
    if p >= 0.05:
        return t(f"ui.corr_none_{indicator}", lang, **values)
    key = ("t4_" if indicator == "need" else "t5_") + ("neg" if r < 0 else "pos")
    return t(f"ui.{key}", lang, **values)


def levels_caption(frame: pd.DataFrame, key: str, lang: str, k: int) -> str:
    """The shares of each level and n, the respondents scored: the published total (scored_n,
    which the gate withholds on a suppressed level's row), never the levels' counts summed."""
    shares = {row.level: pct(row.share) for row in frame.itertuples()}
    scored = frame["scored_n"].dropna()
    n = scored.iloc[0] if len(scored) else float("nan")
    return t(f"ui.{key}", lang, n=count_or_withheld(n, k), **shares)


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
    lang, k = state.lang, counts.k_of(state)
    label = _service_label(data.service_names(con, lang), lang)
    reg, t4, t5 = modelled(con, state)
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
            correlation_caption(t4, "need", lang, k) or suppressed,
            t("ui.corr_note_need", lang),
            t4,
        ),
        StudyTable(
            "t5",
            t("ui.t5_title", lang),
            correlation_caption(t5, "received", lang, k) or suppressed,
            t("ui.corr_note_received", lang),
            t5,
        ),
        StudyTable(
            "qol_grades",
            t("ui.grades_title", lang),
            levels_caption(grades, "grades_caption", lang, k),
            t("ui.grade_note", lang),
            grades,
        ),
        StudyTable(
            "adl_levels",
            t("ui.adl_title", lang),
            levels_caption(adl, "adl_caption", lang, k),
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


# -- tables on screen ------------------------------------------------------------------------------

Column = tuple[str, str, Callable[[object], str]]


@dataclass(frozen=True)
class TextTable:
    """A table as the reader sees it: column headers and rows of formatted text."""

    header: list[str]
    rows: list[list[str]]


def _num(digits: int) -> Callable[[object], str]:
    return lambda v: "—" if is_missing(v) else f"{float(v):.{digits}f}".replace("-", MINUS)


def text_table(frame: pd.DataFrame, columns: list[Column]) -> TextTable:
    return TextTable(
        [label for label, _, _ in columns],
        [
            [fmt(getattr(row, key)) for _, key, fmt in columns]
            for row in frame.itertuples(index=False)
        ],
    )


def t1_table(frame: pd.DataFrame, lang: str) -> TextTable:
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
    return text_table(
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


def _counts(k: int) -> Callable[[object], str]:
    """A count column's cells: the value, or "<k" where the gate withheld it."""
    return lambda v: count_or_withheld(v, k)


def correlation_table(
    frame: pd.DataFrame, label: Callable[[str], str], lang: str, k: int
) -> TextTable:
    shown = frame.assign(item_code=[label(c) for c in frame["item_code"]])
    return text_table(
        shown,
        [
            (t("ui.col_service", lang), "item_code", str),
            (t("ui.col_r", lang), "r", lambda v: signed(v, 3)),
            (t("ui.col_p", lang), "p", p_cell),
            (t("ui.respondents_n", lang), "respondents_n", _counts(k)),
        ],
    )


def t2_table(frame: pd.DataFrame, label: Callable[[str], str], lang: str, k: int) -> TextTable:
    shown = frame.assign(item_code=[label(c) for c in frame["item_code"]])
    return text_table(
        shown,
        [
            (t("ui.col_service", lang), "item_code", str),
            (t("ui.demand_rate", lang), "demand_rate", pct),
            (t("ui.col_need_n", lang), "demand_n", _counts(k)),
            (t("ui.col_answered", lang), "respondents_n", _counts(k)),
            *((t("ui.col_answer_k", lang, k=k), f"share_{k}", pct) for k in range(1, 6)),
        ],
    )


def t3_table(frame: pd.DataFrame, label: Callable[[str], str], lang: str, k: int) -> TextTable:
    shown = frame.assign(item_code=[label(c) for c in frame["item_code"]])
    return text_table(
        shown,
        [
            (t("ui.col_service", lang), "item_code", str),
            (t("ui.received_rate", lang), "received_rate", pct),
            (t("ui.col_received_n", lang), "receivers_n", _counts(k)),
            (t("ui.col_answered", lang), "received_n", _counts(k)),
        ],
    )


# -- figures --------------------------------------------------------------------------------------

LEVELS = (*QOL_GRADES, *ADL_LEVELS)


def profile_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    lang = state.lang
    return domain_profile(
        frame,
        domain_names={d: t(f"ui.domain_{d}", lang) for d in DOMAINS},
        group_names={v: value_name(v, lang) for v in frame["group_value"]},
        labels=figure_labels(lang),
        k=counts.k_of(state),
    )


def levels_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    """QoL grades or ADL levels as bars of their weighted shares."""
    lang = state.lang
    return level_bars(
        frame,
        level_names={v: value_name(v, lang) for v in LEVELS},
        labels=figure_labels(lang),
        k=counts.k_of(state),
    )


def qol_link_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """T4 beside T5: per service, r of the QoL total with needing it and with receiving it."""
    _reg, need, received = modelled(con, state)
    return pd.concat([need.assign(indicator="need"), received.assign(indicator="received")])


def qol_link_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    """How need and receipt go with quality of life (the study's T4/T5 as one chart)."""
    lang = state.lang
    return correlation_bars(
        frame[frame["indicator"] == "need"],
        frame[frame["indicator"] == "received"],
        service_names=words.service_names(con, lang),
        labels={
            "need": t("ui.r_need", lang),
            "received": t("ui.r_received", lang),
            "axis": t("ui.r_axis", lang),
            "all": t("ui.all_services", lang),
            "suppressed": t("ui.suppressed", lang),
        },
    )


# -- the whole view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    """Everything the view shows: figures with captions, then T1…T5 (caption, table).

    A table is None when it is suppressed (fewer respondents than k); `empty` says there are no
    respondents in the slice at all (then nothing else is filled).
    """

    empty: bool
    profile: go.Figure
    profile_caption: str
    grades: go.Figure
    grades_caption: str
    adl: go.Figure
    adl_caption: str
    captions: dict[str, str]
    tables: dict[str, TextTable | None]
    t1_note: str
    k: int


def quality(con: duckdb.DuckDBPyConnection, state: ViewState) -> Quality:
    lang, k = state.lang, counts.k_of(state)
    if data.slice_counts(con, _area(con, state), state.slice())["respondents"] == 0:
        empty = empty_figure(t("ui.no_respondents", lang))
        none = dict.fromkeys(TABLES)
        captions = dict.fromkeys(TABLES, "")
        return Quality(True, empty, "", empty, "", empty, "", captions, none, "", state.min_n)
    report = {table.name: table for table in study_tables(con, state)}
    label = _service_label(data.service_names(con, lang), lang)
    t1 = report["t1"].frame
    return Quality(
        empty=False,
        profile=profile_figure(con, state, report["profile"].frame),
        profile_caption=report["profile"].caption,
        grades=levels_figure(con, state, report["qol_grades"].frame),
        grades_caption=report["qol_grades"].caption,
        adl=levels_figure(con, state, report["adl_levels"].frame),
        adl_caption=report["adl_levels"].caption,
        captions={name: report[name].caption for name in TABLES},
        tables={
            "t1": t1_table(t1, lang) if len(t1) else None,
            "t2": t2_table(report["t2"].frame, label, lang, k),
            "t3": t3_table(report["t3"].frame, label, lang, k),
            "t4": correlation_table(report["t4"].frame, label, lang, k),
            "t5": correlation_table(report["t5"].frame, label, lang, k),
        },
        t1_note=t(f"ui.se_{modelled(con, state)[0].se_method}", lang),
        k=state.min_n,
    )
