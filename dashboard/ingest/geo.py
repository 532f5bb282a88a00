"""Read and check boundaries.geojson: polygons of regions in WGS84 longitude/latitude.

Only what the map relies on is checked: a FeatureCollection, a known region per feature, one
boundary per region, and Polygon/MultiPolygon rings of plausible coordinates. Each feature's
geometry is kept as GeoJSON text with its bounding box, so the server never parses the file again,
and beside it a simplified copy for drawing maps (a few hundred metres of detail on a district, a
few metres on a grid: what a browser can draw quickly and what a map at that scale can show).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

from dashboard.ingest.problems import DatasetRefused, Problem


@dataclass(frozen=True)
class Boundary:
    region_id: str
    geometry: str
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    geometry_simplified: str = ""


#: Simplification tolerance as a share of each polygon's bounding-box diagonal.
SIMPLIFY_FRACTION = 0.004


#: Said when the parser runs out of stack: a MultiPolygon needs 4 levels of arrays, a file a few
#: more; input nested deeper than Python's parser can follow (about 1,000 levels) is refused.
MAX_JSON_DEPTH = 1000


def read_boundaries(
    path: Path,
    region_ids: set[str],
    regions_file: str,
    cap: int,
    notes: list[Problem] | None = None,
) -> list[Boundary]:
    """Parse and check the file; raises DatasetRefused listing every bad feature.

    A polygon that crosses itself is repaired (shapely.make_valid) and a note for it is added to
    `notes`: the import goes ahead and says so.
    """
    name = path.name
    if path.stat().st_size == 0:
        raise DatasetRefused([Problem(name, "empty_file")])
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except RecursionError:
        raise DatasetRefused(
            [Problem(name, "geo_too_deep", params={"depth": MAX_JSON_DEPTH})]
        ) from None
    except (UnicodeDecodeError, ValueError) as err:  # JSONDecodeError, or a 5,000-digit number
        raise DatasetRefused(
            [Problem(name, "geo_json", params={"detail": str(err)[:160]})]
        ) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(features, list)
    ):
        raise DatasetRefused([Problem(name, "geo_collection")])
    problems: list[Problem] = []
    total = 0
    first_of: dict[str, int] = {}
    result: list[Boundary] = []
    repaired: list[Problem] = []
    for number, feature in enumerate(features, start=1):
        found = _check_feature(feature, number, name, region_ids, regions_file, first_of)
        if isinstance(found, Problem):
            total += 1
            if len(problems) < cap:
                problems.append(found)
        else:
            boundary, note = found
            result.append(boundary)
            if note is not None:
                repaired.append(note)
    if total:
        raise DatasetRefused(problems, total)
    if notes is not None:
        notes.extend(repaired)
    return result


def _check_feature(
    feature: object,
    number: int,
    name: str,
    region_ids: set[str],
    regions_file: str,
    first_of: dict[str, int],
) -> tuple[Boundary, Problem | None] | Problem:
    def problem(rule: str, value: str | None = None, **params: object) -> Problem:
        return Problem(
            name,
            rule,
            row=number,
            column="region_id",
            value=value,
            params=params,
            row_word="feature",
        )

    props = feature.get("properties") if isinstance(feature, dict) else None
    rid = props.get("region_id") if isinstance(props, dict) else None
    if rid is None or str(rid).strip() == "":
        return problem("geo_region_id")
    rid = str(rid).strip()
    if rid not in region_ids:
        return problem("geo_unknown_region", rid, ref_file=regions_file)
    if rid in first_of:
        return problem("geo_duplicate", rid, first=first_of[rid])
    geometry = feature.get("geometry")  # type: ignore[union-attr]
    detail = _geometry_problem(geometry)
    if detail:
        return problem("geo_geometry", rid, detail=detail)
    note = None
    fixed = repaired(geometry)  # type: ignore[arg-type]
    if fixed is False:
        return problem("geo_unrepairable", rid)
    if fixed is not None:
        geometry = fixed
        note = problem("geo_repaired", rid)
    first_of[rid] = number
    lons, lats = _coordinates(geometry)  # type: ignore[arg-type]
    text = json.dumps(geometry, separators=(",", ":"), ensure_ascii=False)
    boundary = Boundary(
        rid, text, min(lons), min(lats), max(lons), max(lats), simplify(geometry) or text
    )
    return boundary, note


def repaired(geometry: dict) -> dict | bool | None:
    """None for a valid polygon; the repaired polygon's GeoJSON for one that crosses itself
    (shapely.make_valid, keeping only its areas); False when no area is left."""
    try:
        polygon = shape(geometry)
        if polygon.is_valid:
            return None
        fixed = shapely.make_valid(polygon)
    except (shapely.errors.ShapelyError, ValueError, TypeError):
        return False
    if fixed.geom_type == "GeometryCollection":
        parts = [g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        fixed = shapely.union_all(parts) if parts else shapely.Polygon()
    if fixed.is_empty or fixed.geom_type not in ("Polygon", "MultiPolygon"):
        return False
    out = mapping(fixed)
    return {"type": out["type"], "coordinates": _lists(out["coordinates"])}


def _lists(coordinates: object) -> object:
    """Shapely's nested tuples as GeoJSON's nested lists."""
    if isinstance(coordinates, list | tuple):
        return [_lists(c) for c in coordinates]
    return coordinates


def simplify(geometry: dict, fraction: float = SIMPLIFY_FRACTION) -> str | None:
    """The polygon simplified for drawing, as compact GeoJSON text (None: keep the original).

    Douglas–Peucker keeping topology, with a tolerance of `fraction` of the bounding-box diagonal
    (so a district and a grid keep the same share of their detail); coordinates snapped to a grid
    of a tenth of the tolerance, between 1e-5 and 1e-4 degrees (about 1 and 10 m), which keeps the
    result valid and its text short. Only 2-D positions are kept.
    """
    try:
        polygon = shape(geometry)
        if not polygon.is_valid:
            polygon = shapely.make_valid(polygon)
        min_x, min_y, max_x, max_y = polygon.bounds
        tolerance = fraction * math.hypot(max_x - min_x, max_y - min_y)
        digits = min(5, max(4, math.ceil(-math.log10(max(tolerance, 1e-12) / 10))))
        out = shapely.set_precision(
            polygon.simplify(tolerance, preserve_topology=True), 10.0**-digits
        )
    except (shapely.errors.ShapelyError, ValueError, TypeError):
        return None
    if out.is_empty or not out.is_valid or out.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    simple = mapping(out)
    coordinates = _rounded(simple["coordinates"], digits)
    return json.dumps({"type": simple["type"], "coordinates": coordinates}, separators=(",", ":"))


def _rounded(coordinates: object, digits: int) -> object:
    """Nested positions with each number rounded (set_precision leaves binary noise)."""
    if isinstance(coordinates, list | tuple):
        if coordinates and isinstance(coordinates[0], float | int):
            return [round(float(v), digits) for v in coordinates[:2]]
        return [_rounded(c, digits) for c in coordinates]
    return coordinates


def _polygons(geometry: dict) -> list:
    coords = geometry.get("coordinates")
    return [coords] if geometry.get("type") == "Polygon" else list(coords or [])


def _geometry_problem(geometry: object) -> str | None:
    """A short reason the geometry is unusable, or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        return f"found {kind}"
    try:
        for polygon in _polygons(geometry):
            if not polygon:
                return "a polygon has no rings"
            for ring in polygon:
                if len(ring) < 4 or list(ring[0]) != list(ring[-1]):
                    return "a ring must have at least 4 positions and end where it starts"
                for lon, lat, *_ in ring:
                    if not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
                        return f"coordinate ({lon}, {lat}) is not longitude/latitude"
    except (TypeError, ValueError):
        return "coordinates are not lists of numbers"
    return None


def _coordinates(geometry: dict) -> tuple[list[float], list[float]]:
    lons: list[float] = []
    lats: list[float] = []
    for polygon in _polygons(geometry):
        for ring in polygon:
            for lon, lat, *_ in ring:
                lons.append(float(lon))
                lats.append(float(lat))
    return lons, lats
