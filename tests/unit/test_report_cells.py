"""`caregap report … --format csv`: a name that starts like a formula is text to a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from dashboard.report import csv_lines, neutralise, to_csv, to_json


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_name": ["=1+2", "+SUM(A1)", "-A1", "@x", "\tt", "\rr", "长治", "a,b\r\nc"],
            "gap_pp": [-3.5, 1.0, -0.25, 0.0, 2.0, 3.0, float("nan"), 4.0],
            "respondents_n": [10, 11, 12, 13, 14, 15, 16, 17],
            "suppressed": [False] * 7 + [True],
        }
    )


def test_report_csv_quotes_formula_like_text_and_keeps_numbers() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_frame()), newline="")))
    assert rows[0] == ["region_name", "gap_pp", "respondents_n", "suppressed"]
    assert [r[0] for r in rows[1:]] == [
        "'=1+2",
        "'+SUM(A1)",
        "'-A1",
        "'@x",
        "'\tt",
        "'\rr",
        "长治",
        "a,b\r\nc",
    ]
    assert [r[1] for r in rows[1:]] == ["-3.5", "1.0", "-0.25", "0.0", "2.0", "3.0", "", "4.0"]
    assert rows[-1][3] == "true"
    assert len(rows) == 9  # a carriage return inside a name does not split its row


def test_report_json_is_left_as_the_data_says() -> None:
    assert json.loads(to_json(_frame()))[0]["region_name"] == "=1+2"


def test_neutralise_touches_only_text() -> None:
    assert neutralise(-3.5) == -3.5 and neutralise(-2) == -2 and neutralise(None) is None
    assert neutralise("-3.5") == "'-3.5" and neutralise("a=b") == "a=b"
    assert csv_lines([["x", 1], []]) == "x,1\n\n"
