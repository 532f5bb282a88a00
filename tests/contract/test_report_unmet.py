"""`caregap report unmet`: the person-level need × receipt 2×2, computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import import_ok, run_cli, write_csv


def _dataset(folder: Path) -> Path:
    folder.mkdir()
    write_csv(
        folder / "regions.csv",
        [
            {"region_id": "C", "parent_id": "", "level": "city", "name": "C"},
            {"region_id": "D", "parent_id": "C", "level": "district", "name": "D"},
        ],
    )
    write_csv(folder / "services.csv", [{"service_code": "s", "category": "c", "name": "S"}])
    people = [("r1", "2"), ("r2", "1"), ("r3", "1"), ("r4", "1"), ("r5", "1")]
    write_csv(
        folder / "respondents.csv",
        [
            {"respondent_id": r, "region_id": "D", "sex": "F", "age": "70", "weight": w}
            for r, w in people
        ],
    )
    answers = [
        ("r1", "5", "true"),
        ("r2", "4", "false"),
        ("r3", "1", "true"),
        ("r4", "2", "false"),
        ("r5", "5", ""),
    ]
    write_csv(
        folder / "needs.csv",
        [
            {"respondent_id": r, "service_code": "s", "need": n, "received": x}
            for r, n, x in answers
        ],
    )
    write_csv(
        folder / "deliveries.csv",
        [{"region_id": "D", "service_code": "s", "delivered_on": "2009-01-01"}],
    )
    return folder


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("unmet")
    target = root / "store.duckdb"
    import_ok(_dataset(root / "ds"), target)
    return target


def _cells(db: Path, *opts: str) -> dict[str, dict]:
    proc = run_cli("report", "unmet", "--level", "district", "--db", db, "--format", "json", *opts)
    assert proc.returncode == 0, proc.stderr
    return {row["cell"]: row for row in json.loads(proc.stdout)}


def test_the_four_cells_share_the_weighted_base_of_those_who_answered_both(db: Path) -> None:
    cells = _cells(db, "--min-n", "1")
    # base: r1..r4 (r5 has no `received`), weights 2 + 1 + 1 + 1 = 5
    assert cells["need_received"]["share"] == pytest.approx(2 / 5)  # r1
    assert cells["need_not_received"]["share"] == pytest.approx(1 / 5)  # r2
    assert cells["received_without_need"]["share"] == pytest.approx(1 / 5)  # r3
    assert cells["neither"]["share"] == pytest.approx(1 / 5)  # r4
    assert {row["base_n"] for row in cells.values()} == {4}


def test_the_threshold_moves_people_between_cells(db: Path) -> None:
    cells = _cells(db, "--min-n", "1", "--threshold", "5")
    # r2 (need 4) no longer needs it: it joins r4 in "neither"
    assert cells["need_not_received"]["n"] == 0
    assert cells["neither"]["share"] == pytest.approx(2 / 5)


def test_cells_under_the_minimum_n_are_suppressed(db: Path) -> None:
    cells = _cells(db, "--min-n", "2")
    assert all(row["suppressed"] and row["share"] is None for row in cells.values())
