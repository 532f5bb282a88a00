"""The study's five tables, regenerated from the default demo through `caregap report tables`,
show the study's directions (reference/FIGURES.md, Article 1):

- quality of life correlates negatively with nursing demand (p < 0.05) and positively with the
  services actually provided (p < 0.05);
- ADL, health status (chronic disease), education, income and medical payment form enter the
  stepwise regression on quality of life (p < 0.05);
- quality-of-life grades poor 1.05%, medium 98.5%, good 0.45%.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import run_cli

PUBLISHED_GRADES = {"poor": 0.0105, "medium": 0.985, "good": 0.0045}
STUDY_FACTORS = ("adl_total", "chronic_disease", "education", "income_band", "payment_form")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("study-demo") / "caregap.duckdb"
    proc = run_cli("demo", "--db", db, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(scope="module")
def study(demo_db: Path) -> dict[str, dict]:
    proc = run_cli("report", "tables", "--format", "json", "--db", demo_db)
    assert proc.returncode == 0, proc.stderr
    tables = json.loads(proc.stdout)
    return {table["name"]: table for table in tables}


def _overall(table: dict) -> dict:
    return next(row for row in table["rows"] if row["item_code"] == "all_services")


def test_every_table_has_a_title_caption_columns_and_rows(study: dict[str, dict]) -> None:
    for name in ("t1", "t2", "t3", "t4", "t5"):
        table = study[name]
        assert table["title"] and table["caption"] and table["columns"] and table["rows"], name
        assert set(table["rows"][0]) == set(table["columns"])


def test_demand_correlates_negatively_with_quality_of_life(study: dict[str, dict]) -> None:
    row = _overall(study["t4"])
    assert row["r"] < 0 and row["p"] < 0.05


def test_services_received_correlate_positively_with_quality_of_life(
    study: dict[str, dict],
) -> None:
    row = _overall(study["t5"])
    assert row["r"] > 0 and row["p"] < 0.05


@pytest.mark.parametrize("factor", STUDY_FACTORS)
def test_study_factor_enters_the_stepwise_regression(study: dict[str, dict], factor: str) -> None:
    rows = [r for r in study["t1"]["rows"] if r["model"] == "stepwise" and r["term"] == factor]
    assert rows, f"{factor} is not in the stepwise model"
    assert all(r["term_p"] < 0.05 for r in rows)


def test_full_model_is_reported_too(study: dict[str, dict]) -> None:
    full = {r["term"] for r in study["t1"]["rows"] if r["model"] == "full"}
    assert set(STUDY_FACTORS) <= full and {"age", "sex", "has_spouse"} <= full


@pytest.mark.parametrize("grade", list(PUBLISHED_GRADES))
def test_quality_of_life_grades_match_the_study(study: dict[str, dict], grade: str) -> None:
    share = {r["level"]: r["share"] for r in study["qol_grades"]["rows"]}[grade]
    assert abs(share - PUBLISHED_GRADES[grade]) <= 0.005


def test_demand_and_received_tables_cover_every_service(study: dict[str, dict]) -> None:
    demand = {r["item_code"]: r["demand_rate"] for r in study["t2"]["rows"]}
    received = {r["item_code"]: r["received_rate"] for r in study["t3"]["rows"]}
    assert len(demand) == len(received) == 12
    assert max(demand, key=demand.get) == "edu_disease"
    assert max(received, key=received.get) == "care_injection"


def test_no_respondent_level_rows_are_printed(study: dict[str, dict]) -> None:
    for table in study.values():
        assert len(table["rows"]) < 100
        assert not {"respondent_id", "psu", "weight", "need_bits"} & set(table["columns"])


def test_xlsx_has_one_sheet_per_table(demo_db: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "tables.xlsx"
    proc = run_cli("report", "tables", "--format", "xlsx", "--out", out, "--db", demo_db)
    assert proc.returncode == 0, proc.stderr
    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert sheets[:5] == [
        "T1 regression",
        "T2 demand",
        "T3 received",
        "T4 demand x QoL",
        "T5 received x QoL",
    ]


def test_xlsx_without_a_file_is_a_usage_error(demo_db: Path) -> None:
    proc = run_cli("report", "tables", "--format", "xlsx", "--db", demo_db)
    assert proc.returncode == 2
