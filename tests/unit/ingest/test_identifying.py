"""Identifying columns: headers in any spelling, and values that look like ID or mobile numbers."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.ingest.identifying import mask, value_findings
from dashboard.ingest.schema import DELIVERIES, RESPONDENTS, STATIONS, identifying_kind


def resident_id(seventeen: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return (
        seventeen
        + "10X98765432"[sum(int(d) * w for d, w in zip(seventeen, weights, strict=True)) % 11]
    )


def phones(count: int) -> list[str]:
    prefixes = ("139", "158", "186", "135", "177", "152", "188", "131", "199", "147", "166")
    return [
        f"{prefixes[i % 11]}{(i * 7919) % 10_000:04d}{i * 37 % 10_000:04d}" for i in range(count)
    ]


def findings(table, columns: dict[str, list[str | None]]):
    con = duckdb.connect()
    n = len(next(iter(columns.values())))
    con.execute(
        "CREATE TABLE t AS SELECT range + 2 AS _row FROM range(?)",
        [n],
    )
    for name, values in columns.items():
        con.execute(f'ALTER TABLE t ADD COLUMN "{name}" VARCHAR')
        for i, v in enumerate(values):
            con.execute(f'UPDATE t SET "{name}" = ? WHERE _row = ?', [v, i + 2])
    return {f.column: f for f in value_findings(con, table, "t", list(columns), set())}


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Ｎａｍｅ", "name"),
        (" NAME ", "name"),
        ("名字", "name"),
        ("ＩＤ＿ＣＡＲＤ", "id_number"),
        ("身份证号码", "id_number"),
        ("Phone Number", "phone"),
        ("手机号", "phone"),
        ("联系电话", "phone"),
        ("家庭住址", "address"),
        ("name_en", None),
        ("region_id", None),
        ("telephone_exchange", None),
    ],
)
def test_headers_match_after_nfkc_and_case_folding(header, kind):
    assert identifying_kind(header) == kind


def test_the_check_digit_and_birth_date_decide_what_is_an_id_number():
    good = resident_id("14040219500101123")
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    no_such_date = resident_id("14040219500230123")  # 30 February
    found = findings(
        RESPONDENTS,
        {
            "good": [good] * 5,
            "wrong_check": [wrong_check] * 5,
            "no_such_date": [no_such_date] * 5,
            "spaced": ["1404 0219 5001 0112 3" + good[-1]] * 5,
        },
    )
    assert set(found) == {"good", "spaced"}
    assert found["good"].kind == "id_number" and found["good"].row == 2
    assert found["good"].value == good[:4] + "*" * 10 + good[-4:]


def test_share_of_matching_values_decides_for_ordinary_columns_and_keys():
    numbers = phones(10)
    one_in_five = [numbers[i] if i % 5 == 0 else f"note {i}" for i in range(10)]  # 20%
    one_in_ten = [numbers[0]] + [f"note {i}" for i in range(1, 10)]  # 10%
    found = findings(RESPONDENTS, {"contact": one_in_five, "notes": one_in_ten})
    assert set(found) == {"contact"}
    assert found["contact"].matched == 2 and found["contact"].checked == 10
    # a person key needs most values to match
    keys = [numbers[i] if i < 4 else f"p{i}" for i in range(10)]  # 40%
    assert findings(DELIVERIES, {"recipient_key": keys}) == {}
    keys = [numbers[i] if i < 5 else f"p{i}" for i in range(10)]  # 50%
    assert set(findings(DELIVERIES, {"recipient_key": keys})) == {"recipient_key"}


def test_a_code_scheme_that_looks_like_mobile_numbers_is_not_refused():
    # 11-digit respondent codes built from Changzhi's region code 1404: they match 1[3-9]\d{9}
    codes = [f"140402{i:05d}" for i in range(40)]
    assert findings(RESPONDENTS, {"respondent_id": codes}) == {}
    # 40 real mobile numbers spread over many prefixes are
    assert set(findings(RESPONDENTS, {"respondent_id": phones(40)})) == {"respondent_id"}
    # too few values to tell a code scheme from phones: refused (the safe side)
    assert set(findings(RESPONDENTS, {"respondent_id": codes[:10]})) == {"respondent_id"}


def test_reference_and_typed_columns_and_other_tables_are_not_checked():
    numbers = phones(10)
    assert findings(RESPONDENTS, {"region_id": numbers, "age": numbers}) == {}
    assert findings(STATIONS, {"phone_of_station": numbers}) == {}


def test_masks_hide_the_middle_digits():
    assert mask("13912345678") == "139****5678"
    assert mask("139 1234 5678") == "139****5678"
    assert mask("11010519491231002X") == "1101**********002X"
