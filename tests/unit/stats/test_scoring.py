"""SF-36 and ADL scoring against hand-worked answer sets.

Item numbers below are the contract's sequential numbers 1..36 (sf36_01..sf36_36); the questionnaire
labels (3a, 9e, 11d, …) are given where it helps to check the mapping by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.stats.scoring import (
    ADL_ITEMS,
    DOMAINS,
    SF36_ITEMS,
    adl_level_of,
    qol_grade_of,
    score_adl,
    score_sf36,
)

# Best possible answer to every item (item 2, health transition, is "about the same").
BEST = {
    1: 1,  # GH1 excellent
    2: 3,
    **{i: 3 for i in range(3, 13)},  # 3a-3j not limited at all
    **{i: 2 for i in range(13, 20)},  # 4a-4d, 5a-5c "no"
    20: 1,  # 6 social activities not at all affected
    21: 1,  # 7 no bodily pain
    22: 1,  # 8 pain did not interfere
    23: 1, 26: 1, 27: 1, 30: 1,  # 9a pep, 9d calm, 9e energy, 9h happy: all of the time
    24: 6, 25: 6, 28: 6, 29: 6, 31: 6,  # 9b, 9c, 9f, 9g, 9i negative states: none of the time
    32: 5,  # 10 social activities: none of the time affected
    33: 5, 35: 5,  # 11a sick easier, 11c expect worse: definitely false
    34: 1, 36: 1,  # 11b as healthy as anybody, 11d health excellent: definitely true
}  # fmt: skip

# Worst possible answer to every item.
WORST = {
    1: 5,
    2: 3,
    **{i: 1 for i in range(3, 20)},
    20: 5,
    21: 6,
    22: 5,
    23: 6, 26: 6, 27: 6, 30: 6,
    24: 1, 25: 1, 28: 1, 29: 1, 31: 1,
    32: 1,
    33: 1, 35: 1,
    34: 5, 36: 5,
}  # fmt: skip


def answers(base: dict[int, object], **changes: object) -> dict[str, object]:
    """A row of sf36 columns from ``base`` with changes given as ``i7=None`` etc."""
    row = {f"sf36_{i:02d}": v for i, v in base.items()}
    for key, value in changes.items():
        row[f"sf36_{int(key[1:]):02d}"] = value
    return row


def score_one(base: dict[int, object], **changes: object) -> pd.Series:
    frame = pd.DataFrame([answers(base, **changes)], columns=list(SF36_ITEMS))
    return score_sf36(frame).iloc[0]


def test_best_answers_score_100_on_every_domain_and_total_145_graded_good() -> None:
    s = score_one(BEST)
    assert [s[f"raw_{d}"] for d in DOMAINS] == [30, 8, 12, 25, 24, 10, 6, 30]
    assert all(s[d] == 100 for d in DOMAINS)
    assert s["qol_total"] == 145
    assert s["qol_grade"] == "good"


def test_worst_answers_score_0_on_every_domain_and_total_35_graded_poor() -> None:
    s = score_one(WORST)
    assert [s[f"raw_{d}"] for d in DOMAINS] == [10, 4, 2, 5, 4, 2, 3, 5]
    assert all(s[d] == 0 for d in DOMAINS)
    assert s["qol_total"] == 35
    assert s["qol_grade"] == "poor"


@pytest.mark.parametrize(("code", "recoded"), [(1, 5.0), (2, 4.4), (3, 3.4), (4, 2.0), (5, 1.0)])
def test_gh1_is_recalibrated_to_5_4_4_3_4_2_1(code: int, recoded: float) -> None:
    s = score_one(BEST, i1=code)
    assert s["raw_gh"] == pytest.approx(20 + recoded)
    assert s["gh"] == pytest.approx((20 + recoded - 5) / 20 * 100)


@pytest.mark.parametrize(
    ("bp1", "bp2", "raw_bp"),
    [
        (1, 1, 12.0),  # no pain, no interference: 6 + 6
        (2, 1, 10.4),  # BP2 "not at all" is 5 (not 6) once there is some pain: 5.4 + 5
        (6, 1, 6.0),  # 1.0 + 5
        (1, 2, 10.0),  # 6 + 4
        (3, 3, 7.2),  # 4.2 + 3
        (6, 5, 2.0),  # 1.0 + 1
    ],
)
def test_bp2_recode_depends_on_bp1_when_bp1_is_answered(bp1: int, bp2: int, raw_bp: float) -> None:
    s = score_one(BEST, i21=bp1, i22=bp2)
    assert s["raw_bp"] == pytest.approx(raw_bp)
    assert s["bp"] == pytest.approx((raw_bp - 2) / 10 * 100)


@pytest.mark.parametrize(
    ("bp2", "recoded"), [(1, 6.0), (2, 4.75), (3, 3.5), (4, 2.25), (5, 1.0)]
)  # fmt: skip
def test_bp2_uses_its_own_recode_and_fills_bp1_when_bp1_is_missing(
    bp2: int, recoded: float
) -> None:
    s = score_one(BEST, i21=None, i22=bp2)
    assert s["raw_bp"] == pytest.approx(2 * recoded)


def test_bp1_alone_fills_the_missing_bp2_with_its_recalibrated_value() -> None:
    s = score_one(BEST, i21=3, i22=None)
    assert s["raw_bp"] == pytest.approx(8.4)  # 4.2 twice
    assert s["bp"] == pytest.approx(64.0)


def test_bodily_pain_is_missing_when_both_pain_items_are_missing() -> None:
    s = score_one(BEST, i21=None, i22=None)
    assert math.isnan(s["raw_bp"]) and math.isnan(s["bp"])
    assert math.isnan(s["qol_total"]) and pd.isna(s["qol_grade"])


def test_half_scale_rule_fills_missing_items_with_the_mean_when_half_are_answered() -> None:
    # PF: 5 of 10 answered (3, 2, 1, 3, 2): mean 2.2, raw 22, score 60.
    # RE: 2 of 3 answered (2, 1): mean 1.5, raw 4.5, score 50.
    # MH: 3 of 5 answered (9b=6, 9c=3, 9d=1 -> 6): mean 5, raw 25, score 80.
    pf = {f"i{i}": None for i in range(8, 13)} | {"i3": 3, "i4": 2, "i5": 1, "i6": 3, "i7": 2}
    s = score_one(BEST, **pf, i17=2, i18=1, i19=None, i24=6, i25=3, i26=1, i28=None, i30=None)
    assert s["raw_pf"] == pytest.approx(22.0) and s["pf"] == pytest.approx(60.0)
    assert s["raw_re"] == pytest.approx(4.5) and s["re"] == pytest.approx(50.0)
    assert s["raw_mh"] == pytest.approx(25.0) and s["mh"] == pytest.approx(80.0)
    assert s["qol_total"] == pytest.approx(145 - 8 - 1.5 - 5)


def test_half_scale_rule_leaves_a_domain_missing_when_fewer_than_half_are_answered() -> None:
    pf = {f"i{i}": None for i in range(7, 13)}  # 4 of 10 answered
    s = score_one(BEST, **pf, i18=None, i19=None)  # RE: 1 of 3 answered
    assert math.isnan(s["raw_pf"]) and math.isnan(s["pf"])
    assert math.isnan(s["raw_re"]) and math.isnan(s["re"])
    assert s["rp"] == 100  # other domains unaffected
    assert math.isnan(s["qol_total"]) and pd.isna(s["qol_grade"])


@pytest.mark.parametrize("bad", [0, 4, -1, 2.5, "x", 99])
def test_out_of_range_or_non_integer_answers_are_treated_as_missing(bad: object) -> None:
    # PF: item 3 invalid, the other nine answered 1: a valid 4 would have given raw 13, not 10.
    pf = {f"i{i}": 1 for i in range(4, 13)}
    s = score_one(BEST, i3=bad, **pf)
    assert s["raw_pf"] == pytest.approx(10.0)


def test_out_of_range_bp1_counts_as_missing_so_bp2_uses_the_without_bp1_recode() -> None:
    s = score_one(BEST, i21=7, i22=2)
    assert s["raw_bp"] == pytest.approx(9.5)


def test_reversed_items_are_mapped_by_sequential_number() -> None:
    # 9a (item 23) and 9e (27) are reversed, 9g (29) and 9i (31) are not: all four at code 1
    # gives VT = 6 + 6 + 1 + 1 = 14.
    s = score_one(BEST, i23=1, i27=1, i29=1, i31=1)
    assert s["raw_vt"] == 14
    # 11b (34) and 11d (36) reversed, 11a (33) and 11c (35) not: all at 5 gives 5 + 1 + 5 + 1,
    # plus GH1 excellent (5).
    s = score_one(BEST, i33=5, i34=5, i35=5, i36=5)
    assert s["raw_gh"] == 17
    # 6 (item 20) is reversed, 10 (item 32) is not: both at 1 gives 5 + 1.
    assert score_one(BEST, i20=1, i32=1)["raw_sf"] == 6


def test_health_transition_item_2_changes_no_score() -> None:
    a, b = score_one(BEST, i2=1), score_one(BEST, i2=5)
    pd.testing.assert_series_equal(a, b)


# Totals at the grade cut-offs, built from the worst/best sets so the arithmetic can be checked:
#   72   = 35 + PF +20 + VT (9a, 9e, 9g best: +15; 9i=2: +1) + GH1 "fair" (2.0: +1)
#   72.4 = 35 + PF +20 + VT +15 + GH1 "good" (3.4: +2.4)
#   117  = 145 - PF 20 - VT (9a worst: 5; 9i=3: 3)
#   117.4 = 145 - PF 20 - 9a 5 - GH1 "good" (1.6) - 9i=5 (1)
PF_BEST = {f"i{i}": 3 for i in range(3, 13)}
PF_WORST = {f"i{i}": 1 for i in range(3, 13)}


@pytest.mark.parametrize(
    ("base", "changes", "total", "grade"),
    [
        (WORST, PF_BEST | {"i23": 1, "i27": 1, "i29": 6, "i31": 2, "i1": 4}, 72.0, "poor"),
        (WORST, PF_BEST | {"i23": 1, "i27": 1, "i29": 6, "i1": 3}, 72.4, "medium"),
        (BEST, PF_WORST | {"i23": 6, "i31": 3}, 117.0, "medium"),
        (BEST, PF_WORST | {"i23": 6, "i1": 3, "i31": 5}, 117.4, "good"),
    ],
    ids=["72-poor", "72.4-medium", "117-medium", "117.4-good"],
)
def test_qol_grade_cut_offs_poor_up_to_72_medium_up_to_117_good_above(
    base: dict, changes: dict, total: float, grade: str
) -> None:
    s = score_one(base, **changes)
    assert s["qol_total"] == pytest.approx(total)
    assert s["qol_grade"] == grade


def test_qol_grade_of_handles_exact_cut_offs_and_missing_totals() -> None:
    grades = qol_grade_of(np.array([35, 72, 72.05, 117, 117.05, 145, np.nan]))
    assert list(grades) == ["poor", "poor", "medium", "medium", "good", "good", None]


def test_score_sf36_keeps_the_index_and_accepts_nullable_and_text_columns() -> None:
    rows = [answers(BEST), answers(WORST)]
    frame = pd.DataFrame(rows, index=["r1", "r2"]).astype("Int64")
    frame["sf36_05"] = frame["sf36_05"].astype(str)  # "3", "1": text digits still count
    frame.loc["r2", "sf36_22"] = pd.NA
    out = score_sf36(frame)
    assert list(out.index) == ["r1", "r2"]
    assert out.loc["r1", "qol_total"] == 145
    # r2 lost BP2 (worst, 1.0): BP1 worst 1.0 fills it, so the total is unchanged
    assert out.loc["r2", "qol_total"] == 35


def test_score_sf36_refuses_frames_without_the_item_columns() -> None:
    with pytest.raises(KeyError, match="sf36_36"):
        score_sf36(pd.DataFrame({f"sf36_{i:02d}": [1] for i in range(1, 36)}))


# ADL ------------------------------------------------------------------------------------------


def adl_row(total: int) -> list[int]:
    """Fourteen answers 1–4 adding up to ``total`` (filled item by item)."""
    row, rest = [1] * 14, total - 14
    for j in range(14):
        step = min(3, rest)
        row[j] += step
        rest -= step
    return row


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (14, "normal"),
        (20, "normal"),
        (21, "mild"),
        (30, "mild"),
        (31, "moderate"),
        (40, "moderate"),  # published bands overlap at 40: treated as moderate
        (41, "severe"),
        (56, "severe"),
    ],
)
def test_adl_band_edges_normal_20_mild_21_30_moderate_31_40_severe_41(
    total: int, level: str
) -> None:
    out = score_adl(pd.DataFrame([adl_row(total)], columns=list(ADL_ITEMS)))
    assert out.loc[0, "adl_total"] == total
    assert out.loc[0, "adl_level"] == level


@pytest.mark.parametrize("bad", [None, 0, 5, 2.5, "x"])
def test_adl_total_is_missing_when_any_item_is_missing_or_out_of_range(bad: object) -> None:
    row: list[object] = adl_row(20)
    row[3] = bad
    out = score_adl(pd.DataFrame([row], columns=list(ADL_ITEMS)))
    assert out.loc[0, "adl_total"] is pd.NA
    assert out.loc[0, "adl_level"] is None or pd.isna(out.loc[0, "adl_level"])


def test_adl_total_is_a_nullable_integer_and_keeps_the_index() -> None:
    frame = pd.DataFrame([adl_row(14), adl_row(56)], columns=list(ADL_ITEMS), index=[7, 9])
    out = score_adl(frame)
    assert str(out["adl_total"].dtype) == "Int64"
    assert list(out.index) == [7, 9]
    assert list(adl_level_of(np.array([np.nan, 25]))) == [None, "mild"]
