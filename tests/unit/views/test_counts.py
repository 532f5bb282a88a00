"""Counts as the gate publishes them: a withheld count (missing) is somebody, and no total is
summed from parts one of which is withheld."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.report import withheld_as_text
from dashboard.views import counts

NAN = float("nan")


def test_a_withheld_count_is_some_respondents_and_only_zeros_are_nobody() -> None:
    assert counts.has_respondents(pd.DataFrame({"respondents_n": [0.0, NAN]}))
    assert counts.has_respondents(pd.DataFrame({"respondents_n": [NAN, NAN]}))
    assert not counts.has_respondents(pd.DataFrame({"respondents_n": [0.0, 0.0]}))
    assert not counts.has_respondents(pd.DataFrame({"respondents_n": pd.Series([], dtype=float)}))


def test_a_total_with_a_withheld_part_is_withheld_not_the_sum_of_the_rest() -> None:
    assert math.isnan(counts.total(pd.Series([120.0, NAN, 45.0])))
    assert counts.total(pd.Series([120.0, 0.0, 45.0])) == 165.0


def test_a_count_from_outside_the_gate_is_published_as_the_gate_would() -> None:
    assert math.isnan(counts.published(3, 10))
    assert counts.published(0, 10) == 0.0 and counts.published(10, 10) == 10.0


def test_a_file_writes_whole_counts_and_less_than_k_where_withheld() -> None:
    frame = pd.DataFrame(
        {"region_name": ["a", "b"], "respondents_n": [12.0, NAN], "demand_rate": [0.5, NAN]}
    )
    out = withheld_as_text(frame, 10)
    assert list(out["respondents_n"]) == [12, "<10"]
    assert isinstance(out["respondents_n"].iloc[0], int)
    assert math.isnan(out["demand_rate"].iloc[1])  # a missing figure stays missing (empty/null)
    assert frame["respondents_n"].isna().iloc[1]  # the input is not modified
