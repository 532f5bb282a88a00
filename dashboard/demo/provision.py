"""Synthetic community health stations and their service records (deliveries).

One station per community; its catchment is the community's grids. Deliveries are generated grid by
grid in blocks of about a million rows and streamed to Parquet, so 100 million rows need only one
block's memory. Each block draws from its own random stream (seed, block number), which keeps the
output identical for the same arguments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.demo.geography import Geography
from dashboard.demo.needs import SERVICES
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


def stations_table(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """stations.csv: one station per community, placed in its most populous grid."""
    c = geo.communities
    factor = c["tier"].map(STAFF_BY_TIER).to_numpy()
    staff = 2 + np.round(
        c["elderly"].to_numpy() / ELDERLY_PER_STAFF * factor * rng.lognormal(0, 0.2, len(c))
    )
    return pd.DataFrame(
        {
            "station_id": "ST-" + c["community_id"],
            "name": c["name"] + "卫生服务站",
            "region_id": c["community_id"],
            "lon": c["lon"],
            "lat": c["lat"],
            "staff": np.clip(staff, 2, 40).astype(np.int64),
        }
    )


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


def write_deliveries(
    geo: Geography, deliveries: int, seed: int, path: Path, **parquet: object
) -> int:
    """Stream ``deliveries`` records to ``path`` block by block; returns the number written."""
    plan = _Plan(geo, deliveries, seed)
    written = 0
    with pq.ParquetWriter(path, DELIVERY_SCHEMA, **parquet) as writer:
        for b, (start, stop) in enumerate(plan.blocks()):
            batch = _block(plan, start, stop, rng_for(seed, 41, b))
            writer.write_batch(batch, row_group_size=len(batch))
            written += batch.num_rows
    return written
