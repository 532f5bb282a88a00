"""Choropleth builders: offline, honest colour ranges, hidden figures grey (not 0), n on hover."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.io as pio
import pytest

from dashboard.figures import theme
from dashboard.figures.choropleth import MapLabels as Labels
from dashboard.figures.choropleth import (
    _wrap,
    choropleth_map,
    choropleth_parts,
    colour_range,
    format_value,
    map_view,
)

BBOX = [112.5, 35.7, 113.7, 37.1]


def _square(x: float, y: float, size: float = 0.2) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


GEOJSON = {
    "type": "FeatureCollection",
    "bbox": [112.5, 35.7, 113.3, 35.9],
    "features": [
        {"type": "Feature", "properties": {"region_id": rid}, "geometry": _square(x, 35.7)}
        for rid, x in (("A", 112.5), ("B", 112.7), ("C", 112.9), ("D", 113.1))
    ],
}


def _frame(values: list[float | None]) -> pd.DataFrame:
    ids = ["A", "B", "C", "D"][: len(values)]
    return pd.DataFrame(
        {
            "region_id": ids,
            "name": [f"Area {i}" for i in ids],
            "value": [math.nan if v is None else v for v in values],
            "n": [120, 45, math.nan, 80][: len(values)],  # C's count withheld by the gate
            "note": ["" if v is not None else "fewer than 10 respondents" for v in values],
        }
    )


def test_gap_scale_diverges_around_zero_with_a_symmetric_range() -> None:
    values, _grey = choropleth_parts(
        _frame([-3.0, 12.4, None, 7.0]), measure="gap_pp", labels=Labels("Gap"), k=10
    )
    assert values["colorscale"] == theme.DIVERGING
    assert values["zmin"] == -values["zmax"]
    assert values["zmax"] >= 12.4
    assert "pp" in values["colorbar"]["title"]["text"]


@pytest.mark.parametrize("measure", ["demand_rate", "received_rate", "provision_per_1000"])
def test_rates_and_per_1000_use_a_sequential_scale(measure: str) -> None:
    values, _ = choropleth_parts(
        _frame([0.31, 0.47, None, 0.52]), measure=measure, labels=Labels("x"), k=10
    )
    assert values["colorscale"] == theme.SEQUENTIAL
    assert values["colorscale"][0][1] == "rgb(222,235,247)"  # light for low values
    assert values["colorscale"][-1][1] == "rgb(8,48,107)"  # dark for high ones
    assert values["zmin"] < values["zmax"]
    if measure != "provision_per_1000":
        assert 0 <= values["zmin"] <= 31 and 52 <= values["zmax"] <= 100  # in %
        assert values["colorbar"]["ticksuffix"] == "%"


def test_colour_range_of_nothing_is_still_a_range() -> None:
    assert colour_range(pd.Series([], dtype=float), "gap_pp") == (-1.0, 1.0)
    lo, hi = colour_range(pd.Series([40.0, 40.0]), "demand_rate")
    assert lo < hi


def test_hidden_areas_are_grey_with_the_reason_and_never_coloured_as_zero() -> None:
    fig = choropleth_map(
        _frame([5.0, None, None, -2.0]), GEOJSON, measure="gap_pp", labels=Labels("Gap"), k=10
    )
    values, grey, *_stations = fig.data
    assert list(values.locations) == ["A", "D"]
    assert list(grey.locations) == ["B", "C"]
    assert not any(isinstance(z, float) and math.isnan(z) for z in values.z)
    assert grey.colorscale[0][1] == theme.SUPPRESSED and grey.colorscale[-1][1] == theme.SUPPRESSED
    assert grey.showscale is False
    assert grey.customdata[0][1] == "fewer than 10 respondents"


def test_hover_shows_name_value_and_n() -> None:
    values, grey = choropleth_parts(
        _frame([5.0, None]), measure="gap_pp", labels=Labels("Gap", pp="pp"), k=10
    )
    assert values["customdata"] == [["Area A", "+5.0 pp", "n = 120"]]
    assert grey["customdata"] == [["Area B", "fewer than 10 respondents", "n = 45"]]
    for template in (values["hovertemplate"], grey["hovertemplate"]):
        assert "%{customdata[0]}" in template and "<br>%{customdata[2]}" in template
    assert "Gap: %{customdata[1]}" in values["hovertemplate"]


def test_a_withheld_count_hovers_as_less_than_k() -> None:
    _values, grey = choropleth_parts(
        _frame([5.0, None, None]), measure="gap_pp", labels=Labels("Gap"), k=10
    )
    assert grey["customdata"][1] == ["Area C", "fewer than 10 respondents", "n < 10"]


def test_values_are_formatted_per_measure() -> None:
    labels = Labels("x", pp="pp", per_1000="per 1,000")
    assert format_value(0.256, "demand_rate", labels) == "25.6%"
    assert format_value(-4.25, "mix_gap_pp", labels) == "-4.2 pp"
    assert format_value(1234.5, "provision_per_1000", labels) == "1,234.5 per 1,000"
    assert format_value(math.nan, "gap_pp", labels) == "—"


def test_the_map_is_drawn_offline_from_its_own_polygons() -> None:
    fig = choropleth_map(
        _frame([1.0, 2.0, 3.0, 4.0]), GEOJSON, measure="gap_pp", labels=Labels("g"), k=10
    )
    areas = [t for t in fig.data if t.type == "choroplethmap"]
    assert [t.type for t in fig.data] == ["choroplethmap"] * 2 + ["scattermap"] * 3
    assert fig.layout.map.style == "white-bg"
    assert not fig.layout.map.layers
    assert all(t.featureidkey == "properties.region_id" for t in areas)
    assert all(t.geojson["features"] == GEOJSON["features"] for t in areas)
    text = pio.to_json(fig)
    assert "http" not in text and "mapbox://" not in text


def test_centre_and_zoom_frame_the_bounds() -> None:
    center, zoom = map_view(BBOX, width=700, height=600)
    assert BBOX[0] < center["lon"] < BBOX[2] and BBOX[1] < center["lat"] < BBOX[3]
    assert 6 < zoom < 10
    # a smaller area is shown closer; the whole area fits the width at that zoom
    small_center, small_zoom = map_view([113.0, 36.0, 113.1, 36.1], width=700, height=600)
    assert small_zoom > zoom
    assert 113.0 < small_center["lon"] < 113.1 and 36.0 < small_center["lat"] < 36.1
    assert 512 * 2**zoom * (BBOX[2] - BBOX[0]) / 360 <= 700


def test_parts_recolour_a_built_map_without_its_geometry() -> None:
    frame = _frame([1.0, None, 3.0, 4.0])
    fig = choropleth_map(frame, GEOJSON, measure="gap_pp", labels=Labels("Gap"), k=10)
    parts = choropleth_parts(frame, measure="gap_pp", labels=Labels("Gap"), k=10)
    assert "geojson" not in json.dumps(parts)
    for trace, props in zip(fig.data[:2], parts, strict=True):
        assert list(trace.locations) == props["locations"]
        assert list(trace.z) == props["z"]


def test_long_titles_wrap_for_the_colour_bar() -> None:
    assert _wrap("Gap (need − received)", 15) == "Gap (need −<br>received)"
    lines = _wrap("每千名60岁以上老人年服务量", 15).split("<br>")
    assert len(lines) == 2 and "".join(lines) == "每千名60岁以上老人年服务量"
