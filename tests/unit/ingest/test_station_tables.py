"""catchments and targets (contract v1.1): stored typed, always present, every refusal precise.

The contract tests (tests/contract/test_refusals.py, test_station_files.py) check what a user
reads; here the store's tables and the problems' fields (file, row, column, value, rule).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import data, store
from dashboard.ingest.importer import import_dataset
from dashboard.ingest.problems import DatasetRefused

REGIONS = """region_id,parent_id,level,name
C,,city,City
D1,C,district,D1
S1,D1,street,S1
M1,S1,community,M1
G1,M1,grid,G1
G2,M1,grid,G2
G3,S1,grid,G3
"""
SERVICES = "service_code,category,name\na,edu,A\nb,care,B\n"
STATIONS = "station_id,name,region_id\nST1,One,M1\nST2,Two,G3\n"
RESPONDENTS = "respondent_id,region_id,sex,age\n" + "".join(
    f"r{i},G{1 + i % 3},{'MF'[i % 2]},{60 + i}\n" for i in range(12)
)
NEEDS = "respondent_id,service_code,need\n" + "".join(
    f"r{i},{s},{1 + i % 5}\n" for i in range(12) for s in "ab"
)
DELIVERIES = (
    "station_id,region_id,service_code,delivered_on,quantity,recipient_key\n"
    "ST1,G1,a,2009-01-05,2,p1\nST2,G3,b,2009-02-01,,p2\n"
)
CATCHMENTS = "station_id,region_id,note\nST1,S1,the street\nST2,G3,\n"
TARGETS = (
    "station_id,service_code,year,target,unit\n"
    "ST1,a,2009,100,\nST1,b,2009.0,40,People\nST2,a,2008,12,services\n"
)


def write(folder: Path, **files: str | None) -> Path:
    """The small dataset, with `files` (name → CSV text, None to leave a file out) on top."""
    tables = {
        "regions": REGIONS,
        "services": SERVICES,
        "stations": STATIONS,
        "respondents": RESPONDENTS,
        "needs": NEEDS,
        "deliveries": DELIVERIES,
    } | files
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def refused(tmp_path: Path, **files: str | None) -> list[tuple]:
    """(file, row, column, value, rule) of every problem of a refused import."""
    with pytest.raises(DatasetRefused) as caught:
        import_dataset(write(tmp_path / "ds", **files), tmp_path / "db" / "store.duckdb")
    return [(p.file, p.row, p.column, p.value, p.rule) for p in caught.value.problems]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_without_the_files_the_store_has_both_tables_empty(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    result = import_dataset(write(tmp_path / "ds"), db)
    assert result.counts["catchments"] == 0 and result.counts["targets"] == 0
    with store.open_read_only(db) as con:
        assert columns(con, "catchments") == [("station_id", "VARCHAR"), ("region_id", "VARCHAR")]
        assert columns(con, "targets") == [
            ("station_id", "VARCHAR"),
            ("service_code", "VARCHAR"),
            ("year", "INTEGER"),
            ("target", "INTEGER"),
            ("unit", "VARCHAR"),
        ]
        assert con.execute("SELECT count(*) FROM catchments").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM targets").fetchone() == (0,)
        counts = data.table_counts(con)
        assert counts["catchments"] == 0 and counts["targets"] == 0
        assert "catchments" not in set(data.source_files(con)["table_name"])


def test_with_the_files_the_store_holds_them_typed_with_the_unit_defaulted(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    result = import_dataset(write(tmp_path / "ds", catchments=CATCHMENTS, targets=TARGETS), db)
    assert result.counts["catchments"] == 2 and result.counts["targets"] == 3
    with store.open_read_only(db) as con:
        assert con.execute("SELECT * FROM catchments ORDER BY station_id").fetchall() == [
            ("ST1", "S1", "the street"),  # an extra column is kept, as in every table
            ("ST2", "G3", None),
        ]
        assert con.execute("SELECT * FROM targets ORDER BY station_id, year").fetchall() == [
            ("ST1", "a", 2009, 100, "services"),
            ("ST1", "b", 2009, 40, "people"),
            ("ST2", "a", 2008, 12, "services"),
        ]
        counts = data.table_counts(con)
        assert counts["catchments"] == 2 and counts["targets"] == 3
        files = data.source_files(con).set_index("table_name")
        assert files.loc["catchments", "rows"] == 2 and files.loc["targets", "rows"] == 3
        history = con.execute("SELECT catchments_rows, targets_rows FROM import_history").fetchall()
        assert history == [(2, 3)]


def test_a_station_table_without_stations_is_refused_once_naming_the_file(tmp_path: Path) -> None:
    deliveries = DELIVERIES.replace("ST1,", ",").replace("ST2,", ",")
    problems = refused(
        tmp_path, stations=None, deliveries=deliveries, catchments=CATCHMENTS, targets=TARGETS
    )
    assert problems == [
        ("catchments.csv", None, None, None, "requires_stations"),
        ("targets.csv", None, None, None, "requires_stations"),
    ]


def test_unknown_stations_regions_and_services_are_refused_cell_by_cell(tmp_path: Path) -> None:
    catchments = "station_id,region_id\nST1,S1\nST9,G3\nST2,G7\n"
    targets = "station_id,service_code,year,target\nST1,a,2009,5\nST8,z,2009,5\n"
    problems = refused(tmp_path, catchments=catchments, targets=targets)
    assert sorted(problems, key=str) == sorted(
        [
            ("catchments.csv", 3, "station_id", "ST9", "reference"),
            ("catchments.csv", 4, "region_id", "G7", "reference"),
            ("targets.csv", 3, "station_id", "ST8", "reference"),
            ("targets.csv", 3, "service_code", "z", "reference"),
        ],
        key=str,
    )


def test_a_region_in_two_catchments_is_refused_at_its_second_row(tmp_path: Path) -> None:
    catchments = "station_id,region_id\nST1,S1\nST2,G3\nST1,G3\nST2,S1\n"
    assert refused(tmp_path, catchments=catchments) == [
        ("catchments.csv", 4, "region_id", "G3", "catchment_unique"),
        ("catchments.csv", 5, "region_id", "S1", "catchment_unique"),
    ]


def test_a_second_target_for_a_key_is_refused_whatever_the_years_spelling(tmp_path: Path) -> None:
    targets = "station_id,service_code,year,target\nST1,a,2009,5\nST1,a,2009.0,6\nST1,a,2010,6\n"
    assert refused(tmp_path, targets=targets) == [
        ("targets.csv", 3, "year", "2009.0", "target_unique"),
    ]


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("year", "1999", "int_range"),
        ("year", "2101", "int_range"),
        ("year", "2009.5", "int_range"),
        ("target", "0", "int_min"),
        ("target", "2.5", "int_min"),
        ("target", "lots", "int_min"),
        ("unit", "persons", "enum"),
    ],
)
def test_bad_target_cells(tmp_path: Path, column: str, value: str, rule: str) -> None:
    cells = {"station_id": "ST1", "service_code": "a", "year": "2009", "target": "5", "unit": ""}
    cells[column] = value
    targets = ",".join(cells) + "\n" + ",".join(cells.values()) + "\n"
    assert refused(tmp_path, targets=targets) == [("targets.csv", 2, column, value, rule)]


def test_years_that_are_not_numbers_are_not_also_duplicates(tmp_path: Path) -> None:
    targets = "station_id,service_code,year,target\nST1,a,20x9,5\nST1,a,20y9,6\n"
    assert refused(tmp_path, targets=targets) == [
        ("targets.csv", 2, "year", "20x9", "int_range"),
        ("targets.csv", 3, "year", "20y9", "int_range"),
    ]


def test_empty_required_cells_are_refused(tmp_path: Path) -> None:
    catchments = "station_id,region_id\nST1,\n"
    targets = "station_id,service_code,year,target\nST1,a,,5\n"
    assert refused(tmp_path, catchments=catchments, targets=targets) == [
        ("catchments.csv", 2, "region_id", None, "required"),
        ("targets.csv", 2, "year", None, "required"),
    ]


def test_the_demo_imports_a_catchment_for_every_grid_and_targets_for_every_station(
    demo_db: Path,
) -> None:
    with store.open_read_only(demo_db) as con:
        grids, listed, distinct = con.execute(
            "SELECT (SELECT count(*) FROM regions WHERE level = 'grid'), count(*), "
            "count(DISTINCT region_id) FROM catchments"
        ).fetchone()
        assert grids == listed == distinct
        assert con.execute(
            "SELECT count(*) FROM stations s WHERE NOT EXISTS "
            "(SELECT 1 FROM catchments c WHERE c.station_id = s.station_id) "
            "OR NOT EXISTS (SELECT 1 FROM targets t WHERE t.station_id = s.station_id)"
        ).fetchone() == (0,)
        crossing = con.execute(
            "SELECT count(*) FROM catchments c JOIN stations s USING (station_id) "
            "JOIN regions g ON g.region_id = c.region_id WHERE g.parent_id <> s.region_id"
        ).fetchone()[0]
        assert crossing >= 1
        assert con.execute("SELECT DISTINCT unit FROM targets ORDER BY 1").fetchall() == [
            ("people",),
            ("services",),
        ]
