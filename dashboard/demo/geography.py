"""Demo geography: the real Changzhi districts; synthetic streets, communities and grids below.

Only the district boundaries, names and codes are real. Everything below a district is synthesised:
grid cells are Voronoi cells of random seed points clipped to the district (computed in UTM 49N, so
that distances and areas are in metres), denser around the district seat and densest in the urban
district; communities and streets are runs of grids along a Hilbert curve, so they are compact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from dashboard.demo.sampling import hilbert_index, largest_remainder

CITY_ID = "140400"
CITY_NAME = "长治市"
CITY_NAME_EN = "Changzhi"
CITY_POPULATION = 3_120_000  # 2006, as in the reference study
CITY_ELDERLY = 340_000  # residents aged 60+, 2006

UTM_CRS = "EPSG:32649"  # UTM zone 49N: Changzhi lies at 112–114 E
WGS84_CRS = "EPSG:4326"

GRIDS_PER_COMMUNITY = 5
COMMUNITIES_PER_STREET = 4
PERSONS_PER_HOUSEHOLD = 2.8


@dataclass(frozen=True)
class DistrictSpec:
    """The unpublished facts the demo assumes about a district (see data/README.md)."""

    region_id: str
    population: int
    econ_tier: str  # high / middle / low
    seat: tuple[float, float]  # approximate lon/lat of the district seat (town centre)
    urban: bool = False


# Population split (sums to the city's 3,120,000) and economic tiers: plausible, not official.
DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec("140403", 760_000, "high", (113.116, 36.195), urban=True),  # 潞州区
    DistrictSpec("140404", 330_000, "middle", (113.040, 36.060)),  # 上党区
    DistrictSpec("140405", 240_000, "middle", (112.890, 36.320)),  # 屯留区
    DistrictSpec("140406", 210_000, "high", (113.230, 36.330)),  # 潞城区
    DistrictSpec("140423", 250_000, "high", (113.050, 36.530)),  # 襄垣县
    DistrictSpec("140425", 140_000, "low", (113.440, 36.200)),  # 平顺县
    DistrictSpec("140426", 150_000, "middle", (113.390, 36.500)),  # 黎城县
    DistrictSpec("140427", 260_000, "low", (113.210, 36.110)),  # 壶关县
    DistrictSpec("140428", 320_000, "middle", (112.880, 36.120)),  # 长子县
    DistrictSpec("140429", 170_000, "low", (112.860, 36.840)),  # 武乡县
    DistrictSpec("140430", 140_000, "low", (112.700, 36.760)),  # 沁县
    DistrictSpec("140431", 150_000, "middle", (112.340, 36.500)),  # 沁源县
)

# Share of residents aged 60+ by tier before scaling to the city's 340,000: poorer counties are
# older (the young leave for work), the urban district is younger.
ELDERLY_SHARE_BY_TIER = {"high": 0.100, "middle": 0.110, "low": 0.118}

# Seed-point layout: share of grid seeds clustered around the seat, and the cluster's SD in metres.
URBAN_CLUSTER = (0.70, 6_000.0)
COUNTY_CLUSTER = (0.45, 4_000.0)


@dataclass
class Geography:
    """Everything the rest of the generator needs to know about places.

    Grid-level arrays are aligned with ``grids`` (one row per grid, ordered by district, street,
    community, grid).
    """

    regions: pd.DataFrame  # the contract's regions table
    #: grid_id, district_id, street_id, community_id, tier, population, elderly, and x, y: the
    #: grid's centroid in UTM 49N metres
    grids: pd.DataFrame
    #: community_id, name, district_id, street_id, tier, elderly, lon, lat (its station),
    #: station_grid (the grid the station sits in) and station_x, station_y (UTM 49N metres)
    communities: pd.DataFrame
    features: list[dict]  # GeoJSON features: the districts as given, then the grids


def load_districts(path: Path) -> list[dict]:
    """The district features of the boundaries file, keyed by the specs' region ids."""
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    features = {f["properties"]["region_id"]: f for f in collection["features"]}
    missing = [d.region_id for d in DISTRICTS if d.region_id not in features]
    if missing:
        raise ValueError(f"{path}: no boundary for districts {', '.join(missing)}")
    return [features[d.region_id] for d in DISTRICTS]


def _short_en(name_en: str) -> str:
    """'Luzhou District' -> 'Luzhou', used to keep synthetic English names short."""
    for suffix in (" District", " County"):
        if name_en.endswith(suffix):
            return name_en[: -len(suffix)]
    return name_en


def _seed_points(
    polygon: shapely.Geometry,
    n: int,
    seat: tuple[float, float],
    cluster: tuple[float, float],
    rng: np.random.Generator,
) -> np.ndarray:
    """``n`` random points in ``polygon`` (UTM): a share clustered round the seat, the rest uniform.

    Rejection sampling in batches keeps it vectorised; the loop runs a handful of times at most.
    """
    share, sigma = cluster
    xmin, ymin, xmax, ymax = polygon.bounds
    found: list[np.ndarray] = []
    count = 0
    while count < n:
        m = 2 * (n - count) + 16
        clustered = rng.random(m) < share
        x = np.where(clustered, rng.normal(seat[0], sigma, m), rng.uniform(xmin, xmax, m))
        y = np.where(clustered, rng.normal(seat[1], sigma, m), rng.uniform(ymin, ymax, m))
        inside = shapely.contains_xy(polygon, x, y)
        batch = np.column_stack([x[inside], y[inside]])
        found.append(batch)
        count += len(batch)
    return np.concatenate(found)[:n]


def _voronoi_cells(polygon: shapely.Geometry, points: np.ndarray) -> np.ndarray:
    """Voronoi cells of ``points`` clipped to ``polygon``, in the order of ``points``."""
    if len(points) == 1:
        return np.array([polygon], dtype=object)
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=polygon, ordered=True)
    cells = shapely.get_parts(diagram)
    return shapely.intersection(cells, polygon)


def _relax(polygon: shapely.Geometry, points: np.ndarray) -> np.ndarray:
    """One Lloyd step (seeds move to their cells' centroids): removes sliver cells while keeping
    most of the density gradient."""
    cells = _voronoi_cells(polygon, points)
    centroids = shapely.centroid(cells)
    inside = shapely.contains(polygon, centroids)
    fallback = shapely.point_on_surface(cells)
    moved = np.where(inside, centroids, fallback)
    return shapely.get_coordinates(moved)


def _simplify(cells: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify a district's cells together, so neighbouring cells keep a shared edge."""
    try:
        simple = shapely.coverage_simplify(cells, tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: simplify cell by cell
        simple = shapely.simplify(cells, tolerance, preserve_topology=True)
    bad = shapely.is_empty(simple) | ~shapely.is_valid(simple)
    return np.where(bad, shapely.simplify(cells, tolerance, preserve_topology=True), simple)


def _to_wgs84(geoms: np.ndarray) -> np.ndarray:
    """UTM 49N geometries -> WGS84, snapped to a 1e-5° grid (about 1 m) with clean decimals."""
    back = Transformer.from_crs(UTM_CRS, WGS84_CRS, always_xy=True)
    wgs = shapely.transform(geoms, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))
    snapped = shapely.set_precision(wgs, 1e-5)
    wgs = np.where(shapely.is_empty(snapped), wgs, snapped)
    return shapely.transform(wgs, lambda xy: np.round(xy, 5))


@dataclass
class _DistrictGrids:
    """Grids of one district before they are numbered: seeds, cells, and their grouping."""

    cells: np.ndarray  # unsimplified UTM cells
    order: np.ndarray  # Hilbert order of the cells
    community_of: np.ndarray  # community number (0-based) of each cell, in Hilbert order
    street_of_community: np.ndarray  # street number (0-based) of each community


def _district_grids(
    polygon_utm: shapely.Geometry,
    n: int,
    spec: DistrictSpec,
    seat_utm: tuple[float, float],
    rng: np.random.Generator,
) -> _DistrictGrids:
    """Seed, cut and group one district's grids."""
    cluster = URBAN_CLUSTER if spec.urban else COUNTY_CLUSTER
    points = _seed_points(polygon_utm, n, seat_utm, cluster, rng)
    if n > 2:
        points = _relax(polygon_utm, points)
    cells = _voronoi_cells(polygon_utm, points)
    order = np.argsort(hilbert_index(points[:, 0], points[:, 1]), kind="stable")
    n_comm = max(1, round(n / GRIDS_PER_COMMUNITY))
    n_street = max(1, round(n_comm / COMMUNITIES_PER_STREET))
    community_of = np.concatenate(
        [np.full(len(part), k) for k, part in enumerate(np.array_split(np.arange(n), n_comm))]
    )
    street_of_community = np.concatenate(
        [np.full(len(p), k) for k, p in enumerate(np.array_split(np.arange(n_comm), n_street))]
    )
    return _DistrictGrids(cells, order, community_of, street_of_community)


def _seat_utm(spec: DistrictSpec, polygon_utm: shapely.Geometry) -> tuple[float, float]:
    """The seat in UTM; the polygon's representative point if the listed seat falls outside."""
    fwd = Transformer.from_crs(WGS84_CRS, UTM_CRS, always_xy=True)
    x, y = fwd.transform(*spec.seat)
    if shapely.contains_xy(polygon_utm, x, y):
        return float(x), float(y)
    p = shapely.point_on_surface(polygon_utm)
    return p.x, p.y


def _elderly_totals() -> np.ndarray:
    """Elderly residents per district: population × tier share, scaled to the city's 340,000."""
    raw = np.array([d.population * ELDERLY_SHARE_BY_TIER[d.econ_tier] for d in DISTRICTS])
    return largest_remainder(CITY_ELDERLY, raw)


def _width(n: int) -> int:
    """Zero-padding width for ids numbered 1..n (at least two digits)."""
    return max(2, len(str(n)))


@dataclass
class _DistrictParts:
    """One district's contribution to the regions table, grid and community frames and map."""

    regions: list[dict]
    grids: list[dict]
    communities: list[dict]
    cells: np.ndarray  # simplified UTM cells, in the order of ``grids``
    stations: list[shapely.Geometry]  # one point per community, UTM


def _street_rows(district: dict, n_street: int) -> tuple[list[str], list[dict]]:
    """Street ids and region rows of a district ("潞州区第1街道" / "Luzhou Street 1")."""
    width = _width(n_street)
    ids = [f"{district['region_id']}-S{s + 1:0{width}d}" for s in range(n_street)]
    rows = [
        {"region_id": sid, "parent_id": district["region_id"], "level": "street",
         "name": f"{district['name']}第{s + 1}街道",
         "name_en": f"{district['short']} Street {s + 1}"}
        for s, sid in enumerate(ids)
    ]  # fmt: skip
    return ids, rows


def _build_district(
    spec: DistrictSpec, feature: dict, n: int, elderly: int, rng: np.random.Generator
) -> _DistrictParts:
    """Grids, communities and streets of one district, with populations and a station point each."""
    fwd = Transformer.from_crs(WGS84_CRS, UTM_CRS, always_xy=True)
    poly_utm = shapely.transform(
        shape(feature["geometry"]),
        lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])),
    )
    layout = _district_grids(poly_utm, n, spec, _seat_utm(spec, poly_utm), rng)
    cells = layout.cells[layout.order]
    pop = largest_remainder(spec.population, rng.lognormal(0.0, 0.25, n))
    old = largest_remainder(elderly, pop * rng.lognormal(0.0, 0.15, n))
    households = np.round(pop / (PERSONS_PER_HOUSEHOLD * rng.lognormal(0.0, 0.06, n)))
    centroids = shapely.get_coordinates(shapely.centroid(cells))

    props = feature["properties"]
    district = {"region_id": spec.region_id, "name": props["name"],
                "short": _short_en(props["name_en"])}  # fmt: skip
    parts = _DistrictParts(
        regions=[{"region_id": spec.region_id, "parent_id": CITY_ID, "level": "district",
                  "name": props["name"], "name_en": props["name_en"],
                  "econ_tier": spec.econ_tier}],
        grids=[], communities=[], cells=np.empty(0, dtype=object), stations=[],
    )  # fmt: skip
    streets = layout.street_of_community
    street_ids, street_rows = _street_rows(district, int(streets.max()) + 1)
    parts.regions += street_rows
    # communities are numbered within their street
    seq = np.concatenate([np.arange(1, (streets == s).sum() + 1) for s in range(len(street_ids))])
    cw = _width(int(seq.max()))
    for c, s in enumerate(streets.tolist()):
        cid = f"{street_ids[s]}-C{seq[c]:0{cw}d}"
        cname = f"{props['name']}第{s + 1}街道第{seq[c]}社区"
        parts.regions.append(
            {"region_id": cid, "parent_id": street_ids[s], "level": "community", "name": cname,
             "name_en": f"{district['short']} Street {s + 1} Community {seq[c]}"}
        )  # fmt: skip
        members = np.flatnonzero(layout.community_of == c)
        gw = _width(len(members))
        for k, g in enumerate(members.tolist(), start=1):
            gid = f"{cid}-G{k:0{gw}d}"
            parts.regions.append(
                {"region_id": gid, "parent_id": cid, "level": "grid",
                 "name": f"{cname}第{k}网格",
                 "name_en": f"{district['short']} S{s + 1}-C{seq[c]} Grid {k}",
                 "population": int(pop[g]), "households": int(households[g]),
                 "elderly_population": int(old[g])}
            )  # fmt: skip
            parts.grids.append(
                {"grid_id": gid, "district_id": spec.region_id, "street_id": street_ids[s],
                 "community_id": cid, "tier": spec.econ_tier,
                 "population": int(pop[g]), "elderly": int(old[g]),
                 "x": float(centroids[g, 0]), "y": float(centroids[g, 1])}
            )  # fmt: skip
        # the community's station sits in its most populous grid
        home = int(np.argmax(pop[members]))
        station = shapely.point_on_surface(cells[members[home]])
        parts.stations.append(station)
        parts.communities.append(
            {"community_id": cid, "name": cname, "district_id": spec.region_id,
             "street_id": street_ids[s], "tier": spec.econ_tier,
             "elderly": int(old[members].sum()), "station_grid": f"{cid}-G{home + 1:0{gw}d}",
             "station_x": station.x, "station_y": station.y}
        )  # fmt: skip
    tolerance = float(np.clip(0.03 * np.sqrt(shapely.area(poly_utm) / n), 15.0, 250.0))
    parts.cells = _simplify(cells, tolerance)
    return parts


def build_geography(boundaries: Path, grids: int, rng: np.random.Generator) -> Geography:
    """Regions table, grid/community frames and GeoJSON features for ``grids`` grids in total."""
    if grids < len(DISTRICTS):
        raise ValueError(f"need at least {len(DISTRICTS)} grids (one per district), got {grids}")
    features = load_districts(boundaries)
    per_district = largest_remainder(grids, np.array([d.population for d in DISTRICTS]), 1)
    parts = [
        _build_district(spec, feature, int(n), int(elderly), rng)
        for spec, feature, n, elderly in zip(
            DISTRICTS, features, per_district, _elderly_totals(), strict=True
        )
    ]
    grid_frame = pd.DataFrame([row for p in parts for row in p.grids])
    communities = pd.DataFrame([row for p in parts for row in p.communities])
    stations = _to_wgs84(np.array([pt for p in parts for pt in p.stations], dtype=object))
    xy = shapely.get_coordinates(stations)
    communities["lon"], communities["lat"] = xy[:, 0], xy[:, 1]
    regions = _regions_table([row for p in parts for row in p.regions])
    cells = _to_wgs84(np.concatenate([p.cells for p in parts]))
    names = regions.set_index("region_id").loc[grid_frame["grid_id"], ["name", "name_en"]]
    grid_features = [
        {"type": "Feature",
         "properties": {"region_id": gid, "name": nm, "name_en": en},
         "geometry": mapping(geom)}
        for gid, nm, en, geom in zip(
            grid_frame["grid_id"], names["name"], names["name_en"], cells, strict=True
        )
    ]  # fmt: skip
    return Geography(regions, grid_frame, communities, features + grid_features)


def _regions_table(rows: list[dict]) -> pd.DataFrame:
    """The contract's regions table: city root first, sums filled in bottom-up for every level."""
    frame = pd.DataFrame(rows)
    grids = frame[frame["level"] == "grid"]
    parent = dict(zip(frame["region_id"], frame["parent_id"], strict=True))
    totals: dict[str, np.ndarray] = {}
    values = grids[["population", "households", "elderly_population"]].to_numpy(dtype=np.int64)
    for gid, v in zip(grids["region_id"], values, strict=True):
        node = parent[gid]
        while node:
            totals[node] = totals.get(node, 0) + v
            node = parent.get(node, "")
    city = {"region_id": CITY_ID, "parent_id": "", "level": "city", "name": CITY_NAME,
            "name_en": CITY_NAME_EN}  # fmt: skip
    frame = pd.concat([pd.DataFrame([city]), frame], ignore_index=True)
    for k, col in enumerate(("population", "households", "elderly_population")):
        own = frame[col].to_numpy(dtype=float)
        fill = frame["region_id"].map(lambda r, k=k: totals[r][k] if r in totals else np.nan)
        frame[col] = pd.array(np.where(np.isnan(own), fill, own), dtype="Int64")
    frame["parent_id"] = frame["parent_id"].fillna("")
    columns = ["region_id", "parent_id", "level", "name", "name_en", "population", "households",
               "elderly_population", "econ_tier"]  # fmt: skip
    return frame.reindex(columns=columns)
