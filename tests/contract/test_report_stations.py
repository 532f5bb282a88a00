"""`caregap report stations` (contract v1.1) on a dataset small enough to compute by hand.

The city C has one district D; community M1 holds grids G1 (12 respondents) and G2 (10), and
community M2 holds grid G3 (11). Stations: ST1 in M1, ST2 in M2, ST3 in G2 (no deliveries).
Every respondent answers `edu` and `exam`; all are women aged 70–79, weight 1, so each cell of
the differencing rule is a region (k = 10: every grid and community is publishable).

  G1: edu need 5 for 6 of 12 (else 1), exam need 4 for 3 (else 2)
  G2: edu need 5 for 2 of 10,          exam need 5 for 5
  G3: edu need 4 for all 11,           exam need 1 for all

Deliveries (station, service, day, quantity): ST1 edu 2008-01-10 ×3, ST1 exam 2008-02-20 ×1
twice, ST1 edu 2008-03-05 ×1, ST2 exam 2008-01-15 ×4, and one edu record with no station
(2008-02-01 ×7), which is in no station's figures. The data's period is 2008-01-10..2008-03-05:
56 days. Residents aged 60+: M1 400, G1 200, G2 100, G3 150 (M2 none).

Without `catchments` a station's catchment is its region's subtree: ST1 = M1 = G1 + G2
(22 respondents, 60+: M1's 400), ST2 = M2 = G3 (11, 150), ST3 = G2 (10, 100). With catchments
ST1: M1 and ST2: M2, G2, the most specific listing wins: G2 is ST2's, so ST1 = M1 without G2 =
G1 (12; 60+: M1 is split, so G1's 200), ST2 = G3 + G2 (21; 150 + 100), and ST3, not listed,
would default to G2, but a listing wins over the default: ST3's catchment is empty.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.contract.builders import REL, describe, import_ok, run_cli, write_dataset

DAYS = 56
YEARS = DAYS / 365.25


def _region(rid, parent, level, elderly=""):
    return {
        "region_id": rid,
        "parent_id": parent,
        "level": level,
        "name": rid,
        "elderly_population": elderly,
    }


def _people(grid: str, n: int, edu_high: int, edu_need: int, exam_high: int, exam_need: int):
    respondents, needs = [], []
    for i in range(n):
        rid = f"{grid}-{i:02d}"
        respondents.append({"respondent_id": rid, "region_id": grid, "sex": "F", "age": "75"})
        needs.append(
            {"respondent_id": rid, "service_code": "edu", "need": edu_need if i < edu_high else 1}
        )
        needs.append(
            {
                "respondent_id": rid,
                "service_code": "exam",
                "need": exam_need if i < exam_high else (2 if grid == "G1" else 1),
            }
        )
    return respondents, needs


def tables(catchments: list[dict] | None = None) -> dict:
    people = [
        _people("G1", 12, 6, 5, 3, 4),
        _people("G2", 10, 2, 5, 5, 5),
        _people("G3", 11, 11, 4, 0, 1),
    ]
    delivery = lambda station, service, day, qty, region: {  # noqa: E731
        "station_id": station,
        "region_id": region,
        "service_code": service,
        "delivered_on": day,
        "quantity": qty,
    }
    return {
        "regions": [
            _region("C", "", "city"),
            _region("D", "C", "district"),
            _region("M1", "D", "community", 400),
            _region("G1", "M1", "grid", 200),
            _region("G2", "M1", "grid", 100),
            _region("M2", "D", "community"),
            _region("G3", "M2", "grid", 150),
        ],
        "services": [
            {"service_code": "edu", "category": "health_education", "name": "edu"},
            {"service_code": "exam", "category": "physical_exam", "name": "exam"},
        ],
        "respondents": [r for rs, _ in people for r in rs],
        "needs": [n for _, ns in people for n in ns],
        "stations": [
            {"station_id": "ST1", "name": "Station one", "region_id": "M1"},
            {"station_id": "ST2", "name": "Station two", "region_id": "M2"},
            {"station_id": "ST3", "name": "Station three", "region_id": "G2"},
        ],
        "deliveries": [
            delivery("ST1", "edu", "2008-01-10", 3, "G1"),
            delivery("ST1", "exam", "2008-02-20", 1, "G2"),
            delivery("ST1", "exam", "2008-02-20", 1, "G1"),
            delivery("ST1", "edu", "2008-03-05", 1, "G1"),
            delivery("ST2", "exam", "2008-01-15", 4, "G3"),
            delivery("", "edu", "2008-02-01", 7, "G3"),
        ],
        "catchments": catchments,
    }


LISTED = [
    {"station_id": "ST1", "region_id": "M1"},
    {"station_id": "ST2", "region_id": "M2"},
    {"station_id": "ST2", "region_id": "G2"},
]


@pytest.fixture(scope="module")
def default_db(tmp_path_factory) -> object:
    folder = write_dataset(tmp_path_factory.mktemp("stations-default"), tables())
    db = tmp_path_factory.mktemp("stations-default-db") / "caregap.duckdb"
    import_ok(folder, db)
    return db


@pytest.fixture(scope="module")
def listed_db(tmp_path_factory) -> object:
    folder = write_dataset(tmp_path_factory.mktemp("stations-listed"), tables(LISTED))
    db = tmp_path_factory.mktemp("stations-listed-db") / "caregap.duckdb"
    import_ok(folder, db)
    return db


def stations(db, *opts: object) -> list[dict]:
    proc = run_cli("report", "stations", *opts, "--format", "json", "--db", db)
    assert proc.returncode == 0, describe(proc)
    return json.loads(proc.stdout)


def by_station(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["station_id"], r["service_code"]): r for r in rows}


COLUMNS = [
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
]


def close(value: object, expected: float) -> bool:
    return value is not None and abs(float(value) - expected) <= REL * max(1.0, abs(expected))


def test_the_csv_has_the_contract_columns_in_order_sorted_by_station_then_service(default_db):
    proc = run_cli("report", "stations", "--db", default_db)
    assert proc.returncode == 0, describe(proc)
    lines = list(csv.reader(io.StringIO(proc.stdout)))
    assert lines[0] == COLUMNS
    keys = [(line[0], line[3]) for line in lines[1:] if line]
    assert keys == sorted(keys)
    assert keys == [(s, v) for s in ("ST1", "ST2", "ST3") for v in ("edu", "exam")]


def test_a_defaulted_catchment_is_the_stations_region_and_everything_below_it(default_db):
    rows = by_station(stations(default_db))
    edu, exam = rows["ST1", "edu"], rows["ST1", "exam"]
    assert edu["station_name"] == "Station one" and edu["region_id"] == "M1"
    assert edu["catchment_respondents_n"] == 22
    assert close(edu["demand_rate"], 8 / 22)  # G1 6 + G2 2 of 22
    assert close(exam["demand_rate"], 8 / 22)  # G1 3 + G2 5
    assert close(edu["demand_share"], 0.5) and close(exam["demand_share"], 0.5)
    assert edu["provision_count"] == 4 and exam["provision_count"] == 2
    assert close(edu["provision_share"], 4 / 6)
    assert close(edu["mix_gap_pp"], 100 * (0.5 - 4 / 6))
    assert edu["catchment_elderly_population"] == 400
    assert close(edu["provision_per_1000"], 1000 * 4 / 400 / YEARS)
    assert edu["suppressed"] is False
    st2 = rows["ST2", "exam"]
    assert st2["catchment_respondents_n"] == 11 and close(st2["demand_rate"], 0.0)
    assert close(rows["ST2", "edu"]["demand_rate"], 1.0)
    assert st2["provision_count"] == 4 and close(st2["provision_share"], 1.0)
    assert st2["catchment_elderly_population"] == 150


def test_a_station_with_no_deliveries_has_zero_counts_and_no_shares(default_db):
    rows = by_station(stations(default_db))
    for service in ("edu", "exam"):
        row = rows["ST3", service]
        assert row["provision_count"] == 0
        assert row["provision_share"] is None and row["mix_gap_pp"] is None
        assert close(row["provision_per_1000"], 0.0)
        assert row["catchment_respondents_n"] == 10 and row["catchment_elderly_population"] == 100
    assert close(rows["ST3", "edu"]["demand_rate"], 0.2)
    assert close(rows["ST3", "exam"]["demand_share"], 5 / 7)


def test_deliveries_without_a_station_are_in_no_stations_figures(default_db):
    rows = stations(default_db)
    assert sum(r["provision_count"] for r in rows) == 3 + 1 + 1 + 1 + 4


def test_listed_catchments_take_the_most_specific_listing(listed_db):
    rows = by_station(stations(listed_db))
    st1, st2, st3 = rows["ST1", "edu"], rows["ST2", "edu"], rows["ST3", "edu"]
    assert st1["catchment_respondents_n"] == 12
    assert close(st1["demand_rate"], 6 / 12)
    assert st1["catchment_elderly_population"] == 200  # M1 is split: its parts count
    assert st2["catchment_respondents_n"] == 21
    assert close(st2["demand_rate"], (11 + 2) / 21)
    assert close(rows["ST2", "exam"]["demand_rate"], 5 / 21)
    assert st2["catchment_elderly_population"] == 250
    # not listed: its own region less what another station lists (G2 is ST2's): nobody
    assert st3["catchment_respondents_n"] == 0 and st3["demand_rate"] is None
    assert st3["catchment_elderly_population"] is None
    # deliveries stay the station's own, whoever its catchment holds
    assert st1["provision_count"] == 4 and rows["ST2", "exam"]["provision_count"] == 4


def test_a_cut_period_counts_its_days_and_only_its_deliveries(default_db):
    rows = by_station(stations(default_db, "--from", "2008-01-01", "--to", "2008-01-31"))
    assert rows["ST1", "edu"]["provision_count"] == 3
    assert rows["ST1", "exam"]["provision_count"] == 0
    assert close(rows["ST1", "edu"]["provision_share"], 1.0)
    assert close(rows["ST1", "edu"]["provision_per_1000"], 1000 * 3 / 400 / (31 / 365.25))
    # the survey figures do not depend on the period
    assert close(rows["ST1", "edu"]["demand_rate"], 8 / 22)


def test_a_catchment_below_k_is_suppressed_with_its_count_withheld(default_db):
    rows = by_station(stations(default_db, "--min-n", "11"))
    st3 = rows["ST3", "edu"]  # 10 respondents
    assert st3["suppressed"] is True
    assert st3["demand_rate"] is None and st3["demand_share"] is None
    assert st3["catchment_respondents_n"] == "<11"
    assert st3["provision_count"] == 0  # deliveries are never suppressed
    assert rows["ST1", "edu"]["suppressed"] is False


def test_monthly_gives_every_month_of_the_period_with_zeros(default_db):
    proc = run_cli("report", "stations", "--monthly", "--db", default_db)
    assert proc.returncode == 0, describe(proc)
    lines = list(csv.reader(io.StringIO(proc.stdout)))
    assert lines[0] == ["station_id", "month", "service_code", "provision_count"]
    rows = {(s, m, v): int(n) for s, m, v, n in lines[1:] if s}
    months = ("2008-01", "2008-02", "2008-03")
    assert set(rows) == {
        (s, m, v) for s in ("ST1", "ST2", "ST3") for m in months for v in ("edu", "exam")
    }
    assert rows["ST1", "2008-01", "edu"] == 3 and rows["ST1", "2008-03", "edu"] == 1
    assert rows["ST1", "2008-02", "exam"] == 2 and rows["ST1", "2008-02", "edu"] == 0
    assert rows["ST2", "2008-01", "exam"] == 4
    assert all(n == 0 for (s, _, _), n in rows.items() if s == "ST3")
    keys = [(s, m, v) for s, m, v, _ in lines[1:] if s]
    assert keys == sorted(keys)


def test_monthly_with_a_cut_period_keeps_its_partial_months(default_db):
    rows = stations(default_db, "--monthly", "--from", "2008-01-12", "--to", "2008-02-20")
    got = {(r["station_id"], r["month"], r["service_code"]): r["provision_count"] for r in rows}
    assert {m for _, m, _ in got} == {"2008-01", "2008-02"}
    assert got["ST1", "2008-01", "edu"] == 0  # the 10th is before the period
    assert got["ST2", "2008-01", "exam"] == 4
    assert got["ST1", "2008-02", "exam"] == 2
