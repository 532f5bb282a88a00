"""Downloads: the figures behind a chart, filters on top, suppression kept (no Dash)."""

from __future__ import annotations

import csv
import io
import zipfile

import duckdb
import openpyxl
import pandas as pd

from dashboard.i18n import t
from dashboard.views import downloads
from dashboard.views.state import from_query
from tests.conftest import download_frame


def test_csv_download_writes_filters_on_top_and_hides_suppressed_figures(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en&sex=F&min_n=5000")
    name, content = downloads.download(demo_con, "dumbbell", "csv", state)
    head, frame = download_frame(content)
    assert "Sex,Women" in head and "Minimum n" in head
    assert (frame["suppressed"] == "no").sum() == 0 and frame["demand_rate"].isna().all()
    assert name == "caregap-dumbbell.csv"


def test_downloads_round_for_people_and_carry_intervals_and_reliability(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _name, content = downloads.download(demo_con, "top_gaps", "csv", from_query("?lang=en"))
    head, frame = download_frame(content)
    for column in ("demand_rate_lo", "received_rate_hi", "gap_pp_lo", "reliability"):
        assert column in frame, column
    assert set(frame["reliability"]) <= {"reliable", "check", "unreliable"}
    shown = frame["demand_rate"].dropna()
    assert shown.between(0, 100).all() and shown.max() > 1  # percent, not a proportion
    assert (shown.round(1) == shown).all() and (frame["gap_pp"].round(1) == frame["gap_pp"]).all()
    exact = downloads.registry.frame(demo_con, "top_gaps", from_query("?lang=en"))
    assert frame["gap_pp"].iloc[0] == round(exact["gap_pp"].iloc[0], 1)
    assert head.startswith("Filters")


def test_a_chinese_download_has_chinese_headers_and_words(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _name, content = downloads.download(demo_con, "top_gaps", "csv", from_query("?lang=zh"))
    head, frame = download_frame(content, "zh")
    text = content.decode("utf-8-sig")
    assert "需要率 (%)" in text and "可靠程度（NCHS 标准）" in text
    assert not any(c in text.partition("\n\n")[2].splitlines()[0] for c in ("gap_pp", "demand"))
    assert set(frame["reliability"]) <= {"可靠", "需核查", "不可靠"}
    assert head.startswith(t("ui.filters_header", "zh"))


def test_every_downloaded_column_has_a_header_in_both_languages(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    station = demo_con.execute("SELECT min(station_id) FROM stations").fetchone()[0]
    states = ("?lang=en", f"?lang=en&station={station}", "?lang=en&district=140425")
    for query in states:
        for chart in downloads.registry.BY_NAME:
            frame = downloads.registry.frame(demo_con, chart, from_query(query))
            for column in frame.columns:
                for lang in ("en", "zh"):
                    assert downloads.column_header(column, lang), (query, chart, column)


def test_excel_download_opens_with_filters_then_the_table(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _name, content = downloads.download(demo_con, "top_gaps", "xlsx", from_query("?lang=zh"))
    sheet = pd.read_excel(io.BytesIO(content), header=None)
    assert sheet.iloc[0, 0] == "地区"
    assert "缺口（需要 − 已获得，百分点）" in list(sheet.iloc[8])


HOSTILE = [
    '=HYPERLINK("https://evil.example/","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
]


def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_name": [*HOSTILE, "长治市"],
            "gap_pp": [-3.5, 2.0, -0.25, 0.0, 1.0, -7.0, 12.5],
            "respondents_n": [10, 11, 12, 13, 14, 15, 16],
            "suppressed": [False] * 6 + [True],
        }
    )


def test_csv_cells_that_start_like_a_formula_are_quoted_and_numbers_stay_numbers() -> None:
    header = [("Region", "=cmd|' /C calc'!A0"), ("Sex", "Women")]
    text = downloads.to_csv_bytes(_hostile_frame(), header).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["Region", "'=cmd|' /C calc'!A0"]
    table = rows[rows.index(["region_name", "gap_pp", "respondents_n", "suppressed"]) + 1 :]
    assert [r[0] for r in table] == ["'" + h for h in HOSTILE] + ["长治市"]
    assert [r[1] for r in table][:3] == ["-3.5", "2.0", "-0.25"]  # numbers, unquoted
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        if cell.startswith("-"):
            float(cell)  # only a number may start with a minus


def test_excel_never_receives_a_formula_and_keeps_numbers_as_numbers() -> None:
    header = [("Region", "=1+1"), ("Sex", "Women")]
    content = downloads.to_xlsx_bytes(_hostile_frame(), header)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert sheet["B1"].value == "=1+1" and sheet["B1"].data_type == "s"
    assert sheet["B1"].quotePrefix  # Excel's own "text, not a formula" mark
    names = [sheet.cell(row=r, column=1).value for r in range(5, 5 + len(HOSTILE))]
    assert names == HOSTILE
    assert sheet["B5"].value == -3.5 and sheet["B5"].data_type == "n"
    assert sheet["D11"].value is True
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        xml = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml and "<f " not in xml


def test_every_chart_downloads_as_excel(demo_con: duckdb.DuckDBPyConnection) -> None:
    from dashboard.views import registry

    for chart in registry.BY_NAME:
        _name, content = downloads.download(demo_con, chart, "xlsx", from_query("?lang=en"))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet["A1"].value == t("ui.region", "en"), chart


def test_the_monthly_trend_downloads_its_months_with_the_filters_on_top(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en&start=2008-01-01&end=2008-03-31&breakdown=service")
    name, content = downloads.download(demo_con, "trend", "csv", state)
    head, frame = download_frame(content)
    assert "Delivery period,2008-01-01 – 2008-03-31" in head
    assert name == "caregap-trend.csv"
    assert sorted(frame["month"].unique()) == ["2008-01-01", "2008-02-01", "2008-03-01"]
    assert frame["item_code"].nunique() == 12 and "item_name" in frame
    _name, book = downloads.download(demo_con, "trend", "xlsx", state)
    sheet = pd.read_excel(io.BytesIO(book), header=None)
    assert "Deliveries" in list(sheet.iloc[8])


def test_no_two_columns_share_a_header() -> None:
    from dashboard.i18n import CATALOGUE

    for lang in ("en", "zh"):
        headers = [downloads.column_header(c, lang) for c in CATALOGUE["headers"]]
        assert len(headers) == len(set(headers)), lang


def test_the_area_on_top_of_a_download_is_named_in_its_language(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    for lang, city in (("en", "Changzhi"), ("zh", "长治市")):
        _name, content = downloads.download(
            demo_con, "dumbbell", "csv", from_query(f"?lang={lang}")
        )
        head, _frame = download_frame(content)
        assert f"{t('ui.region', lang)},{city}" in head
