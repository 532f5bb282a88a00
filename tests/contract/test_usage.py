"""Wrong usage exits 2 (and prints no figures); --help works."""

from __future__ import annotations

import pytest
from builders import describe, run_cli


def test_help():
    proc = run_cli("--help")
    assert proc.returncode == 0, describe(proc)
    assert "import" in proc.stdout and "report" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--level", "village"),
        (),  # --level is required
        ("--level", "city", "--from", "2024-13-01"),
        ("--level", "city", "--to", "12/03/2024"),
        ("--level", "city", "--from", "yesterday"),
        ("--level", "city", "--threshold", "0"),
        ("--level", "city", "--threshold", "6"),
        ("--level", "city", "--threshold", "four"),
        ("--level", "city", "--min-n", "0"),
        ("--level", "city", "--min-n", "-3"),
        ("--level", "city", "--format", "xml"),
        ("--level", "city", "--bogus"),
    ],
    ids=lambda a: " ".join(a) or "no-level",
)
def test_report_wrong_usage_exits_2(main_db, args):
    proc = run_cli("report", "gaps", *args, "--db", main_db)
    assert proc.returncode == 2, describe(proc)
    assert not proc.stdout.lstrip().startswith("["), "figures printed on wrong usage"


@pytest.mark.parametrize("threshold", ["1", "5"])
def test_threshold_bounds_accepted(main_db, threshold):
    proc = run_cli("report", "gaps", "--level", "city", "--threshold", threshold, "--db", main_db)
    assert proc.returncode == 0, describe(proc)


def test_import_unknown_flag_exits_2(tmp_path, main_dataset_dir):
    proc = run_cli("import", main_dataset_dir, "--db", tmp_path / "x.duckdb", "--bogus")
    assert proc.returncode == 2, describe(proc)


def test_unknown_command_exits_2():
    proc = run_cli("frobnicate")
    assert proc.returncode == 2, describe(proc)
