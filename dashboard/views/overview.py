"""Overview (/): headline figures, need beside receipt per service, need mix vs delivery mix, the
person-level 2×2 of need and receipt, and the largest gaps by service and area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import data, disclosure
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.hidden import hidden_label
from dashboard.figures.mix import mix_bars
from dashboard.figures.theme import empty_figure
from dashboard.figures.trend import monthly_bars
from dashboard.figures.unmet import unmet_bars
from dashboard.i18n import figure_labels, t
from dashboard.i18n.numbers import count, count_or_withheld, n_is, pct, points
from dashboard.views import areas, counts, ranking, words
from dashboard.views.state import ViewState

PATH = "/"
NB_HYPHEN = "\u2011"
TOP_GAPS = 15


# -- the frames behind each chart (also what its download contains) ---------------------------


def services_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The selected area's figures per service, with 95% intervals and reliability flags."""
    area = areas.selected(con, state.region, state.lang)
    frame = data.gap_table(con, area.level, state.slice(), within=area.region_id)
    intervals = data.gap_intervals(con, area.level, state.slice(), within=area.region_id)
    keep = ["region_id", "item_code", *data.GAP_INTERVAL_COLUMNS]
    return frame.merge(intervals[keep], on=["region_id", "item_code"], how="left")


def unmet_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The selected area's person-level need × receipt 2×2 per service."""
    area = areas.selected(con, state.region, state.lang)
    return data.unmet_cells(con, area.level, state.slice(), within=area.region_id)


def child_level(level: str) -> str:
    """The areas the largest gaps are ranked over: districts of the city, else grids."""
    return "district" if level == "city" else "grid"


def ranked_gaps(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Every unsuppressed gap by service × district (× grid inside a chosen district), with its
    intervals, reliability and bounds, in the order `state.gap_rank` asks (views.ranking)."""
    area = areas.selected(con, state.region, state.lang)
    level = child_level(area.level)
    frame = data.gap_table(con, level, state.slice(), within=area.region_id)
    frame = ranking.with_intervals(con, frame, level, state.slice(), within=area.region_id)
    return ranking.ranked(disclosure.shown(frame, "gap_pp"), state.gap_rank)


def top_gaps_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The TOP_GAPS first of ranked_gaps (the table, its download and the briefing's slide)."""
    return ranked_gaps(con, state).head(TOP_GAPS)


def trend_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The selected area's deliveries per month × category (or service: `state.breakdown`) in
    the delivery period, 0 where none was made. Counts of services, not of people: not gated."""
    area = areas.selected(con, state.region, state.lang)
    frame = data.provision_months(con, state.slice(), within=area.region_id, by=state.breakdown)
    return frame.assign(month=pd.to_datetime(frame["month"]).dt.date)


def partial_months(state: ViewState) -> list[dt.date]:
    """The months (first days) the chosen period covers only in part: it starts or ends inside
    them (the data's own first and last days are not a choice, so they are not flagged)."""
    months = []
    if state.start and state.start.day != 1:
        months.append(state.start.replace(day=1))
    if state.end and (state.end + dt.timedelta(days=1)).month == state.end.month:
        months.append(state.end.replace(day=1))
    return months


def has_respondents(frame: pd.DataFrame) -> bool:
    """Whether anybody answered (a withheld count is somebody: views.counts.has_respondents)."""
    return counts.has_respondents(frame)


# -- figures ------------------------------------------------------------------------------------


def dumbbell_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    if not has_respondents(frame):
        return empty_figure(t("ui.no_respondents", state.lang))
    return dumbbell(
        frame,
        service_names=words.service_names(con, state.lang),
        category_names=words.category_names(con, state.lang),
        labels=figure_labels(state.lang),
        k=counts.k_of(state),
        n_below=True,
    )


def mix_figure(con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame) -> go.Figure:
    if not has_respondents(frame):
        return empty_figure(t("ui.no_respondents", state.lang))
    return mix_bars(
        frame,
        service_names=words.service_names(con, state.lang),
        labels=figure_labels(state.lang),
        k=counts.k_of(state),
    )


def unmet_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    if frame.empty:
        return empty_figure(t("ui.no_respondents", state.lang))
    lang = state.lang
    return unmet_bars(
        frame,
        service_names=words.service_names(con, lang),
        cell_names={c: t(f"ui.cell_{c}", lang) for c in data.UNMET_CELLS},
        suppressed_label=hidden_label(figure_labels(lang), counts.k_of(state)),
        suppressed_word=t("ui.suppressed", lang),
        k=counts.k_of(state),
    )


def trend_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    """Deliveries per month, stacked by category or service (empty: says so for the period)."""
    names = (
        words.category_names(con, state.lang)
        if state.breakdown == "category"
        else words.service_names(con, state.lang)
    )
    return monthly_bars(
        frame,
        item_names=names,
        labels=figure_labels(state.lang),
        partial=partial_months(state),
    )


def trend(con: duckdb.DuckDBPyConnection, state: ViewState) -> go.Figure:
    """The monthly trend as the page draws it (its own callback: the breakdown switch redraws
    only this chart)."""
    return trend_figure(con, state, trend_frame(con, state))


def top_gaps_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame, rows: int = 8
) -> go.Figure:
    """The largest gaps as a compact dumbbell, one row per service · area (a slide's picture)."""
    if frame.empty:
        return empty_figure(t("ui.no_respondents", state.lang))
    names = words.service_names(con, state.lang)
    top = frame.head(rows)
    labels = [
        f"{names.get(r.item_code, r.item_code)} · {areas.row_name(r, state.lang)}"
        for r in top.itertuples()
    ]
    return dumbbell(
        top.assign(item_code=labels, category=""),
        service_names={},
        category_names={},
        labels=figure_labels(state.lang),
        k=counts.k_of(state),
        compact=True,
    )


# -- headline cards and the table of largest gaps (words, no markup) ---------------------------


@dataclass(frozen=True)
class Card:
    """One headline figure: its value, what it is, and a note under it."""

    label: str
    value: str
    note: str = ""
    small: bool = False


def period_text(first: object, last: object) -> str:
    """'2009-03-01 – 2009-12-31', breaking only at the dash (non-breaking hyphens inside dates)."""
    if not first:
        return "—"
    return f"{first} – {last}".replace("-", NB_HYPHEN)


def cards(con: duckdb.DuckDBPyConnection, state: ViewState, gaps: pd.DataFrame) -> list[Card]:
    """The headline figures; the largest gap is the one views.ranking.headline may name (never a
    figure flagged unreliable), with the least the data supports beside it."""
    lang = state.lang
    area = areas.selected(con, state.region, lang)
    slice_counts = data.slice_counts(con, area.region_id, state.slice())
    k = counts.k_of(state)
    first, last = data.delivery_period(con)
    start, end = state.start or first, state.end or last
    best = ranking.headline(gaps) if len(gaps) else None
    if best is not None:
        largest = points(best["gap_pp"], t("ui.pp", lang))
        note = t(
            "ui.card_gap_note",
            lang,
            service=words.service_names(con, lang).get(best["item_code"], best["item_code"]),
            area=areas.row_name(best, lang),
            n=n_is(best["respondents_n"], k).replace(" ", "\u00a0"),
            least=at_least(best, lang),
        )
    else:
        largest, note = t("ui.no_gap" if gaps.empty else "ui.no_sure_gap", lang), ""
    return [
        Card(
            t("ui.card_respondents", lang),
            count_or_withheld(counts.respondents(con, area.region_id, state), k),
        ),
        Card(t("ui.card_grids", lang), count(slice_counts["grids_covered"])),
        Card(t("ui.card_survey", lang), period_text(*data.survey_period(con)), small=True),
        Card(t("ui.card_deliveries", lang), period_text(start, end), small=True),
        Card(t("ui.card_largest_gap", lang), largest, note),
    ]


def at_least(row: pd.Series, lang: str) -> str:
    """The gap's lower bound as words ('at least +12.0 pp'), or why there is none."""
    lo = row.get("gap_pp_lo")
    if lo is None or pd.isna(lo):
        return t("ui.ci_not_estimable", lang)
    return t("ui.gap_at_least", lang, value=points(lo, t("ui.pp", lang)))


def reliability_word(row: object, lang: str) -> str:
    """The row's NCHS verdict in words ('—' where the gate hid its figures)."""
    flag = getattr(row, "reliability", None)
    if flag is None or flag != flag:
        return "—"
    return t(f"ui.reliability_{flag}", lang)


TOP_COLUMNS = (
    "col_rank",
    "col_service",
    "col_area",
    "demand_rate",
    "received_rate",
    "gap_pp",
    "col_gap_at_least",
    "col_reliability",
    "respondents_n",
)


def top_rows(con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame) -> list[list]:
    """The largest-gaps table as text: one list per row, in TOP_COLUMNS order."""
    lang, k = state.lang, counts.k_of(state)
    names = words.service_names(con, lang)
    return [
        [
            i + 1,
            names.get(r.item_code, r.item_code),
            areas.row_name(r, lang),
            pct(r.demand_rate),
            pct(r.received_rate),
            points(r.gap_pp, t("ui.pp", lang)),
            points(r.gap_pp_lo, t("ui.pp", lang)),
            reliability_word(r, lang),
            count_or_withheld(r.respondents_n, k),
        ]
        for i, r in enumerate(frame.itertuples())
    ]


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows for a state."""

    cards: list[Card]
    dumbbell: go.Figure
    mix: go.Figure
    unmet: go.Figure
    top_header: list[str]
    top_rows: list[list]
    #: per row of top_rows: its figures are flagged unreliable (drawn faded, never headlined)
    top_unreliable: list[bool]


def overview(con: duckdb.DuckDBPyConnection, state: ViewState) -> Overview:
    services = services_frame(con, state)
    gaps = ranked_gaps(con, state)
    top = gaps.head(TOP_GAPS)
    if has_respondents(services):
        unmet = unmet_figure(con, state, unmet_frame(con, state))
    else:
        unmet = empty_figure(t("ui.no_respondents", state.lang))
    return Overview(
        cards=cards(con, state, gaps),
        dumbbell=dumbbell_figure(con, state, services),
        mix=mix_figure(con, state, services),
        unmet=unmet,
        top_header=[t(f"ui.{key}", state.lang) for key in TOP_COLUMNS],
        top_rows=top_rows(con, state, top),
        top_unreliable=list(ranking.unreliable(top)),
    )
