"""Figure builders are pure: frames in, figures out — suppressed cells hidden, n shown for every
shown row, and no n on a suppressed row (the gate withholds it: NaN)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.figures.dumbbell import dumbbell, order_by_gap
from dashboard.figures.heatmap import gap_heatmap
from dashboard.figures.mix import mix_bars
from dashboard.figures.theme import empty_figure

LABELS = {
    "need": "Need",
    "received": "Received",
    "gap": "Gap",
    "suppressed": "suppressed",
    "pp": "pp",
    "need_mix": "Need mix",
    "delivery_mix": "Delivery mix",
    "deliveries": "deliveries",
    "unreliable": "unreliable",
    "ci": "95% CI",
    "ci_not_estimable": "95% CI not estimable here",
}
NAN = float("nan")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_code": ["edu", "exam", "inj", "thin"],
            "category": ["education", "exam", "care", "care"],
            "demand_rate": [0.30, 0.20, 0.05, NAN],
            "received_rate": [0.10, 0.02, 0.40, NAN],
            "gap_pp": [20.0, 18.0, -35.0, NAN],
            "respondents_n": [500, 480, 510, NAN],  # as the gate gives it: withheld
            "suppressed": [False, False, False, True],
            "demand_share": [0.5, 0.4, 0.1, NAN],
            "provision_share": [0.05, 0.05, 0.85, 0.05],
            "provision_count": [50, 50, 850, 50],
        }
    )


def test_dumbbell_orders_categories_by_their_largest_gap_and_suppressed_last() -> None:
    ordered = order_by_gap(_frame(), {})
    assert list(ordered["item_code"]) == ["edu", "exam", "inj", "thin"]


def test_dumbbell_labels_shown_rows_with_n_and_suppressed_rows_without_n_or_dot() -> None:
    fig = dumbbell(
        _frame(), service_names={"edu": "Education"}, category_names={}, labels=LABELS, k=10
    )
    need = fig.data[1]
    labels = list(need.y[1])
    assert "Education (n=500)" in labels and "thin (suppressed)" in labels
    thin = labels.index("thin (suppressed)")
    assert math.isnan(need.x[thin])
    assert need.hovertext[thin] == "suppressed"
    assert need.x[labels.index("Education (n=500)")] == 30.0


def test_dumbbell_connects_only_unsuppressed_rows() -> None:
    fig = dumbbell(_frame(), service_names={}, category_names={}, labels=LABELS, k=10)
    points = [x for x in fig.data[0].x if x is not None]
    assert len(points) == 2 * 3


def test_mix_bars_show_need_share_beside_delivery_share() -> None:
    fig = mix_bars(_frame(), service_names={}, labels=LABELS)
    need, delivered = fig.data
    assert need.name == "Need mix" and delivered.name == "Delivery mix"
    assert dict(zip(delivered.y, delivered.x, strict=True))["inj"] == 85.0
    assert "850 deliveries" in delivered.hovertext[list(delivered.y).index("inj")]


def test_heatmap_centres_its_diverging_scale_on_zero_and_blanks_suppressed_cells() -> None:
    frame = _frame().assign(group_value=["a", "a", "b", "b"])
    fig = gap_heatmap(frame, group_names={"a": "Group A"}, service_names={}, labels=LABELS, k=10)
    heat = fig.data[0]
    assert heat.zmid == 0 and heat.zmin == -heat.zmax == -35.0
    assert list(heat.y) == ["Group A", "b"]
    cells = {
        (g, s): (z, h)
        for g, zrow, hrow in zip(heat.y, heat.z, heat.hovertext, strict=True)
        for s, z, h in zip(heat.x, zrow, hrow, strict=True)
    }
    z, hover = cells["b", "thin"]
    assert z is None and hover.endswith("<br>suppressed") and "n " not in hover


def test_empty_figure_says_why() -> None:
    fig = empty_figure("No respondents in this slice")
    assert fig.layout.annotations[0].text == "No respondents in this slice"


def test_dumbbell_draws_interval_whiskers_and_fades_unreliable_rows() -> None:
    frame = _frame().assign(
        demand_rate_lo=[0.25, 0.15, 0.03, NAN],
        demand_rate_hi=[0.35, 0.26, 0.08, NAN],
        received_rate_lo=[0.08, 0.01, 0.35, NAN],
        received_rate_hi=[0.12, 0.04, 0.45, NAN],
        reliability=["reliable", "unreliable", "reliable", None],
    )
    fig = dumbbell(frame, service_names={}, category_names={}, labels=LABELS, k=10)
    need = fig.data[1]
    row = list(need.y[1]).index("edu (n=500)")
    assert need.error_x.array[row] == pytest.approx(5.0)
    assert need.error_x.arrayminus[row] == pytest.approx(5.0)
    assert "95% CI 25.0%–35.0%" in need.hovertext[row]
    exam = list(need.y[1]).index("exam (n=480)")
    assert need.marker.opacity[exam] == 0.35 and need.marker.opacity[row] == 1.0


def test_an_interval_spanning_zero_to_one_is_called_not_estimable_and_not_drawn() -> None:
    frame = _frame().assign(
        demand_rate_lo=[0.0, 0.15, 0.03, NAN],
        demand_rate_hi=[1.0, 0.26, 0.08, NAN],
        received_rate_lo=[0.0, 0.01, 0.35, NAN],
        received_rate_hi=[1.0, 0.04, 0.45, NAN],
    )
    need = dumbbell(frame, service_names={}, category_names={}, labels=LABELS, k=10).data[1]
    row = list(need.y[1]).index("edu (n=500)")
    assert math.isnan(need.error_x.array[row])
    assert "not estimable" in need.hovertext[row]
