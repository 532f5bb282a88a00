"""The quality-of-life view's logic on the demo store, without Dash."""

from __future__ import annotations

import duckdb

from dashboard.stats.tables import ALL_SERVICES
from dashboard.views import quality, registry
from dashboard.views.state import from_query


def test_captions_state_the_study_directions(demo_con: duckdb.DuckDBPyConnection) -> None:
    captions = quality.quality(demo_con, from_query("?lang=en")).captions
    assert captions["t4"].startswith("Lower quality of life goes with more need: r = −0.")
    assert captions["t5"].startswith("Lower quality of life goes with fewer services received")
    assert "ADL total" in captions["t1"] and "enter the stepwise model" in captions["t1"]
    assert "Disease knowledge education" in captions["t2"]
    assert "Injection" in captions["t3"]


def test_profile_groups_follow_the_dropdown(demo_con: duckdb.DuckDBPyConnection) -> None:
    out = quality.quality(demo_con, from_query("?lang=en&dimension=adl_level"))
    names = [trace.name.split(" (")[0] for trace in out.profile.data]
    assert names[:2] == ["normal", "mild impairment"]
    sex = quality.quality(demo_con, from_query("?lang=en&dimension=sex")).profile
    assert sorted(trace.name.split(" (")[0] for trace in sex.data) == ["men", "women"]
    # a covariate the profile does not offer falls back to age group
    other = quality.quality(demo_con, from_query("?lang=en&dimension=education")).profile
    assert other.data[0].name.startswith("60-69")


def test_small_groups_are_suppressed_and_their_counts_withheld(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en&dimension=adl_level&min_n=200")
    frame = quality.profile_frame(demo_con, state)
    small = frame[frame["suppressed"]]
    assert len(small) and small["pf"].isna().all() and small["respondents_n"].isna().all()
    assert (frame.loc[~frame["suppressed"], "respondents_n"] >= 200).all()
    grades = quality.grades_frame(demo_con, state)
    hidden = grades[grades["suppressed"]]
    assert len(hidden) and hidden["share"].isna().all() and hidden["respondents_n"].isna().all()
    t4 = quality.t4_frame(demo_con, from_query("?lang=en&min_n=5000"))
    assert t4["suppressed"].all() and t4["r"].isna().all()


def test_filters_apply(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    everyone = quality.grades_frame(con, from_query("?lang=en"))
    women = quality.grades_frame(con, from_query("?lang=en&sex=F"))
    assert women["respondents_n"].sum() < everyone["respondents_n"].sum()
    t2_strict = quality.t2_frame(con, from_query("?threshold=5"))
    t2_loose = quality.t2_frame(con, from_query("?threshold=3"))
    assert (t2_strict["demand_rate"] < t2_loose["demand_rate"]).all()


def test_downloads_are_aggregates_only(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    state = from_query("?lang=en")
    for name, chart in registry.CHARTS[quality.PATH].items():
        frame = chart.frame(con, state)
        assert len(frame) < 100, name  # never one row per respondent
        for banned in ("respondent_id", "need_bits", "psu", "stratum", "weight"):
            assert banned not in frame.columns, (name, banned)
    t4 = quality.t4_frame(con, state)
    assert t4["item_code"].iloc[0] == ALL_SERVICES
