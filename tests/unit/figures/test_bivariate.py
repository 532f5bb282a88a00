"""The bivariate need × provision map: tertile classes, its colours, and its legend square."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.figures import bivariate
from dashboard.figures.choropleth import BIVARIATE, MapLabels, choropleth_parts, map_parts


def test_classes_are_need_third_plus_three_times_provision_third() -> None:
    need = pd.Series([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, None])
    provision = pd.Series([60.0, 50.0, 40.0, 30.0, 20.0, 10.0, 5.0])
    cuts = bivariate.cuts_of(need, provision)
    classes = bivariate.classes(need, provision, cuts)
    # lowest need with the most provision: need third 0, provision third 2
    assert classes[0] == 0 + 3 * 2
    # highest need with the least provision: the red corner
    assert classes[5] == 2 + 3 * 0
    assert bivariate.COLOURS[int(classes[5])] == "#C85A5A"
    assert math.isnan(classes[6])  # a figure not shown: no class


def test_the_legend_square_has_nine_cells_and_both_axis_words() -> None:
    words = bivariate.LegendWords("Need × provision", "more need →", "more provision →")
    square = bivariate.legend(0.85, words)
    assert len(square["shapes"]) == 9
    assert {s["fillcolor"] for s in square["shapes"]} == set(bivariate.COLOURS)
    texts = " ".join(a["text"] for a in square["annotations"])
    assert "more need →" in texts and "more provision →" in texts


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_id": ["A", "B"],
            "name": ["Area A", "Area B"],
            "value": [2.0, None],
            "n": [120, 5],
            "note": ["", "fewer than 10 respondents"],
            "value_text": ["need high · provision low", ""],
        }
    )


def test_the_bivariate_measure_draws_classes_without_a_colour_bar_and_grey_when_hidden() -> None:
    values, grey = choropleth_parts(_frame(), measure=BIVARIATE, labels=MapLabels("N×P"), k=10)
    assert values["showscale"] is False
    assert values["colorscale"] == bivariate.COLORSCALE
    assert (values["zmin"], values["zmax"]) == bivariate.ZRANGE
    assert values["customdata"][0][1] == "need high · provision low"
    assert grey["locations"] == ["B"] and "fewer than 10" in grey["customdata"][0][1]


def test_the_bivariate_map_carries_its_legend_square_in_the_layout() -> None:
    _parts, layout = map_parts(_frame(), measure=BIVARIATE, labels=MapLabels("N×P"), k=10)
    assert len(layout["shapes"]) == 9
    _parts, layout = map_parts(_frame(), measure="gap_pp", labels=MapLabels("Gap"), k=10)
    assert layout["shapes"] == []
