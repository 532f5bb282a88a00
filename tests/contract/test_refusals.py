"""Import refusals: one test per rule of the contract.

Each test starts from a database holding the main dataset (a private copy), writes the main dataset
with exactly one thing broken, imports it and checks that:
  * the import exits 1;
  * one line of the output names the file, `row N` (spreadsheet numbering: header is row 1, so the
    first data row is row 2) when the problem sits on a row, `column "X"`, and the value;
  * the database still prints exactly the same report as before (checked by running the report
    unless the database files are bit-for-bit unchanged, which implies it).

Row numbers below are written as `data_row(i)`, i being the 0-based position of the row in the
table lists of `builders.main_tables()` (regions: city 0, D1 1, D2 2, D3 3, D4 4, S1 5, S3 6, M1 7,
G1 8, G2 9, G3 10, G4 11, G5 12; respondents r01..r11 at 0..10; deliveries d8 d1 .. d7 at 0..7;
needs in the order of the answer table in builders.py).
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest
from builders import (
    CITY,
    D1,
    D2,
    D3,
    G1,
    G2,
    G3,
    G5,
    M1,
    S1,
    describe,
    flat,
    import_dataset,
    main_tables,
    output,
    report_proc,
    station_tables,
    write_dataset,
)
from builders import data_row as row_of


def refused(
    tmp_path: Path,
    db: Path,
    baseline: str,
    tables: dict,
    *extra,
    lang="en",
    files=None,
    **write_options,
):
    """Import `tables` into `db`; assert it is refused and that `db` still reports `baseline`."""
    folder = write_dataset(tmp_path / "bad-dataset", tables, **write_options)
    for name, content in (files or {}).items():
        (folder / name).write_bytes(content)
    before = snapshot(db.parent)
    proc = import_dataset(folder, db, *extra, lang=lang)
    assert proc.returncode == 1, describe(proc)
    if snapshot(db.parent) != before:
        # the files changed (which is allowed): the figures served must not have
        after = report_proc(db, "district", "--min-n", "1")
        assert after.returncode == 0, describe(after)
        assert after.stdout == baseline, "a refused import changed the figures served"
    return proc


def snapshot(folder: Path) -> dict[str, str]:
    """Name and content hash of every file in the database folder (bit-identical = same data)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def names(proc, file: str, column: str | None = None, row: int | None = None, value=None):
    """Assert that one line of the output names file, column, row and value together."""
    text = flat(proc)
    wanted = [file]
    assert file in text, f"file {file!r} not named\n{describe(proc)}"
    if column is not None:
        wanted.append(f'column "{column}"')
        assert f'column "{column}"' in text, f'column "{column}" not named\n{describe(proc)}'
    if row is not None:
        assert re.search(rf"\brow {row}\b", text), f"row {row} not named\n{describe(proc)}"
    if value is not None:
        wanted.append(str(value))
        assert str(value) in text, f"value {value!r} not shown\n{describe(proc)}"
    # "each problem on its own line": all of it on one line
    for line in output(proc).splitlines():
        if all(w in line for w in wanted) and (row is None or re.search(rf"\brow {row}\b", line)):
            return
    raise AssertionError(f"no single line names {wanted} and row {row}\n{describe(proc)}")


@pytest.fixture
def bad(tmp_path, fresh_copy, main_baseline):
    """`bad(tables, ...)` -> the refused process, checked to leave the database unchanged."""

    def run(tables, *extra, **kw):
        return refused(tmp_path, fresh_copy, main_baseline, tables, *extra, **kw)

    return run


def by_id(rows: list[dict], key: str, value: str) -> dict:
    return next(r for r in rows if r[key] == value)


# --------------------------------------------------------------------------------------------------
# regions
# --------------------------------------------------------------------------------------------------


def test_duplicate_region_id(bad):
    t = main_tables()
    t["regions"].append({**by_id(t["regions"], "region_id", G2), "region_id": G1})  # index 13
    names(bad(t), "regions.csv", "region_id", row_of(13), G1)


def test_two_roots(bad):
    t = main_tables()
    by_id(t["regions"], "region_id", D3)["parent_id"] = ""  # index 3: a second root
    proc = bad(t)
    names(proc, "regions.csv", "parent_id")
    text = flat(proc)
    assert re.search(rf"\brow {row_of(3)}\b", text) or D3 in text, describe(proc)


def test_unknown_parent(bad):
    t = main_tables()
    by_id(t["regions"], "region_id", D3)["parent_id"] = "999999"  # index 3
    names(bad(t), "regions.csv", "parent_id", row_of(3), "999999")


def test_cycle(bad):
    t = main_tables()
    # S1 (index 5) under M1 (index 7), M1 under S1: a loop that never reaches the city
    by_id(t["regions"], "region_id", S1)["parent_id"] = M1
    proc = bad(t)
    names(proc, "regions.csv", "parent_id")
    text = flat(proc)
    assert re.search(r"cycl|loop|circular", text, re.I), describe(proc)
    assert S1 in text or M1 in text, describe(proc)


def test_unknown_level(bad):
    t = main_tables()
    by_id(t["regions"], "region_id", G5)["level"] = "village"  # index 12
    names(bad(t), "regions.csv", "level", row_of(12), "village")


def test_level_not_below_parent(bad):
    t = main_tables()
    # M1 (index 7) says street, under street S1: same level, not strictly below
    by_id(t["regions"], "region_id", M1)["level"] = "street"
    names(bad(t), "regions.csv", "level", row_of(7), "street")


def test_level_above_parent(bad):
    t = main_tables()
    t["regions"].append(  # index 13: a community under grid G3
        {"region_id": "140404901001", "parent_id": G3, "level": "community", "name": "错层社区"}
    )
    names(bad(t), "regions.csv", "level", row_of(13), "community")


def test_grid_without_district_ancestor(bad):
    t = main_tables()
    t["regions"].append(  # index 13: a grid right under the city
        {"region_id": "1404999", "parent_id": CITY, "level": "grid", "name": "无区网格"}
    )
    proc = bad(t)
    names(proc, "regions.csv", None, row_of(13), "1404999")
    assert 'column "level"' in flat(proc) or 'column "parent_id"' in flat(proc), describe(proc)
    assert "district" in flat(proc), describe(proc)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("population", "-5"),
        ("population", "12.5"),
        ("households", "-1"),
        ("elderly_population", "many"),
    ],
)
def test_bad_region_count(bad, column, value):
    t = main_tables()
    by_id(t["regions"], "region_id", D1)[column] = value  # index 1
    names(bad(t), "regions.csv", column, row_of(1), value)


def test_bad_econ_tier(bad):
    t = main_tables()
    by_id(t["regions"], "region_id", D2)["econ_tier"] = "rich"  # index 2
    names(bad(t), "regions.csv", "econ_tier", row_of(2), "rich")


def test_empty_region_id(bad):
    t = main_tables()
    t["regions"].append({"region_id": "", "parent_id": CITY, "level": "district", "name": "无"})
    names(bad(t), "regions.csv", "region_id", row_of(13))


# --------------------------------------------------------------------------------------------------
# services
# --------------------------------------------------------------------------------------------------


def test_duplicate_service_code(bad):
    t = main_tables()
    t["services"].append({**t["services"][1]})  # index 4: exam again
    names(bad(t), "services.csv", "service_code", row_of(4), "exam")


@pytest.mark.parametrize("code", ["Eye-Care", "eye care", ""])
def test_invalid_service_code(bad, code):
    t = main_tables()
    t["services"].append({"service_code": code, "category": "other", "name": "眼科"})  # index 4
    names(bad(t), "services.csv", "service_code", row_of(4), code or None)


def test_empty_category(bad):
    t = main_tables()
    t["services"][1]["category"] = ""  # exam, index 1
    names(bad(t), "services.csv", "category", row_of(1))


# --------------------------------------------------------------------------------------------------
# respondents
# --------------------------------------------------------------------------------------------------


def test_duplicate_respondent_id(bad):
    t = main_tables()
    t["respondents"].append({**t["respondents"][4]})  # r05 again, index 11
    names(bad(t), "respondents.csv", "respondent_id", row_of(11), "r05")


def test_respondent_unknown_region(bad):
    t = main_tables()
    t["respondents"][8]["region_id"] = "777"  # r09
    names(bad(t), "respondents.csv", "region_id", row_of(8), "777")


def test_bad_sex(bad):
    t = main_tables()
    t["respondents"][3]["sex"] = "other"  # r04
    names(bad(t), "respondents.csv", "sex", row_of(3), "other")


@pytest.mark.parametrize(
    ("index", "value"), [(1, "130"), (6, "abc"), (2, "-1"), (4, "65.5"), (5, "")]
)
def test_bad_age(bad, index, value):
    t = main_tables()
    t["respondents"][index]["age"] = value
    names(bad(t), "respondents.csv", "age", row_of(index), value or None)


@pytest.mark.parametrize(("index", "value"), [(0, "0"), (9, "-1"), (3, "heavy")])
def test_bad_weight(bad, index, value):
    t = main_tables()
    t["respondents"][index]["weight"] = value
    names(bad(t), "respondents.csv", "weight", row_of(index), value)


@pytest.mark.parametrize("value", ["2024-02-30", "03/11/2023"])
def test_bad_surveyed_on(bad, value):
    t = main_tables()
    t["respondents"][2]["surveyed_on"] = value  # r03
    names(bad(t), "respondents.csv", "surveyed_on", row_of(2), value)


def test_bad_boolean_in_respondents(bad):
    t = main_tables()
    t["respondents"][4]["has_spouse"] = "maybe"  # r05
    names(bad(t), "respondents.csv", "has_spouse", row_of(4), "maybe")


def test_adl_only_some_columns(bad):
    t = main_tables()
    for r in t["respondents"]:
        for i in range(8, 15):
            del r[f"adl_{i:02d}"]  # adl_01..adl_07 present, adl_08..adl_14 absent
    proc = bad(t)
    names(proc, "respondents.csv")
    assert "adl" in flat(proc), describe(proc)


def test_adl_out_of_range(bad):
    t = main_tables()
    t["respondents"][5]["adl_03"] = "5"  # r06
    names(bad(t), "respondents.csv", "adl_03", row_of(5), "5")


@pytest.mark.parametrize("column", ["name", "id_number", "phone", "address"])
def test_identifying_column_refused(bad, column):
    t = main_tables()
    for i, r in enumerate(t["respondents"]):
        r[column] = f"secret-{i}"
    names(bad(t), "respondents.csv", column)


def test_identifying_columns_dropped_on_request(tmp_path, fresh_copy, main_baseline):
    t = main_tables()
    for i, r in enumerate(t["respondents"]):
        r["name"] = f"张{i}"
        r["phone"] = f"1391234{i:04d}"
    folder = write_dataset(tmp_path / "with-names", t)
    refused_proc = import_dataset(folder, fresh_copy)
    assert refused_proc.returncode == 1, describe(refused_proc)
    names(refused_proc, "respondents.csv", "name")
    names(refused_proc, "respondents.csv", "phone")

    proc = import_dataset(folder, fresh_copy, "--drop-identifying")
    assert proc.returncode == 0, describe(proc)
    after = report_proc(fresh_copy, "district", "--min-n", "1")
    assert after.returncode == 0, describe(after)
    assert after.stdout == main_baseline  # extra columns never change figures
    # never stored: no phone number appears in the bytes of the database folder
    stored = b"".join(p.read_bytes() for p in fresh_copy.parent.rglob("*") if p.is_file())
    assert b"13912340003" not in stored


# --------------------------------------------------------------------------------------------------
# needs
# --------------------------------------------------------------------------------------------------


def test_needs_unknown_respondent(bad):
    t = main_tables()
    t["needs"].append({"respondent_id": "r99", "service_code": "edu", "need": "3"})  # index 33
    names(bad(t), "needs.csv", "respondent_id", row_of(33), "r99")


def test_needs_unknown_service(bad):
    t = main_tables()
    t["needs"][6]["service_code"] = "xray"  # r02 rehab
    names(bad(t), "needs.csv", "service_code", row_of(6), "xray")


@pytest.mark.parametrize("value", ["6", "0", "abc", "4.5"])
def test_bad_need(bad, value):
    t = main_tables()
    t["needs"][20]["need"] = value  # r07 rehab
    names(bad(t), "needs.csv", "need", row_of(20), value)


def test_bad_received(bad):
    t = main_tables()
    t["needs"][16]["received"] = "maybe"  # r06 exam
    names(bad(t), "needs.csv", "received", row_of(16), "maybe")


def test_duplicate_answer(bad):
    t = main_tables()
    t["needs"].append({"respondent_id": "r05", "service_code": "edu", "need": "1"})  # index 33
    proc = bad(t)
    names(proc, "needs.csv", None, row_of(33))
    text = flat(proc)
    assert 'column "respondent_id"' in text or 'column "service_code"' in text, describe(proc)


# --------------------------------------------------------------------------------------------------
# stations and deliveries
# --------------------------------------------------------------------------------------------------


def test_duplicate_station(bad):
    t = main_tables()
    t["stations"].append({**t["stations"][0], "name": "另一个"})  # ST1 again, index 3
    names(bad(t), "stations.csv", "station_id", row_of(3), "ST1")


def test_station_unknown_region(bad):
    t = main_tables()
    t["stations"][1]["region_id"] = "555"
    names(bad(t), "stations.csv", "region_id", row_of(1), "555")


def test_delivery_unknown_station(bad):
    t = main_tables()
    t["deliveries"][5]["station_id"] = "ST9"  # d5
    names(bad(t), "deliveries.csv", "station_id", row_of(5), "ST9")


def test_delivery_unknown_region(bad):
    t = main_tables()
    t["deliveries"][1]["region_id"] = "404"  # d1
    names(bad(t), "deliveries.csv", "region_id", row_of(1), "404")


def test_delivery_unknown_service(bad):
    t = main_tables()
    t["deliveries"][3]["service_code"] = "massage"  # d3
    names(bad(t), "deliveries.csv", "service_code", row_of(3), "massage")


@pytest.mark.parametrize(("index", "value"), [(2, "2009-13-01"), (6, "12/03/2009"), (4, "")])
def test_bad_delivered_on(bad, index, value):
    t = main_tables()
    t["deliveries"][index]["delivered_on"] = value
    names(bad(t), "deliveries.csv", "delivered_on", row_of(index), value or None)


@pytest.mark.parametrize("value", ["0", "-2", "1.5"])
def test_bad_quantity(bad, value):
    t = main_tables()
    t["deliveries"][3]["quantity"] = value  # d3
    names(bad(t), "deliveries.csv", "quantity", row_of(3), value)


def test_bad_recipient_age(bad):
    t = main_tables()
    t["deliveries"][7]["recipient_age"] = "130"  # d7
    names(bad(t), "deliveries.csv", "recipient_age", row_of(7), "130")


# --------------------------------------------------------------------------------------------------
# station catchments and targets (contract v1.1)
# --------------------------------------------------------------------------------------------------


def with_station_tables() -> dict:
    """The main dataset with its valid catchments and targets (builders.station_tables)."""
    return main_tables() | station_tables()


def test_catchment_unknown_station(bad):
    t = with_station_tables()
    t["catchments"][1]["station_id"] = "ST9"
    names(bad(t), "catchments.csv", "station_id", row_of(1), "ST9")


def test_catchment_unknown_region(bad):
    t = with_station_tables()
    t["catchments"][3]["region_id"] = "140499"
    names(bad(t), "catchments.csv", "region_id", row_of(3), "140499")


@pytest.mark.parametrize("station", ["ST3", "ST2"])  # under another station, or the same again
def test_catchment_region_listed_twice(bad, station):
    t = with_station_tables()
    t["catchments"].append({"station_id": station, "region_id": G2})  # index 4; first at 2
    proc = bad(t)
    names(proc, "catchments.csv", "region_id", row_of(4), G2)
    assert f"row {row_of(2)}" in flat(proc), describe(proc)
    assert "one station's catchment only" in flat(proc), describe(proc)


def test_catchment_region_listed_twice_in_chinese(bad):
    t = with_station_tables()
    t["catchments"].append({"station_id": "ST1", "region_id": G3})  # index 4; first at 1
    proc = bad(t, lang="zh")
    assert any(
        "catchments.csv" in line
        and f"第 {row_of(4)} 行" in line
        and G3 in line
        and "一个服务站" in line
        for line in output(proc).splitlines()
    ), describe(proc)


@pytest.mark.parametrize("column", ["station_id", "region_id"])
def test_catchment_empty_cell(bad, column):
    t = with_station_tables()
    t["catchments"][0][column] = ""
    names(bad(t), "catchments.csv", column, row_of(0))


@pytest.mark.parametrize("table", ["catchments", "targets"])
def test_station_table_without_stations(bad, table):
    t = with_station_tables()
    t["stations"] = None
    for r in t["deliveries"]:
        r["station_id"] = ""
    t["catchments" if table == "targets" else "targets"] = None
    proc = bad(t)
    names(proc, f"{table}.csv")
    assert any(
        f"{table}.csv" in line and "no stations file" in line for line in output(proc).splitlines()
    ), describe(proc)
    # one problem naming the file, not one per row
    assert not re.search(rf"{table}\.csv, row", flat(proc)), describe(proc)


def test_target_unknown_station(bad):
    t = with_station_tables()
    t["targets"][3]["station_id"] = "ST7"
    names(bad(t), "targets.csv", "station_id", row_of(3), "ST7")


def test_target_unknown_service(bad):
    t = with_station_tables()
    t["targets"][2]["service_code"] = "xray"
    names(bad(t), "targets.csv", "service_code", row_of(2), "xray")


@pytest.mark.parametrize("year", ["2024", "2024.0"])
def test_second_target_for_the_same_station_service_and_year(bad, year):
    t = with_station_tables()
    t["targets"].append({**t["targets"][0], "year": year, "target": "12"})  # index 5; first at 0
    proc = bad(t)
    names(proc, "targets.csv", "year", row_of(5), year)
    assert f"row {row_of(0)}" in flat(proc), describe(proc)


@pytest.mark.parametrize("value", ["1999", "2101", "20x9", "2024.5", "-2024"])
def test_bad_target_year(bad, value):
    t = with_station_tables()
    t["targets"][1]["year"] = value
    proc = bad(t)
    names(proc, "targets.csv", "year", row_of(1), value)
    assert "2000" in flat(proc) and "2100" in flat(proc), describe(proc)


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "many"])
def test_bad_target_number(bad, value):
    t = with_station_tables()
    t["targets"][4]["target"] = value
    names(bad(t), "targets.csv", "target", row_of(4), value)


@pytest.mark.parametrize("value", ["persons", "visits", "service"])
def test_bad_target_unit(bad, value):
    t = with_station_tables()
    t["targets"][0]["unit"] = value
    proc = bad(t)
    names(proc, "targets.csv", "unit", row_of(0), value)
    assert "services, people" in flat(proc), describe(proc)


@pytest.mark.parametrize("column", ["station_id", "service_code", "year", "target"])
def test_target_required_column_missing(bad, column):
    t = with_station_tables()
    for r in t["targets"]:
        del r[column]
    names(bad(t), "targets.csv", column)


# --------------------------------------------------------------------------------------------------
# tables and files
# --------------------------------------------------------------------------------------------------


def test_missing_required_table(bad):
    t = main_tables()
    t["needs"] = None
    proc = bad(t)
    text = flat(proc)
    assert re.search(r"\bneeds\b", text), describe(proc)
    assert re.search(r"requir|missing", text, re.I), describe(proc)


def test_missing_required_column(bad):
    t = main_tables()
    for r in t["respondents"]:
        del r["age"]
    names(bad(t), "respondents.csv", "age")


def test_empty_file(bad):
    t = main_tables()
    t["respondents"] = None
    names(bad(t, files={"respondents.csv": b""}), "respondents.csv")


def test_binary_file(bad):
    t = main_tables()
    t["respondents"] = None
    noise = random.Random(20240601).randbytes(4096) + b"\x00\x00\xff\xfe\x00"
    names(bad(t, files={"respondents.csv": noise}), "respondents.csv")


def test_boundaries_not_json(bad):
    t = main_tables()
    t["boundaries"] = None
    names(
        bad(t, files={"boundaries.geojson": b'{"type": "FeatureCollection", "feat'}),
        "boundaries.geojson",
    )


def test_boundaries_unknown_region(bad):
    t = main_tables()
    t["boundaries"]["features"].append(
        {
            "type": "Feature",
            "properties": {"region_id": "888888"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        }
    )
    names(bad(t), "boundaries.geojson", None, None, "888888")


def test_boundaries_point_geometry(bad):
    t = main_tables()
    t["boundaries"]["features"][1]["geometry"] = {"type": "Point", "coordinates": [113.1, 36.0]}
    proc = bad(t)
    names(proc, "boundaries.geojson")
    assert "Point" in flat(proc) or D2 in flat(proc), describe(proc)


# --------------------------------------------------------------------------------------------------
# reporting: every problem in one run, a cap, Chinese
# --------------------------------------------------------------------------------------------------


def test_all_problems_in_one_run(bad):
    t = main_tables()
    t["respondents"][1]["age"] = "130"  # row 3
    t["needs"][20]["need"] = "6"  # row 22
    t["deliveries"][3]["quantity"] = "0"  # row 5
    proc = bad(t)
    names(proc, "respondents.csv", "age", row_of(1), "130")
    names(proc, "needs.csv", "need", row_of(20), "6")
    names(proc, "deliveries.csv", "quantity", row_of(3), "0")


def test_problem_list_is_capped_and_counts_the_rest(bad):
    t = main_tables()
    for i in range(500):  # rows 13 .. 512
        t["respondents"].append(
            {"respondent_id": f"x{i:04d}", "region_id": G1, "sex": "M", "age": "130"}
        )
    proc = bad(t)
    text = flat(proc)
    listed = {int(n) for n in re.findall(r"\brow (\d+)\b", text)}
    assert listed, describe(proc)
    assert listed <= set(range(row_of(11), row_of(511) + 1)), sorted(listed)
    assert 0 < len(listed) < 500, f"{len(listed)} rows listed: expected a cap"
    rest = 500 - len(listed)
    # "... and N more" (or the total, 500, stated outside a row reference)
    without_rows = re.sub(r"\brow \d+\b", "", text)
    assert re.search(rf"\b({rest}|500)\b", without_rows), describe(proc)
    assert len(output(proc)) < 100_000


def test_chinese_messages(bad):
    t = main_tables()
    t["respondents"][1]["age"] = "130"  # 第 3 行
    proc = bad(t, lang="zh")
    text = flat(proc)
    assert "respondents.csv" in text, describe(proc)
    assert "第 3 行" in text, describe(proc)
    assert "age" in text and "130" in text, describe(proc)
    assert re.search(r"[\u4e00-\u9fff]", text.replace("第 3 行", "")), describe(proc)
    # the same problem line holds file, row and column
    assert any(
        "respondents.csv" in line and "第 3 行" in line and "age" in line
        for line in output(proc).splitlines()
    ), describe(proc)


def test_refused_into_empty_database_creates_nothing_usable(tmp_path):
    t = main_tables()
    t["needs"][20]["need"] = "6"
    folder = write_dataset(tmp_path / "bad", t)
    db = tmp_path / "db" / "caregap.duckdb"
    db.parent.mkdir()
    proc = import_dataset(folder, db)
    assert proc.returncode == 1, describe(proc)
    # nothing was imported: a report has no dataset to read (it must not print figures)
    after = report_proc(db, "city")
    assert after.returncode != 0 or after.stdout.strip() in ("", "[]"), describe(after)


def test_xlsx_rows_are_spreadsheet_rows(bad):
    t = main_tables()
    t["respondents"][1]["age"] = "130"  # r02: the 2nd data row is row 3 of the sheet
    t["deliveries"][7]["quantity"] = "0"  # d7: row 9
    proc = bad(t, fmt="xlsx")
    names(proc, "respondents.xlsx", "age", row_of(1), "130")
    names(proc, "deliveries.xlsx", "quantity", row_of(7), "0")


def test_gbk_values_shown_readably(bad):
    t = main_tables()
    t["respondents"][3]["sex"] = "未知"  # r04, in a GBK-encoded file
    names(bad(t, encoding="gbk"), "respondents.csv", "sex", row_of(3), "未知")


# --------------------------------------------------------------------------------------------------
# identifying columns in every language and spelling, and by their values (contract v1.1)
# --------------------------------------------------------------------------------------------------


def resident_id(seventeen: str) -> str:
    """A resident ID number: 17 digits and its ISO 7064 MOD 11-2 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return (
        seventeen
        + "10X98765432"[sum(int(d) * w for d, w in zip(seventeen, weights, strict=True)) % 11]
    )


def resident_ids(count: int) -> list[str]:
    return [resident_id(f"140402{1940 + i:04d}0{1 + i % 9}1{i % 10}{i:03d}") for i in range(count)]


def mobiles(count: int) -> list[str]:
    prefixes = ("139", "158", "186", "135", "177", "152", "188", "131", "199", "147", "166")
    return [
        f"{prefixes[i % len(prefixes)]}{(i * 7919) % 10_000:04d}{i * 37 % 10_000:04d}"
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "header",
    [
        "姓名",
        "名字",
        "Ｎａｍｅ",
        "NAME",
        "Name ",
        "id_card",
        "身份证",
        "身份证号",
        "身份证号码",
        "mobile",
        "Tel",
        "电话",
        "手机",
        "手机号",
        "联系电话",
        "住址",
        "地址",
        "家庭住址",
        "ID Number",
    ],
)
def test_identifying_column_in_any_spelling_refused(bad, header):
    t = main_tables()
    for i, r in enumerate(t["respondents"]):
        r[header] = f"secret-{i}"
    proc = bad(t)
    names(proc, "respondents.csv", header.strip().lower())
    assert "--drop-identifying" in flat(proc), describe(proc)


@pytest.mark.parametrize(("table", "header"), [("needs", "姓名"), ("deliveries", "联系电话")])
def test_identifying_column_refused_in_needs_and_deliveries(bad, table, header):
    t = main_tables()
    for i, r in enumerate(t[table]):
        r[header] = f"secret-{i}"
    names(bad(t), f"{table}.csv", header)


def test_identifying_column_in_chinese_named_in_chinese(bad):
    t = main_tables()
    for i, r in enumerate(t["respondents"]):
        r["身份证号码"] = f"secret-{i}"
    proc = bad(t, lang="zh")
    assert any(
        "respondents.csv" in line and "身份证号码" in line and "身份证" in line.split("：", 1)[-1]
        for line in output(proc).splitlines()
    ), describe(proc)


def test_chinese_identifying_columns_dropped_on_request(tmp_path, fresh_copy, main_baseline):
    t = main_tables()
    for i, r in enumerate(t["respondents"]):
        r["姓名"] = f"王{i}"
        r["手机号"] = f"1581234{i:04d}"
        r["家庭住址"] = f"英雄南路{i}号"
    folder = write_dataset(tmp_path / "with-names", t)
    proc = import_dataset(folder, fresh_copy, "--drop-identifying")
    assert proc.returncode == 0, describe(proc)
    after = report_proc(fresh_copy, "district", "--min-n", "1")
    assert after.stdout == main_baseline
    stored = b"".join(p.read_bytes() for p in fresh_copy.parent.rglob("*") if p.is_file())
    for secret in ("15812340003", "英雄南路3号", "王3"):
        assert secret.encode() not in stored, secret


def test_column_of_mobile_numbers_refused_whatever_its_header(bad):
    t = main_tables()
    numbers = mobiles(len(t["respondents"]))
    for r, number in zip(t["respondents"], numbers, strict=True):
        r["contact"] = number
    t["respondents"][0]["contact"] = ""  # the first seen is on row 3
    proc = bad(t)
    masked = numbers[1][:3] + "****" + numbers[1][-4:]
    names(proc, "respondents.csv", "contact", row_of(1), masked)
    assert re.search(r"mobile|phone", flat(proc)), describe(proc)
    assert not any(n in output(proc) for n in numbers), "a whole phone number was echoed"


def test_column_of_id_numbers_refused_whatever_its_header(bad):
    t = main_tables()
    ids = resident_ids(len(t["respondents"]))
    for r, number in zip(t["respondents"], ids, strict=True):
        r["证件"] = number
    proc = bad(t, lang="zh")
    masked = ids[0][:4] + "*" * 10 + ids[0][-4:]
    assert any(
        "respondents.csv" in line and "第 2 行" in line and "证件" in line and masked in line
        for line in output(proc).splitlines()
    ), describe(proc)
    assert "身份证" in flat(proc), describe(proc)
    assert not any(n in output(proc) for n in ids), "a whole ID number was echoed"


def test_id_numbers_as_respondent_codes_refused_even_when_dropping(bad):
    t = main_tables()
    ids = dict(zip([r["respondent_id"] for r in t["respondents"]], resident_ids(11), strict=True))
    for r in t["respondents"]:
        r["respondent_id"] = ids[r["respondent_id"]]
    for r in t["needs"]:
        r["respondent_id"] = ids[r["respondent_id"]]
    proc = bad(t, "--drop-identifying")
    first = ids["r01"]
    names(proc, "respondents.csv", "respondent_id", row_of(0), first[:4] + "*" * 10 + first[-4:])
    names(proc, "needs.csv", "respondent_id")
    assert "survey code" in flat(proc), describe(proc)
    assert not any(n in output(proc) for n in ids.values())


def test_phone_numbers_as_recipient_keys_refused(bad):
    t = main_tables()
    numbers = mobiles(len(t["deliveries"]))
    for r, number in zip(t["deliveries"], numbers, strict=True):
        r["recipient_key"] = number
    names(bad(t), "deliveries.csv", "recipient_key", row_of(0), numbers[0][:3] + "****")


def test_phone_numbers_as_recipient_keys_dropped_on_request(tmp_path, fresh_copy, main_baseline):
    t = main_tables()
    numbers = mobiles(len(t["deliveries"]))
    for r, number in zip(t["deliveries"], numbers, strict=True):
        r["recipient_key"] = number
    folder = write_dataset(tmp_path / "phones", t)
    proc = import_dataset(folder, fresh_copy, "--drop-identifying")
    assert proc.returncode == 0, describe(proc)
    assert report_proc(fresh_copy, "district", "--min-n", "1").stdout == main_baseline
    stored = b"".join(p.read_bytes() for p in fresh_copy.parent.rglob("*") if p.is_file())
    assert numbers[3].encode() not in stored


def test_a_few_number_like_cells_in_a_free_text_column_are_not_a_phone_column(tmp_path, fresh_copy):
    # one of 11 notes happens to be 11 digits starting with 1: below the 20% share, imported
    t = main_tables()
    for i, r in enumerate(t["respondents"]):
        r["notes"] = f"第{i}次回访"
    t["respondents"][4]["notes"] = "13000000000"
    folder = write_dataset(tmp_path / "notes", t)
    proc = import_dataset(folder, fresh_copy)
    assert proc.returncode == 0, describe(proc)


# --------------------------------------------------------------------------------------------------
# names: length and control characters
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "index", "column"),
    [
        ("regions", 8, "name"),
        ("regions", 2, "name_en"),
        ("services", 1, "name"),
        ("services", 3, "name_en"),
        ("stations", 1, "name"),
    ],
)
def test_name_longer_than_200_characters_refused(bad, table, index, column):
    t = main_tables()
    t[table][index][column] = "网" * 201
    proc = bad(t)
    names(proc, f"{table}.csv", column, row_of(index))
    assert "201" in flat(proc) and "200" in flat(proc), describe(proc)


def test_twenty_thousand_character_grid_name_refused_briefly(bad):
    t = main_tables()
    by_id(t["regions"], "region_id", G1)["name"] = "太行" * 10_000  # index 8
    proc = bad(t, lang="zh")
    assert "regions.csv" in flat(proc) and "第 10 行" in flat(proc), describe(proc)
    assert "20000" in flat(proc), describe(proc)
    assert len(output(proc)) < 2_000


def test_name_of_exactly_200_characters_accepted(tmp_path, fresh_copy):
    t = main_tables()
    by_id(t["regions"], "region_id", G1)["name"] = "网" * 200
    proc = import_dataset(write_dataset(tmp_path / "long", t), fresh_copy)
    assert proc.returncode == 0, describe(proc)


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "shown"),
    [
        ("regions", 9, "name", "太行\t二网格", "U+0009"),
        ("regions", 3, "name_en", "Tunliu\nDistrict", "U+000A"),
        ("services", 0, "name", "疾病\u202e知识", "U+202E"),
        ("stations", 2, "name", "潞城\x07卫生站", "U+0007"),
    ],
)
def test_control_character_in_a_name_refused(bad, table, index, column, value, shown):
    t = main_tables()
    t[table][index][column] = value
    proc = bad(t)
    names(proc, f"{table}.csv", column, row_of(index), shown)
    assert "control character" in flat(proc), describe(proc)


# --------------------------------------------------------------------------------------------------
# encodings
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file_named_as_such(bad, tmp_path, encoding):
    t = main_tables()
    folder = write_dataset(tmp_path / "utf16", {"respondents": t["respondents"]})
    content = (folder / "respondents.csv").read_text(encoding="utf-8").encode(encoding)
    t["respondents"] = None
    proc = bad(t, files={"respondents.csv": content})
    names(proc, "respondents.csv")
    assert "UTF-16" in flat(proc) and "save as UTF-8 or GBK" in flat(proc), describe(proc)
    proc = bad(t, files={"respondents.csv": content}, lang="zh")
    assert "UTF-16" in flat(proc) and "请另存为 UTF-8 或 GBK" in flat(proc), describe(proc)


def test_gbk_file_with_bad_bytes_names_the_row(bad, tmp_path):
    t = main_tables()
    t["respondents"][6]["occupation"] = "退休工人MARK"  # r07: row 8, a multi-byte cell first
    folder = write_dataset(tmp_path / "gbk", {"respondents": t["respondents"]}, encoding="gbk")
    content = (folder / "respondents.csv").read_bytes().replace(b"MARK", b"\x80\xff")
    t["respondents"] = None
    proc = bad(t, files={"respondents.csv": content})
    names(proc, "respondents.csv", None, row_of(6))
    assert "GBK" in flat(proc), describe(proc)


# --------------------------------------------------------------------------------------------------
# GeoJSON: nesting and self-intersecting polygons
# --------------------------------------------------------------------------------------------------


def test_deeply_nested_geojson_refused_without_a_traceback(bad):
    t = main_tables()
    t["boundaries"] = None
    deep = b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    proc = bad(t, files={"boundaries.geojson": deep})
    names(proc, "boundaries.geojson")
    assert "nested" in flat(proc), describe(proc)
    assert "Traceback" not in output(proc) and "RecursionError" not in output(proc)


def test_self_intersecting_boundary_repaired_with_a_note(tmp_path, fresh_copy):
    t = main_tables()
    bow = [[113.1, 36.0], [113.2, 36.1], [113.2, 36.0], [113.1, 36.1], [113.1, 36.0]]
    t["boundaries"]["features"][1]["geometry"] = {"type": "Polygon", "coordinates": [bow]}  # D2
    proc = import_dataset(write_dataset(tmp_path / "bow", t), fresh_copy)
    assert proc.returncode == 0, describe(proc)
    assert any(
        "boundaries.geojson" in line and "feature 2" in line and D2 in line and "repaired" in line
        for line in output(proc).splitlines()
    ), describe(proc)
