"""Shared by the attacker's tests: the deployment's default floor, and the small cell to attack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest

from dashboard import data, sql
from tests.contract.builders import REPO, cli_env

FLOOR = 10


@pytest.fixture(autouse=True)
def default_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attack runs against the default deployment: no CAREGAP_MIN_N, so k = 10."""
    monkeypatch.delenv("CAREGAP_MIN_N", raising=False)


@pytest.fixture(scope="module")
def small_cell(demo_con: duckdb.DuckDBPyConnection) -> str:
    """A URL query naming a grid × age × sex slice of 1…9 respondents (the attacker's target),
    found from the raw count (the published one is withheld)."""
    tree = data.region_tree(demo_con)
    for grid in tree[tree["level"] == "grid"]["region_id"]:
        for age in ("80+", "70-79"):
            for sex in ("M", "F"):
                params = {"within": grid, "age_group": age, "sex": sex}
                n = sql.run(demo_con, "slice_counts", params)["respondents"].iloc[0]
                if 1 <= n < FLOOR:
                    return "?" + urlencode({"lang": "en", "region": grid, "age": age, "sex": sex})
    pytest.fail("the demo has no small grid × age × sex cell to attack")


def run_report(db: Path, *args: str, floor: str | None = None) -> subprocess.CompletedProcess:
    """`caregap report ARGS` as a custodian runs it: the default floor, or `floor` as the
    deployment's CAREGAP_MIN_N."""
    env = cli_env("en")
    env.pop("CAREGAP_MIN_N", None)
    if floor is not None:
        env["CAREGAP_MIN_N"] = floor
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "report", *args, "--db", str(db)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
