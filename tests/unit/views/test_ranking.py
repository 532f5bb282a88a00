"""views.ranking: the gap's cautious bound and the order ranked gaps follow (hand-computed)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.views import ranking


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_name": ["A", "B", "C", "D"],
            "item_code": ["x", "x", "x", "x"],
            "gap_pp": [60.0, 30.0, 25.0, 40.0],
            "demand_rate": [0.8, 0.5, 0.45, 0.6],
            "demand_rate_lo": [0.5, 0.45, 0.41, 0.0],
            "demand_rate_hi": [0.95, 0.55, 0.49, 1.0],
            "received_rate": [0.2, 0.2, 0.2, 0.2],
            "received_rate_lo": [0.05, 0.17, 0.16, 0.1],
            "received_rate_hi": [0.45, 0.23, 0.24, 0.3],
            "reliability": ["unreliable", "reliable", "review", "unreliable"],
        }
    )


def test_the_gap_at_least_is_need_low_minus_receipt_high_in_points() -> None:
    bounds = ranking.with_gap_bounds(_frame())
    assert bounds["gap_pp_lo"].tolist()[:3] == pytest.approx([5.0, 22.0, 17.0])
    assert bounds["gap_pp_hi"].tolist()[:3] == pytest.approx([90.0, 38.0, 33.0])
    assert math.isnan(bounds["gap_pp_lo"].iloc[3])  # need's interval [0, 1] says nothing


def test_sure_ranking_puts_unreliable_rows_last_and_orders_the_rest_by_the_bound() -> None:
    assert ranking.ranked(_frame(), "sure")["region_name"].tolist() == ["B", "C", "A", "D"]
    assert ranking.ranked(_frame(), "gap")["region_name"].tolist() == ["A", "D", "B", "C"]


def test_a_headline_is_never_an_unreliable_row() -> None:
    assert ranking.headline(_frame(), "gap")["region_name"] == "B"
    only_noise = _frame().assign(reliability="unreliable")
    assert ranking.headline(only_noise) is None


def test_an_unknown_ranking_is_refused() -> None:
    with pytest.raises(ValueError, match="ranking must be one of"):
        ranking.ranked(_frame(), "loudest")
