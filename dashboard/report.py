"""Write report frames as CSV or JSON exactly as the contract prints them, and the cells of
any table a spreadsheet opens (the report's CSV, the dashboard's CSV and Excel downloads).

Rates at full precision (shortest round-trip form), missing values empty in CSV and null in JSON,
booleans as true/false.

Names come from the dataset, so a text cell is never handed to a spreadsheet as a formula (OWASP,
"CSV injection"): in CSV a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a leading single quote; in Excel every text cell is written as a string cell (openpyxl would
otherwise store a text starting with "=" as a formula), and those same cells carry Excel's own
quote prefix, so editing one keeps it text. Numbers stay numbers: a gap of -3.5 is written as a
number, not as text.

Counts the disclosure gate withheld (missing in a count column) are written "<k" — the text `<10`
in CSV and Excel, the string "<10" in JSON — never empty (which would read as "no data") and
never a value: `withheld_as_text` before writing. Published counts are whole numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable

import pandas as pd
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import disclosure

#: How a spreadsheet recognises a formula (or DDE command) at the start of a cell (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A frame cell as a plain Python value, NaN/NA as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


#: Every count column a gated frame can carry (the counts of every rule set of the gate): where
#: one is missing, the gate withheld it.
COUNT_COLUMNS = tuple(
    dict.fromkeys(
        [
            *(
                column
                for rules in vars(disclosure).values()
                if isinstance(rules, disclosure.Rules)
                for column in rules.counts
            ),
            *disclosure.RENAMED_COUNTS,
        ]
    )
)


def withheld_as_text(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """A copy of a gated frame for a file: each count column holds whole numbers, and "<k" where
    the gate withheld the count (`k`: the floor the frame was gated with, raised to the
    deployment's as the gate raises it)."""
    k = disclosure.effective_k(k)
    out = frame.copy()
    for column in (c for c in COUNT_COLUMNS if c in out):
        out[column] = pd.Series(
            [f"<{k}" if pd.isna(v) else int(v) for v in out[column]],
            index=out.index,
            dtype=object,
        )
    return out


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {col: _cell(v) for col, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def to_json(frame: pd.DataFrame) -> str:
    return json.dumps(records(frame), ensure_ascii=False, indent=1, allow_nan=False)


def is_formula_like(value: object) -> bool:
    """Whether `value` is text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value: object) -> object:
    """A cell for CSV: text that starts like a formula gets a leading single quote (OWASP);
    numbers, booleans and missing values are returned as they are."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def write_rows(
    sheet: Worksheet, rows: Iterable[Iterable[object]], *, start: int = 1, bold: bool = False
) -> int:
    """Write `rows` into an openpyxl sheet from row `start`; returns the next free row.

    Text is always a string cell (never a formula), with Excel's quote prefix when it starts
    like a formula; numbers, booleans and dates keep their type; missing values stay empty.
    """
    r = start - 1
    for r, row in enumerate(rows, start=start):
        for c, raw in enumerate(row, start=1):
            value = _cell(raw)
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c)
            if not isinstance(value, str):
                try:
                    cell.value = value  # numbers, booleans, dates: openpyxl keeps their type
                except (TypeError, ValueError):
                    value = str(value)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
                cell.quotePrefix = is_formula_like(value)
            if bold:
                cell.font = Font(bold=True)
    return r + 1


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return str(neutralise(value))
    return str(value)


def csv_lines(rows: Iterable[Iterable[object]]) -> str:
    """CSV text, one line per row ending in "\n"; a field holding "\r" or "\n" is quoted.

    (Python before 3.13 quotes only the characters of the line terminator, so a carriage return
    in a name would split the row for a reader: each row is written with "\r\n" and ended with
    "\n" instead.)
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    out = io.StringIO()
    for row in rows:
        writer.writerow(row)
        out.write(buffer.getvalue()[:-2] + "\n")
        buffer.seek(0)
        buffer.truncate()
    return out.getvalue()


def to_csv(frame: pd.DataFrame) -> str:
    header = [str(neutralise(c)) for c in frame.columns]
    return csv_lines([header, *([_csv_text(v) for v in row.values()] for row in records(frame))])
