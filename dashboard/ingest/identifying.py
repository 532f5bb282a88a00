"""Columns that identify people, found by their header in any spelling or by their values.

A header is identifying when, trimmed, NFKC-normalised and case-folded, it is one of the spellings
in `schema.IDENTIFYING_SPELLINGS` (`name`, `姓名`, `身份证号`, `手机号`, `家庭住址`, ...).

A column is identifying by its values, whatever its header, when enough of its filled cells look
like a mainland resident ID number or a mainland mobile number (contract v1.1):

- a resident ID number: 17 digits and a digit or X (spaces and hyphens ignored), whose digits
  7-14 are a real birth date from 1900 to today and whose last character is the ISO 7064
  MOD 11-2 check digit of the first 17 (a random 18-digit code passes all three about once in a
  thousand);
- a mobile number: 1, then 3-9, then 9 more digits (spaces, hyphens and a leading +86 or
  0086 ignored).

"Enough" is at least 20% of the filled cells checked in an ordinary column, and at least 50% in
a contract column holding a person's key (`respondent_id`, `recipient_key`), where a code scheme
may happen to look like a number. Mobile-looking values are not counted as phones when there are
at least 20 of them and half or more share their first five digits: that is a code built from a
region code (Changzhi's start 1404...), not a set of phone numbers, which spread over many
prefixes. Columns that must name a region, service or station are not checked (their values are
checked against those tables), nor typed contract columns (numbers, dates, yes/no, codes). Large
tables are checked on a sample of `SAMPLE_ROWS` rows; the row shown is the first matching one.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dashboard.ingest.readers import quote_ident
from dashboard.ingest.schema import (
    PERSON_KEY_COLUMNS,
    PERSON_TABLES,
    REFERENCE_COLUMNS,
    Table,
    identifying_kind,
)

SAMPLE_ROWS = 200_000
SHARE_ORDINARY = 0.2
SHARE_KEY = 0.5
#: A code scheme: at least this many mobile-looking values, half sharing their first digits.
CODE_SCHEME_MIN = 20
CODE_SCHEME_PREFIX = 5
CODE_SCHEME_SHARE = 0.5

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class ValueFinding:
    """A column whose values look like ID or phone numbers, and the first row seen."""

    column: str
    kind: str  # "id_number" | "phone"
    matched: int
    checked: int
    row: int
    value: str


def header_findings(table: Table, columns: list[str]) -> list[tuple[str, str]]:
    """(column, kind) for every header that names an identifying column, in file order."""
    if table.name not in PERSON_TABLES:
        return []
    found = []
    for column in columns:
        kind = identifying_kind(column)
        if kind is not None:
            found.append((column, kind))
    return found


def _digits(c: str) -> str:
    return f"upper(regexp_replace({c}, '[\\s-]', '', 'g'))"


def id_number_sql(c: str) -> str:
    """SQL: the (quoted) column's value is a valid resident ID number."""
    v = _digits(c)
    total = " + ".join(
        f"TRY_CAST(substr({v}, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(_ID_WEIGHTS)
    )
    return (
        f"(CASE WHEN regexp_full_match({v}, '[1-9][0-9]{{16}}[0-9X]') THEN "
        f"coalesce(try_strptime(substr({v}, 7, 8), '%Y%m%d') "
        f"BETWEEN TIMESTAMP '1900-01-01' AND current_date::TIMESTAMP, false) "
        f"AND substr('{_ID_CHECK}', ({total}) % 11 + 1, 1) = substr({v}, 18, 1) "
        f"ELSE false END)"
    )


def _mobile_text(c: str) -> str:
    return f"regexp_replace({_digits(c)}, '^(\\+86|0086)', '')"


def mobile_sql(c: str) -> str:
    """SQL: the (quoted) column's value is a mainland mobile number."""
    return f"regexp_full_match({_mobile_text(c)}, '1[3-9][0-9]{{9}}')"


def candidate_columns(table: Table, columns: list[str], skip: set[str]) -> list[str]:
    """Columns whose values are checked: free text, person keys and the file's extra columns."""
    out = []
    for name in columns:
        if name in skip or name in REFERENCE_COLUMNS:
            continue
        col = table.column(name)
        if col is not None and col.kind not in ("text", "id"):
            continue
        out.append(name)
    return out


def value_findings(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    relation: str,
    columns: list[str],
    skip: set[str],
) -> list[ValueFinding]:
    """Columns of a person table whose values look like ID or mobile numbers (rules above)."""
    if table.name not in PERSON_TABLES:
        return []
    names = candidate_columns(table, columns, skip)
    if not names:
        return []
    selected = ", ".join(quote_ident(n) for n in names)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _id_sample AS SELECT {selected} FROM {relation} "
        f"USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    )
    parts = []
    for i, name in enumerate(names):
        c = quote_ident(name)
        parts.append(
            f"count({c}) AS f{i}, count_if({_SHORT.format(c=c)} AND {id_number_sql(c)}) AS i{i}, "
            f"count_if({_SHORT.format(c=c)} AND {mobile_sql(c)}) AS m{i}"
        )
    counts = con.execute(f"SELECT {', '.join(parts)} FROM _id_sample").fetchall()[0]
    found = []
    for i, name in enumerate(names):
        filled, ids, mobiles = counts[3 * i : 3 * i + 3]
        if not filled:
            continue
        c = quote_ident(name)
        share = SHARE_KEY if name in PERSON_KEY_COLUMNS else SHARE_ORDINARY
        if ids >= share * filled:
            kind, matched, predicate = "id_number", ids, id_number_sql
        elif mobiles >= share * filled and not _code_scheme(con, c, mobiles):
            kind, matched, predicate = "phone", mobiles, mobile_sql
        else:
            continue
        row, value = con.execute(
            f"SELECT _row, {c} FROM {relation} WHERE {_SHORT.format(c=c)} "
            f"AND {predicate(c)} ORDER BY _row LIMIT 1"
        ).fetchall()[0]
        found.append(ValueFinding(name, kind, matched, filled, row, mask(value)))
    con.execute("DROP TABLE _id_sample")
    return found


_SHORT = "length({c}) BETWEEN 11 AND 24"


def _code_scheme(con: duckdb.DuckDBPyConnection, c: str, mobiles: int) -> bool:
    """Many mobile-looking values, half sharing their first digits: a code scheme, not phones."""
    if mobiles < CODE_SCHEME_MIN:
        return False
    top = con.execute(
        f"SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM _id_sample "
        f"WHERE {_SHORT.format(c=c)} AND {mobile_sql(c)} "
        f"GROUP BY substr({_mobile_text(c)}, 1, {CODE_SCHEME_PREFIX}))"
    ).fetchall()[0][0]
    return top >= CODE_SCHEME_SHARE * mobiles


def mask(value: str) -> str:
    """An ID or phone number with its middle digits hidden: 139****5678, 1404**********123X."""
    text = "".join(ch for ch in str(value) if not ch.isspace() and ch != "-")
    if len(text) <= 8:
        return "*" * len(text)
    keep_head = 3 if len(text) <= 13 else 4
    return text[:keep_head] + "*" * (len(text) - keep_head - 4) + text[-4:]
