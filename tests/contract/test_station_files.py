"""Station catchments and targets (contract v1.1): optional tables, imported in every format.

The refusals are in test_refusals.py; here a dataset with the tables imports, counts them, and
serves exactly the figures it serves without them (the v1 metrics do not read them).
"""

from __future__ import annotations

import pytest
from builders import (
    describe,
    flat,
    import_dataset,
    main_tables,
    report_proc,
    station_tables,
    write_dataset,
)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_catchments_and_targets_import_and_leave_the_figures_alone(
    tmp_path, fresh_copy, main_baseline, fmt
):
    folder = write_dataset(tmp_path / f"stations-{fmt}", main_tables() | station_tables(), fmt=fmt)
    proc = import_dataset(folder, fresh_copy)
    assert proc.returncode == 0, describe(proc)
    assert "catchments 4" in flat(proc) and "targets 5" in flat(proc), describe(proc)
    after = report_proc(fresh_copy, "district", "--min-n", "1")
    assert after.returncode == 0, describe(after)
    assert after.stdout == main_baseline


def test_without_them_the_import_counts_none(tmp_path, fresh_copy):
    proc = import_dataset(write_dataset(tmp_path / "plain", main_tables()), fresh_copy)
    assert proc.returncode == 0, describe(proc)
    assert "catchments 0" in flat(proc) and "targets 0" in flat(proc), describe(proc)


def test_units_are_read_in_any_case(tmp_path, fresh_copy):
    t = main_tables() | station_tables()
    t["targets"][0]["unit"] = "Services"
    t["targets"][1]["unit"] = " PEOPLE "
    proc = import_dataset(write_dataset(tmp_path / "units", t), fresh_copy)
    assert proc.returncode == 0, describe(proc)
