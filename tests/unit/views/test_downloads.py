"""Downloads: the figures behind a chart, filters on top, suppression kept (no Dash)."""

from __future__ import annotations

import io

import duckdb
import pandas as pd

from dashboard.views import downloads
from dashboard.views.state import from_query


def test_csv_download_writes_filters_on_top_and_hides_suppressed_figures(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en&sex=F&min_n=5000")
    name, content = downloads.download(demo_con, "dumbbell", "csv", state)
    text = content.decode("utf-8-sig")
    head, _, table = text.partition("\n\n")
    assert "Sex,Women" in head and "Minimum n" in head
    frame = pd.read_csv(io.StringIO(table))
    assert frame["suppressed"].all() and frame["demand_rate"].isna().all()
    assert name == "caregap-dumbbell.csv"


def test_excel_download_opens_with_filters_then_the_table(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _name, content = downloads.download(demo_con, "top_gaps", "xlsx", from_query("?lang=zh"))
    sheet = pd.read_excel(io.BytesIO(content), header=None)
    assert sheet.iloc[0, 0] == "地区"
    assert "gap_pp" in list(sheet.iloc[8])
