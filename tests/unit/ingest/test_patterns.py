"""The import stores the disclosure pattern at the deployment's floor (dashboard/ingest/
patterns.py); what the server reads back is exactly the pattern the rule computes, and a floor the
import did not store is computed as before."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard import cache, data, disclosure, sql
from dashboard.ingest.patterns import COVARIATES, unpack


def _stored(con) -> set[tuple[int, str]]:
    return {tuple(r) for r in con.execute("SELECT DISTINCT k, grp FROM pattern_cells").fetchall()}


def _computed(con, group: str | None, k: int) -> disclosure.Pattern:
    atoms = sql.run(con, "disclosure_atoms", {"group": group})
    return disclosure.pattern(atoms, sql.run(con, "region_parents"), k)


def _same(a: disclosure.Pattern, b: disclosure.Pattern) -> bool:
    return a.cells == b.cells and a.bases == b.bases and np.array_equal(a.open, b.open)


def test_the_import_stores_a_pattern_for_no_covariate_and_each_recorded_one(demo_con) -> None:
    stored = _stored(demo_con)
    floors = {k for k, _ in stored}
    assert len(floors) == 1  # one floor: the deployment's when the store was built
    recorded = set(data.group_dimensions(demo_con)) & set(COVARIATES)
    assert recorded, "the demo records covariates"
    assert {grp for _, grp in stored} == {"", *recorded}


@pytest.mark.parametrize("group", [None, "living_arrangement"])
def test_a_stored_pattern_is_exactly_the_pattern_the_rule_computes(demo_con, group) -> None:
    ((k, _),) = {s for s in _stored(demo_con) if s[1] == ""}
    params = {"k": k, "grp": group or ""}
    stored = unpack(
        sql.run(demo_con, "pattern_cells", params), sql.run(demo_con, "pattern_open", params)
    )
    computed = _computed(demo_con, group, k)
    assert len(stored.cells) > 1000 and not stored.open.all() and stored.open.any()
    assert _same(stored, computed)


def test_a_floor_the_import_did_not_store_is_computed_from_the_cells(demo_con) -> None:
    k = max(k for k, _ in _stored(demo_con)) + 3
    got = data.disclosure_pattern(demo_con, k)
    assert _same(got, _computed(demo_con, None, k))
    assert (k, "") not in _stored(demo_con)


def test_the_data_layer_reads_the_stored_pattern_at_the_stored_floor(demo_con, monkeypatch) -> None:
    ((k, _),) = {s for s in _stored(demo_con) if s[1] == ""}
    monkeypatch.setenv("CAREGAP_MIN_N", str(k))
    cache.clear_all()  # nothing remembered from another test: the answer is read or computed
    computed = []
    monkeypatch.setattr(disclosure, "pattern", lambda *a: computed.append(a))
    got = data.disclosure_pattern(demo_con, k, "education")
    assert computed == []  # read, not recomputed
    assert len(got.cells) > 0
