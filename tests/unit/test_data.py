"""Data functions: the period's whole months go to the rollup, the edge days to raw deliveries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard import sql, store
from dashboard.config import QUERIES_DIR
from dashboard.data import Slice, _add_months, _is_month_end, disclosure_pattern, gap_table
from dashboard.ingest.importer import import_dataset

#: these tests check definitions at small k: a deployment whose floor is 1
pytestmark = pytest.mark.usefixtures("floor_one")

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2009, 1, 31), True),
        (D(2008, 2, 29), True),
        (D(2009, 2, 28), True),
        (D(2009, 3, 30), False),
    ],
)
def test_month_end_knows_leap_years(day: dt.date, expected: bool) -> None:
    assert _is_month_end(day) is expected


def test_adding_months_crosses_year_boundaries_both_ways() -> None:
    assert _add_months(D(2009, 12, 1), 1) == D(2010, 1, 1)
    assert _add_months(D(2009, 1, 1), -1) == D(2008, 12, 1)


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 0}, {"threshold": 6}, {"min_n": 0}, {"age_group": "90+"}, {"sex": "X"}],
)
def test_a_slice_refuses_values_outside_the_contract(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Slice(**kwargs)


def _per_1000_dataset(folder: Path) -> Path:
    folder.mkdir()
    (folder / "regions.csv").write_text(
        "region_id,parent_id,level,name,elderly_population\n"
        "C,,city,C,1000\nD1,C,district,D1,600\nD2,C,district,D2,\n"
        "G1,D1,grid,G1,100\nG2,D2,grid,G2,50\nG3,D2,grid,G3,\n"
    )
    (folder / "services.csv").write_text("service_code,category\ns,cat\n")
    (folder / "respondents.csv").write_text("respondent_id,region_id,sex,age\nr1,G1,F,70\n")
    (folder / "needs.csv").write_text("respondent_id,service_code,need\nr1,s,5\n")
    (folder / "deliveries.csv").write_text(
        "region_id,service_code,delivered_on,quantity\n"
        "G1,s,2009-01-01,6\nG2,s,2009-06-01,4\nG3,s,2009-12-31,6\n"
    )
    return folder


def test_provision_per_1000_counts_each_elderly_population_once(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(_per_1000_dataset(tmp_path / "ds"), db)
    years = 365 / 365.25  # 2009-01-01 .. 2009-12-31, both days included
    with store.open_read_only(db) as con:
        rates = {}
        for level in ("city", "district", "grid"):
            frame = gap_table(con, level, Slice(min_n=1))
            rates |= dict(zip(frame["region_id"], frame["provision_per_1000"], strict=True))
    assert rates["C"] == pytest.approx(1000 * 16 / 1000 / years)  # the city's own figure
    assert rates["D1"] == pytest.approx(1000 * 6 / 600 / years)  # G1's 100 is inside D1's 600
    assert rates["D2"] == pytest.approx(1000 * 10 / 50 / years)  # only G2 has a figure
    assert rates["G1"] == pytest.approx(1000 * 6 / 100 / years)
    assert pd.isna(rates["G3"])  # no elderly population anywhere in G3


def test_cached_answers_are_reused_within_a_dataset_version_only(tmp_path: Path) -> None:
    from dashboard import sql

    class Counting:
        """A cursor that counts the queries it is really asked to run."""

        def __init__(self, con: object) -> None:
            self.con, self.calls = con, 0

        def execute(self, *args: object) -> object:
            self.calls += 1
            return self.con.execute(*args)

    db = tmp_path / "store.duckdb"
    import_dataset(_per_1000_dataset(tmp_path / "ds"), db)
    with store.open_read_only(db) as con:
        counting = Counting(con)
        first = sql.run(sql.CachedCursor(counting, "v1"), "table_counts")
        first.loc[0, "regions"] = -1  # callers may change their copy freely
        again = sql.CachedCursor(counting, "v1")
        assert sql.run(again, "table_counts").loc[0, "regions"] == 6
        assert counting.calls == 1
        assert sql.run(sql.CachedCursor(counting, "v2"), "table_counts").loc[0, "regions"] == 6
        assert counting.calls == 2
        sql.run(counting, "table_counts")  # no scope: never cached
        sql.run(counting, "table_counts")
        assert counting.calls == 4


def test_queries_resolve_their_includes_and_see_the_included_parameters() -> None:
    names = sorted(p.stem for p in QUERIES_DIR.glob("*.sql") if not p.stem.startswith("_"))
    for name in names:
        assert sql._INCLUDE.search(sql.query_text(name)) is None, name
    assert {"within", "level", "by", "threshold", "d0"} <= sql.query_params("gaps")
    assert sql.query_params("gaps") >= sql.query_params("gaps_people") - {"group"}
    with pytest.raises(ValueError):
        sql.query_text("_areas")  # fragments are included, never run


def test_gated_queries_no_longer_take_the_floor() -> None:
    gated = ("gaps", "gaps_people", "unmet_2x2", "service_demand", "service_received")
    for name in (*gated, "score_levels", "domain_profile", "gap_variance", "gap_variance_people"):
        assert "min_n" not in sql.query_params(name), name


def test_one_cached_answer_serves_every_floor(tmp_path: Path) -> None:
    class Counting:
        def __init__(self, con: object) -> None:
            self.con, self.calls = con, 0

        def execute(self, *args: object) -> object:
            self.calls += 1
            return self.con.execute(*args)

    db = tmp_path / "store.duckdb"
    import_dataset(_per_1000_dataset(tmp_path / "ds"), db)
    with store.open_read_only(db) as con:
        counting = Counting(con)
        cursor = sql.CachedCursor(counting, "v1")
        for k in (1, 1000):  # the disclosure pattern is per floor by design: read or computed
            disclosure_pattern(cursor, k)
        low = gap_table(cursor, "district", Slice(min_n=1))
        calls = counting.calls
        high = gap_table(cursor, "district", Slice(min_n=1000))
        assert counting.calls == calls  # the same answer, gated at another k
    assert (low["suppressed"] == (low["respondents_n"] < 1)).all()
    assert high["suppressed"].all() and high["demand_rate"].isna().all()
    # counts withheld on every suppressed row (0 stays 0: nobody is no person)
    assert (high["respondents_n"].isna() == (low["respondents_n"] != 0)).all()
