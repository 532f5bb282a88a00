"""dashboard.stats.survey: effective n, Korn–Graubard endpoints, the NCHS reliability rule.

Small cases worked by hand; interval ends against scipy's beta and t quantiles written out.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard.stats import survey


def test_kish_effective_n_by_hand():
    # weights 1, 2, 3: (6)^2 / (1 + 4 + 9) = 36 / 14
    assert survey.kish_effective_n(6.0, 14.0) == pytest.approx(36 / 14, rel=1e-15)
    # equal weights: n_eff = n whatever the weight
    w = np.full(7, 2.5)
    assert survey.kish_effective_n(w.sum(), (w**2).sum()) == pytest.approx(7, rel=1e-15)
    assert survey.kish_design_effect(3, 6.0, 14.0) == pytest.approx(3 * 14 / 36, rel=1e-15)
    assert np.isnan(survey.kish_effective_n(0.0, 0.0))


def test_design_effect_and_effective_n():
    # p = 0.2, n = 100: v_srs = 0.2 · 0.8 / 100 = 0.0016
    assert survey.design_effect(0.2, 0.0032, 100) == pytest.approx(2.0, rel=1e-12)
    assert survey.effective_n(0.2, 0.0032, 100) == pytest.approx(50.0, rel=1e-12)
    # deff below 1 is raised to 1: n_eff never exceeds n
    assert survey.effective_n(0.2, 0.0008, 100) == pytest.approx(100.0)
    # a zero variance (deff 0) also gives n
    assert survey.effective_n(0.2, 0.0, 100) == pytest.approx(100.0)
    # p = 0 or 1: deff undefined, n_eff = n
    assert np.isnan(survey.design_effect(0.0, 0.0, 40))
    assert survey.effective_n(np.array([0.0, 1.0]), 0.0, 40).tolist() == [40.0, 40.0]


def test_df_factor():
    q = 0.975
    want = (stats.t.ppf(q, 99) / stats.t.ppf(q, 12)) ** 2
    assert survey.df_factor(100, 12) == pytest.approx(want, rel=1e-14)
    assert survey.df_factor(100, 99) == pytest.approx(1.0, rel=1e-14)
    assert survey.df_factor(100, np.inf) == pytest.approx(
        (stats.t.ppf(q, 99) / 1.959963984540054) ** 2
    )
    assert survey.df_factor(100, 0) == 0.0
    assert survey.df_factor(1, 5) == 0.0


def _beta_ends(x: float, n: float) -> tuple[float, float]:
    lo = 0.0 if x == 0 else stats.beta.ppf(0.025, x, n - x + 1)
    hi = 1.0 if x == n else stats.beta.ppf(0.975, x + 1, n - x)
    return lo, hi


def test_korn_graubard_without_design_is_clopper_pearson():
    # 7 of 20: Clopper–Pearson, as scipy's exact binomial interval
    lo, hi = survey.korn_graubard(7 / 20, 20, 20, 19)
    ci = stats.binomtest(7, 20).proportion_ci(confidence_level=0.95, method="exact")
    assert float(lo) == pytest.approx(ci.low, abs=1e-12)
    assert float(hi) == pytest.approx(ci.high, abs=1e-12)
    lo, hi = survey.clopper_pearson(7 / 20, 20)
    assert float(lo) == pytest.approx(ci.low, abs=1e-12)


def test_korn_graubard_endpoints_with_effective_n_and_df():
    p, n, n_eff, df = 0.3, 200, 80.0, 15
    n_star = n_eff * (stats.t.ppf(0.975, n - 1) / stats.t.ppf(0.975, df)) ** 2
    want = _beta_ends(p * n_star, n_star)
    lo, hi = survey.korn_graubard(p, n_eff, n, df)
    assert (float(lo), float(hi)) == pytest.approx(want, abs=1e-12)
    # fewer degrees of freedom: a smaller effective sample, a wider interval
    lo2, hi2 = survey.korn_graubard(p, n_eff, n, 3)
    assert lo2 < lo and hi2 > hi


def test_korn_graubard_caps_at_n():
    # df larger than n − 1 would inflate n*: it stays at n
    lo, hi = survey.korn_graubard(0.5, 50, 50, 1000)
    want = _beta_ends(25, 50)
    assert (float(lo), float(hi)) == pytest.approx(want, abs=1e-12)


def test_korn_graubard_extremes():
    # p = 0: lower end 0, upper end 1 − (α/2)^(1/n*)
    lo, hi = survey.korn_graubard(0.0, 40, 40, 39)
    assert float(lo) == 0.0
    assert float(hi) == pytest.approx(1 - 0.025 ** (1 / 40), rel=1e-12)
    lo, hi = survey.korn_graubard(1.0, 40, 40, 39)
    assert float(hi) == 1.0
    assert float(lo) == pytest.approx(0.025 ** (1 / 40), rel=1e-12)
    # a hair off 0 or 1 (weighted sums) counts as 0 or 1
    lo, hi = survey.korn_graubard(1 - 1e-15, 40, 40, 39)
    assert float(hi) == 1.0
    # no degrees of freedom: nothing is known, [0, 1]
    lo, hi = survey.korn_graubard(0.4, 100, 100, 0)
    assert (float(lo), float(hi)) == (0.0, 1.0)
    # missing estimate: missing ends
    lo, hi = survey.korn_graubard(np.nan, 100, 100, 10)
    assert math.isnan(lo) and math.isnan(hi)


def test_korn_graubard_vectorised():
    p = np.array([0.1, 0.5, 0.0, np.nan])
    lo, hi = survey.korn_graubard(p, 60, 100, np.array([10, 20, 30, 40]))
    assert lo.shape == hi.shape == (4,)
    for i in range(3):
        one = survey.korn_graubard(p[i], 60, 100, [10, 20, 30][i])
        assert (lo[i], hi[i]) == pytest.approx((float(one[0]), float(one[1])), abs=1e-15)
    assert np.isnan(lo[3]) and np.isnan(hi[3])


@pytest.mark.parametrize(
    ("p", "lo", "hi", "n_eff", "df", "want"),
    [
        # effective n: 30 passes, just below fails
        (0.5, 0.48, 0.52, 30, 20, "reliable"),
        (0.5, 0.48, 0.52, 29.999, 20, "unreliable"),
        # absolute width ≤ 0.05: reliable whatever the relative width (p small)
        (0.02, 0.0, 0.05, 1000, 20, "reliable"),
        # absolute width ≥ 0.30: unreliable, even with a small relative width
        (0.6, 0.45, 0.75, 1000, 20, "unreliable"),
        (0.6, 0.451, 0.75, 1000, 20, "reliable"),
        # 0.05 < width < 0.30: relative width > 130% of p fails, = 130% passes
        (0.1, 0.02, 0.151, 1000, 20, "unreliable"),
        (0.1, 0.02, 0.15, 1000, 20, "reliable"),
        # degrees of freedom below 8: review (8 is enough)
        (0.5, 0.48, 0.52, 100, 7, "review"),
        (0.5, 0.48, 0.52, 100, 8, "reliable"),
        # unreliable wins over review
        (0.5, 0.48, 0.52, 10, 3, "unreliable"),
        # 0% and 100%: only the effective n counts, then review
        (0.0, 0.0, 0.09, 40, 39, "review"),
        (1.0, 0.91, 1.0, 40, 39, "review"),
        (0.0, 0.0, 0.2, 20, 19, "unreliable"),
        # no degrees of freedom (one PSU): unreliable, also at 0% (whose width is not checked)
        (0.0, 0.0, 1.0, 40, 0, "unreliable"),
        (0.0, 0.0, 0.09, 40, 1, "review"),
    ],
)
def test_reliability_edges(p, lo, hi, n_eff, df, want):
    assert survey.reliability(p, lo, hi, n_eff, df).item() == want


def test_reliability_missing_and_vectorised():
    flags = survey.reliability(
        np.array([0.5, np.nan, 0.5]),
        np.array([0.48, np.nan, 0.3]),
        np.array([0.52, np.nan, 0.7]),
        np.array([100, np.nan, 100]),
        np.array([20, np.nan, 20]),
    )
    assert flags.tolist() == ["reliable", None, "unreliable"]


def test_worst():
    a = np.array(["reliable", "review", None, "reliable", None], dtype=object)
    b = np.array(["review", "reliable", "unreliable", None, None], dtype=object)
    c = np.array(["reliable", "unreliable", None, "reliable", None], dtype=object)
    assert survey.worst(a, b, c).tolist() == [
        "review",
        "unreliable",
        "unreliable",
        "reliable",
        None,
    ]
