"""Groups (/groups): need beside receipt for each group of a covariate (age group, sex, education,
income, payment form, …), as a group × service heat map of the gap and a per-group dumbbell for one
service. Groups smaller than the minimum n are suppressed, like every other cell."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import data
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.heatmap import gap_heatmap
from dashboard.figures.theme import empty_figure
from dashboard.i18n import figure_labels, t, value_name
from dashboard.ingest.schema import AGE_GROUPS
from dashboard.stats.scoring import ADL_LEVELS, QOL_GRADES
from dashboard.views import areas, counts, words
from dashboard.views.state import ViewState

PATH = "/groups"
#: Natural order of ordinal groups (others: as the data sorts them); not recorded comes last.
#: Education and income are free text in the contract; these are the demo's (the study's) codes.
GROUP_ORDER = {
    "age_group": AGE_GROUPS,
    "adl_level": ADL_LEVELS,
    "qol_grade": QOL_GRADES,
    "education": ("junior_or_less", "senior_high", "college"),
    "income_band": ("under_1000", "1000_1999", "2000_plus"),
}
#: Covariates recorded as true/false.
YES_NO = ("has_spouse", "chronic_disease", "psych_problem")
FRAME_COLUMNS = [
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


def dimension_of(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    """The chosen covariate if the data has it, else the first one it has."""
    present = data.group_dimensions(con)
    if state.dimension in present:
        return state.dimension
    return present[0] if present else "age_group"


def groups_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Survey figures per group value × service for the selected area (suppression applied)."""
    area = areas.selected(con, state.region, state.lang)
    frame = data.gap_table(
        con, area.level, state.slice(), within=area.region_id, group=dimension_of(con, state)
    )
    return frame[FRAME_COLUMNS]


def group_names(frame: pd.DataFrame, dimension: str, lang: str) -> dict[object, str]:
    """Each group value as a reader sees it (true/false covariates as yes/no)."""
    values = frame["group_value"].drop_duplicates()
    if dimension in YES_NO:
        return {v: value_name(None if pd.isna(v) else v == "true", lang) for v in values}
    return {v: value_name(v, lang) for v in values}


def in_group_order(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Rows in the covariate's natural order (then as the data sorts them; not recorded last)."""
    order = GROUP_ORDER.get(dimension, ())
    rank = {value: i for i, value in enumerate(order)}
    key = frame["group_value"].map(lambda v: (v is None or v != v, rank.get(v, len(rank)), str(v)))
    return frame.assign(_key=key).sort_values("_key", kind="stable").drop(columns="_key")


def largest_gap_service(frame: pd.DataFrame) -> str:
    """The service whose mean gap over the groups is largest (the first when none is shown)."""
    gaps = frame.groupby("item_code")["gap_pp"].mean()
    return str(gaps.idxmax()) if gaps.notna().any() else str(frame["item_code"].iloc[0])


def item_of(con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame) -> str:
    """The service of the per-group dumbbell: the chosen one, else the largest gap."""
    names = words.service_names(con, state.lang)
    return state.item if state.item in names else largest_gap_service(frame)


def has_respondents(frame: pd.DataFrame) -> bool:
    """Whether anybody answered (a withheld count is somebody: views.counts.has_respondents)."""
    return counts.has_respondents(frame)


# -- figures --------------------------------------------------------------------------------------


def heatmap_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    lang = state.lang
    if not has_respondents(frame):
        return empty_figure(t("ui.no_respondents", lang))
    dimension = dimension_of(con, state)
    frame = in_group_order(frame, dimension)
    return gap_heatmap(
        frame,
        group_names=group_names(frame, dimension, lang),
        service_names=words.service_names(con, lang),
        labels=figure_labels(lang),
        k=counts.k_of(state),
    )


def group_rows(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> pd.DataFrame:
    """The chosen service's rows, one per group, in the covariate's order."""
    item = item_of(con, state, frame)
    return in_group_order(frame[frame["item_code"] == item], dimension_of(con, state))


def dumbbell_figure(
    con: duckdb.DuckDBPyConnection,
    state: ViewState,
    frame: pd.DataFrame,
    names: dict[object, str] | None = None,
    *,
    compact: bool = False,
) -> go.Figure:
    """Need beside receipt by group for one service; `names` overrides the group labels, and
    `compact` leaves the covariate's name off the axis (a slide's title says it)."""
    lang = state.lang
    if not has_respondents(frame):
        return empty_figure(t("ui.no_respondents", lang))
    dimension = dimension_of(con, state)
    rows = group_rows(con, state, frame)
    labels = names or group_names(rows, dimension, lang)
    return dumbbell(
        rows.assign(
            item_code=rows["group_value"].map(labels),
            category="" if compact else t(f"ui.dim_{dimension}", lang),
        ),
        service_names={},
        category_names={},
        labels=figure_labels(lang),
        k=counts.k_of(state),
        compact=compact,
    )


@dataclass(frozen=True)
class Groups:
    heatmap: go.Figure
    dumbbell: go.Figure
    dumbbell_title: str


def groups(con: duckdb.DuckDBPyConnection, state: ViewState) -> Groups:
    """The heat map, the per-group dumbbell of one service, and that panel's title."""
    lang = state.lang
    frame = groups_frame(con, state)
    if not has_respondents(frame):
        empty = empty_figure(t("ui.no_respondents", lang))
        return Groups(empty, empty, t("ui.group_table_title", lang))
    item = item_of(con, state, frame)
    names = words.service_names(con, lang)
    return Groups(
        heatmap=heatmap_figure(con, state, frame),
        dumbbell=dumbbell_figure(con, state, frame),
        dumbbell_title=t("ui.group_title_for", lang, service=names.get(item, item)),
    )
