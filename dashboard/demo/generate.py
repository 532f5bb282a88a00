"""The deterministic demo dataset: real Changzhi districts, synthetic everything below them.

:func:`write_demo_dataset` writes a dataset folder in the data contract's format
(``DATA_CONTRACT.md``), calibrated to the reference study's published figures; data/README.md lists
what is real and every assumption. The same arguments always give the same file contents.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from dashboard.demo.geography import Geography, build_geography
from dashboard.demo.needs import SERVICES, build_needs
from dashboard.demo.provision import (
    catchments_table,
    delivery_plan,
    stations_table,
    targets_table,
    write_deliveries,
)
from dashboard.demo.respondents import build_respondents
from dashboard.demo.sampling import rng_for

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_BOUNDARIES = DATA_DIR / "changzhi-districts.geojson"

# Parquet options: zstd for size; no stored Arrow schema, so readers see plain text columns rather
# than the dictionary encoding the generator uses internally for speed.
PARQUET_OPTIONS: dict[str, object] = {"compression": "zstd", "store_schema": False}

# Independent random streams (see sampling.rng_for); deliveries use 40 and 41. Catchments need
# none (they follow from the geography).
_GEOGRAPHY, _RESPONDENTS, _NEEDS, _STATIONS, _TARGETS = 10, 20, 30, 35, 36


def services_table() -> pd.DataFrame:
    """services.csv: the twelve service items of the study's demand questionnaire."""
    return pd.DataFrame(
        {
            "service_code": [s.code for s in SERVICES],
            "category": [s.category for s in SERVICES],
            "name": [s.name for s in SERVICES],
            "name_en": [s.name_en for s in SERVICES],
            "sort_order": range(1, len(SERVICES) + 1),
        }
    )


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV without BOM or index; missing values as empty cells."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _write_boundaries(geo: Geography, path: Path) -> None:
    """GeoJSON FeatureCollection, one feature per line (diffable, streamable)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, feature in enumerate(geo.features):
            f.write(",\n" if i else "")
            f.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
        f.write("\n]}\n")


def write_demo_dataset(
    out_dir: Path,
    *,
    respondents: int = 24_000,
    deliveries: int = 500_000,
    grids: int = 800,
    seed: int = 2009,
    boundaries: Path | None = None,
) -> dict:
    """Write the demo dataset into ``out_dir`` (created if needed; files there are overwritten).

    Defaults give a city-sized survey (24,000 respondents, ~30 per grid, so grid maps are rarely
    suppressed) in a few seconds; the benchmark tiers only change the counts. ``boundaries`` must
    hold the 12 Changzhi districts (``properties.region_id``); it defaults to
    ``data/changzhi-districts.geojson``. Returns a summary: the number of rows of each table
    (``catchments`` one per grid, ``targets`` four services × two years per station) and the
    elapsed seconds.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    geo = build_geography(boundaries or DEFAULT_BOUNDARIES, grids, rng_for(seed, _GEOGRAPHY))
    sample = build_respondents(geo, respondents, rng_for(seed, _RESPONDENTS))
    needs = build_needs(sample, rng_for(seed, _NEEDS))
    stations = stations_table(geo, rng_for(seed, _STATIONS))
    catchments = catchments_table(geo)
    plan = delivery_plan(geo, deliveries, seed)
    targets = targets_table(geo, catchments, plan, rng_for(seed, _TARGETS))

    _write_csv(geo.regions, out_dir / "regions.csv")
    _write_csv(services_table(), out_dir / "services.csv")
    _write_csv(stations, out_dir / "stations.csv")
    _write_csv(catchments, out_dir / "catchments.csv")
    _write_csv(targets, out_dir / "targets.csv")
    _write_boundaries(geo, out_dir / "boundaries.geojson")
    pq.write_table(sample.table, out_dir / "respondents.parquet", **PARQUET_OPTIONS)
    pq.write_table(needs, out_dir / "needs.parquet", **PARQUET_OPTIONS)
    written = write_deliveries(
        geo, deliveries, seed, out_dir / "deliveries.parquet", plan, **PARQUET_OPTIONS
    )
    return {
        "out_dir": str(out_dir),
        "regions": len(geo.regions),
        "grids": len(geo.grids),
        "stations": len(stations),
        "catchments": len(catchments),
        "targets": len(targets),
        "respondents": sample.table.num_rows,
        "needs": needs.num_rows,
        "deliveries": written,
        "seconds": round(time.perf_counter() - started, 2),
    }
