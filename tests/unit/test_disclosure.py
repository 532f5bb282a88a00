"""The disclosure gate (dashboard/disclosure.py) on small hand-made frames: each rule, the
derived figures, the flag, and the boundary n = k − 1 (suppressed) / n = k (shown)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import disclosure as d

#: these tests check definitions at small k: a deployment whose floor is 1
pytestmark = pytest.mark.usefixtures("floor_one")

K = 10


def test_too_small_is_below_k_and_treats_a_missing_count_as_zero():
    assert d.too_small(K - 1, K) is True
    assert d.too_small(K, K) is False
    assert d.too_small(0, 1) is True
    assert d.too_small(float("nan"), 1) is True
    got = d.too_small(pd.Series([0, K - 1, K, K + 1, None], dtype="Float64"), K)
    assert got.tolist() == [True, True, False, False, True]


def _gaps_row(**values) -> dict:
    row = {
        "respondents_n": K,
        "received_n": K,
        "unmet_n": K,
        "demand_rate": 0.5,
        "received_rate": 0.2,
        "gap_pp": 30.0,
        "unmet_rate": 0.6,
        "demand_share": 0.25,
        "provision_count": 7,
        "provision_share": 0.1,
        "mix_gap_pp": 15.0,
        "suppressed": None,
    }
    row.update(values)
    return row


def _gate(rows: list[dict], rules: d.Rules = d.GAPS, k: int = K) -> pd.DataFrame:
    return d.gate(pd.DataFrame(rows), rules, k)


def test_gaps_row_at_k_is_shown_whole():
    out = _gate([_gaps_row()])
    assert not out.loc[0, "suppressed"]
    assert out.loc[0, "demand_rate"] == 0.5 and out.loc[0, "gap_pp"] == 30.0
    assert out.loc[0, "mix_gap_pp"] == 15.0 and out.loc[0, "unmet_rate"] == 0.6


def test_gaps_row_below_k_hides_every_survey_figure_and_withholds_its_counts():
    out = _gate([_gaps_row(respondents_n=K - 1)]).iloc[0]
    assert out["suppressed"]
    for column in ("demand_rate", "received_rate", "gap_pp", "unmet_rate", "demand_share"):
        assert np.isnan(out[column]), column
    assert np.isnan(out["mix_gap_pp"])  # follows demand_share
    # a suppressed row carries no count that belongs to it, even one of k or more
    assert np.isnan(out["respondents_n"]) and np.isnan(out["received_n"])
    assert out["provision_count"] == 7 and out["provision_share"] == 0.1  # not survey figures


def test_a_count_of_1_to_k_minus_1_is_withheld_on_a_shown_row_and_0_stays_0():
    out = _gate([_gaps_row(received_n=K - 1, unmet_n=0), _gaps_row(respondents_n=0)])
    assert not out.loc[0, "suppressed"] and out.loc[0, "respondents_n"] == K
    assert np.isnan(out.loc[0, "received_n"]) and out.loc[0, "unmet_n"] == 0
    assert out.loc[1, "suppressed"] and out.loc[1, "respondents_n"] == 0  # nobody: 0


def test_a_row_the_differencing_rule_closes_shows_nothing_whatever_its_size():
    rows = pd.DataFrame([_gaps_row(respondents_n=50), _gaps_row(respondents_n=50)])
    out = d.gate(rows, d.GAPS, K, published=np.array([True, False]))
    assert not out.loc[0, "suppressed"] and out.loc[0, "demand_rate"] == 0.5
    assert out.loc[1, "suppressed"] and np.isnan(out.loc[1, "demand_rate"])
    assert np.isnan(out.loc[1, "respondents_n"]) and np.isnan(out.loc[1, "unmet_n"])
    assert out.loc[1, "provision_count"] == 7


def test_received_n_below_k_hides_received_rate_and_gap_pp_only():
    out = _gate([_gaps_row(received_n=K - 1)]).iloc[0]
    assert not out["suppressed"]
    assert np.isnan(out["received_rate"]) and np.isnan(out["gap_pp"])
    assert out["demand_rate"] == 0.5 and out["unmet_rate"] == 0.6 and out["mix_gap_pp"] == 15.0


def test_unmet_n_below_k_hides_unmet_rate_only():
    out = _gate([_gaps_row(unmet_n=K - 1)]).iloc[0]
    assert not out["suppressed"] and np.isnan(out["unmet_rate"])
    assert out["received_rate"] == 0.2 and out["gap_pp"] == 30.0


def test_a_missing_source_stays_missing_and_a_delivery_source_never_hides():
    out = _gate([_gaps_row(provision_share=np.nan, mix_gap_pp=np.nan)]).iloc[0]
    assert out["demand_share"] == 0.25 and np.isnan(out["mix_gap_pp"])  # nothing invented


def test_derived_figures_rest_on_their_sources_counts():
    assert d.GAPS.counts_of("gap_pp") == ("respondents_n", "received_n")
    assert d.GAPS.counts_of("mix_gap_pp") == ("respondents_n",)
    assert d.GAPS.counts_of("provision_share") == ()


def test_the_gate_copies_and_keeps_columns_and_order():
    frame = pd.DataFrame([_gaps_row(respondents_n=3), _gaps_row()])
    before = frame.copy()
    out = d.gate(frame, d.GAPS, K)
    pd.testing.assert_frame_equal(frame, before)  # cached answers are never modified
    assert list(out.columns) == list(frame.columns)
    assert out["suppressed"].dtype == bool and out["suppressed"].tolist() == [True, False]


def test_a_frame_without_the_flag_column_gets_it_appended():
    frame = pd.DataFrame({"respondents_n": [K - 1, K], "share": [0.1, 0.2]})
    out = d.gate(frame, d.SCORE_LEVELS, K)
    assert list(out.columns) == ["respondents_n", "share", "suppressed"]
    assert out["share"].isna().tolist() == [True, False]


@pytest.mark.parametrize(
    ("base_n", "n", "hidden"), [(K, K, False), (K - 1, K, True), (K, K - 1, True)]
)
def test_unmet_cell_rests_on_the_cell_and_its_base(base_n, n, hidden):
    out = _gate([{"n": n, "base_n": base_n, "share": 0.4, "suppressed": None}], d.UNMET_CELLS)
    assert bool(out.loc[0, "suppressed"]) is hidden
    assert bool(np.isnan(out.loc[0, "share"])) is hidden


@pytest.mark.parametrize(
    ("rules", "count", "figures"),
    [
        (d.SERVICE_DEMAND, "respondents_n", ["demand_rate", "share_1", "share_5"]),
        (d.SERVICE_RECEIVED, "received_n", ["received_rate"]),
        (d.SCORE_LEVELS, "respondents_n", ["share"]),
        (d.DOMAIN_PROFILE, "respondents_n", ["pf", "mh", "qol_total"]),
        (d.CORRELATIONS, "respondents_n", ["r", "p"]),
    ],
)
def test_single_count_tables_at_the_boundary(rules, count, figures):
    every = list(rules.figures)
    frame = pd.DataFrame({count: [K - 1, K], **{f: [0.3, 0.3] for f in every}})
    out = d.gate(frame, rules, K)
    assert out["suppressed"].tolist() == [True, False]
    for figure in figures:
        assert out[figure].isna().tolist() == [True, False], figure


def test_interval_inputs_rest_on_the_row_and_the_figures_base():
    frame = pd.DataFrame(
        {
            "demand_n": [K, K - 1, K],
            "received_n": [K - 1, K, K],
            "unmet_n": [K, K, K - 1],
            "demand_estimate": [0.5] * 3,
            "received_estimate": [0.2] * 3,
            "unmet_estimate": [0.6] * 3,
        }
    )
    out = d.gate(frame, d.INTERVAL_INPUTS, K)
    assert "suppressed" not in out
    assert out["demand_estimate"].isna().tolist() == [False, True, False]
    assert out["received_estimate"].isna().tolist() == [True, True, False]
    assert out["unmet_estimate"].isna().tolist() == [False, True, True]


def test_k_of_one_hides_only_empty_cells():
    out = _gate([_gaps_row(respondents_n=0), _gaps_row(respondents_n=1)], k=1)
    assert out["suppressed"].tolist() == [True, False]


def test_shown_keeps_present_unsuppressed_rows():
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0], "suppressed": [False, False, True, None]})
    assert d.shown(frame, "x")["x"].tolist() == [1.0, 4.0]
    assert d.shown(frame.drop(columns="suppressed"), "x")["x"].tolist() == [1.0, 3.0, 4.0]


@pytest.mark.parametrize(
    ("measure", "row", "reason"),
    [
        ("demand_rate", {}, None),
        ("demand_rate", {"respondents_n": K - 1}, "suppressed"),
        ("received_rate", {"received_n": K - 1}, "received"),
        ("gap_pp", {"received_n": K - 1}, "received"),
        ("unmet_rate", {"unmet_n": K - 1}, "not_shown"),
        ("mix_gap_pp", {"provision_share": np.nan, "mix_gap_pp": np.nan}, "no_deliveries"),
        ("provision_per_1000", {"respondents_n": K - 1}, "no_population"),
        ("provision_per_1000", {"provision_per_1000": 2.5}, None),
    ],
)
def test_hidden_reason(measure, row, reason):
    values = {"provision_per_1000": np.nan, **row}
    gated = _gate([_gaps_row(**values)]).iloc[0]
    assert d.hidden_reason(gated, measure, K) == reason


# -- one split outside the lattice (people served per age group) ---------------------------------


@pytest.mark.parametrize(
    ("parts", "closed"),
    [
        ([206, 108, 27, 5], [False, False, True, True]),  # the small one and the next smallest
        ([50, 40, 30], [False, False, False]),  # nothing small: all shown
        ([50, 3, 4], [True, True, True]),  # two small ones hold 7 < 10: the third closes too
        ([50, 0, 4], [True, False, True]),  # an empty part hides nothing: the next one closes
        ([0, 0, 0], [False, False, False]),
        ([9], [True]),  # alone and small: withheld (nothing else to close)
    ],
)
def test_protect_split_leaves_no_part_the_whole_minus_the_rest(parts, closed) -> None:
    assert d.protect_split(np.array(parts), 10).tolist() == closed
