"""Counts as the disclosure gate publishes them, for every view, slide and download.

A gated count is 0, at least k, or withheld (missing: it was 1…k−1, or it belonged to a suppressed
or closed row). Views word a withheld count "<k" (dashboard.i18n.numbers.count_or_withheld) and
never rebuild one: a total is taken from a published figure, not summed from parts some of which
are withheld (the sum of the shown parts would be both wrong and a way to subtract one out).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from dashboard import data, disclosure
from dashboard.views.state import ViewState


def k_of(state: ViewState) -> int:
    """The floor in force for the view: what a withheld count is written as being below."""
    return disclosure.effective_k(state.min_n)


def has_respondents(frame: pd.DataFrame, column: str = "respondents_n") -> bool:
    """Whether any row rests on somebody: a count above 0, or a withheld one (1…k−1 or more).

    Only a published 0 says nobody answered; a withheld count is some respondents.
    """
    if frame.empty:
        return False
    counts = frame[column]
    return bool((counts.isna() | (counts.astype(float) > 0)).any())


def published(value: object, k: int) -> float:
    """A count computed outside the gate, as the gate would publish it: NaN where it is 1…k−1."""
    number = float(value)  # type: ignore[arg-type]
    return float("nan") if disclosure.withheld(np.array([number]), k)[0] else number


def respondents(con: duckdb.DuckDBPyConnection, region: str | None, state: ViewState) -> float:
    """Respondents of the slice in `region`, withheld (NaN) when 1…k−1.

    data.slice_counts is not gated; its count reaches a card, a side panel or a slide only
    through here, with the gate's own test (disclosure.withheld).
    """
    raw = data.slice_counts(con, region, state.slice())["respondents"]
    return published(raw, k_of(state))


def total(counts: pd.Series) -> float:
    """The sum of published counts, or NaN (withheld) when any of them is withheld.

    A sum of shown parts is a published figure only when every part is shown; with one part
    withheld it is neither the total nor safe (the total minus it gives the part).
    """
    values = counts.astype(float)
    return float("nan") if values.isna().any() else float(values.sum())
