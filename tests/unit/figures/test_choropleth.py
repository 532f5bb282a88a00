"""Choropleth builders: offline, honest colour ranges, hidden figures grey (not 0), n on hover;
stations over the areas: sized by deliveries, coloured on the same scale, hollow when hidden."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.figures import theme
from dashboard.figures.choropleth import (
    DOT_DIAMETER,
    HOLLOW_FILL,
    HOLLOW_PX,
    MIN_DIAMETER,
    OUTLINE_PX,
    OUTLINE_TRACE,
    STATION_HITS_TRACE,
    STATIONS_TRACE,
    SUPPRESSED_BORDER,
    TRACES,
    StationLabels,
    choropleth_map,
    choropleth_parts,
    colour_range,
    format_value,
    key_lines,
    key_values,
    map_parts,
    map_view,
    marker_diameters,
    outline_path,
    station_key,
)
from dashboard.figures.choropleth import MapLabels as Labels

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
    assert values["customdata"] == [["Area A", "+5.0 pp", "n = 120", ""]]
    assert grey["customdata"] == [["Area B", "fewer than 10 respondents", "n = 45", ""]]
    for template in (values["hovertemplate"], grey["hovertemplate"]):
        assert "%{customdata[0]}" in template and "<br>%{customdata[2]}" in template
    assert "Gap: %{customdata[1]}" in values["hovertemplate"]


def test_a_withheld_count_hovers_as_less_than_k() -> None:
    _values, grey = choropleth_parts(
        _frame([5.0, None, None]), measure="gap_pp", labels=Labels("Gap"), k=10
    )
    assert grey["customdata"][1] == ["Area C", "fewer than 10 respondents", "n < 10", ""]


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


# -- stations over the areas ----------------------------------------------------------------------


def _stations(**changes: list) -> pd.DataFrame:
    base = {
        "station_id": ["S1", "S2", "S3"],
        "name": ["Station one", "Station two", "Station three"],
        "lon": [112.6, 112.8, 113.0],
        "lat": [35.8, 35.8, 35.8],
        "placed": [False, False, True],
        "deliveries": [400.0, 100.0, 25.0],
        "item_deliveries": [40.0, 10.0, 5.0],
        "value": [6.0, math.nan, -2.0],
        "n": [120.0, math.nan, 80.0],
        "note": ["", "not shown — fewer than 10 respondents", ""],
        "selected": [False, False, False],
    }
    base.update(changes)
    return pd.DataFrame(base)


def _station_map(stations: pd.DataFrame, values=(5.0, 1.0, -3.0, 2.0), **kw) -> go.Figure:
    return choropleth_map(
        _frame(list(values)),
        GEOJSON,
        measure="gap_pp",
        labels=Labels("Gap"),
        k=10,
        stations=stations,
        station_labels=StationLabels(),
        max_diameter=30.0,
        **kw,
    )


def test_circle_area_is_proportional_to_deliveries_above_a_smallest_size() -> None:
    d = marker_diameters(pd.Series([400.0, 100.0, 25.0, 0.0, math.nan]), 30.0)
    assert list(d[:3]) == [30.0, 15.0, 7.5]  # a quarter of the deliveries: half the diameter
    assert d[3] == MIN_DIAMETER and d[4] == MIN_DIAMETER
    assert list(marker_diameters(pd.Series([0.0, 0.0]), 30.0)) == [MIN_DIAMETER] * 2


def test_stations_are_circles_on_the_map_subplot_drawn_offline() -> None:
    fig = _station_map(_stations())
    traces = dict(zip(TRACES, fig.data, strict=True))
    for name in ("outline", "stations", "station_hits"):
        assert traces[name].type == "scattermap" and traces[name].subplot in (None, "map")
    assert traces["stations"].mode == "markers" and traces["stations"].marker.symbol is None
    assert traces["stations"].hoverinfo == "skip"
    assert "http" not in pio.to_json(fig)
    for trace in fig.data[OUTLINE_TRACE:]:  # circles only: other symbols and text need a server
        assert "text" not in (trace.mode or "") and trace.marker.symbol is None


def test_station_fills_share_the_areas_scale_and_hidden_ones_are_hollow() -> None:
    fig = _station_map(_stations(value=[40.0, math.nan, -2.0]))
    values = fig.data[0]
    assert values.zmax >= 40 and values.zmin == -values.zmax  # the range covers the stations
    circles = fig.data[STATIONS_TRACE]
    points = list(zip(circles.marker.size, circles.marker.color, strict=True))
    # S2 (hidden, 15 px): a grey edge and a white fill
    assert (15.0, HOLLOW_FILL) in points
    assert (15.0 + 2 * HOLLOW_PX, SUPPRESSED_BORDER) in points
    # S1 (shown, 30 px): a dark edge and its value's colour
    assert (30.0 + 2 * OUTLINE_PX, theme.INK) in points
    fill = dict(points)[30.0]
    where = (40.0 - values.zmin) / (values.zmax - values.zmin)
    assert fill == plotly.colors.sample_colorscale(theme.DIVERGING, [where])[0]
    # largest first: small circles stay on top
    assert circles.marker.size[1] == 30.0 and circles.marker.size[-1] <= DOT_DIAMETER


def test_the_hover_names_the_station_its_deliveries_and_the_measure_with_n() -> None:
    hits = _station_map(_stations()).data[STATION_HITS_TRACE]
    rows = {c[0]: c for c in hits.customdata}
    assert rows["S1"] == ["S1", "Station one", "", "+6.0 pp", "n = 120", "400", "40"]
    assert rows["S2"][3] == "not shown — fewer than 10 respondents" and rows["S2"][4] == "n < 10"
    assert rows["S3"][2] == "<br>placed at its region's centre (no coordinates)"
    template = hits.hovertemplate
    assert "Gap: %{customdata[3]}" in template and "<br>%{customdata[4]}" in template
    assert "Deliveries, all services: %{customdata[5]}" in template
    assert hits.marker.opacity == 0  # invisible targets: the circles beneath are what is seen


def test_a_placed_station_has_a_dot_and_the_selected_one_a_ring_drawn_last() -> None:
    fig = _station_map(_stations(selected=[False, True, False]))
    circles = fig.data[STATIONS_TRACE]
    # S3 (placed, 7.5 px) ends with its dot, S2 (selected) is drawn last of all
    sizes, colours = list(circles.marker.size), list(circles.marker.color)
    lons = list(circles.lon)
    s3 = [i for i, lon in enumerate(lons) if lon == 113.0]
    assert colours[s3[-1]] == theme.INK and sizes[s3[-1]] == min(DOT_DIAMETER, 7.5 / 2)
    s2 = [i for i, lon in enumerate(lons) if lon == 112.8]
    assert s2[-1] == len(lons) - 1
    assert colours[s2[0]] == theme.INK and colours[s2[1]] == "#FFFFFF"  # ring, gap, then edge
    assert sizes[s2[0]] > sizes[s2[1]] > sizes[s2[2]] > sizes[s2[3]]
    assert fig.data[STATION_HITS_TRACE].customdata[-1][0] == "S2"


def test_the_catchment_outline_is_one_line_with_breaks_between_rings() -> None:
    square = _square(112.5, 35.7)
    multi = {"type": "MultiPolygon", "coordinates": [_square(113.0, 35.7)["coordinates"]]}
    lon, lat = outline_path({"features": [{"geometry": square}, {"geometry": multi}]})
    assert lon.count(None) == 1 and lat.count(None) == 1 and len(lon) == 11
    fig = _station_map(_stations(), outline=(lon, lat))
    line = fig.data[OUTLINE_TRACE]
    assert line.mode == "lines" and list(line.lon) == lon and line.hoverinfo == "skip"


def test_the_key_says_what_size_hollow_and_dots_mean_only_when_drawn() -> None:
    key = station_key(_stations(), labels=StationLabels(), max_diameter=30.0)
    texts = " ".join(a["text"] for a in key["annotations"]).replace("<br>", " ")
    assert "Stations" in texts and "Circle area = deliveries" in texts
    assert "Hollow: figure not shown" in texts and "Dot: at its region's centre" in texts
    assert "Selected" not in texts
    circles = [s for s in key["shapes"] if s["type"] == "circle"]
    sizes = sorted({round(s["x1"] - s["x0"], 1) for s in circles}, reverse=True)
    # the size circles are drawn at the map's scale: 200 deliveries at 30·√(200/400) px
    assert sizes[0] == pytest.approx(30 * (200 / 400) ** 0.5, abs=0.1)
    assert all(s["xsizemode"] == "pixel" and s["xref"] == "paper" for s in circles)
    plain_key = station_key(
        _stations(value=[1.0, 2.0, 3.0], placed=[False] * 3),
        labels=StationLabels(),
        max_diameter=30,
    )
    texts = " ".join(a["text"] for a in plain_key["annotations"])
    assert "Hollow" not in texts and "Dot" not in texts
    assert station_key(None, labels=StationLabels(), max_diameter=30) == {
        "shapes": [],
        "annotations": [],
    }
    assert key_values(7051, 16) == [
        (5000, pytest.approx(13.47, abs=0.01)),
        (1000, pytest.approx(6.03, abs=0.01)),
    ]


def test_key_lines_fit_their_width_in_both_languages() -> None:
    assert key_lines("Hollow: figure not shown", 60) == ["Hollow:", "figure not", "shown"]
    lines = key_lines("所选服务站及其服务范围", 70)
    assert "".join(lines) == "所选服务站及其服务范围" and len(lines) == 2
    assert not any(line.startswith("：") for line in key_lines("圆点：位于地区中心", 24))


def test_without_area_values_the_stations_draw_the_colour_bar() -> None:
    fig = _station_map(_stations(), values=(None, None, None, None))
    assert not fig.data[0].locations
    hits = fig.data[STATION_HITS_TRACE]
    assert hits.marker.showscale is True and hits.marker.colorbar.title.text
    assert (hits.marker.cmin, hits.marker.cmax) == (fig.data[0].zmin, fig.data[0].zmax)
    with_areas = _station_map(_stations())
    assert not with_areas.data[STATION_HITS_TRACE].marker.showscale


def test_map_parts_recolour_the_stations_and_key_without_geometry() -> None:
    stations = _stations()
    fig = _station_map(stations)
    parts, layout = map_parts(
        _frame([5.0, 1.0, -3.0, 2.0]),
        measure="gap_pp",
        labels=Labels("Gap"),
        k=10,
        stations=stations,
        max_diameter=30.0,
    )
    assert len(parts) == len(fig.data) == len(TRACES)
    assert "geojson" not in json.dumps(parts)
    assert list(fig.data[STATIONS_TRACE].marker.color) == parts[STATIONS_TRACE]["marker"]["color"]
    assert len(layout["shapes"]) == len(fig.layout.shapes)
    # the layer off: the station traces emptied, the key gone, the colour bar centred again
    off, off_layout = map_parts(
        _frame([5.0, 1.0, -3.0, 2.0]), measure="gap_pp", labels=Labels("Gap"), k=10
    )
    assert off[STATIONS_TRACE]["lon"] == [] and off[STATION_HITS_TRACE]["customdata"] == []
    assert off_layout == {"shapes": [], "annotations": []}
    assert "yanchor" not in off[0]["colorbar"] and parts[0]["colorbar"]["yanchor"] == "top"


# -- uncertainty on the map (issue 14) -------------------------------------------------------------


def test_the_hover_shows_the_detail_lines_and_an_unreliable_area_is_faded() -> None:
    from dashboard.figures.choropleth import AREA_OPACITY, FADED_OPACITY

    frame = _frame([5.0, 7.0]).assign(
        detail=["95% CI 1% to 9%\nReliability: unreliable", ""], faded=[True, False]
    )
    values, _grey = choropleth_parts(frame, measure="gap_pp", labels=Labels("Gap"), k=10)
    assert values["customdata"][0][3] == "<br>95% CI 1% to 9%<br>Reliability: unreliable"
    assert values["customdata"][1][3] == ""
    assert "%{customdata[3]}" in values["hovertemplate"]
    assert values["marker"]["opacity"] == [FADED_OPACITY, AREA_OPACITY]
    plain_frame = _frame([5.0, 7.0])
    values, _grey = choropleth_parts(plain_frame, measure="gap_pp", labels=Labels("Gap"), k=10)
    assert values["marker"]["opacity"] == AREA_OPACITY
