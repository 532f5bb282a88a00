"""Downloads of the figures behind a chart, as CSV or Excel, with the filters written on top.

The frame is the chart's own (dashboard.views.registry), so a download can never show what the
screen hides: suppressed figures are already missing in it, and a count the gate withheld is
written `<k` (dashboard.report.withheld_as_text), as the screen says it. The app sends these
bytes; a script or an API can serve the same.

Names in the frame and the filters come from the dataset: no cell reaches the spreadsheet as a
formula (dashboard.report.neutralise for CSV, dashboard.report.write_rows for Excel).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import duckdb
import pandas as pd
from openpyxl import Workbook

from dashboard import scope
from dashboard.i18n import t
from dashboard.report import csv_lines, neutralise, records, withheld_as_text, write_rows
from dashboard.views import access, areas, counts, registry, words
from dashboard.views.state import ViewState

FORMATS = ("csv", "xlsx")
#: Proportions a person reads as percentages (written ×100, header "… (%)").
PERCENT = re.compile(r"(_rate(_lo|_hi)?|_share|^share(_\d)?|^(target_)?progress)$")
#: Decimals a person needs, by column (raw precision stays in `caregap report` and the API).
DECIMALS = {"p": 4, "term_p": 4}
PERCENT_DECIMALS = 1
POINTS_DECIMALS = 1
OTHER_DECIMALS = 3


def filter_lines(state: ViewState, region_name: str) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) rows for the top of a download."""
    lang = state.lang
    return [
        (t("ui.region", lang), region_name),
        (t("ui.period", lang), f"{state.start or '…'} – {state.end or '…'}"),
        (t("ui.age_group", lang), state.age or t("ui.all", lang)),
        (t("ui.sex", lang), t(f"ui.sex_{state.sex}", lang) if state.sex else t("ui.all", lang)),
        (t("ui.threshold", lang), str(state.threshold)),
        (t("ui.min_n", lang), str(state.min_n)),
        (t("ui.generated", lang), dt.datetime.now().isoformat(timespec="seconds")),
    ]


def for_people(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame as a person reads it: rates and shares in percent to one decimal, points and
    rates per 1,000 to one, other figures to three (p values to four), reliability and yes/no
    in words, headers in `lang` (dashboard/i18n/headers.toml)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if column == "reliability" or column.endswith("_reliability"):
            out[column] = values.map(
                lambda f: t(f"ui.reliability_{f}", lang) if isinstance(f, str) and f else None
            )
        elif values.dtype == bool:
            out[column] = values.map(lambda v: t("ui.yes" if v else "ui.no", lang))
        elif pd.api.types.is_float_dtype(values):
            out[column] = _rounded(column, values)
    return out.rename(columns={c: column_header(c, lang) for c in out.columns})


def _rounded(column: str, values: pd.Series) -> pd.Series:
    if PERCENT.search(column):
        return (100 * values).round(PERCENT_DECIMALS)
    if column.endswith(("_pp", "_pp_lo", "_pp_hi", "_per_1000")):
        return values.round(POINTS_DECIMALS)
    return values.round(DECIMALS.get(column, OTHER_DECIMALS))


def column_header(column: str, lang: str) -> str:
    """A column's header in `lang`, "(%)" added where the values are written in percent."""
    text = t(f"headers.{column}", lang)
    return f"{text} (%)" if PERCENT.search(column) else text


def to_csv_bytes(frame: pd.DataFrame, header: list[tuple[str, str]], lang: str = "en") -> bytes:
    """UTF-8 with BOM so that Excel opens Chinese text correctly."""
    rows = [
        [t("ui.filters_header", lang)],
        *([neutralise(label), neutralise(value)] for label, value in header),
        [],
        [neutralise(c) for c in frame.columns],
        *(["" if v is None else neutralise(v) for v in row.values()] for row in records(frame)),
    ]
    return ("\ufeff" + csv_lines(rows)).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, header: list[tuple[str, str]]) -> bytes:
    """One sheet: the filters, a blank row, the table (bold column names). Every text is a
    string cell, so no name from the data is ever stored as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    row = write_rows(sheet, header)
    row = write_rows(sheet, [list(frame.columns)], start=row + 1, bold=True)
    write_rows(sheet, (r.values() for r in records(frame)), start=row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(
    con: duckdb.DuckDBPyConnection, chart: str, fmt: str, state: ViewState
) -> tuple[str, bytes]:
    """(file name, content) of the figures behind `chart` for `state`, filters on top — for a
    caller who may download tables and open the chart's view (dashboard.scope)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    scope.require_downloads(con)
    access.check(con, registry.BY_NAME[chart][0], state)
    frame = withheld_as_text(registry.frame(con, chart, state), counts.k_of(state))
    if "item_code" in frame:
        names = words.item_names(con, state.lang)
        frame = frame.assign(item_name=frame["item_code"].map(lambda c: names.get(c, c)))
    frame = for_people(frame, state.lang)
    header = filter_lines(state, areas.selected(con, state.region, state.lang).name)
    content = (
        to_csv_bytes(frame, header, state.lang) if fmt == "csv" else to_xlsx_bytes(frame, header)
    )
    return f"caregap-{chart}.{fmt}", content
