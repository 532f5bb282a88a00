"""Typed data functions: one per question the views, reports and exports ask of the store.

Each turns friendly arguments (dates, None for "all") into the bound parameters of one named
query under queries/ and returns a frame. Screens, downloads and `caregap report` all call these,
so they can never disagree about a figure.

They also hold the caller's scope (dashboard.scope, carried by the cursor): a region or station
asked about that the caller may not be shown is refused (OutOfScope), and rows about regions or
stations outside the scope are dropped from what is returned — after the disclosure gate, which
always judges the whole dataset.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import shapely

from dashboard import config, disclosure, scope, sql
from dashboard.cache import per_dataset
from dashboard.ingest import fits, patterns
from dashboard.ingest.rollups import GROUP_LEVELS
from dashboard.ingest.schema import (
    AGE_GROUPS,
    DEFAULT_THRESHOLD,
    GROUP_COLUMNS,
    LEVELS,
    SLICE_DIMENSIONS,
)
from dashboard.stats import survey, tables

DEFAULT_MIN_N = config.DEFAULT_MIN_N
#: The need thresholds T (a Likert answer ≥ T counts as needing the service).
THRESHOLDS = range(1, 6)
#: The minimum n a slice may ask for (a floor above any survey's size is a typing error).
MIN_N_RANGE = range(1, 10_001)
SEXES = ("M", "F")
#: What a table of figures can be given for: the regions at each level, or the stations (each
#: with its catchment's survey figures and its own deliveries).
STATION = "station"
AREA_LEVELS = (*LEVELS, STATION)

#: The contract's report columns, in its order; then the n behind received_rate and unmet_rate.
GAP_COLUMNS = (
    "region_id",
    "region_name",
    "level",
    "service_code",
    "category",
    "respondents_n",
    "demand_rate",
    "received_rate",
    "gap_pp",
    "unmet_rate",
    "demand_share",
    "provision_count",
    "provision_share",
    "mix_gap_pp",
    "suppressed",
)
GAP_EXTRA_COLUMNS = ("received_n", "unmet_n")
#: After those: the 95% intervals and the row's NCHS reliability flag (see gap_intervals), then
#: the interval of unmet_rate.
GAP_INTERVAL_COLUMNS = (
    "demand_rate_lo",
    "demand_rate_hi",
    "received_rate_lo",
    "received_rate_hi",
    "reliability",
    "unmet_rate_lo",
    "unmet_rate_hi",
)
INTERVAL_DECIMALS = 10
#: The survey ratios that carry an interval: (figure, its rate column in gap_table).
INTERVAL_FIGURES = (
    ("demand", "demand_rate"),
    ("received", "received_rate"),
    ("unmet", "unmet_rate"),
)


@dataclass(frozen=True)
class Slice:
    """Who and when: the filters every view and report shares.

    The values each filter may take are THRESHOLDS, MIN_N_RANGE, AGE_GROUPS and SEXES: checked
    here, by the URL parser (which falls back to defaults) and by the CLI's options alike.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    threshold: int = DEFAULT_THRESHOLD
    min_n: int = DEFAULT_MIN_N
    age_group: str | None = None
    sex: str | None = None

    def __post_init__(self) -> None:
        if self.threshold not in THRESHOLDS:
            raise ValueError("threshold must be 1..5")
        if self.min_n not in MIN_N_RANGE:
            raise ValueError(f"min_n must be {MIN_N_RANGE.start}..{MIN_N_RANGE.stop - 1}")
        if self.age_group is not None and self.age_group not in AGE_GROUPS:
            raise ValueError(f"age group must be one of {AGE_GROUPS}")
        if self.sex is not None and self.sex not in SEXES:
            raise ValueError(f"sex must be one of {SEXES}")


def delivery_period(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """First and last delivery date in the data (None, None when there are no deliveries)."""
    row = sql.run(con, "delivery_period").iloc[0]
    first, last = row["first_day"], row["last_day"]
    return (_as_date(first), _as_date(last))


def _as_date(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def period_params(
    con: duckdb.DuckDBPyConnection, start: dt.date | None, end: dt.date | None
) -> dict[str, dt.date]:
    """Bounds of the delivery period: the days, and the whole months the rollup can answer."""
    first, last = delivery_period(con)
    d0 = start or first or dt.date(1970, 1, 1)
    d1 = end or last or dt.date(1969, 12, 31)
    m0 = d0 if d0.day == 1 else _add_months(d0.replace(day=1), 1)
    m1 = d1.replace(day=1) if _is_month_end(d1) else _add_months(d1.replace(day=1), -1)
    return {"d0": d0, "d1": d1, "m0": m0, "m1": m1}


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def _add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def root_region(con: duckdb.DuckDBPyConnection) -> str:
    """The id of the top region: the whole dataset."""
    return str(sql.run(con, "root_region")["region_id"].iloc[0])


def _check_table_args(level: str, by: str, group: str | None) -> None:
    """Refuse arguments the queries do not know (they are bound, but fail late and vaguely)."""
    if level not in AREA_LEVELS:
        raise ValueError(f"level must be one of {AREA_LEVELS}")
    if by not in ("service", "category"):
        raise ValueError("by must be 'service' or 'category'")
    if group is not None and group not in GROUP_COLUMNS:
        raise ValueError(f"group must be one of {GROUP_COLUMNS}")
    if group is not None and level == STATION:
        raise ValueError("stations' figures are not broken down by groups")


def _area_params(con: duckdb.DuckDBPyConnection, level: str, within: str | None) -> dict:
    """$within, and where the areas asked for lie in the rollups: their level and pre..post.

    An unknown `within` gets an empty range (no areas), as the queries' own join would.
    """
    within = within or root_region(con)
    found = sql.run(con, "region_range", {"within": within})
    if found.empty:
        return {"within": within, "area_level": level, "pre": 0, "post": -1}
    row = found.iloc[0]
    area_level = row["root_level"] if level == "city" else level
    return {
        "within": within,
        "area_level": area_level,
        "pre": int(row["pre"]),
        "post": int(row["post"]),
    }


def _scoped_rows(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows the caller may be shown: of its regions, and at level "station" of its
    stations (a viewer of every region still has no station)."""
    frame = scope.rows(con, frame)
    return scope.station_rows(con, frame, "region_id") if level == STATION else frame


def _check_within(con: duckdb.DuckDBPyConnection, within: str | None) -> None:
    """A region a list of rows is asked for must be one the caller may be shown (None, the whole
    dataset, is not checked: its rows are filtered instead)."""
    if within is not None:
        scope.require_region(con, within)


def _table_params(
    con: duckdb.DuckDBPyConnection,
    level: str,
    slice_: Slice,
    within: str | None,
    by: str,
    group: str | None,
) -> dict[str, object]:
    """The bound parameters gap_table and gap_intervals share (arguments checked first)."""
    _check_table_args(level, by, group)
    _check_within(con, within)
    return {
        "level": level,
        **_area_params(con, level, within),
        "by": by,
        "group": group,
        "threshold": slice_.threshold,
        "age_group": slice_.age_group,
        "sex": slice_.sex,
    }


def _variance_query(con: duckdb.DuckDBPyConnection, by: str, group: str | None) -> str:
    """gap_variance (the per-PSU rollup) where it holds every input, else gap_variance_people.

    The rollup has no group breakdowns, and a category's respondents who are their own PSU need
    per-person products (their several answers are not 0/1) that only the respondents hold.
    """
    if group is not None:
        return "gap_variance_people"
    if by == "category" and int(sql.run(con, "survey_design")["unit_respondents"].iloc[0]) > 0:
        return "gap_variance_people"
    return "gap_variance"


def gap_table(
    con: duckdb.DuckDBPyConnection,
    level: str,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
    by: str = "service",
    group: str | None = None,
) -> pd.DataFrame:
    """Every metric for each region at `level` inside `within` × each service (or category).

    Columns: the contract's (with `item_code` for service_code), then region_name_en,
    group_value, received_n, unmet_n, elderly_population and provision_per_1000. With `group`
    (a covariate in GROUP_COLUMNS) the survey figures are broken down by its values.
    """
    params = _table_params(con, level, slice_, within, by, group)
    params.update(period_params(con, slice_.start, slice_.end))
    # Group breakdowns are rolled up for the larger areas only; a street, community or grid
    # (a few hundred respondents at most) is answered from the respondents themselves.
    rolled_up = group is None or params["area_level"] in GROUP_LEVELS
    frame = sql.run(con, "gaps" if rolled_up else "gaps_people", params)
    open_ = item_open(con, frame, slice_, group, stations=level == STATION)
    gated = disclosure.gate(
        frame,
        disclosure.GAPS,
        slice_.min_n,
        published=open_["row"],
        figures_open={
            "received_rate": open_["received"],
            "unmet_rate": open_["received"],
            "demand_share": open_["share"],
        },
    )
    return _scoped_rows(con, gated, level)


def gap_intervals(
    con: duckdb.DuckDBPyConnection,
    level: str,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
    by: str = "service",
    group: str | None = None,
) -> pd.DataFrame:
    """95% intervals and NCHS reliability flags for gap_table's demand, received and unmet rates.

    One row per (region_id, item_code, group_value) that has respondents (the same arguments as
    gap_table; merge on those keys, group_value NULL without `group`). For each figure F in
    demand, received, unmet:
      F_rate_lo, F_rate_hi  the Korn–Graubard interval (dashboard.stats.survey)
      F_reliability         'reliable' | 'review' | 'unreliable' (the NCHS proportion standard)
      F_se                  the design-based standard error (Taylor linearisation)
      F_n_eff               the effective sample size; F_df its degrees of freedom
    and `reliability`, the worst flag of the row's figures. A figure the disclosure gate hides
    (disclosure.INTERVAL_INPUTS: the rules of gap_table's rates) has all of these missing, and
    `reliability` is missing when every figure of the row is.

    Rules (queries/gap_variance.sql has the variance): with a sampling design (stratum/psu),
    n_eff = n / max(deff, 1), deff = v / (p(1 − p)/n), df = PSUs − strata holding the figure's
    respondents; with weights only, n_eff = Kish's (Σw)²/Σw² and df = n − 1.
    """
    params = _table_params(con, level, slice_, within, by, group)
    raw = sql.run(con, _variance_query(con, by, group), params)
    open_ = item_open(con, raw, slice_, group, stations=level == STATION)
    raw = disclosure.gate(
        raw,
        disclosure.INTERVAL_INPUTS,
        slice_.min_n,
        published=open_["row"],
        figures_open={"received_estimate": open_["received"], "unmet_estimate": open_["received"]},
    )
    out = raw[["region_id", "item_code", "group_value"]].copy()
    design = raw["has_design"].to_numpy(dtype=bool)
    flags = []
    for figure, rate in INTERVAL_FIGURES:
        p = raw[f"{figure}_estimate"].to_numpy(dtype=float)
        n = raw[f"{figure}_n"].to_numpy(dtype=float)
        variance = raw[f"{figure}_variance"].to_numpy(dtype=float)
        kish = survey.kish_effective_n(raw[f"{figure}_sum_w"], raw[f"{figure}_sum_w2"])
        n_eff = np.where(design, survey.effective_n(p, variance, n), kish)
        df = np.where(
            design,
            raw[f"{figure}_psus"].to_numpy(dtype=float) - raw[f"{figure}_strata"],
            n - 1,
        )
        shown = ~np.isnan(p)  # present, and not hidden by the gate
        lo, hi = survey.korn_graubard(p, n_eff, n, df)
        flag = survey.reliability(p, lo, hi, n_eff, df)
        flags.append(flag)
        out[f"{rate}_lo"] = lo
        out[f"{rate}_hi"] = hi
        out[f"{figure}_reliability"] = flag
        out[f"{figure}_se"] = np.where(shown, np.sqrt(variance), np.nan)
        out[f"{figure}_n_eff"] = np.where(shown, n_eff, np.nan)
        out[f"{figure}_df"] = np.where(shown, df, np.nan)
    out["reliability"] = survey.worst(*flags)
    return _scoped_rows(con, out, level)


def gaps(
    con: duckdb.DuckDBPyConnection,
    level: str,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
) -> pd.DataFrame:
    """The contract's report: every region at `level` (inside `within`) × every service, in its
    column order.

    Then received_n, unmet_n and GAP_INTERVAL_COLUMNS (intervals and reliability, missing where
    the figure is suppressed).
    """
    frame = gap_table(con, level, slice_, within=within)
    intervals = gap_intervals(con, level, slice_, within=within)
    intervals = intervals[["region_id", "item_code", *GAP_INTERVAL_COLUMNS]]
    frame = frame.merge(intervals, on=["region_id", "item_code"], how="left", validate="1:1")
    frame["reliability"] = (
        frame["reliability"].astype(object).where(frame["reliability"].notna(), None)
    )
    # Interval endpoints to 1e-10: the variance sums run in parallel and their last bits vary
    # from run to run; rounding keeps reports byte-identical for the same data.
    bounds = [c for c in GAP_INTERVAL_COLUMNS if c != "reliability"]
    frame[bounds] = frame[bounds].astype(float).round(INTERVAL_DECIMALS)
    frame = frame.rename(columns={"item_code": "service_code"})
    return frame[list(GAP_COLUMNS + GAP_EXTRA_COLUMNS + GAP_INTERVAL_COLUMNS)]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per stored table, for the data page and the CLI."""
    row = sql.run(con, "table_counts").iloc[0]
    return {k: int(v) for k, v in row.items()}


def dataset_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    frame = sql.run(con, "dataset_meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def service_names(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    """Service labels in the chosen language, falling back to the other name, then the code."""
    frame = sql.run(con, "service_names", {"lang": lang})
    return dict(zip(frame["service_code"], frame["label"], strict=True))


def region_tree(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All regions in tree order with depth and district: the area filter and the map read it."""
    return sql.run(con, "region_tree")


def survey_period(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    row = sql.run(con, "survey_period").iloc[0]
    return (_as_date(row["first_day"]), _as_date(row["last_day"]))


def slice_counts(
    con: duckdb.DuckDBPyConnection, within: str | None, slice_: Slice = Slice()
) -> dict[str, float]:
    """Respondents in the slice (NaN where the gate withholds it) and the grids they cover."""
    scope.require_region(con, within or root_region(con))
    params = {
        "within": within or root_region(con),
        "age_group": slice_.age_group,
        "sex": slice_.sex,
    }
    row = sql.run(con, "slice_counts", params).iloc[0]
    respondents = float(row["respondents"])
    if disclosure.withheld(np.array(respondents), slice_.min_n) or not slice_open(
        con, within, slice_
    ):
        respondents = float("nan")
    return {"respondents": respondents, "grids_covered": int(row["grids_covered"])}


def categories(con: duckdb.DuckDBPyConnection) -> list[str]:
    return list(sql.run(con, "categories")["category"])


def source_files(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return sql.run(con, "source_files")


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return sql.run(con, "import_history")


def regions_by_level(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return sql.run(con, "regions_by_level")


def group_dimensions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The covariates recorded for at least one respondent, in GROUP_COLUMNS order."""
    row = sql.run(con, "group_coverage").iloc[0]
    return [c for c in GROUP_COLUMNS if int(row[c]) > 0]


def district_shapes(con: duckdb.DuckDBPyConnection) -> dict:
    """The districts' simplified outlines: a GeoJSON FeatureCollection for the city map.

    Each feature carries only `properties.region_id`; the collection has a `bbox`
    ([west, south, east, north]) when it has any feature. No features: no boundaries loaded.
    """
    return _feature_collection(scope.rows(con, sql.run(con, "boundaries_districts")))


def grid_shapes(con: duckdb.DuckDBPyConnection, district: str) -> dict:
    """The simplified outlines of one district's grids, as `district_shapes` (empty if none)."""
    scope.require_region(con, district)
    frame = sql.run(con, "boundaries_grids", {"district": district})
    return _feature_collection(scope.rows(con, frame))


def _feature_collection(frame: pd.DataFrame) -> dict:
    features = [
        {"type": "Feature", "properties": {"region_id": rid}, "geometry": json.loads(geometry)}
        for rid, geometry in zip(frame["region_id"], frame["geometry"], strict=True)
    ]
    collection: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if features:
        collection["bbox"] = [
            float(frame["min_lon"].min()),
            float(frame["min_lat"].min()),
            float(frame["max_lon"].max()),
            float(frame["max_lat"].max()),
        ]
    return collection


UNMET_CELLS = ("need_received", "need_not_received", "received_without_need", "neither")


def unmet_cells(
    con: duckdb.DuckDBPyConnection,
    level: str,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
) -> pd.DataFrame:
    """The person-level need × receipt 2×2 per region at `level` × service (cells in UNMET_CELLS
    order; small cells suppressed)."""
    if level not in AREA_LEVELS:
        raise ValueError(f"level must be one of {AREA_LEVELS}")
    _check_within(con, within)
    params = {
        "level": level,
        **_area_params(con, level, within),
        "threshold": slice_.threshold,
        "age_group": slice_.age_group,
        "sex": slice_.sex,
    }
    frame = sql.run(con, "unmet_2x2", params)
    items = frame.rename(columns={"service_code": "item_code"})
    open_ = item_open(con, items, slice_, stations=level == STATION)["received"]
    gated = disclosure.gate(frame, disclosure.UNMET_CELLS, slice_.min_n, published=open_)
    return _scoped_rows(con, gated, level)


# -- stations ------------------------------------------------------------------------------------


def stations(con: duckdb.DuckDBPyConnection, within: str | None = None) -> pd.DataFrame:
    """The stations whose region lies inside `within` (all: None), with where to draw them.

    Columns of queries/stations.sql, then `place_lon`, `place_lat` (the station's lon/lat, or
    its region's centroid) and `placed_at_region` (True where the region's centroid stands in
    for missing coordinates; NaN places where the region has no outline either).
    """
    _check_within(con, within)
    frame = scope.station_rows(
        con, sql.run(con, "stations", {"within": within or root_region(con)})
    )
    frame = frame.copy()
    has_point = frame["lon"].notna() & frame["lat"].notna()
    frame["place_lon"] = frame["lon"].astype(float)
    frame["place_lat"] = frame["lat"].astype(float)
    for i in np.flatnonzero(~has_point.to_numpy()):
        lon, lat = region_place(con, str(frame["region_id"].iloc[i]))
        frame.iloc[i, frame.columns.get_loc("place_lon")] = lon
        frame.iloc[i, frame.columns.get_loc("place_lat")] = lat
    frame["placed_at_region"] = ~has_point
    return frame


@per_dataset(256, shared=True)
def region_place(con: duckdb.DuckDBPyConnection, region: str) -> tuple[float, float]:
    """The centroid of a region's outline (or its subregions', or its nearest parent's), in
    lon/lat; NaN when no outline is loaded. Degrees are fine for placing a point in a city."""
    frame = sql.run(con, "region_places", {"region": region})
    if frame.empty:
        return (float("nan"), float("nan"))
    shapes = shapely.from_geojson(frame["geometry"].to_numpy())
    centre = shapely.union_all(shapes).centroid
    return (float(centre.x), float(centre.y))


def catchment_shapes(con: duckdb.DuckDBPyConnection, station: str) -> dict:
    """The outlines of a station's catchment, as `district_shapes` (empty if none loaded)."""
    scope.require_station(con, station)
    return _feature_collection(sql.run(con, "catchment_shapes", {"station": station}))


#: `caregap report stations` (contract v1.1): one row per station × service.
STATION_REPORT_COLUMNS = (
    "station_id",
    "station_name",
    "region_id",
    "service_code",
    "category",
    "provision_count",
    "provision_share",
    "catchment_respondents_n",
    "demand_rate",
    "demand_share",
    "mix_gap_pp",
    "catchment_elderly_population",
    "provision_per_1000",
    "suppressed",
)
#: `caregap report stations --monthly`: one row per station × month × service.
STATION_MONTHLY_COLUMNS = ("station_id", "month", "service_code", "provision_count")


def stations_report(con: duckdb.DuckDBPyConnection, slice_: Slice = Slice()) -> pd.DataFrame:
    """Every station × service: its own deliveries in the period beside its catchment's survey
    figures (gap_table at level "station", the same gate), sorted by station and service."""
    frame = gap_table(con, STATION, slice_)
    places = stations(con)[["station_id", "name", "region_id"]].rename(
        columns={"station_id": "region_id", "name": "station_name", "region_id": "station_region"}
    )
    frame = frame.merge(places, on="region_id", how="left", validate="m:1")
    frame = frame.rename(
        columns={
            "region_id": "station_id",
            "station_region": "region_id",
            "item_code": "service_code",
            "respondents_n": "catchment_respondents_n",
            "elderly_population": "catchment_elderly_population",
        }
    )
    frame = frame.sort_values(["station_id", "service_code"], kind="stable")
    frame["catchment_elderly_population"] = frame["catchment_elderly_population"].astype("Int64")
    return frame[list(STATION_REPORT_COLUMNS)].reset_index(drop=True)


def stations_monthly(con: duckdb.DuckDBPyConnection, slice_: Slice = Slice()) -> pd.DataFrame:
    """Every station × month of the period (YYYY-MM) × service: its deliveries, 0 included."""
    frame = provision_months(con, slice_, stations_of=True)
    frame = frame.rename(columns={"area_id": "station_id", "item_code": "service_code"})
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    frame = frame.sort_values(["station_id", "month", "service_code"], kind="stable")
    return frame[list(STATION_MONTHLY_COLUMNS)].reset_index(drop=True)


def station_respondents(
    con: duckdb.DuckDBPyConnection, station: str, slice_: Slice = Slice()
) -> float:
    """Respondents of the slice in a station's catchment; NaN where the gate withholds it
    (1…k−1, or the catchment is not a sum of publishable cells: open_rows)."""
    scope.require_station(con, station)
    params = {"station": station, "age_group": slice_.age_group, "sex": slice_.sex}
    respondents = float(sql.run(con, "station_respondents", params)["respondents"].iloc[0])
    ids = pd.Series([station])
    shown = bool(open_rows(con, ids, slice_, [("people",)], stations=True)[0])
    if disclosure.withheld(np.array(respondents), slice_.min_n) or not shown:
        return float("nan")
    return respondents


def provision_months(
    con: duckdb.DuckDBPyConnection,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
    stations_of: bool = False,
    station: str | None = None,
    by: str = "service",
) -> pd.DataFrame:
    """Deliveries per month × service (or category) in the period, 0 where there were none.

    Of the region `within` (its subtree's records), or with `stations_of` of each station
    inside it (their own records; only `station` when given). Columns: area_id, month (first
    day), item_code, category, provision_count. Delivery counts are not suppressed (contract).
    """
    if by not in ("service", "category"):
        raise ValueError("by must be 'service' or 'category'")
    _check_stations_args(con, within, station)
    params = {
        "level": STATION if stations_of or station is not None else "region",
        "within": within or root_region(con),
        "station": station,
        "by": by,
        "age_group": slice_.age_group,
        **period_params(con, slice_.start, slice_.end),
    }
    frame = sql.run(con, "provision_months", params)
    if params["level"] == STATION:
        return scope.station_rows(con, frame, "area_id")
    scope.require_region(con, params["within"])
    return frame


def _check_stations_args(
    con: duckdb.DuckDBPyConnection, within: str | None, station: str | None
) -> None:
    """The region and station a question about stations names must be the caller's."""
    _check_within(con, within)
    if station is not None:
        scope.require_station(con, station)


def targets_reference_month(
    con: duckdb.DuckDBPyConnection, slice_: Slice = Slice()
) -> dt.date | None:
    """The last whole month of the period (its first day): what year to date runs to."""
    period = period_params(con, slice_.start, slice_.end)
    return period["m1"] if period["m1"] >= period["m0"] else None


def station_targets(
    con: duckdb.DuckDBPyConnection,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
    station: str | None = None,
) -> pd.DataFrame:
    """Year to date against each annual target, for the year of the period's last whole month
    (queries/station_targets.sql: done, expected_to_date, projected, status). Targets are of
    all ages: the slice's age group does not apply. Empty without a whole month."""
    month = targets_reference_month(con, slice_)
    if month is None:
        month = dt.date(1, 1, 1)  # matches no target's year
    _check_stations_args(con, within, station)
    params = {"within": within or root_region(con), "station": station, "m_end": month}
    return scope.station_rows(con, sql.run(con, "station_targets", params))


def station_people(
    con: duckdb.DuckDBPyConnection,
    slice_: Slice = Slice(),
    *,
    within: str | None = None,
    station: str | None = None,
) -> pd.DataFrame:
    """People served: distinct recipients per station × service × calendar year of the period
    (the last year to the end of its last whole month), of the slice's age group.

    These count people, so a count of 1…k−1 is withheld (NaN); and with an age group chosen,
    the groups of each (station, service, year) are protected as one split of its all-ages
    count (disclosure.protect_split), so that none is had from it by subtraction.
    """
    _check_stations_args(con, within, station)
    period = period_params(con, slice_.start, slice_.end)
    month = targets_reference_month(con, slice_)
    params = {
        "within": within or root_region(con),
        "station": station,
        "m_start": period["m0"] if month else dt.date(1, 1, 1),
        "m_end": month or dt.date(1, 1, 1),
    }
    frame = scope.station_rows(con, sql.run(con, "station_recipients", params))
    k = disclosure.effective_k(slice_.min_n)
    key = ["station_id", "service_code", "year"]
    every = frame["all_ages"].astype(bool)
    if slice_.age_group is None:
        out = frame[every].copy()
        out["recipients"] = np.where(
            disclosure.withheld(out["recipients"].to_numpy(float), k), np.nan, out["recipients"]
        )
    else:
        groups = frame[~every].copy()
        groups["closed"] = False
        for _, rows in groups.groupby(key, sort=False):
            closed = disclosure.protect_split(rows["recipients"].to_numpy(float), k)
            groups.loc[rows.index, "closed"] = closed
        out = groups[groups["age_group"] == slice_.age_group].copy()
        out["recipients"] = out["recipients"].where(~out["closed"].astype(bool))
    return out[[*key, "recipients"]].astype({"recipients": float}).reset_index(drop=True)


# -- quality of life (the study's tables) --------------------------------------------------------

#: Groups the SF-36 domain profile can be broken down by (see queries/domain_profile.sql).
PROFILE_GROUPS = ("age_group", "sex", "adl_level")
#: Scored levels whose distribution can be shown (see queries/score_levels.sql).
SCALES = ("qol_grade", "adl_level")


def _survey_params(
    con: duckdb.DuckDBPyConnection, within: str | None, slice_: Slice
) -> dict[str, object]:
    """The study's tables rest on the respondents of `within`: the caller must see it whole (a
    benchmark region is not enough)."""
    scope.require_region(con, within or root_region(con), benchmark=False)
    return {
        "within": within or root_region(con),
        "age_group": slice_.age_group,
        "sex": slice_.sex,
        "threshold": slice_.threshold,
    }


def score_levels(
    con: duckdb.DuckDBPyConnection, scale: str, within: str | None = None, slice_: Slice = Slice()
) -> pd.DataFrame:
    """Weighted share and n of each QoL grade or ADL level (`scale`) among scored respondents."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    params = _survey_params(con, within, slice_)
    frame = sql.run(con, "score_levels", {"scale": scale, **params})
    areas = pd.Series(params["within"], index=frame.index)
    base = "qol" if scale == "qol_grade" else "adl"
    open_ = open_rows(con, areas, slice_, [(base,)] * len(frame), scale, frame["level"])
    return disclosure.gate(frame, disclosure.SCORE_LEVELS, slice_.min_n, published=open_)


def domain_profile(
    con: duckdb.DuckDBPyConnection,
    group: str | None = None,
    within: str | None = None,
    slice_: Slice = Slice(),
) -> pd.DataFrame:
    """Weighted mean SF-36 domain scores (0–100) and QoL total per group (None: everybody)."""
    if group is not None and group not in PROFILE_GROUPS:
        raise ValueError(f"group must be one of {PROFILE_GROUPS}")
    params = _survey_params(con, within, slice_)
    frame = sql.run(con, "domain_profile", {"group": group, **params})
    areas = pd.Series(params["within"], index=frame.index)
    bases = [("qol",)] * len(frame)
    open_ = open_rows(con, areas, slice_, bases, group, frame.get("group_value"))
    return disclosure.gate(frame, disclosure.DOMAIN_PROFILE, slice_.min_n, published=open_)


def service_demand(
    con: duckdb.DuckDBPyConnection, within: str | None = None, slice_: Slice = Slice()
) -> pd.DataFrame:
    """T2: per service, demand rate (need ≥ threshold) and the Likert 1–5 answer shares."""
    frame = sql.run(con, "service_demand", _survey_params(con, within, slice_))
    open_ = item_open(con, frame, slice_, region=within or root_region(con))["row"]
    return disclosure.gate(frame, disclosure.SERVICE_DEMAND, slice_.min_n, published=open_)


def service_received(
    con: duckdb.DuckDBPyConnection, within: str | None = None, slice_: Slice = Slice()
) -> pd.DataFrame:
    """T3: per service, the weighted share of respondents who received it from a station."""
    frame = sql.run(con, "service_received", _survey_params(con, within, slice_))
    open_ = item_open(con, frame, slice_, region=within or root_region(con))["received"]
    return disclosure.gate(frame, disclosure.SERVICE_RECEIVED, slice_.min_n, published=open_)


def quality_inputs(
    con: duckdb.DuckDBPyConnection, within: str | None = None, slice_: Slice = Slice()
) -> pd.DataFrame:
    """Respondent-level inputs of T1/T4/T5. PRIVACY: server-side only; pass it to
    dashboard.stats.tables and show or export only the aggregates that come back."""
    return sql.run(con, "quality_inputs", _survey_params(con, within, slice_))


def quality_fits(
    con: duckdb.DuckDBPyConnection, within: str | None = None, slice_: Slice = Slice()
) -> tuple[tables.Regression, pd.DataFrame, pd.DataFrame]:
    """T1 and the T4/T5 rows for a slice, before the floor: as the import fitted them for the
    whole dataset at the default threshold (dashboard/ingest/fits.py), else fitted here from
    the respondent rows. PRIVACY: publish them (stats.tables.publish_*) before they leave."""
    params = _survey_params(con, within, slice_)
    stored = _stored_fits(con)
    if stored is not None and stored[0] == params:
        return stored[1:]
    inputs = quality_inputs(con, within, slice_)
    services = service_bits(con)
    return (
        tables.fit_regression(inputs),
        tables.correlation_rows(inputs, services, "need"),
        tables.correlation_rows(inputs, services, "received"),
    )


@per_dataset(2, shared=True)
def _stored_fits(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, object], tables.Regression, pd.DataFrame, pd.DataFrame] | None:
    summary = sql.run(con, "fit_summary", cached=False)
    if summary.empty:
        return None
    parts = (sql.run(con, f"fit_{part}", cached=False) for part in fits.STORED_PARTS)
    return fits.unpack(summary, *parts)


def service_bits(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """service_code, category and its bit in quality_inputs' per-service flags."""
    return sql.run(con, "service_bits")


# -- the differencing rule ------------------------------------------------------------------------


def disclosure_pattern(
    con: duckdb.DuckDBPyConnection, k: int, group: str | None = None
) -> disclosure.Pattern:
    """Which cells (region × age group × sex × value of `group`) may be published at floor k,
    per base: as the import stored it at the deployment's floor, else computed
    (queries/disclosure_atoms.sql, then disclosure.pattern) once per dataset, floor and
    covariate; every survey figure is looked up here before it leaves."""
    return _pattern(con, disclosure.effective_k(k), None if group in SLICE_DIMENSIONS else group)


@per_dataset(64, shared=True)
def _pattern(con: duckdb.DuckDBPyConnection, k: int, group: str | None) -> disclosure.Pattern:
    """One pattern per floor in force and covariate (age group and sex are cells of every one)."""
    stored = {"k": k, "grp": group or ""}
    cells = sql.run(con, "pattern_cells", stored, cached=False)  # the pattern is cached
    if not cells.empty:  # computed at import (dashboard/ingest/patterns.py)
        return patterns.unpack(cells, sql.run(con, "pattern_open", stored, cached=False))
    return disclosure.pattern(
        sql.run(con, "disclosure_atoms", {"group": group}, cached=False),
        sql.run(con, "region_parents"),
        k,
    )


@dataclass(frozen=True)
class _Bases:
    """The bases (queries/disclosure_atoms.sql) the figures of one item rest on."""

    answered: tuple[str, ...]
    received: tuple[str, ...]


@per_dataset(8, shared=True)
def _item_bases(con: duckdb.DuckDBPyConnection) -> dict[str, _Bases]:
    """Each service and each category (its services together), and "" for every service."""
    bits = service_bits(con)
    out: dict[str, _Bases] = {}
    groups = [(s, [s]) for s in bits["service_code"]]
    groups += [(c, list(g["service_code"])) for c, g in bits.groupby("category", sort=False)]
    groups.append(("", list(bits["service_code"])))
    for item, services in groups:
        out[str(item)] = _Bases(
            answered=tuple(f"answered:{s}" for s in services),
            received=tuple(f"received:{s}" for s in services),
        )
    return out


#: Every base a cell can have that is not a service's: what T1 and the slice's n rest on.
PERSON_BASES = ("people", "qol", "adl")


def open_rows(
    con: duckdb.DuckDBPyConnection,
    regions: pd.Series,
    slice_: Slice,
    bases: list[tuple[str, ...]],
    group: str | None = None,
    values: pd.Series | None = None,
    *,
    stations: bool = False,
) -> np.ndarray:
    """Per row (its region, its value of `group`, the bases its figure rests on): may the
    figure be published? A cell or base with nobody in it has nothing to protect: open.

    With `stations` the rows' "regions" are station ids, and a figure of a catchment may be
    published when it is a sum of publishable cells (catchment_cover): it then tells an
    attacker nothing those cells' own figures do not, alone or by subtraction.
    """
    pattern = disclosure_pattern(con, disclosure.effective_k(slice_.min_n), group)
    age = slice_.age_group or disclosure.ALL
    sex = slice_.sex or disclosure.ALL
    if stations:
        covers = catchment_cover(con)
        return np.array(
            [
                _catchment_open(pattern, covers.get(str(station)), age, sex, needed)
                for station, needed in zip(regions, bases, strict=True)
            ],
            dtype=bool,
        )
    row_values = values if values is not None and group is not None else [None] * len(regions)
    return np.array(
        [
            pattern.is_open(_cell_key(str(region), age, sex, group, value), needed)
            for region, value, needed in zip(regions, row_values, bases, strict=True)
        ],
        dtype=bool,
    )


def item_open(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    slice_: Slice,
    group: str | None = None,
    *,
    region: str | None = None,
    stations: bool = False,
) -> dict[str, np.ndarray]:
    """For a frame of (region_id or `region`, item_code[, group_value]) rows: where each kind of
    figure may be published — 'row' (the item's answers: demand_rate and the row itself),
    'received' (also who said whether they received it: received_rate, unmet_rate, the 2×2),
    'share' (every service's answers: demand_share, whose denominator sums them all)."""
    items = _item_bases(con)
    regions = frame["region_id"] if region is None else pd.Series(region, index=frame.index)
    values = frame.get("group_value")
    every = items[""].answered
    bases = [items.get(str(item), _Bases((), ())) for item in frame["item_code"]]
    kinds = {
        "row": [b.answered for b in bases],
        "received": [b.answered + b.received for b in bases],
        "share": [every for _ in bases],
    }
    return {
        kind: open_rows(con, regions, slice_, needed, group, values, stations=stations)
        for kind, needed in kinds.items()
    }


def item_bases(
    con: duckdb.DuckDBPyConnection, item: str, received: bool = False
) -> tuple[str, ...]:
    """The bases a figure of `item` (a service, a category, "" for every service) rests on:
    its answers, and with `received` also who said whether they received it."""
    bases = _item_bases(con).get(item, _Bases((), ()))
    return bases.answered + bases.received if received else bases.answered


def slice_open(
    con: duckdb.DuckDBPyConnection,
    within: str | None,
    slice_: Slice,
    bases: tuple[str, ...] = ("people",),
) -> bool:
    """May a figure about the whole slice (an area × age group × sex) resting on `bases` be
    published? Every base: `all_bases(con)`."""
    regions = pd.Series([within or root_region(con)])
    return bool(open_rows(con, regions, slice_, [bases])[0])


def all_bases(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Every base of the dataset: what T1 (a model of every answer and score) rests on."""
    every = _item_bases(con)[""]
    return (*PERSON_BASES, *every.answered, *every.received)


@per_dataset(8, shared=True)
def catchment_cover(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...] | None]:
    """Each station's catchment as disjoint region subtrees (queries/catchment_cover.sql);
    None where some of its respondents live outside them (no sum of cells makes it)."""
    frame = sql.run(con, "catchment_cover")
    out: dict[str, tuple[str, ...] | None] = {}
    for station, rows in frame.groupby("station_id", sort=False):
        complete = int(rows["covered"].iloc[0]) == int(rows["respondents"].iloc[0])
        out[str(station)] = tuple(rows["region_id"].dropna().astype(str)) if complete else None
    return out


def _catchment_open(
    pattern: disclosure.Pattern,
    cover: tuple[str, ...] | None,
    age: str,
    sex: str,
    bases: tuple[str, ...],
) -> bool:
    """A catchment's figure on `bases` may be published when each of its cells' may."""
    if cover is None:
        return False
    return all(
        pattern.is_open((region, False, age, sex, disclosure.ALL), bases) for region in cover
    )


def _cell_key(region: str, age: str, sex: str, group: str | None, value: object) -> disclosure.Cell:
    if group is None:
        return (region, False, age, sex, disclosure.ALL)
    text = disclosure.NOT_RECORDED if value is None or pd.isna(value) else str(value)
    if group == "age_group":
        return (region, False, text, sex, disclosure.ALL)
    if group == "sex":
        return (region, False, age, text, disclosure.ALL)
    return (region, False, age, sex, text)


# -- the caller's scope --------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """What an account is granted in one dataset: the regions (and station areas) it may look
    at (None: every one), the regions it is shown as benchmarks, its stations (None: every one),
    and the region and station its views open on."""

    regions: frozenset[str] | None
    benchmarks: frozenset[str]
    stations: frozenset[str] | None
    home: str | None
    home_station: str | None


@per_dataset(256, shared=True)
def grant(
    con: duckdb.DuckDBPyConnection,
    role: str,
    stations_: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
) -> Grant:
    """An account's grant in this dataset (ids the dataset does not hold grant nothing).

    - station: the regions that lie wholly in its stations' catchments (catchment_cover's
      regions and their subtrees: what is partly someone else's catchment is not theirs) and
      the station areas themselves; the city and each station's district as benchmarks (not
      a region its catchment shares with another station's: that benchmark less its own rows
      would be the other station's part).
    - viewer with areas: those regions and their subtrees (no areas: every region); no station.
    - planner, admin: everything.
    """
    root = root_region(con)
    if role == "station":
        places = sql.run(con, "stations", {"within": root})
        mine = tuple(s for s in stations_ if s in set(places["station_id"].astype(str)))
        covers = catchment_cover(con)
        roots = sorted({r for s in mine for r in covers.get(s) or ()})
        found = sql.run(con, "region_subtrees", {"roots": tuple(roots)})
        places = places[places["station_id"].isin(mine)]
        districts = set(places["district_id"].dropna().astype(str))
        return Grant(
            regions=frozenset({*found["region_id"].astype(str), *mine}),
            benchmarks=frozenset({root, *districts}),
            stations=frozenset(mine),
            home=roots[0] if roots else root,
            home_station=mine[0] if mine else None,
        )
    if role == "viewer" and areas:
        found = sql.run(con, "region_subtrees", {"roots": tuple(sorted(set(areas)))})
        granted = [a for a in areas if a in set(found["root_id"].astype(str))]
        return Grant(
            regions=frozenset(found["region_id"].astype(str)),
            benchmarks=frozenset(),
            stations=frozenset(),
            home=granted[0] if granted else None,
            home_station=None,
        )
    if role == "viewer":
        return Grant(None, frozenset(), frozenset(), None, None)
    return Grant(None, frozenset(), None, None, None)
