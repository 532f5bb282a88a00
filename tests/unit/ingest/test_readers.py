"""Readers: every accepted encoding and format stages to the same text table, with row numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook

from dashboard.ingest.problems import DatasetRefused
from dashboard.ingest.readers import SourceFile, detect_encoding, find_table_files, stage

ROWS = [["r1", "平顺县", "男", "65"], ["r2", "沁县", "女", ""]]
HEADER = [" Respondent_ID ", "Region_ID", "SEX", "age"]


def _csv_text() -> str:
    return "\n".join(",".join(r) for r in [HEADER, *ROWS]) + "\n"


def _stage(path: Path, tmp_path: Path) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect()
    src = SourceFile("respondents", path, path.suffix.lstrip("."), path.stat().st_size)
    columns = stage(con, src, "t", tmp_path)
    return columns, con.execute("SELECT * FROM t ORDER BY _row").fetchall()


EXPECTED_COLUMNS = ["respondent_id", "region_id", "sex", "age"]
EXPECTED_ROWS = [(2, "r1", "平顺县", "男", "65"), (3, "r2", "沁县", "女", None)]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"], ids=["utf8", "bom", "gbk", "gb18030"]
)
def test_csv_in_every_accepted_encoding_stages_the_same_rows(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "respondents.csv"
    path.write_bytes(_csv_text().encode(encoding))
    columns, rows = _stage(path, tmp_path)
    assert columns == EXPECTED_COLUMNS
    assert rows == EXPECTED_ROWS


def test_gbk_file_is_detected_as_gb18030_and_left_unmodified(tmp_path: Path) -> None:
    path = tmp_path / "respondents.csv"
    raw = _csv_text().encode("gbk")
    path.write_bytes(raw)
    assert detect_encoding(path) == "gb18030"
    _stage(path, tmp_path)
    assert path.read_bytes() == raw


def test_xlsx_first_sheet_stages_with_sheet_row_numbers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["r1", "平顺县", "男", 65])
    sheet.append([None, None, None, None])  # a blank row in the middle keeps later numbers true
    sheet.append(["r2", "沁县", "女", None])
    book.create_sheet("ignored").append(["x"])
    path = tmp_path / "respondents.xlsx"
    book.save(path)
    columns, rows = _stage(path, tmp_path)
    assert columns == EXPECTED_COLUMNS
    assert rows == [(2, "r1", "平顺县", "男", "65"), (4, "r2", "沁县", "女", None)]


def test_xlsx_dates_and_integral_floats_read_as_typed_text(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["delivered_on", "quantity"])
    book.active.append([dt.datetime(2009, 3, 5), 2.0])
    path = tmp_path / "deliveries.xlsx"
    book.save(path)
    con = duckdb.connect()
    stage(con, SourceFile("deliveries", path, "xlsx", path.stat().st_size), "t", tmp_path)
    assert con.execute("SELECT delivered_on, quantity FROM t").fetchall() == [("2009-03-05", "2")]


def test_parquet_stages_typed_columns_as_text_with_record_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Respondent_ID": ["r1", "r2"],
            "region_id": ["平顺县", "沁县"],
            "sex": ["男", "女"],
            "age": pd.array([65, None], dtype="Int64"),
        }
    )
    path = tmp_path / "respondents.parquet"
    frame.to_parquet(path)
    columns, rows = _stage(path, tmp_path)
    assert columns == EXPECTED_COLUMNS
    assert rows == [(1, "r1", "平顺县", "男", "65"), (2, "r2", "沁县", "女", None)]


def test_parquet_dates_stage_as_iso_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"delivered_on": pd.to_datetime(["2009-01-31", "2009-02-01"])})
    path = tmp_path / "deliveries.parquet"
    frame.to_parquet(path)
    con = duckdb.connect()
    stage(con, SourceFile("deliveries", path, "parquet", path.stat().st_size), "t", tmp_path)
    assert [r[0] for r in con.execute("SELECT delivered_on FROM t ORDER BY _row").fetchall()] == [
        "2009-01-31",
        "2009-02-01",
    ]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", "empty_file"),
        (bytes(range(256)) * 8, "binary_file"),
        (b"a,b\n\xff\xfe\xfa,1\n", "bad_encoding_row"),
        (b"a,b\n1,2,3\n", "malformed_csv"),
    ],
    ids=["empty", "binary", "undecodable", "ragged"],
)
def test_unreadable_csv_is_refused_with_the_file_named(
    tmp_path: Path, content: bytes, rule: str
) -> None:
    path = tmp_path / "respondents.csv"
    path.write_bytes(content)
    with pytest.raises(DatasetRefused) as refused:
        _stage(path, tmp_path)
    problem = refused.value.problems[0]
    assert problem.rule == rule
    assert problem.file == "respondents.csv"
    assert "respondents.csv" in problem.render("en")
    assert "respondents.csv" in problem.render("zh")


def test_repeated_header_names_are_refused_case_insensitively(tmp_path: Path) -> None:
    path = tmp_path / "respondents.csv"
    path.write_text("age,AGE \n1,2\n", encoding="utf-8")
    with pytest.raises(DatasetRefused) as refused:
        _stage(path, tmp_path)
    assert refused.value.problems[0].rule == "duplicate_column"
    assert refused.value.problems[0].column == "age"


def test_table_files_match_by_name_case_insensitively_and_two_formats_are_ambiguous(
    tmp_path: Path,
) -> None:
    (tmp_path / "Regions.CSV").write_text("x")
    (tmp_path / "services.csv").write_text("x")
    (tmp_path / "services.xlsx").write_text("x")
    (tmp_path / "notes.txt").write_text("ignored")
    files, problems = find_table_files(tmp_path)
    assert files["regions"].path.name == "Regions.CSV"
    rules = {(p.rule, p.params.get("table")) for p in problems}
    assert ("ambiguous_table", "services") in rules
    assert ("missing_table", "respondents") in rules
    assert ("missing_table", "stations") not in rules  # optional


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_with_or_without_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "respondents.csv"
    path.write_bytes(_csv_text().encode(encoding))
    with pytest.raises(DatasetRefused) as refused:
        detect_encoding(path)
    assert refused.value.problems[0].rule == "utf16_file"
    assert "请另存为 UTF-8 或 GBK" in refused.value.problems[0].render("zh")


def test_bad_bytes_are_named_by_their_row_counting_quoted_line_breaks(tmp_path: Path) -> None:
    text = (
        'id,note\nr1,"两行\n备注"\nr2,好\nr3,BAD\n'  # r3 is row 4: header 1, r1 (two lines) 2, r2 3
    )
    path = tmp_path / "respondents.csv"
    path.write_bytes(text.encode("gbk").replace(b"BAD", b"\x80\xff"))
    with pytest.raises(DatasetRefused) as refused:
        detect_encoding(path)
    problem = refused.value.problems[0]
    assert (problem.rule, problem.row, problem.params["encoding"]) == ("bad_encoding_row", 4, "GBK")
    path.write_bytes(text.encode("utf-8").replace(b"BAD", b"\xff"))
    with pytest.raises(DatasetRefused) as refused:
        detect_encoding(path)
    problem = refused.value.problems[0]
    assert (problem.row, problem.params["encoding"]) == (4, "UTF-8")
