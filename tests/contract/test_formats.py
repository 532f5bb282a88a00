"""The same dataset in every accepted file format imports to the same figures.

The reference is the main dataset written as plain UTF-8 CSV (the `main_db` fixture). Each variant
is imported into its own database and must print the same report, row for row.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from builders import (
    JSON_COLUMNS,
    REL,
    import_ok,
    main_tables,
    report,
    typed_rows,
    write_csv,
    write_dataset,
    write_parquet,
    write_xlsx,
)

# district and grid between them hold every respondent and every delivery
REPORTS = [("district", "--min-n", "1"), ("grid", "--min-n", "1")]


def mixed_case_header(column: str) -> str:
    # "region_id" -> "  Region_ID " : mixed case, padded with spaces
    return "  " + column.title().replace("_Id", "_ID") + " "


def assert_same_report(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert list(g) == JSON_COLUMNS
        for column in JSON_COLUMNS:
            a, b = g[column], w[column]
            if isinstance(b, float) and not isinstance(b, bool):
                assert a == pytest.approx(b, rel=REL, abs=1e-12), (column, g, w)
            else:
                assert a == b, (column, g, w)


def write_mixed_formats(folder: Path) -> Path:
    """regions as .xlsx, respondents and needs as .parquet, the rest CSV (GBK for services)."""
    tables = main_tables()
    write_dataset(
        folder,
        {
            "boundaries": tables["boundaries"],
            "stations": tables["stations"],
            "deliveries": tables["deliveries"],
        },
    )
    write_xlsx(folder / "regions.xlsx", typed_rows("regions", tables["regions"]))
    write_parquet(folder / "respondents.parquet", "respondents", tables["respondents"])
    write_parquet(folder / "needs.parquet", "needs", tables["needs"])
    write_csv(folder / "services.csv", tables["services"], encoding="gbk")
    return folder


def write_xlsx_with_extra_sheets(folder: Path) -> Path:
    """.xlsx files whose second sheet holds junk: only the first sheet is read."""
    from openpyxl import load_workbook

    write_dataset(folder, main_tables(), fmt="xlsx")
    for path in folder.glob("*.xlsx"):
        wb = load_workbook(path)
        notes = wb.create_sheet("说明")
        notes.append(["region_id", "need", "age"])
        notes.append(["not a region", "99", "-1"])
        wb.save(path)
    return folder


VARIANTS = {
    "utf8-bom": lambda d: write_dataset(d, main_tables(), encoding="utf-8-sig"),
    "gbk": lambda d: write_dataset(d, main_tables(), encoding="gbk"),
    "xlsx": lambda d: write_dataset(d, main_tables(), fmt="xlsx"),
    "parquet": lambda d: write_dataset(d, main_tables(), fmt="parquet"),
    "mixed-case-padded-headers": lambda d: write_dataset(
        d, main_tables(), header=mixed_case_header
    ),
    "xlsx-mixed-case-headers": lambda d: write_dataset(
        d, main_tables(), fmt="xlsx", header=mixed_case_header
    ),
    "xlsx-extra-sheets": write_xlsx_with_extra_sheets,
    "one-table-per-format": write_mixed_formats,
}


@pytest.fixture(scope="module")
def reference(main_db):
    return {args: report(main_db, *args) for args in REPORTS}


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_format_imports_to_identical_report(tmp_path, reference, variant):
    folder = VARIANTS[variant](tmp_path / "dataset")
    before = digest(folder)
    db = tmp_path / "db" / "caregap.duckdb"
    db.parent.mkdir()
    import_ok(folder, db)
    # imported files are never modified
    assert digest(folder) == before
    for args in REPORTS:
        assert_same_report(report(db, *args), reference[args])


def test_gbk_file_really_is_not_utf8(tmp_path):
    # guard for the test above: the GBK variant must not be decodable as UTF-8 by accident
    folder = VARIANTS["gbk"](tmp_path / "dataset")
    raw = (folder / "regions.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "潞州区" in raw.decode("gbk")
