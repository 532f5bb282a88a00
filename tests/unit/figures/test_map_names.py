"""Names on the map: placed where the map projects their anchors, hidden outside it, wrapped
when long, and placed again for another picture size."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard.figures.map_names import (
    LABEL_NAME,
    Place,
    label_annotations,
    meta_of,
    project,
    relabel,
    two_lines,
)

CENTER = {"lon": 113.0, "lat": 36.5}


def test_the_centre_projects_to_the_middle_and_east_is_right_north_is_up() -> None:
    assert project(113.0, 36.5, CENTER, 8, 600, 400) == pytest.approx((300, 200))
    east_x, _ = project(113.1, 36.5, CENTER, 8, 600, 400)
    _, north_y = project(113.0, 36.6, CENTER, 8, 600, 400)
    assert east_x > 300 and north_y < 200


def test_a_name_outside_the_map_is_hidden_and_one_inside_is_placed_in_the_map_part() -> None:
    places = [Place("a", 113.0, 36.5, "Huguan County"), Place("b", 150.0, 36.5, "Far")]
    inside, outside = label_annotations(
        places, center=CENTER, zoom=8, width=600, height=400, domain_x=(0.0, 0.8)
    )
    assert inside["visible"] is True and outside["visible"] is False
    assert inside["x"] == pytest.approx(0.4) and inside["y"] == pytest.approx(0.5)
    assert inside["name"] == LABEL_NAME and inside["xref"] == "paper"
    assert "shadow" in inside["font"]  # the white halo


def test_a_long_name_breaks_at_its_middle_space_and_markup_is_escaped() -> None:
    assert two_lines("Huguan County") == "Huguan<br>County"
    assert two_lines("Qin County") == "Qin County"
    assert two_lines("壶关县") == "壶关县"
    assert two_lines("<b>x</b> y and more").startswith("&lt;b&gt;")


def test_meta_carries_the_anchors_only_when_the_names_are_shown() -> None:
    places = [Place("a", 113.0, 36.5, "A")]
    assert meta_of(places, [1, 2, 3, 4], "city", True)["cg_map"]["labels"] == [[113.0, 36.5]]
    assert meta_of(places, [1, 2, 3, 4], "city", False)["cg_map"]["labels"] == []


def test_relabel_places_the_names_again_for_a_picture_size() -> None:
    places = [Place("a", 113.1, 36.5, "A")]
    fig = go.Figure(
        layout={
            "map": {"center": CENTER, "zoom": 8, "domain": {"x": [0, 1]}},
            "annotations": label_annotations(
                places, center=CENTER, zoom=8, width=600, height=400, domain_x=(0, 1)
            ),
            "meta": meta_of(places, [112, 36, 114, 37], "city", True),
        }
    )
    before = fig.layout.annotations[0].x
    relabel(fig, 1200, 400)
    px, _ = project(113.1, 36.5, CENTER, 8, 1200, 400)
    assert fig.layout.annotations[0].x == pytest.approx(px / 1200, abs=1e-3) != before
