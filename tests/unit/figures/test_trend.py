"""The monthly deliveries chart: counts stacked per month, every month drawn, readable ticks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.figures import theme
from dashboard.figures.trend import item_order, monthly_bars, tick_step, ticks

LABELS = {
    "deliveries": "Deliveries",
    "month_total": "All this month",
    "no_deliveries": "No station deliveries in this period.",
    "partial_month": "Part of the month only",
}
NAMES = {"inj": "Injection", "edu": "Education", "exam": "Exam"}


def _months(first: str, n: int) -> list[dt.date]:
    return [d.date() for d in pd.date_range(first, periods=n, freq="MS")]


def _frame(months: list[dt.date], counts: dict[str, list[int]], categories=None) -> pd.DataFrame:
    categories = categories or {"inj": "care", "edu": "education", "exam": "exam"}
    return pd.DataFrame(
        [
            {
                "area_id": "C",
                "month": m,
                "item_code": item,
                "category": categories[item],
                "provision_count": values[i],
            }
            for i, m in enumerate(months)
            for item, values in counts.items()
        ]
    )


def test_one_stacked_bar_per_month_of_counts_with_zeros_drawn() -> None:
    months = _months("2009-01-01", 4)
    frame = _frame(months, {"inj": [30, 0, 10, 5], "edu": [5, 0, 2, 1], "exam": [1, 0, 0, 0]})
    fig = monthly_bars(frame, item_names=NAMES, labels=LABELS)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Injection", "Education", "Exam"]  # most first
    for trace in fig.data:
        assert list(trace.x) == ["2009-01", "2009-02", "2009-03", "2009-04"]
    by_name = {t.name: list(t.y) for t in fig.data}
    assert by_name["Injection"] == [30, 0, 10, 5]  # counts, not shares; the empty month is 0
    assert by_name["Exam"] == [1, 0, 0, 0]
    assert not fig.layout.title.text  # the panel has the title


def test_hover_says_month_item_and_count_and_the_months_total() -> None:
    frame = _frame(_months("2009-01-01", 2), {"inj": [1200, 3], "edu": [34, 0], "exam": [0, 0]})
    fig = monthly_bars(frame, item_names=NAMES, labels=LABELS)
    trace = fig.data[0]
    assert "%{x}" in trace.hovertemplate and "Injection" in trace.hovertemplate
    assert trace.customdata[0][0] == "1,200" and trace.customdata[0][1] == "1,234"
    assert "All this month" in trace.hovertemplate


def test_no_deliveries_at_all_gives_the_empty_message() -> None:
    frame = _frame(_months("2009-01-01", 3), {"inj": [0, 0, 0], "edu": [0, 0, 0]})
    for empty in (frame, frame.iloc[0:0]):
        fig = monthly_bars(empty, item_names=NAMES, labels=LABELS)
        assert fig.layout.annotations[0].text == LABELS["no_deliveries"]
        assert len(fig.data) == 0


@pytest.mark.parametrize(
    ("months", "step"), [(1, 1), (12, 1), (13, 3), (24, 3), (36, 3), (48, 6), (120, 12)]
)
def test_ticks_thin_out_with_the_period(months: int, step: int) -> None:
    assert tick_step(months) == step


def test_ticks_fall_on_quarters_for_two_years_and_never_overlap_at_1024_px() -> None:
    labels = [f"{d:%Y-%m}" for d in _months("2008-01-01", 24)]
    shown = ticks(labels)
    quarters = [f"{y}-{m:02d}" for y in (2008, 2009) for m in (1, 4, 7, 10)]
    assert shown == quarters
    assert ticks(labels[:5]) == labels[:5]  # a short period labels every month
    # at most ~24 labels of 7 characters fit across a 1024 px chart
    for n in (6, 12, 24, 36, 60, 100, 240):
        assert len(ticks([f"{d:%Y-%m}" for d in _months("2000-02-01", n)])) <= 24


def test_the_axis_shows_the_chosen_ticks_on_a_category_axis() -> None:
    frame = _frame(_months("2008-01-01", 24), {"inj": [5] * 24, "edu": [1] * 24})
    fig = monthly_bars(frame, item_names=NAMES, labels=LABELS)
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.tickvals)[:2] == ["2008-01", "2008-04"]
    assert fig.layout.xaxis.tickangle == 0


def test_services_of_a_category_share_its_hue_and_categories_keep_their_colour() -> None:
    months = _months("2009-01-01", 2)
    frame = _frame(
        months,
        {"inj": [10, 10], "edu": [3, 3], "exam": [1, 1]},
        categories={"inj": "therapeutic_care", "edu": "therapeutic_care", "exam": "physical_exam"},
    )
    fig = monthly_bars(frame, item_names=NAMES, labels=LABELS)
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours["Exam"] == theme.CATEGORY_COLOURS["physical_exam"]  # alone: the hue itself
    care = theme.shades(theme.CATEGORY_COLOURS["therapeutic_care"], 2)
    assert [colours["Injection"], colours["Education"]] == care
    assert len(set(colours.values())) == 3
    by_category = _frame(
        months,
        {"therapeutic_care": [4, 4], "physical_exam": [1, 1]},
        categories={"therapeutic_care": "therapeutic_care", "physical_exam": "physical_exam"},
    )
    fig = monthly_bars(by_category, item_names={}, labels=LABELS)
    assert [t.marker.color for t in fig.data] == [
        theme.CATEGORY_COLOURS["therapeutic_care"],
        theme.CATEGORY_COLOURS["physical_exam"],
    ]


def test_unknown_categories_take_unused_palette_colours() -> None:
    colours = theme.category_colours(["physical_exam", "x", "y"])
    assert colours["physical_exam"] == theme.CATEGORY_COLOURS["physical_exam"]
    assert len(set(colours.values())) == 3
    assert all(c in theme.PALETTE for c in colours.values())


def test_a_single_stations_frame_without_category_or_area_draws_too() -> None:
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2009-01-01", "2009-01-01", "2009-02-01", "2009-02-01"]),
            "item_code": ["inj", "edu", "inj", "edu"],
            "provision_count": [4, 1, 0, 2],
        }
    )
    fig = monthly_bars(frame, item_names=NAMES, labels=LABELS)
    assert [list(t.y) for t in fig.data] == [[4, 0], [1, 2]]
    assert fig.data[0].marker.color != fig.data[1].marker.color


def test_rows_of_several_areas_are_summed_per_month() -> None:
    months = _months("2009-01-01", 2)
    one = _frame(months, {"inj": [1, 2], "edu": [0, 1]})
    two = one.assign(area_id="S2", provision_count=one["provision_count"] * 10)
    fig = monthly_bars(pd.concat([one, two]), item_names=NAMES, labels=LABELS)
    assert list(fig.data[0].y) == [11, 22]


def test_partial_months_are_faded_and_say_so() -> None:
    months = _months("2009-01-01", 3)
    frame = _frame(months, {"inj": [1, 2, 3], "edu": [1, 1, 1]})
    fig = monthly_bars(frame, item_names=NAMES, labels=LABELS, partial=[months[0]])
    assert list(fig.data[0].marker.opacity) == [0.45, 1.0, 1.0]
    assert "Part of the month only" in fig.data[0].customdata[0][2]
    assert fig.data[0].customdata[1][2] == ""


def test_item_order_groups_services_by_category() -> None:
    frame = pd.DataFrame(
        {
            "item_code": ["a", "b", "c", "d"],
            "category": ["x", "y", "x", "y"],
            "provision_count": [1, 10, 5, 2],
        }
    )
    assert item_order(frame) == ["b", "d", "c", "a"]  # category y (12) before x (6)
