"""Boundaries: each polygon is stored with a simplified copy that is small, valid and close."""

from __future__ import annotations

import json
import math
from pathlib import Path

from shapely.geometry import shape

from dashboard.config import REPO_ROOT
from dashboard.ingest.geo import SIMPLIFY_FRACTION, read_boundaries, simplify

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
