"""Synthetic community health stations, their catchments, targets and service records (deliveries).

One station per community. Its catchment is the community's grids, except a grid whose centre is
clearly nearer another station of the same street, which that station serves (contract v1.1
`catchments`). Each station has annual targets for a few services (`targets`): people to reach,
sized from its catchment's elderly population as the basic public health service sizes them, and
services to deliver, sized from its own expected volume. Deliveries are generated grid by grid in
blocks of about a million rows and streamed to Parquet, so 100 million rows need only one block's
memory. Each block draws from its own random stream (seed, block number), which keeps the output
identical for the same arguments. Deliveries are recorded by the grid's own community's station.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.demo.geography import Geography
from dashboard.demo.needs import SERVICES
from dashboard.demo.respondents import CHRONIC_SHARE
from dashboard.demo.sampling import largest_remainder, pseudonymous_keys, rng_for

PERIOD_START = np.datetime64("2008-01-01")
PERIOD_DAYS = 731  # 2008-01-01 .. 2009-12-31 (2008 is a leap year)
SPRING_FESTIVALS = (np.datetime64("2008-02-07"), np.datetime64("2009-01-26"))

# Station delivery mix (share of records) before each station's own variation: therapeutic care
# dominates, as the study found; examinations and education are small.
DELIVERY_MIX = {
    "care_injection": 0.380,
    "care_monitoring": 0.270,
    "care_wound": 0.060,
    "care_home_visit": 0.050,
    "edu_medication": 0.060,
    "edu_disease": 0.040,
    "edu_diet": 0.025,
    "edu_exercise": 0.020,
    "exam_periodic": 0.015,
    "rehab_guidance": 0.030,
    "mental_counselling": 0.010,
    "daily_help": 0.040,
}
MIX_CONCENTRATION = 60.0  # Dirichlet concentration of a station's mix around DELIVERY_MIX
VOLUME_BY_TIER = {"high": 1.25, "middle": 1.0, "low": 0.8}  # records per elderly resident, relative
VOLUME_SD = 0.35  # lognormal spread of volume between grids
STAFF_BY_TIER = {"high": 1.2, "middle": 1.0, "low": 0.85}
ELDERLY_PER_STAFF = 400
RECIPIENTS_PER_ELDERLY = 0.5  # distinct service users per elderly resident
FREQUENT_USER_SKEW = 1.7  # >1: a few recipients account for many records
BLOCK_ROWS = 1_000_000
#: Mean quantity of a record, as `_block` draws it: 1 (80% of injections, 90% of the rest), 2 (7%),
#: else 3, plus 0-2 more for 1% of records.
MEAN_QUANTITY = {
    "injection": 0.80 + 2 * 0.07 + 3 * 0.13 + 0.01,
    "other": 0.90 + 2 * 0.07 + 3 * 0.03 + 0.01,
}

#: A grid is served by another community's station of its street when that station is nearer its
#: centre than this share of the distance to its own community's station (its own station's grid
#: always stays). At 0.75 (nearer by a quarter) one grid in five would move, since a community's
#: station sits in its most populous grid, often at one end of the community; at 0.5 about one in
#: twelve does.
CATCHMENT_NEARER = 0.5
TARGET_YEARS = (2008, 2009)
#: Targets counted in people, as shares of the catchment's residents aged 60+ (2009; 2008 is
#: TARGET_2008_SHARE_STEP lower): the yearly check-up of the elderly health management service
#: (老年人健康管理), and blood pressure/glucose monitoring for those with a chronic disease.
PEOPLE_TARGETS = {
    "exam_periodic": (0.60, 0.70),
    "care_monitoring": (0.9 * CHRONIC_SHARE, 1.1 * CHRONIC_SHARE),
}
TARGET_2008_SHARE_STEP = 0.05
#: Targets counted in services: the station's expected yearly volume × one factor per station and
#: service in this range (the same both years), so some stations are set a target they will beat
#: and some one they will miss.
SERVICE_TARGETS = {"edu_disease": (0.8, 1.2), "care_injection": (0.8, 1.2)}


def stations_table(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """stations.csv: one station per community, placed in its most populous grid."""
    c = geo.communities
    english = geo.regions.set_index("region_id").loc[c["community_id"], "name_en"]
    factor = c["tier"].map(STAFF_BY_TIER).to_numpy()
    staff = 2 + np.round(
        c["elderly"].to_numpy() / ELDERLY_PER_STAFF * factor * rng.lognormal(0, 0.2, len(c))
    )
    return pd.DataFrame(
        {
            "station_id": "ST-" + c["community_id"],
            "name": c["name"] + "卫生服务站",
            "name_en": english.to_numpy() + " Health Station",
            "region_id": c["community_id"],
            "lon": c["lon"],
            "lat": c["lat"],
            "staff": np.clip(staff, 2, 40).astype(np.int64),
        }
    )


def catchments_table(geo: Geography) -> pd.DataFrame:
    """catchments.csv: every grid under one station; its own community's, unless another station
    of the same street is nearer its centre than CATCHMENT_NEARER of the distance to its own."""
    grids, c = geo.grids, geo.communities
    own = grids["community_id"].to_numpy()
    station_of = {cid: i for i, cid in enumerate(c["community_id"])}
    street = c["street_id"].to_numpy()
    sx, sy = c["station_x"].to_numpy(), c["station_y"].to_numpy()
    home = set(c["station_grid"])
    serving = own.copy()
    for g, (gid, cid, x, y) in enumerate(
        zip(grids["grid_id"], own, grids["x"], grids["y"], strict=True)
    ):
        k = station_of[cid]
        others = np.flatnonzero((street == street[k]) & (np.arange(len(c)) != k))
        if gid in home or not len(others):
            continue
        distance = np.hypot(sx[others] - x, sy[others] - y)
        nearest = int(np.argmin(distance))
        if distance[nearest] < CATCHMENT_NEARER * np.hypot(sx[k] - x, sy[k] - y):
            serving[g] = c["community_id"].iat[others[nearest]]
    return pd.DataFrame({"station_id": "ST-" + pd.Series(serving), "region_id": grids["grid_id"]})


def targets_table(
    geo: Geography, catchments: pd.DataFrame, plan: _Plan, rng: np.random.Generator
) -> pd.DataFrame:
    """targets.csv: each station's targets for TARGET_YEARS, in people (PEOPLE_TARGETS, from its
    catchment's elderly) and in services (SERVICE_TARGETS, from its expected volume)."""
    c = geo.communities
    stations = "ST-" + c["community_id"]
    elderly_of = dict(zip(geo.grids["grid_id"], geo.grids["elderly"], strict=True))
    elderly = (
        catchments.assign(elderly=catchments["region_id"].map(elderly_of))
        .groupby("station_id")["elderly"]
        .sum()
        .reindex(stations, fill_value=0)
        .to_numpy(dtype=float)
    )
    codes = [s.code for s in SERVICES]
    volume = plan.expected_volume()  # stations × services × years
    rows = []
    for code, (lo, hi) in PEOPLE_TARGETS.items():
        share = rng.uniform(lo, hi, len(c))
        for y, year in enumerate(TARGET_YEARS):
            step = TARGET_2008_SHARE_STEP * (len(TARGET_YEARS) - 1 - y)
            rows.append((code, year, elderly * (share - step), "people"))
    for code, (lo, hi) in SERVICE_TARGETS.items():
        factor = rng.uniform(lo, hi, len(c))  # a station's targets are set alike every year
        for y, year in enumerate(TARGET_YEARS):
            rows.append((code, year, volume[:, codes.index(code), y] * factor, "services"))
    frames = [
        pd.DataFrame(
            {
                "station_id": stations,
                "service_code": code,
                "year": year,
                "target": np.maximum(1, np.round(value)).astype(np.int64),
                "unit": unit,
            }
        )
        for code, year, value, unit in rows
    ]
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["station_id", "service_code", "year"], kind="stable", ignore_index=True)


def _day_weights(winter_amplitude: float) -> np.ndarray:
    """Probability of each day of the period: winter peak, slight growth, quieter weekends and
    Spring Festival week."""
    days = np.arange(PERIOD_DAYS)
    dates = PERIOD_START + days
    doy = (dates - dates.astype("datetime64[Y]")).astype(int)
    season = 1.0 + winter_amplitude * np.cos(2 * np.pi * (doy - 15) / 365.25)
    trend = 1.0 + 0.08 * days / PERIOD_DAYS
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    week = np.select([weekday == 5, weekday == 6], [0.7, 0.55], 1.0)
    festival = np.ones(PERIOD_DAYS)
    for day in SPRING_FESTIVALS:
        start = int((day - PERIOD_START).astype(int))
        festival[start : start + 7] = 0.35
    p = season * trend * week * festival
    return np.cumsum(p / p.sum())


def _station_mix_cdf(n_stations: int, rng: np.random.Generator) -> np.ndarray:
    """Flattened cumulative mixes, station k's occupying (k, k+1]: one searchsorted then picks a
    service for any row given its station."""
    alpha = np.array([DELIVERY_MIX[s.code] for s in SERVICES]) * MIX_CONCENTRATION
    mix = rng.gamma(alpha, size=(n_stations, len(alpha)))
    cum = np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    return (cum + np.arange(n_stations)[:, None]).ravel()


class _Plan:
    """Per-grid quantities that every block of deliveries looks up."""

    def __init__(self, geo: Geography, deliveries: int, seed: int) -> None:
        rng = rng_for(seed, 40)
        grids = geo.grids
        elderly = grids["elderly"].to_numpy(dtype=float)
        volume = elderly * grids["tier"].map(VOLUME_BY_TIER).to_numpy()
        volume = volume * rng.lognormal(0.0, VOLUME_SD, len(grids))
        self.counts = largest_remainder(deliveries, np.maximum(volume, 1e-9))
        codes = {c: i for i, c in enumerate(geo.communities["community_id"])}
        self.station = grids["community_id"].map(codes).to_numpy(dtype=np.int32)
        self.mix_cdf = _station_mix_cdf(len(codes), rng)
        self.pool_size = np.maximum(3, np.round(elderly * RECIPIENTS_PER_ELDERLY)).astype(np.int64)
        self.pool_start = np.concatenate([[0], np.cumsum(self.pool_size)[:-1]])
        n_keys = int(self.pool_size.sum())
        self.keys = pa.array(pseudonymous_keys("P", n_keys, seed), pa.string())
        # recipients' ages: mostly 60-95, older than the survey on average; a few near-elderly
        age = 60 + np.floor(rng.gamma(2.2, 4.5, n_keys))
        young = rng.random(n_keys) < 0.02
        age = np.where(young, rng.integers(55, 60, n_keys), np.minimum(age, 99))
        self.key_age = age.astype(np.int32)
        self.day_cdf_injection = _day_weights(0.30)
        self.day_cdf_other = _day_weights(0.10)
        self.station_ids = pa.array("ST-" + geo.communities["community_id"], pa.string())
        self.grid_ids = pa.array(grids["grid_id"], pa.string())
        self.service_codes = pa.array([s.code for s in SERVICES], pa.string())
        self.injection = [s.code for s in SERVICES].index("care_injection")

    def expected_volume(self) -> np.ndarray:
        """Expected Σ quantity per station × service × year of TARGET_YEARS, as `_block` draws
        the records: the grids' counts, the station's mix, the mean quantity and the days."""
        n_stations = len(self.station_ids)
        k = len(SERVICES)
        records = np.bincount(self.station, weights=self.counts, minlength=n_stations)
        cdf = self.mix_cdf.reshape(n_stations, k) - np.arange(n_stations)[:, None]
        mix = np.diff(cdf, axis=1, prepend=0.0)
        injection = np.arange(k) == self.injection
        quantity = np.where(injection, MEAN_QUANTITY["injection"], MEAN_QUANTITY["other"])
        # the first year is days 0..365 (2008 is a leap year); the rest is the second
        first = np.where(injection, self.day_cdf_injection[365], self.day_cdf_other[365])
        years = np.stack([first, 1.0 - first], axis=-1)  # services × years
        return records[:, None, None] * mix[:, :, None] * quantity[:, None] * years[None]

    def blocks(self) -> list[tuple[int, int]]:
        """Grid ranges [start, stop) holding about BLOCK_ROWS records each."""
        cum = np.cumsum(self.counts)
        total = int(cum[-1]) if len(cum) else 0
        cuts = np.searchsorted(cum, np.arange(BLOCK_ROWS, total, BLOCK_ROWS), side="left") + 1
        edges = np.unique(np.concatenate([[0], cuts, [len(self.counts)]]))
        return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


DELIVERY_SCHEMA = pa.schema(
    [
        ("station_id", pa.dictionary(pa.int32(), pa.string())),
        ("region_id", pa.dictionary(pa.int32(), pa.string())),
        ("service_code", pa.dictionary(pa.int32(), pa.string())),
        ("delivered_on", pa.date32()),
        ("quantity", pa.int32()),
        ("recipient_key", pa.string()),
        ("recipient_age", pa.int32()),
    ]
)


def _block(plan: _Plan, start: int, stop: int, rng: np.random.Generator) -> pa.RecordBatch:
    """The records of grids start..stop-1."""
    grid = np.repeat(np.arange(start, stop, dtype=np.int32), plan.counts[start:stop])
    n = len(grid)
    station = plan.station[grid]
    k = len(SERVICES)
    pick = np.searchsorted(plan.mix_cdf, station + rng.random(n), side="right")
    service = (pick - station.astype(np.int64) * k).astype(np.int32)
    injection = service == plan.injection
    u = rng.random(n)
    day = np.where(
        injection,
        np.searchsorted(plan.day_cdf_injection, u, side="right"),
        np.searchsorted(plan.day_cdf_other, u, side="right"),
    )
    day = np.minimum(day, PERIOD_DAYS - 1)
    epoch = int((PERIOD_START - np.datetime64("1970-01-01")).astype(int))
    q = rng.random(n)
    one = np.where(injection, 0.80, 0.90)  # injections are more often a course of several
    quantity = np.where(
        q < one, 1, np.where(q < one + 0.07, 2, 3 + (q > 0.99) * rng.integers(0, 3, n))
    )
    who = plan.pool_start[grid] + np.floor(
        plan.pool_size[grid] * rng.random(n) ** FREQUENT_USER_SKEW
    ).astype(np.int64)
    arrays = [
        pa.DictionaryArray.from_arrays(pa.array(station, pa.int32()), plan.station_ids),
        pa.DictionaryArray.from_arrays(pa.array(grid, pa.int32()), plan.grid_ids),
        pa.DictionaryArray.from_arrays(pa.array(service, pa.int32()), plan.service_codes),
        pa.array((epoch + day).astype(np.int32), pa.int32()).cast(pa.date32()),
        pa.array(quantity.astype(np.int32), pa.int32()),
        plan.keys.take(pa.array(who)),
        pa.array(plan.key_age[who], pa.int32()),
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=DELIVERY_SCHEMA)


def delivery_plan(geo: Geography, deliveries: int, seed: int) -> _Plan:
    """The per-grid quantities deliveries are drawn from (random stream 40)."""
    return _Plan(geo, deliveries, seed)


def write_deliveries(
    geo: Geography,
    deliveries: int,
    seed: int,
    path: Path,
    plan: _Plan | None = None,
    **parquet: object,
) -> int:
    """Stream ``deliveries`` records to ``path`` block by block; returns the number written."""
    plan = plan or _Plan(geo, deliveries, seed)
    written = 0
    with pq.ParquetWriter(path, DELIVERY_SCHEMA, **parquet) as writer:
        for b, (start, stop) in enumerate(plan.blocks()):
            batch = _block(plan, start, stop, rng_for(seed, 41, b))
            writer.write_batch(batch, row_group_size=len(batch))
            written += batch.num_rows
    return written
