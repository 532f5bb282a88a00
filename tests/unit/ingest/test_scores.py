"""Scores added to the respondents table at import (dashboard.ingest.build.add_scores)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from dashboard.ingest.build import SCORE_COLUMNS, add_scores
from dashboard.ingest.schema import sf36_range
from dashboard.stats.scoring import ADL_ITEMS, SF36_ITEMS, score_adl, score_sf36


def _items(n: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {"respondent_id": [f"R{i:03d}" for i in range(n)][::-1]}  # not in sorted order
    for i, c in enumerate(SF36_ITEMS):
        cols[c] = rng.integers(1, sf36_range(i + 1)[1] + 1, n).astype(float)
    for c in ADL_ITEMS:
        cols[c] = rng.integers(1, 5, n).astype(float)
    frame = pd.DataFrame(cols)
    frame.loc[3, "sf36_05"] = np.nan  # half-scale rule
    frame.loc[4, [f"sf36_{i:02d}" for i in range(3, 13)]] = np.nan  # PF missing: no total
    frame.loc[5, "adl_03"] = np.nan  # ADL total missing
    return frame


def test_scores_match_the_scoring_module_and_keep_row_order() -> None:
    items = _items(200)
    con = duckdb.connect()
    con.register("items", items)
    cast = ", ".join(f"CAST({c} AS INTEGER) AS {c}" for c in SF36_ITEMS + ADL_ITEMS)
    con.execute(f"CREATE TABLE respondents AS SELECT respondent_id, {cast} FROM items")
    add_scores(con)
    stored = con.execute("SELECT * FROM respondents").df()
    assert list(stored["respondent_id"]) == list(items["respondent_id"])
    sf36, adl = score_sf36(items), score_adl(items)
    for c in ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh", "qol_total"):
        assert np.allclose(stored[c].astype(float), sf36[c], equal_nan=True), c
    assert stored["qol_grade"].tolist() == [None if g is None else g for g in sf36["qol_grade"]]
    assert stored["adl_level"].tolist() == list(adl["adl_level"])
    assert pd.isna(stored.loc[4, "qol_total"]) and pd.notna(stored.loc[3, "qol_total"])
    assert pd.isna(stored.loc[5, "adl_total"])


def test_without_items_the_columns_exist_and_are_null() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE respondents AS SELECT 'R' || i AS respondent_id, "
        "CAST(NULL AS INTEGER) AS sf36_01, CAST(NULL AS INTEGER) AS adl_01 FROM range(5) t(i)"
    )
    add_scores(con)
    names = [r[0] for r in con.execute("DESCRIBE respondents").fetchall()]
    assert all(name in names for name, _ in SCORE_COLUMNS)
    nulls = con.execute("SELECT count(qol_total), count(adl_level) FROM respondents").fetchone()
    assert nulls == (0, 0)
