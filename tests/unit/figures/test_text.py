"""Names as plain text, measured and wrapped for the space a chart gives them."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.quality import LEVEL_NAME_WIDTH, level_bars
from dashboard.figures.text import display_width, wrapped

LABELS = {
    "need": "Need it",
    "received": "Received it",
    "gap": "Gap",
    "suppressed": "suppressed",
    "suppressed_reason": "fewer than {k} respondents",
    "pp": "pp",
    "unreliable": "unreliable",
    "ci": "95% CI",
    "ci_not_estimable": "no interval",
    "share": "Share",
}


def test_chinese_characters_are_twice_as_wide_as_latin_ones() -> None:
    assert display_width("平顺县 ab") == 9


def test_long_titles_wrap_at_spaces_and_long_chinese_ones_are_cut() -> None:
    assert wrapped("Gap (need − received)", 15) == "Gap (need −<br>received)"
    lines = wrapped("每千名60岁以上老人年服务量", 15).split("<br>")
    assert len(lines) == 2 and "".join(lines) == "每千名60岁以上老人年服务量"
    assert wrapped("Wound care", 15) == "Wound care"


def test_level_names_wrap_under_their_bars() -> None:
    frame = pd.DataFrame(
        {
            "level": ["normal", "moderate"],
            "respondents_n": [900, 100],
            "share": [0.9, 0.1],
            "suppressed": [False, False],
        }
    )
    names = {"normal": "normal", "moderate": "moderate impairment"}
    fig = level_bars(frame, level_names=names, labels=LABELS, k=10)
    assert list(fig.data[0].x) == ["normal", "moderate<br>impairment"]
    assert all(display_width(line) <= LEVEL_NAME_WIDTH for line in fig.data[0].x[1].split("<br>"))


def test_the_dumbbell_can_put_n_under_the_name_beside_the_category_column() -> None:
    frame = pd.DataFrame(
        {
            "item_code": ["edu"],
            "category": ["health"],
            "demand_rate": [0.3],
            "received_rate": [0.1],
            "gap_pp": [20.0],
            "respondents_n": [500],
            "suppressed": [False],
        }
    )
    args = {"service_names": {"edu": "Education"}, "category_names": {}, "labels": LABELS, "k": 10}
    one_line = dumbbell(frame, **args).data[1].y
    stacked = dumbbell(frame, **args, n_below=True).data[1].y
    assert list(one_line[1]) == ["Education (n=500)"]
    assert list(stacked[1]) == ["Education<br>(n=500)"] and len(stacked) == 2  # categories kept
