"""The study's tables as pure functions: regression, stepwise selection and correlations on small
synthetic frames whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from dashboard.stats import tables

#: these tests check definitions at small k: a deployment whose floor is 1
pytestmark = pytest.mark.usefixtures("floor_one")


def _frame(n: int = 2_000, seed: int = 1, psu: bool = True) -> pd.DataFrame:
    """QoL = 100 − 0.8·ADL − 5·chronic + 3·(college) − 2·(self_pay) + noise; age, sex and spouse
    have no effect."""
    rng = np.random.default_rng(seed)
    adl = rng.integers(14, 57, n)
    chronic = rng.random(n) < 0.6
    education = rng.choice(["junior", "senior", "college"], n, p=[0.6, 0.25, 0.15])
    payment = rng.choice(["ncms", "urban", "self_pay"], n, p=[0.5, 0.3, 0.2])
    income = rng.choice(["low", "mid", "high"], n, p=[0.6, 0.3, 0.1])
    qol = (
        100
        - 0.8 * adl
        - 5.0 * chronic
        + 3.0 * (education == "college")
        - 2.0 * (payment == "self_pay")
        + rng.normal(0, 2.0, n)
    )
    frame = pd.DataFrame(
        {
            "qol_total": qol,
            "adl_total": adl,
            "chronic_disease": chronic,
            "education": education,
            "income_band": income,
            "payment_form": payment,
            "age": rng.integers(60, 90, n),
            "sex": rng.choice(["M", "F"], n),
            "has_spouse": rng.random(n) < 0.7,
            "weight": rng.uniform(0.5, 2.0, n),
            "stratum": "s1",
            "psu": rng.integers(0, 40, n).astype(str) if psu else None,
        }
    )
    return frame


def test_full_model_recovers_a_known_coefficient() -> None:
    reg = tables.regression_table(_frame())
    full = reg.table[reg.table["model"] == "full"].set_index(["term", "level"], drop=False)
    adl = full[full["term"] == "adl_total"].iloc[0]
    assert adl["coef"] == pytest.approx(-0.8, abs=0.02)
    chronic = full[full["term"] == "chronic_disease"].iloc[0]
    assert chronic["coef"] == pytest.approx(-5.0, abs=0.3)
    college = full[(full["term"] == "education") & (full["level"] == "college")].iloc[0]
    assert college["coef"] == pytest.approx(3.0, abs=0.4)
    # the most common level is the reference: no row for it
    assert "junior" not in set(full["level"].dropna())
    assert reg.se_method == "cluster_psu"
    assert reg.models["full"].n == 2_000
    assert 0 < reg.models["full"].r2 <= 1


def test_stepwise_picks_the_true_predictors() -> None:
    reg = tables.regression_table(_frame())
    assert set(reg.models["stepwise"].terms) == {
        "adl_total",
        "chronic_disease",
        "education",
        "payment_form",
    }
    step = reg.table[reg.table["model"] == "stepwise"]
    assert (step.loc[step["term"] != tables.INTERCEPT, "term_p"] < 0.05).all()


def test_unweighted_without_design_matches_plain_ols() -> None:
    frame = _frame(psu=False).assign(weight=1.0)
    reg = tables.regression_table(frame)
    assert reg.se_method == "ols"
    full = reg.table[reg.table["model"] == "full"]
    x, _ = tables.design_matrix(frame, tables._usable_terms(frame, tables.REGRESSION_TERMS))
    ols = sm.OLS(frame["qol_total"], x).fit()
    assert np.allclose(full["coef"], ols.params.to_numpy())
    assert np.allclose(full["se"], ols.bse.to_numpy())
    assert np.allclose(full["p"], ols.pvalues.to_numpy())


@pytest.mark.parametrize("design", ["cluster", "hc1", "ols"])
def test_fast_stepwise_fits_agree_with_statsmodels(design: str) -> None:
    frame = _frame(n=800, seed=3, psu=design == "cluster")
    if design == "ols":
        frame = frame.assign(weight=1.0)
    fitter = tables._Fitter(frame, tables.REGRESSION_TERMS)
    for terms in (fitter.terms, ["adl_total", "education"], ["payment_form", "age"]):
        result = fitter.fit(terms)
        beta, cov, _df = fitter.fast(terms)
        assert np.allclose(result.params.to_numpy(), beta.to_numpy())
        assert np.allclose(result.bse.to_numpy(), np.sqrt(np.diag(cov)))
        for term in terms:
            assert fitter.fast_term_p(terms, term) == pytest.approx(
                fitter.term_p(result, term), rel=1e-6, abs=1e-12
            )


def test_too_few_respondents_give_a_suppressed_empty_table() -> None:
    reg = tables.regression_table(_frame(n=40), min_n=50)
    assert reg.suppressed and reg.table.empty


def _inputs(n: int = 600, seed: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    qol = rng.normal(100, 10, n)
    need_a = (qol + rng.normal(0, 10, n)) < 95  # lower QoL, more need
    need_b = rng.random(n) < 0.3
    got_a = (qol + rng.normal(0, 10, n)) > 105  # lower QoL, less received
    asked_b = rng.random(n) < 0.9  # some did not answer service b
    need_bits = need_a * 1 + (need_b & asked_b) * 2
    frame = pd.DataFrame(
        {
            "qol_total": qol,
            "need_bits": need_bits,
            "need_answered_bits": 1 + asked_b * 2,
            "need_count": need_a.astype(int) + (need_b & asked_b),
            "need_answered": 1 + asked_b.astype(int),
            "received_bits": got_a * 1,
            "received_answered_bits": np.full(n, 3),
            "received_count": got_a.astype(int),
            "received_answered": np.full(n, 2),
        }
    )
    services = pd.DataFrame({"service_code": ["a", "b"], "category": ["x", "y"], "bit": [0, 1]})
    return frame, services


def test_correlations_match_scipy() -> None:
    frame, services = _inputs()
    t4 = tables.correlation_table(frame, services, "need").set_index("item_code")
    qol = frame["qol_total"]
    need_a = frame["need_bits"] & 1
    expected = stats.pearsonr(qol, need_a)
    assert t4.loc["a", "r"] == pytest.approx(expected.statistic)
    assert t4.loc["a", "p"] == pytest.approx(expected.pvalue)
    assert t4.loc["a", "r"] < 0
    asked = (frame["need_answered_bits"] & 2) > 0
    b = stats.pearsonr(qol[asked], (frame["need_bits"][asked] & 2) > 0)
    assert t4.loc["b", "respondents_n"] == int(asked.sum())
    assert t4.loc["b", "r"] == pytest.approx(b.statistic)
    overall = stats.pearsonr(qol, frame["need_count"])
    assert t4.loc[tables.ALL_SERVICES, "r"] == pytest.approx(overall.statistic)
    assert t4.loc[tables.ALL_SERVICES, "p"] == pytest.approx(overall.pvalue)
    t5 = tables.correlation_table(frame, services, "received").set_index("item_code")
    assert t5.loc["a", "r"] > 0 and t5.loc["a", "p"] < 0.05


def test_small_cells_are_suppressed() -> None:
    frame, services = _inputs(n=30)
    t4 = tables.correlation_table(frame, services, "need", min_n=100)
    assert t4["suppressed"].all() and t4["r"].isna().all() and t4["p"].isna().all()


def test_pearson_of_a_constant_is_missing() -> None:
    r, p, n = tables.pearson(np.ones(10), np.arange(10.0))
    assert np.isnan(r) and np.isnan(p) and n == 10


@pytest.mark.parametrize("design", ["cluster", "hc1", "ols"])
def test_the_reported_coefficients_and_fit_equal_statsmodels(design: str) -> None:
    frame = _frame(n=800, seed=5, psu=design == "cluster")
    if design == "ols":
        frame = frame.assign(weight=1.0)
    fitter = tables._Fitter(frame, tables.REGRESSION_TERMS)
    terms = fitter.terms
    table, fit = tables._coefficients(fitter, "full", terms)
    result = fitter.fit(terms)
    assert list(table["coef"]) == pytest.approx(list(result.params), rel=1e-8)
    assert list(table["se"]) == pytest.approx(list(result.bse), rel=1e-6)
    assert list(table["p"]) == pytest.approx(list(result.pvalues), rel=1e-5, abs=1e-12)
    assert fit.r2 == pytest.approx(result.rsquared, rel=1e-9)
    assert fit.adj_r2 == pytest.approx(result.rsquared_adj, rel=1e-9)
    assert fit.n == int(result.nobs)
