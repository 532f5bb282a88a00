"""Helpers for the black-box contract tests.

Everything here talks to CareGap only through its command line (`python -m dashboard ...`) and
through dataset folders written to disk. Nothing here imports the implementation, and nothing here
computes a metric: the expected figures live in the tests, computed by hand.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CONTRACT_COLUMNS = [
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
]
JSON_COLUMNS = [
    *CONTRACT_COLUMNS,
    "received_n",
    "unmet_n",
    "demand_rate_lo",
    "demand_rate_hi",
    "received_rate_lo",
    "received_rate_hi",
    "reliability",
    "unmet_rate_lo",
    "unmet_rate_hi",
]
SURVEY_FIGURES = [
    "demand_rate",
    "received_rate",
    "gap_pp",
    "unmet_rate",
    "demand_share",
    "mix_gap_pp",
]

# Relative tolerance for comparing hand-computed fractions with the printed figures. The contract
# says "full precision", so this is tight.
REL = 1e-9


# --------------------------------------------------------------------------------------------------
# running the command line
# --------------------------------------------------------------------------------------------------


def cli_env(lang: str = "en") -> dict[str, str]:
    env = dict(os.environ)
    env["CAREGAP_LANG"] = lang
    # a wide, plain terminal: no colour codes, no wrapping of long problem lines
    env["COLUMNS"] = "250"
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def deployment_floor(args: tuple[str, ...]) -> dict[str, str]:
    """The environment of a run that asks for `--min-n K`: a deployment whose custodian set the
    floor to K ($CAREGAP_MIN_N), since a viewer can never go below the floor. The contract's
    metrics are checked on hand-computed datasets of a few respondents at small k this way;
    without --min-n a run gets the default floor, 10."""
    if "--min-n" not in args:
        return {}
    return {"CAREGAP_MIN_N": args[args.index("--min-n") + 1]}


def run_cli(*args: object, lang: str = "en", timeout: float = 180) -> subprocess.CompletedProcess:
    """Run `python -m dashboard ARGS` and return the finished process (text mode, UTF-8)."""
    args = tuple(map(str, args))
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO,
        env=cli_env(lang) | deployment_floor(args),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def output(proc: subprocess.CompletedProcess) -> str:
    """stdout and stderr together, as printed."""
    return (proc.stdout or "") + "\n" + (proc.stderr or "")


def flat(proc: subprocess.CompletedProcess) -> str:
    """stdout + stderr with every run of whitespace collapsed to one space."""
    return re.sub(r"\s+", " ", output(proc))


def describe(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


def import_dataset(folder: Path, db: Path, *extra: object, lang: str = "en"):
    return run_cli("import", folder, "--db", db, *extra, lang=lang)


def import_ok(folder: Path, db: Path, *extra: object) -> None:
    proc = import_dataset(folder, db, *extra)
    assert proc.returncode == 0, describe(proc)


def report_proc(db: Path, level: str, *opts: object, fmt: str = "json"):
    return run_cli("report", "gaps", "--level", level, *opts, "--format", fmt, "--db", db)


def report(db: Path, level: str, *opts: object) -> list[dict]:
    """`report gaps --format json`, parsed."""
    proc = report_proc(db, level, *opts, fmt="json")
    assert proc.returncode == 0, describe(proc)
    rows = json.loads(proc.stdout)
    assert isinstance(rows, list), proc.stdout
    return rows


def report_csv(db: Path, level: str, *opts: object) -> tuple[list[str], list[dict]]:
    """`report gaps --format csv`, as (header, rows of raw strings)."""
    proc = report_proc(db, level, *opts, fmt="csv")
    assert proc.returncode == 0, describe(proc)
    reader = csv.reader(io.StringIO(proc.stdout))
    lines = [line for line in reader if line]
    header = lines[0]
    return header, [dict(zip(header, line, strict=True)) for line in lines[1:]]


def by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["region_id"], r["service_code"]): r for r in rows}


def check_row(row: dict, **expected: object) -> None:
    """Compare one report row with hand-computed figures.

    `None` means the figure must be missing (JSON null); floats are compared with a tight relative
    tolerance (and an absolute one for exact zeros); everything else must be equal.
    """
    problems = []
    for key, want in expected.items():
        assert key in row, f"no column {key!r} in {row}"
        got = row[key]
        if want is None:
            ok = got is None
        elif isinstance(want, bool):
            ok = got is want
        elif isinstance(want, float | int):
            ok = (
                got is not None
                and not isinstance(got, bool)
                and abs(got - want) <= max(REL * abs(want), 1e-12)
            )
        else:
            ok = got == want
        if not ok:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    where = f"{row.get('region_id')}/{row.get('service_code')}"
    assert not problems, f"{where}: " + "; ".join(problems)


# --------------------------------------------------------------------------------------------------
# writing datasets
# --------------------------------------------------------------------------------------------------


def columns_of(rows: list[dict]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols


def write_csv(path: Path, rows: list[dict], *, encoding: str = "utf-8", header=None) -> None:
    cols = columns_of(rows)
    heads = [header(c) if header else c for c in cols]
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(heads)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in cols])


def write_dataset(
    folder: Path,
    tables: dict,
    *,
    fmt: str = "csv",
    encoding: str = "utf-8",
    header=None,
) -> Path:
    """Write a dataset folder.

    `tables` maps a table name (`regions`, `services`, ...) to a list of dict rows; the special key
    `boundaries` holds a GeoJSON object (written as `boundaries.geojson`). A table whose value is
    `None` is left out. `fmt` is `csv`, `xlsx` or `parquet`; `encoding` applies to csv; `header`
    optionally rewrites column names (e.g. to test case-insensitive, padded headers).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if rows is None:
            continue
        if name == "boundaries":
            (folder / "boundaries.geojson").write_text(json.dumps(rows), encoding="utf-8")
            continue
        if fmt == "csv":
            write_csv(folder / f"{name}.csv", rows, encoding=encoding, header=header)
        elif fmt == "xlsx":
            write_xlsx(folder / f"{name}.xlsx", typed_rows(name, rows), header=header)
        elif fmt == "parquet":
            write_parquet(folder / f"{name}.parquet", name, rows, header=header)
        else:
            raise ValueError(fmt)
    return folder


# Typed versions of the canonical (all-text) tables, as a spreadsheet or a Parquet writer would hold
# them. Only the conversion of text to the same value in a native type happens here.
INT_COLS = {
    "population",
    "households",
    "elderly_population",
    "sort_order",
    "age",
    "need",
    "staff",
    "quantity",
    "recipient_age",
    "year",
    "target",
    *(f"adl_{i:02d}" for i in range(1, 15)),
}
FLOAT_COLS = {"weight", "lon", "lat"}
BOOL_COLS = {"received", "has_spouse", "chronic_disease", "psych_problem"}
DATE_COLS = {"surveyed_on", "delivered_on"}
TRUE_WORDS = {"true", "1", "yes", "是"}
FALSE_WORDS = {"false", "0", "no", "否"}


def typed_value(col: str, text):
    if text is None or text == "":
        return None
    if col in INT_COLS:
        return int(float(text))
    if col in FLOAT_COLS:
        return float(text)
    if col in BOOL_COLS:
        low = str(text).strip().lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise ValueError(text)
    if col in DATE_COLS:
        return dt.date.fromisoformat(text)
    return text


def typed_rows(name: str, rows: list[dict]) -> list[dict]:
    return [{c: typed_value(c, v) for c, v in row.items()} for row in rows]


def write_xlsx(path: Path, rows: list[dict], *, header=None) -> None:
    from openpyxl import Workbook

    cols = columns_of(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([header(c) if header else c for c in cols])
    for row in rows:
        ws.append([row.get(c) for c in cols])
    wb.save(path)


def write_parquet(path: Path, name: str, rows: list[dict], *, header=None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = columns_of(rows)
    typed = typed_rows(name, rows)
    arrays = {}
    for c in cols:
        values = [r.get(c) for r in typed]
        if c in INT_COLS:
            typ = pa.int64()
        elif c in FLOAT_COLS:
            typ = pa.float64()
        elif c in BOOL_COLS:
            typ = pa.bool_()
        elif c in DATE_COLS:
            typ = pa.date32()
        else:
            typ = pa.string()
        arrays[header(c) if header else c] = pa.array(values, type=typ)
    pq.write_table(pa.table(arrays), path)


def square(lon: float, lat: float, size: float = 0.01) -> list:
    return [
        [
            [lon, lat],
            [lon + size, lat],
            [lon + size, lat + size],
            [lon, lat + size],
            [lon, lat],
        ]
    ]


def feature(region_id: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"region_id": region_id}, "geometry": geometry}


def polygon(lon: float, lat: float) -> dict:
    return {"type": "Polygon", "coordinates": square(lon, lat)}


def multipolygon(lon: float, lat: float) -> dict:
    return {
        "type": "MultiPolygon",
        "coordinates": [square(lon, lat), square(lon + 0.02, lat)],
    }


# --------------------------------------------------------------------------------------------------
# the main hand-computable dataset ("Changzhi"-like)
# --------------------------------------------------------------------------------------------------
#
# Region tree (ids sort as text in the order listed within each level):
#
#   1404             city       长治市
#   ├─ 140403        district   潞州区   (full hierarchy)
#   │  └─ 140403001        street     S1
#   │     └─ 140403001001  community  M1
#   │        ├─ 140403001001001  grid G1
#   │        └─ 140403001001002  grid G2
#   ├─ 140404        district   上党区   └─ 140404901 grid G3 (grid directly under a district)
#   ├─ 140405        district   屯留区   └─ 140405001 street S3 (no communities)
#   │                                        └─ 140405001901 grid G4 (grid directly under a street)
#   └─ 140406        district   潞城区   └─ 140406901 grid G5 (thin district: one respondent)
#
# Services (sorted): edu (health_education), exam (physical_exam), psy (mental_health: nobody
# answers it, nobody delivers it), rehab (rehabilitation).
#
# Respondents: (weight; need, received per service). Y/N = received yes/no, - = received missing,
# "blank" = need cell empty (not answered), "no row" = no needs row at all.
#
#   id   region  w         edu     exam         rehab   psy
#   r01  G1      2         5 Y     4 N          1 N     blank
#   r02  G1      (empty=1) 3 N     5 -          2 Y
#   r03  G1      3         4 N     blank (Y)    5 N
#   r04  G2      1.5       2 Y     4 Y          3 -
#   r05  G2      0.5       5 N     no row       4 Y
#   r06  140403  1         4 Y     1 N          1 N     (attached to the district itself)
#   r07  G3      2         1 N     3 Y          4 N
#   r08  G3      (empty=1) 5 Y     5 N          5 -
#   r09  G4      1         4 N     2 N          1 Y
#   r10  S3      4         3 Y     4 Y          2 N     (attached to the street itself)
#   r11  G5      1         5 Y     5 Y          5 Y
#
# Deliveries:
#   d8  140406 (district) edu    2024-01-01  qty empty (=1)
#   d1  G1                edu    2024-01-10  3
#   d2  G2                exam   2024-01-31  qty empty (=1)
#   d3  G1                rehab  2024-02-01  2
#   d4  140403 (district) edu    2024-02-15  1   (no station)
#   d5  G3                exam   2024-02-16  4
#   d6  G3                edu    2024-03-01  2
#   d7  G5                rehab  2024-03-31  5

CITY = "1404"
D1, D2, D3, D4 = "140403", "140404", "140405", "140406"
S1, S3 = "140403001", "140405001"
M1 = "140403001001"
G1, G2, G3, G4, G5 = (
    "140403001001001",
    "140403001001002",
    "140404901",
    "140405001901",
    "140406901",
)
SERVICES = ["edu", "exam", "psy", "rehab"]


def _region(rid, parent, level, name, name_en="", population="", elderly="", tier=""):
    return {
        "region_id": rid,
        "parent_id": parent,
        "level": level,
        "name": name,
        "name_en": name_en,
        "population": population,
        "households": "",
        "elderly_population": elderly,
        "econ_tier": tier,
    }


def _adl(seed: int) -> dict:
    return {f"adl_{i:02d}": str(1 + (seed + i) % 4) for i in range(1, 15)}


def main_tables() -> dict:
    """A fresh copy of the main dataset as all-text tables (what a CSV holds)."""
    regions = [
        _region(CITY, "", "city", "长治市", "Changzhi", "3180000", "620000", ""),
        _region(D1, CITY, "district", "潞州区", "Luzhou District", "1000000", "200000", "high"),
        _region(D2, CITY, "district", "上党区", "Shangdang District", "", "", "middle"),
        _region(D3, CITY, "district", "屯留区", "Tunliu District", "250000", "", "low"),
        _region(D4, CITY, "district", "潞城区", "Lucheng District", "200000", "40000", "low"),
        _region(S1, D1, "street", "英雄南路街道", "Yingxiong South Road Street", "50000"),
        _region(S3, D3, "street", "麟绛街道", "Linjiang Street"),
        _region(M1, S1, "community", "太行社区", "Taihang Community", "8000", "1500"),
        _region(G1, M1, "grid", "太行一网格", "Taihang Grid 1", "900", "200"),
        _region(G2, M1, "grid", "太行二网格", "Taihang Grid 2", "", ""),
        _region(G3, D2, "grid", "韩店网格", "Handian Grid", "1200", "300"),
        _region(G4, S3, "grid", "麟绛网格", "Linjiang Grid", "0", "0"),
        _region(G5, D4, "grid", "成家川网格", "Chengjiachuan Grid", "700", ""),
    ]
    services = [
        {
            "service_code": "edu",
            "category": "health_education",
            "name": "疾病知识教育",
            "name_en": "Disease knowledge education",
            "sort_order": "1",
        },
        {
            "service_code": "exam",
            "category": "physical_exam",
            "name": "健康体检",
            "name_en": "Health check-up",
            "sort_order": "2",
        },
        {
            "service_code": "rehab",
            "category": "rehabilitation",
            "name": "康复训练",
            "name_en": "Rehabilitation training",
            "sort_order": "3.0",
        },
        {
            "service_code": "psy",
            "category": "mental_health",
            "name": "心理疏导",
            "name_en": "Psychological counselling",
            "sort_order": "",
        },
    ]
    # (respondent, region, sex, age, weight, surveyed_on, has_spouse, chronic)
    people = [
        ("r01", G1, "M", "72", "2", "2023-11-02", "是", "yes"),
        ("r02", G1, "female", "65.0", "", "2023-11-02", "否", "no"),
        ("r03", G1, "男", "81", "3.0", "2023-11-03", "1", "0"),
        ("r04", G2, "女", "60", "1.5", "", "true", "FALSE"),
        ("r05", G2, "F", "77", "0.5", "2023-11-04", "", ""),
        ("r06", D1, "male", "90", "1", "2023-11-05", "Yes", "No"),
        ("r07", G3, "M", "68", "2", "2023-12-01", "TRUE", "false"),
        ("r08", G3, "F", "0", "", "2023-12-01", "0", "1"),
        ("r09", G4, "F", "120", "1", "2023-12-02", "no", "yes"),
        ("r10", S3, "M", "59", "4", "2023-12-03", "yes", "是"),
        ("r11", G5, "F", "63", "1", "2023-12-04", "否", "否"),
    ]
    respondents = []
    for i, (rid, region, sex, age, weight, surveyed_on, spouse, chronic) in enumerate(people):
        respondents.append(
            {
                "respondent_id": rid,
                "region_id": region,
                "sex": sex,
                "age": age,
                "weight": weight,
                "stratum": "urban" if region != G5 else "rural",
                "psu": region,
                "surveyed_on": surveyed_on,
                "education": "primary",
                "has_spouse": spouse,
                "chronic_disease": chronic,
                "psych_problem": "",
                **_adl(i),
                "interviewer_note": "extra column, ignored",
            }
        )
    y, n, m = "yes", "no", ""
    answers = [
        # respondent, service, need, received   (varied spellings of the same values on purpose)
        ("r01", "edu", "5", y),
        ("r01", "exam", "4", "0"),
        ("r01", "rehab", "1", "否"),
        ("r01", "psy", "", ""),
        ("r02", "edu", "3", "false"),
        ("r02", "exam", "5", m),
        ("r02", "rehab", "2", "1"),
        ("r03", "edu", "4.0", "No"),
        ("r03", "exam", "", y),
        ("r03", "rehab", "5", n),
        ("r04", "edu", "2", "是"),
        ("r04", "exam", "4", "TRUE"),
        ("r04", "rehab", "3", m),
        ("r05", "edu", "5", n),
        ("r05", "rehab", "4", y),
        ("r06", "edu", "4", y),
        ("r06", "exam", "1", n),
        ("r06", "rehab", "1", n),
        ("r07", "edu", "1", n),
        ("r07", "exam", "3", "Yes"),
        ("r07", "rehab", "4", n),
        ("r08", "edu", "5", "true"),
        ("r08", "exam", "5", "no"),
        ("r08", "rehab", "5", m),
        ("r09", "edu", "4", n),
        ("r09", "exam", "2", n),
        ("r09", "rehab", "1", y),
        ("r10", "edu", "3", y),
        ("r10", "exam", "4", y),
        ("r10", "rehab", "2", n),
        ("r11", "edu", "5", y),
        ("r11", "exam", "5", y),
        ("r11", "rehab", "5", y),
    ]
    needs = [
        {"respondent_id": r, "service_code": s, "need": nd, "received": rc}
        for r, s, nd, rc in answers
    ]
    stations = [
        {
            "station_id": "ST1",
            "name": "太行社区卫生服务站",
            "region_id": M1,
            "lon": "113.11",
            "lat": "36.19",
            "staff": "6",
        },
        {
            "station_id": "ST2",
            "name": "韩店卫生站",
            "region_id": G3,
            "lon": "",
            "lat": "",
            "staff": "2",
        },
        {
            "station_id": "ST3",
            "name": "潞城卫生站",
            "region_id": D4,
            "lon": "113.22",
            "lat": "36.33",
            "staff": "",
        },
    ]
    deliveries = [
        # station, region, service, delivered_on, quantity, recipient_key, recipient_age
        ("ST3", D4, "edu", "2024-01-01", "", "p8", ""),
        ("ST1", G1, "edu", "2024-01-10", "3", "p1", "72"),
        ("ST1", G2, "exam", "2024-01-31", "", "", "55"),
        ("ST1", G1, "rehab", "2024-02-01", "2.0", "p3", "81"),
        ("", D1, "edu", "2024-02-15", "1", "", ""),
        ("ST2", G3, "exam", "2024-02-16", "4", "p5", "45"),
        ("ST2", G3, "edu", "2024-03-01", "2", "p6", ""),
        ("ST3", G5, "rehab", "2024-03-31", "5", "p7", "90"),
    ]
    deliveries = [
        {
            "station_id": st,
            "region_id": rg,
            "service_code": sv,
            "delivered_on": on,
            "quantity": q,
            "recipient_key": key,
            "recipient_age": age,
        }
        for st, rg, sv, on, q, key, age in deliveries
    ]
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            feature(D1, multipolygon(113.0, 36.0)),
            feature(D2, polygon(113.1, 36.0)),
            feature(D3, polygon(113.2, 36.0)),
            feature(D4, polygon(113.3, 36.0)),
            feature(G1, polygon(113.0, 36.1)),
            feature(G3, polygon(113.1, 36.1)),
            feature(G5, polygon(113.3, 36.1)),
        ],
    }
    return copy.deepcopy(
        {
            "regions": regions,
            "boundaries": boundaries,
            "services": services,
            "respondents": respondents,
            "needs": needs,
            "stations": stations,
            "deliveries": deliveries,
        }
    )


# --------------------------------------------------------------------------------------------------
# the main dataset's station catchments and targets (contract v1.1, optional)
# --------------------------------------------------------------------------------------------------
#
# catchments:  0 ST1 S1 (a street: everything below it)   1 ST2 G3
#              2 ST2 G2 (below ST1's S1: the most specific listing wins, G2 is ST2's)   3 ST3 D4
# targets:     0 ST1 edu 2024 10 services   1 ST1 exam 2024 5 people   2 ST2 exam 2024 3 (unit
#              empty: services)   3 ST3 rehab 2024 2 services   4 ST1 edu 2023 8 (unit empty)


def station_tables() -> dict:
    """Valid `catchments` and `targets` tables for the main dataset (all text, as a CSV holds)."""
    catchments = [
        {"station_id": st, "region_id": region}
        for st, region in (("ST1", S1), ("ST2", G3), ("ST2", G2), ("ST3", D4))
    ]
    targets = [
        {"station_id": st, "service_code": sv, "year": year, "target": n, "unit": unit}
        for st, sv, year, n, unit in (
            ("ST1", "edu", "2024", "10", "services"),
            ("ST1", "exam", "2024", "5", "people"),
            ("ST2", "exam", "2024", "3", ""),
            ("ST3", "rehab", "2024", "2", "services"),
            ("ST1", "edu", "2023", "8", ""),
        )
    ]
    return copy.deepcopy({"catchments": catchments, "targets": targets})


# --------------------------------------------------------------------------------------------------
# a second, independent city (made-up), with no weights, no `received`, no stations
# --------------------------------------------------------------------------------------------------
#
#   LK            city      湖滨市 / Lakeford
#   ├─ LK-E       district  东湖区 / East Lake District   └─ LK-E-g01 grid
#   └─ LK-W       district  西岸区 / West Shore District  └─ LK-W-g01 grid
#
# Services: counseling (mental_health), home_visit (daily_living_care).
#   a1 LK-E-g01: counseling 5, home_visit 2
#   a2 LK-E-g01: counseling 4, home_visit 4
#   a3 LK-W-g01: counseling 1, home_visit 5
#   a4 LK (the city itself): counseling 5, home_visit 1
# Deliveries (no station_id column):
#   LK-E-g01 counseling 2024-05-01 qty 3
#   LK-E-g01 home_visit 2024-05-02 qty empty (=1)
#   LK-W-g01 home_visit 2024-06-01 qty 3
#   LK-W     counseling 2024-06-02 qty 1  (district itself)
#   LK       home_visit 2024-06-03 qty 2  (city itself)


def lakeford_tables() -> dict:
    regions = [
        {
            "region_id": "LK",
            "parent_id": "",
            "level": "city",
            "name": "湖滨市",
            "name_en": "Lakeford",
        },
        {
            "region_id": "LK-E",
            "parent_id": "LK",
            "level": "district",
            "name": "东湖区",
            "name_en": "East Lake District",
        },
        {
            "region_id": "LK-W",
            "parent_id": "LK",
            "level": "district",
            "name": "西岸区",
            "name_en": "West Shore District",
        },
        {
            "region_id": "LK-E-g01",
            "parent_id": "LK-E",
            "level": "grid",
            "name": "东湖一网格",
            "name_en": "East Lake Grid 1",
        },
        {
            "region_id": "LK-W-g01",
            "parent_id": "LK-W",
            "level": "grid",
            "name": "西岸一网格",
            "name_en": "West Shore Grid 1",
        },
    ]
    services = [
        {"service_code": "home_visit", "category": "daily_living_care", "name": "上门护理"},
        {"service_code": "counseling", "category": "mental_health", "name": "心理咨询"},
    ]
    respondents = [
        {"respondent_id": "a1", "region_id": "LK-E-g01", "sex": "female", "age": "70"},
        {"respondent_id": "a2", "region_id": "LK-E-g01", "sex": "male", "age": "82"},
        {"respondent_id": "a3", "region_id": "LK-W-g01", "sex": "F", "age": "66"},
        {"respondent_id": "a4", "region_id": "LK", "sex": "M", "age": "75"},
    ]
    needs = [
        {"respondent_id": "a1", "service_code": "counseling", "need": "5"},
        {"respondent_id": "a1", "service_code": "home_visit", "need": "2"},
        {"respondent_id": "a2", "service_code": "counseling", "need": "4"},
        {"respondent_id": "a2", "service_code": "home_visit", "need": "4"},
        {"respondent_id": "a3", "service_code": "counseling", "need": "1"},
        {"respondent_id": "a3", "service_code": "home_visit", "need": "5"},
        {"respondent_id": "a4", "service_code": "counseling", "need": "5"},
        {"respondent_id": "a4", "service_code": "home_visit", "need": "1"},
    ]
    deliveries = [
        {
            "region_id": "LK-E-g01",
            "service_code": "counseling",
            "delivered_on": "2024-05-01",
            "quantity": "3",
        },
        {
            "region_id": "LK-E-g01",
            "service_code": "home_visit",
            "delivered_on": "2024-05-02",
            "quantity": "",
        },
        {
            "region_id": "LK-W-g01",
            "service_code": "home_visit",
            "delivered_on": "2024-06-01",
            "quantity": "3",
        },
        {
            "region_id": "LK-W",
            "service_code": "counseling",
            "delivered_on": "2024-06-02",
            "quantity": "1",
        },
        {
            "region_id": "LK",
            "service_code": "home_visit",
            "delivered_on": "2024-06-03",
            "quantity": "2",
        },
    ]
    return copy.deepcopy(
        {
            "regions": regions,
            "services": services,
            "respondents": respondents,
            "needs": needs,
            "deliveries": deliveries,
        }
    )


def data_row(index: int) -> int:
    """The spreadsheet row number of the data row at 0-based `index` (the header is row 1)."""
    return index + 2
