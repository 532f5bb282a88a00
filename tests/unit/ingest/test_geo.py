"""Boundaries: each polygon is stored with a simplified copy that is small, valid and close."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from shapely.geometry import shape

from dashboard.config import REPO_ROOT
from dashboard.ingest.geo import SIMPLIFY_FRACTION, read_boundaries, simplify
from dashboard.ingest.problems import DatasetRefused

DISTRICTS = REPO_ROOT / "data" / "changzhi-districts.geojson"


def _features() -> list[dict]:
    return json.loads(DISTRICTS.read_text(encoding="utf-8"))["features"]


def _diagonal(geometry: dict) -> float:
    x0, y0, x1, y1 = shape(geometry).bounds
    return math.hypot(x1 - x0, y1 - y0)


def _decimals(text: str) -> int:
    numbers = text.replace("[", " ").replace("]", " ").replace(",", " ").split()
    return max(len(n.partition(".")[2]) for n in numbers if n[0].isdigit() or n[0] == "-")


def test_district_outlines_shrink_to_a_small_map_payload_and_stay_valid() -> None:
    raw = simplified = 0
    for feature in _features():
        geometry = feature["geometry"]
        text = simplify(geometry)
        assert text is not None
        out = shape(json.loads(text))
        original = shape(geometry)
        assert out.is_valid and out.geom_type in ("Polygon", "MultiPolygon")
        # close to the original: within twice the tolerance everywhere, area within 2%
        assert out.hausdorff_distance(original) <= 2 * SIMPLIFY_FRACTION * _diagonal(geometry)
        assert abs(out.area - original.area) / original.area < 0.02
        assert _decimals(text) <= 5
        raw += len(json.dumps(geometry, separators=(",", ":")))
        simplified += len(text)
    assert simplified < 0.35 * raw
    assert simplified < 60_000


def test_a_small_grid_keeps_its_shape_at_finer_precision() -> None:
    # a 300 m square with a wiggle: scaled to its own size, not the district's
    ring = [[113.0, 36.0], [113.003, 36.0], [113.003, 36.0015], [113.00301, 36.003]]
    ring += [[113.0, 36.003], [113.0, 36.0]]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    out = shape(json.loads(simplify(geometry) or "null"))
    assert out.is_valid
    assert abs(out.area - shape(geometry).area) / shape(geometry).area < 0.01
    assert _decimals(simplify(geometry) or "") == 5


def test_an_unusable_polygon_keeps_its_original_text(tmp_path: Path) -> None:
    # a bow tie passes the ring checks; its simplified copy must still be a valid polygon or the
    # original is kept, never dropped
    bow = [[113.0, 36.0], [113.1, 36.1], [113.1, 36.0], [113.0, 36.1], [113.0, 36.0]]
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"region_id": "A"}, "geometry": f["geometry"]}
            for f in _features()[:1]
        ]
        + [
            {
                "type": "Feature",
                "properties": {"region_id": "B"},
                "geometry": {"type": "Polygon", "coordinates": [bow]},
            }
        ],
    }
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    a, b = read_boundaries(path, {"A", "B"}, "regions.csv", cap=10)
    assert len(a.geometry_simplified) < len(a.geometry)
    out = shape(json.loads(b.geometry_simplified))
    assert out.geom_type in ("Polygon", "MultiPolygon")
    assert out.is_valid or b.geometry_simplified == b.geometry


def _collection(geometry: dict) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"region_id": "A"}, "geometry": geometry}],
    }


def test_a_self_intersecting_polygon_is_repaired_and_noted(tmp_path: Path) -> None:
    bow = [[113.0, 36.0], [113.1, 36.1], [113.1, 36.0], [113.0, 36.1], [113.0, 36.0]]
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps(_collection({"type": "Polygon", "coordinates": [bow]})))
    notes: list = []
    (a,) = read_boundaries(path, {"A"}, "regions.csv", cap=10, notes=notes)
    stored = shape(json.loads(a.geometry))
    assert stored.is_valid and stored.geom_type == "MultiPolygon"
    assert stored.area == pytest.approx(0.005)
    assert (a.min_lon, a.max_lon) == (113.0, 113.1)
    assert [(n.rule, n.row, n.value) for n in notes] == [("geo_repaired", 1, "A")]
    assert "repaired" in notes[0].render("en") and "修复" in notes[0].render("zh")


def test_a_polygon_with_no_area_left_after_repair_is_refused(tmp_path: Path) -> None:
    line = [[113.0, 36.0], [113.1, 36.0], [113.2, 36.0], [113.0, 36.0]]
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps(_collection({"type": "Polygon", "coordinates": [line]})))
    with pytest.raises(DatasetRefused) as refused:
        read_boundaries(path, {"A"}, "regions.csv", cap=10)
    assert refused.value.problems[0].rule == "geo_unrepairable"


def test_json_nested_past_the_parser_depth_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "boundaries.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    with pytest.raises(DatasetRefused) as refused:
        read_boundaries(path, {"A"}, "regions.csv", cap=10)
    problem = refused.value.problems[0]
    assert (problem.file, problem.rule) == ("boundaries.geojson", "geo_too_deep")


def test_a_number_too_long_to_read_is_refused_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "boundaries.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [' + "9" * 5000 + "]}")
    with pytest.raises(DatasetRefused) as refused:
        read_boundaries(path, {"A"}, "regions.csv", cap=10)
    assert refused.value.problems[0].rule == "geo_json"
