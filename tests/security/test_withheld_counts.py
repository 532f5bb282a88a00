"""No count below k leaves the server (issue 11, part 2): every n a view, a slide, a download or a
report shows is 0, at least k, or "<k" — never 1…k−1 — and a suppressed group's label has no n.

Each test renders everything one consumer returns for a small slice of the demo (a grid × age ×
sex cell of 1…9 respondents) at the default floor (10) and reads it as the viewer would: the
figures' JSON strings, texts, table rows, download bytes, the report's CSV and JSON.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from dashboard import data
from dashboard.briefing.meta import deck_meta
from dashboard.briefing.slides import build_sequence
from dashboard.i18n import t
from dashboard.report import COUNT_COLUMNS
from dashboard.views import areas, downloads, groups, overview, quality, registry
from dashboard.views import map as map_view
from dashboard.views.state import ViewState, from_query
from tests.security.conftest import run_report

FLOOR = 10
WITHHELD = f"<{FLOOR}"
#: "n=3", "n = 7", "n=9)" …: a count below the floor said as a value (not "n = 12", "n = 1,234").
SMALL_N = re.compile(r"\bn\s*=\s*[1-9](?![\d,.])")


def _strings(value: object) -> Iterator[str]:
    """Every text in what a consumer returns: figures (their JSON), dataclasses, containers."""
    if isinstance(value, go.Figure):
        yield from _strings(json.loads(value.to_json()))
    elif isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _said(value: object) -> str:
    return "\n".join(_strings(value))


def _no_small_n(text: str) -> None:
    found = sorted({m.group(0) for m in SMALL_N.finditer(text)})
    assert not found, found


def _small_count(cell: object) -> bool:
    """A count cell holding 1…k−1 (as a number or as its text)."""
    if cell is None or isinstance(cell, bool):
        return False
    try:
        value = float(str(cell).replace(",", ""))
    except ValueError:
        return False  # "<10", "", a name
    return 0 < value < FLOOR


def _count_headers() -> set[str]:
    """A count column's names in a file: as the report writes them, and as a download's headers
    say them in either language (dashboard.views.downloads.column_header)."""
    from dashboard.i18n import CATALOGUE
    from dashboard.views.downloads import column_header

    people = {
        column_header(c, lang)
        for c in FILE_COUNTS
        if c in CATALOGUE["headers"]
        for lang in ("en", "zh")
    }
    return set(FILE_COUNTS) | people


def _count_cells(rows: list[list[object]]) -> list[object]:
    """The cells of count columns of a table whose header is the first row naming one."""
    names = _count_headers()
    for i, row in enumerate(rows):
        columns = [j for j, name in enumerate(row) if name in names]
        if columns:
            return [r[j] for r in rows[i + 1 :] for j in columns if j < len(r)]
    return []


#: The study tables' count columns on screen, by their header.
COUNT_HEADERS = ("respondents_n", "col_need_n", "col_answered", "col_received_n")
#: Count columns of a file: every count the gate's rules name, and T3's receivers_n.
FILE_COUNTS = (*COUNT_COLUMNS, "receivers_n")


def _state(small_cell: str, lang: str) -> ViewState:
    return from_query(small_cell.replace("lang=en", f"lang={lang}"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_overview_of_a_small_slice_shows_no_count_below_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str, lang: str
) -> None:
    text = _said(overview.overview(demo_con, _state(small_cell, lang)))
    _no_small_n(text)
    respondents = overview.overview(demo_con, _state(small_cell, lang)).cards[0]
    assert respondents.value == WITHHELD  # 1…9 respondents: "<10", not their number


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_map_of_a_small_slice_shows_no_count_below_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str, lang: str
) -> None:
    state = _state(small_cell, lang)
    drilled = state.with_(district=areas.district_of(demo_con, state.region))
    said = [
        map_view.map_view(demo_con, drilled),
        map_view.map_view(demo_con, drilled, shown=map_view.geometry_of(drilled.district)),
        map_view.map_view(demo_con, state.with_(district=None)),
        map_view.table_rows(demo_con, drilled),
        map_view.side_panel(demo_con, drilled),
    ]
    text = _said(said)
    _no_small_n(text)
    rows = map_view.table_rows(demo_con, drilled)
    assert not [r for r in rows if _small_count(r[3])], rows
    assert any(r[3] == WITHHELD for r in rows)
    assert "n < 10" in text  # the grey areas' hover


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_groups_of_a_small_slice_show_no_count_below_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str, lang: str
) -> None:
    state = _state(small_cell, lang)
    for dimension in data.group_dimensions(demo_con):
        _no_small_n(_said(groups.groups(demo_con, state.with_(dimension=dimension))))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_quality_view_of_a_small_slice_shows_no_count_below_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str, lang: str
) -> None:
    state = _state(small_cell, lang)
    shown = quality.quality(demo_con, state)
    text = _said([shown, [tb.caption for tb in quality.study_tables(demo_con, state)]])
    _no_small_n(text)
    headers = {t(f"ui.{key}", lang) for key in COUNT_HEADERS}
    for name, table in shown.tables.items():
        if table is None:
            continue
        columns = [j for j, label in enumerate(table.header) if label in headers]
        cells = [row[j] for row in table.rows for j in columns]
        assert not [c for c in cells if _small_count(c)], name
    assert WITHHELD in text


def test_the_briefing_of_a_small_slice_shows_no_count_below_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str
) -> None:
    state = _state(small_cell, "en")
    slides, skipped = build_sequence(demo_con, state, "en")
    text = _said([slides, skipped, deck_meta(demo_con, state, "en", skipped)])
    _no_small_n(text)
    assert all(pd.isna(s.n) or s.n == 0 or s.n >= FLOOR for s in slides)
    assert WITHHELD in text


def _csv_rows(content: bytes) -> list[list[object]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "chart",
    [name for name in sorted(registry.BY_NAME)],
)
def test_no_download_of_a_small_slice_holds_a_count_below_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str, chart: str
) -> None:
    state = _state(small_cell, "en")
    for fmt, rows_of in (("csv", _csv_rows), ("xlsx", _xlsx_rows)):
        _name, content = downloads.download(demo_con, chart, fmt, state)
        cells = _count_cells(rows_of(content))
        assert not [c for c in cells if _small_count(c)], (chart, fmt)
        assert all(
            c is None or c == "" or isinstance(c, int | float) or c == WITHHELD or str(c).isdigit()
            for c in cells
        ), (chart, fmt)


def test_a_download_writes_a_withheld_count_as_less_than_k(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str
) -> None:
    state = _state(small_cell, "en")
    for fmt, rows_of in (("csv", _csv_rows), ("xlsx", _xlsx_rows)):
        _name, content = downloads.download(demo_con, "dumbbell", fmt, state)
        assert WITHHELD in _count_cells(rows_of(content)), fmt


def _report(db: Path, *args: str) -> str:
    proc = run_report(db, *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("command", ["gaps", "unmet"])
def test_the_grid_reports_print_no_count_below_k(demo_db: Path, command: str) -> None:
    args = (command, "--level", "grid", "--age", "80+", "--sex", "M")
    rows = _csv_rows(_report(demo_db, *args).encode())
    cells = _count_cells(rows)
    assert cells and not [c for c in cells if _small_count(c)]
    assert WITHHELD in cells  # a withheld count prints <10 in CSV
    printed = json.loads(_report(demo_db, *args, "--format", "json"))
    counts = [r[c] for r in printed for c in COUNT_COLUMNS if c in r]
    assert not [c for c in counts if _small_count(c)]
    assert WITHHELD in counts  # and the string "<10" in JSON
    assert all(c == WITHHELD or (isinstance(c, int) and not isinstance(c, bool)) for c in counts)


def test_a_suppressed_groups_label_carries_no_n(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str
) -> None:
    state = _state(small_cell, "en").with_(dimension="psych_problem")
    frame = groups.groups_frame(demo_con, state)
    rows = groups.group_rows(demo_con, state, frame)
    assert rows["suppressed"].any()
    figure = groups.dumbbell_figure(demo_con, state, frame)
    labels = [label for trace in figure.data[1:] for label in trace.y[1]]
    suppressed = [label for label in labels if t("ui.suppressed", "en") in label]
    assert suppressed
    for label in suppressed:
        assert label.endswith(f"({t('ui.suppressed', 'en')})") and "n=" not in label, label
        assert "n<" not in label
