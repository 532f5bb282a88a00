"""The per-area rollups answer exactly what the respondents themselves answer.

queries/gaps.sql, gap_variance.sql and unmet_2x2.sql read the rollups built at import;
gaps_people.sql and gap_variance_people.sql compute the same tables from respondents and answers.
Both are run here over every level, slice, threshold, item kind and group, on a demo sample whose
design has every awkward case: respondents without a psu, a stratum with a single PSU, and
respondents without a stratum.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import data, sql
from dashboard.demo.generate import write_demo_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.ingest.rollups import _preorder

#: these tests check definitions at small k: a deployment whose floor is 1
pytestmark = pytest.mark.usefixtures("floor_one")

SLICES = (
    data.Slice(),
    data.Slice(age_group="70-79", sex="F", threshold=3),
    data.Slice(start=dt.date(2008, 2, 10), end=dt.date(2009, 9, 20), threshold=5, min_n=30),
    data.Slice(threshold=1, min_n=1),
    data.Slice(threshold=2, sex="M", age_group="80+"),
)


def _awkward_design(folder: Path) -> None:
    """Respondents' design made awkward: some without psu, one single-PSU stratum, some with no
    stratum at all."""
    path = folder / "respondents.parquet"
    table = pq.read_table(path)
    ids = np.arange(table.num_rows)
    psu = table["psu"].to_pylist()
    stratum = table["stratum"].to_pylist()
    first = stratum[0]
    for i in ids:
        if i % 17 == 0:
            psu[i] = None
        if stratum[i] == first:
            psu[i] = "only"
        if i % 23 == 0:
            stratum[i] = None
    table = table.set_column(table.schema.get_field_index("psu"), "psu", pa.array(psu))
    table = table.set_column(table.schema.get_field_index("stratum"), "stratum", pa.array(stratum))
    pq.write_table(table, path)


def _no_design(folder: Path) -> None:
    path = folder / "respondents.parquet"
    table = pq.read_table(path)
    empty = pa.nulls(table.num_rows, pa.string())
    for name in ("psu", "stratum"):
        table = table.set_column(table.schema.get_field_index(name), name, empty)
    pq.write_table(table, path)


@pytest.fixture(scope="module", params=["design", "awkward", "none"])
def store(request, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp(f"rollup-{request.param}")
    write_demo_dataset(folder, respondents=1_500, deliveries=20_000, grids=60, seed=11)
    if request.param == "awkward":
        _awkward_design(folder)
    elif request.param == "none":
        _no_design(folder)
    db = folder / "store.duckdb"
    import_dataset(folder, db)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def _cases(con: duckdb.DuckDBPyConnection):
    district = con.execute(
        "SELECT region_id FROM regions WHERE level = 'district' ORDER BY region_id LIMIT 1"
    ).fetchone()[0]
    for level, within in (
        ("city", None),
        ("district", None),
        ("street", district),
        ("community", None),
        ("grid", district),
    ):
        for slice_ in SLICES:
            yield level, within, slice_


def _params(con, level, within, slice_, by, group=None) -> dict:
    return {
        "level": level,
        **data._area_params(con, level, within),
        "by": by,
        "group": group,
        "threshold": slice_.threshold,
        "min_n": slice_.min_n,
        "age_group": slice_.age_group,
        "sex": slice_.sex,
        **data.period_params(con, slice_.start, slice_.end),
    }


@pytest.mark.parametrize("by", ["service", "category"])
def test_gap_table_from_rollups_equals_the_respondents_own(store, by):
    for level, within, slice_ in _cases(store):
        groups = (
            [None, "education", "has_spouse", "adl_level"]
            if level in ("city", "district")
            else [None]
        )
        for group in groups:
            params = _params(store, level, within, slice_, by, group)
            rolled = sql.run(store, "gaps", params)
            direct = sql.run(store, "gaps_people", params)
            assert len(rolled) > 0
            pd.testing.assert_frame_equal(rolled, direct, check_dtype=False, rtol=1e-9)


@pytest.mark.parametrize("by", ["service", "category"])
def test_variance_from_rollups_equals_the_respondents_own(store, by):
    units = int(sql.run(store, "survey_design")["unit_respondents"].iloc[0])
    if by == "category" and units:
        # respondents who are their own PSU: categories are answered from the respondents
        assert data._variance_query(store, by, None) == "gap_variance_people"
        return
    assert data._variance_query(store, by, None) == "gap_variance"
    for level, within, slice_ in _cases(store):
        params = _params(store, level, within, slice_, by)
        rolled = sql.run(store, "gap_variance", params)
        direct = sql.run(store, "gap_variance_people", params)
        # Σ(w·x)² is only read without a design (Kish), where categories never use the rollup
        columns = [c for c in direct.columns if by == "service" or not c.endswith("sum_w2")]
        pd.testing.assert_frame_equal(
            rolled[columns], direct[columns], check_dtype=False, rtol=1e-7, atol=1e-15
        )


def _unmet_reference(con, level, within, slice_) -> pd.DataFrame:
    """The 2×2 per (area, service, cell) counted person by person in pandas."""
    answers = con.execute(
        "SELECT c.ancestor_id AS region_id, n.service_code, n.need, n.received, p.weight AS w, "
        "p.age_group, p.sex FROM needs n JOIN respondents p USING (respondent_id) "
        "JOIN region_closure c ON c.descendant_id = p.region_id "
        "WHERE n.need IS NOT NULL AND n.received IS NOT NULL"
    ).df()
    if slice_.age_group:
        answers = answers[answers["age_group"] == slice_.age_group]
    if slice_.sex:
        answers = answers[answers["sex"] == slice_.sex]
    needs = answers["need"] >= slice_.threshold
    got = answers["received"].astype(bool)
    answers["cell"] = np.select(
        [needs & got, needs & ~got, ~needs & got],
        ["need_received", "need_not_received", "received_without_need"],
        "neither",
    )
    cells = answers.groupby(["region_id", "service_code", "cell"]).agg(
        n=("w", "size"), w=("w", "sum")
    )
    base = answers.groupby(["region_id", "service_code"]).agg(
        base_n=("w", "size"), base_w=("w", "sum")
    )
    return cells.join(base).reset_index()


def test_unmet_cells_from_rollups_match_a_person_count(store):
    for level, within, slice_ in list(_cases(store))[::3]:
        got = data.unmet_cells(store, level, slice_, within=within)
        want = _unmet_reference(store, level, within, slice_)
        merged = got.merge(want, on=["region_id", "service_code", "cell"], how="left")
        people = merged["n_y"].fillna(0)
        # the gate withholds a count of 1…k−1, every non-zero count of a suppressed cell, and
        # every count of a row the differencing rule closes
        closed = ~data.item_open(
            store, merged.rename(columns={"service_code": "item_code"}), slice_
        )["received"]
        small = (people > 0) & ((people < slice_.min_n) | merged["suppressed"])
        withheld = small | closed
        assert (merged["n_x"].isna() == withheld).all()
        assert (merged.loc[~withheld, "n_x"] == people[~withheld]).all()
        shown = ~merged["suppressed"]
        expected = merged["w"] / merged["base_w"]
        assert np.allclose(merged.loc[shown, "share"], expected[shown], rtol=1e-9)
        assert (merged.loc[shown, "n_x"] >= slice_.min_n).all()
        assert merged.loc[~shown, "share"].isna().all()


def test_preorder_numbers_each_subtree_as_one_range():
    parents = {"C": None, "D1": "C", "D2": "C", "G1": "D1", "G2": "D1", "G3": "D2"}
    order = _preorder(parents)
    assert order["C"] == (0, 5)
    for region, parent in parents.items():
        if parent:
            lo, hi = order[parent]
            assert lo < order[region][0] <= order[region][1] <= hi
    assert sorted(pre for pre, _ in order.values()) == list(range(6))


def test_quality_inputs_count_each_respondents_answers_at_every_threshold(store):
    answers = store.execute("SELECT respondent_id, service_code, need, received FROM needs").df()
    bits = data.service_bits(store).set_index("service_code")["bit"]
    answers["bit"] = answers["service_code"].map(bits).astype("int64")
    ids = store.execute("SELECT respondent_id FROM respondents ORDER BY respondent_id").df()
    for threshold in (1, 3, 5):
        got = data.quality_inputs(store, None, data.Slice(threshold=threshold))
        assert len(got) == len(ids)
        needed = answers[answers["need"] >= threshold]
        want_count = needed.groupby("respondent_id").size()
        want_bits = needed.groupby("respondent_id")["bit"].agg(
            lambda b: int(sum(1 << int(x) for x in b))
        )
        want_count = ids["respondent_id"].map(want_count).fillna(0).astype(int)
        want_bits = ids["respondent_id"].map(want_bits).fillna(0).astype("int64")
        assert list(got["need_count"]) == list(want_count)
        assert list(got["need_bits"]) == list(want_bits)
    received = answers[answers["received"].fillna(False).astype(bool)]
    want = ids["respondent_id"].map(received.groupby("respondent_id").size()).fillna(0)
    assert list(got["received_count"]) == list(want.astype(int))
