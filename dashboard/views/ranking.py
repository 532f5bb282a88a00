"""How sure a ranked gap is, and the order every ranked list of gaps follows.

A gap (need − receipt, in points) ranked on its point estimate promotes noise: the largest gaps of
small cells are mostly sampling error. Every list that ranks gaps (the overview's card and table,
the briefing's "where" slides and their findings, the map's sentence) ranks them here, in one of
two orders:

- ``sure`` (the default): by the gap the data supports even at its least favourable — the lower
  95% bound of need minus the upper 95% bound of receipt (``gap_pp_lo``) — with figures flagged
  unreliable by the NCHS standard (dashboard.stats.survey) after every other, and those whose
  bound is not estimable (one PSU: no degrees of freedom) last;
- ``gap``: by the point estimate, as the study's tables do.

``gap_pp_lo``/``gap_pp_hi`` is a cautious bound, not a 95% interval of the difference: it holds
whenever both rates lie inside their own 95% intervals (at least 90% of samples, by Bonferroni;
more in practice, since need and receipt of one person are positively correlated). A headline
(a card, a slide) names only a row that is not flagged unreliable.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from dashboard import data
from dashboard.data import Slice

RANKINGS = ("sure", "gap")
DEFAULT_RANKING = "sure"
GAP_BOUNDS = ("gap_pp_lo", "gap_pp_hi")
UNRELIABLE = "unreliable"
#: Ties are broken on figures rounded to this many decimals, then by names: parallel sums differ
#: in their last bits from run to run, and a ranking must not flip between runs.
DECIMALS = 9
_KEYS = ("region_id", "item_code", "group_value")


def with_intervals(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    level: str,
    slice_: Slice,
    *,
    within: str | None = None,
    by: str = "service",
) -> pd.DataFrame:
    """`frame` (gap_table rows) with its rows' intervals and reliability, then the gap's bounds.

    A frame that already carries them (views.overview.services_frame) is returned unchanged.
    """
    if "reliability" not in frame:
        intervals = data.gap_intervals(con, level, slice_, within=within, by=by)
        keys = [k for k in _KEYS if k in frame and k in intervals and k != "group_value"]
        keep = [*keys, *data.GAP_INTERVAL_COLUMNS]
        frame = frame.merge(intervals[keep], on=keys, how="left")
    return with_gap_bounds(frame)


def with_gap_bounds(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with gap_pp_lo/gap_pp_hi in points, missing where either rate's interval is
    (suppressed) or says nothing (not estimable: [0, 1])."""
    if "gap_pp_lo" in frame:
        return frame
    need_lo, need_hi = _bounds(frame, "demand_rate")
    got_lo, got_hi = _bounds(frame, "received_rate")
    return frame.assign(gap_pp_lo=100 * (need_lo - got_hi), gap_pp_hi=100 * (need_hi - got_lo))


def _bounds(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A rate's interval, NaN where it says nothing — or where the frame has none at all (rows
    without intervals rank by their estimate, behind those the data is sure of)."""
    if f"{column}_lo" not in frame:
        missing = np.full(len(frame), np.nan)
        return missing, missing
    lo = frame[f"{column}_lo"].astype(float).to_numpy()
    hi = frame[f"{column}_hi"].astype(float).to_numpy()
    silent = (lo <= 0.0) & (hi >= 1.0)
    return np.where(silent, np.nan, lo), np.where(silent, np.nan, hi)


def unreliable(frame: pd.DataFrame) -> pd.Series:
    """Rows whose figures fail the reliability standard (shown marked, never headlined)."""
    if "reliability" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["reliability"].astype(object).eq(UNRELIABLE)


def ranked(frame: pd.DataFrame, by: str = DEFAULT_RANKING) -> pd.DataFrame:
    """Shown gaps in the order `by` (RANKINGS) puts them, ties broken by the rows' names."""
    if by not in RANKINGS:
        raise ValueError(f"ranking must be one of {RANKINGS}")
    names = [c for c in ("region_name", "group_value", "item_code") if c in frame]
    gap = frame["gap_pp"].astype(float).round(DECIMALS)
    if by == "gap":
        keyed = frame.assign(_gap=gap)
        return keyed.sort_values(
            ["_gap", *names], ascending=[False] + [True] * len(names), kind="stable"
        ).drop(columns="_gap")
    frame = with_gap_bounds(frame)
    keyed = frame.assign(
        _flagged=unreliable(frame).astype(int),
        _silent=frame["gap_pp_lo"].isna().astype(int),
        _lo=frame["gap_pp_lo"].astype(float).round(DECIMALS).fillna(-np.inf),
        _gap=gap,
    )
    order = ["_flagged", "_silent", "_lo", "_gap", *names]
    ascending = [True, True, False, False] + [True] * len(names)
    return keyed.sort_values(order, ascending=ascending, kind="stable").drop(
        columns=["_flagged", "_silent", "_lo", "_gap"]
    )


def headline(frame: pd.DataFrame, by: str = DEFAULT_RANKING) -> pd.Series | None:
    """The row a card or slide may headline: the first in the order `by` that is not flagged
    unreliable (None when every row is)."""
    rows = ranked(frame, by)
    sure = rows[~unreliable(rows)]
    return None if sure.empty else sure.iloc[0]
