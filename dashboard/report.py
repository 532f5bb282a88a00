"""Write report frames as CSV or JSON exactly as the contract prints them.

Rates at full precision (shortest round-trip form), missing values empty in CSV and null in JSON,
booleans as true/false.
"""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd


def _cell(value: object) -> object:
    """A frame cell as a plain Python value, NaN/NA as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {col: _cell(v) for col, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def to_json(frame: pd.DataFrame) -> str:
    return json.dumps(records(frame), ensure_ascii=False, indent=1, allow_nan=False)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in records(frame):
        writer.writerow([_csv_text(v) for v in row.values()])
    return out.getvalue()
