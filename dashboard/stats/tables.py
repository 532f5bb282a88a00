"""The study's tables regenerated from data: pure functions, a respondent-level frame in, aggregate
table frames out.

T1  multiple regression of the QoL total on the covariates: the full model and a stepwise one
    (forward entry at p < 0.05, backward removal at p > 0.10: SPSS's defaults). Least squares
    weighted by the design weights; with a PSU column, standard errors are cluster-robust by PSU
    (strata are not used, which errs on the conservative side); without one, and with equal
    weights, ordinary OLS standard errors as SPSS prints them. Categorical covariates enter as
    dummies against their most common level; stepwise enters and removes a covariate as a whole
    (all its dummies, by a joint Wald test).
T4  correlation of the QoL total with need: per service, Pearson's r with the 0/1 indicator
    "needs it" (point-biserial), over the respondents who answered that question; overall, with
    the number of services needed. Unweighted, as the study's SPSS correlations.
T5  the same with "received it" and the number of services received.

The respondent-level input (see queries/quality_inputs.sql) never leaves the server: everything
returned here is an aggregate (coefficients, correlations, counts). Cells resting on fewer than
`min_n` respondents are suppressed like every other figure, by the disclosure gate
(dashboard/disclosure.py: its floor test, and its CORRELATIONS rules).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from dashboard import disclosure

#: Covariates of T1 and how they enter: numeric, binary (0/1) or categorical (dummies).
REGRESSION_TERMS: tuple[tuple[str, str], ...] = (
    ("adl_total", "numeric"),
    ("chronic_disease", "binary"),
    ("education", "categorical"),
    ("income_band", "categorical"),
    ("payment_form", "categorical"),
    ("age", "numeric"),
    ("sex", "categorical"),
    ("has_spouse", "binary"),
)
ENTER_P = 0.05
REMOVE_P = 0.10
INTERCEPT = "(intercept)"
ALL_SERVICES = "all_services"
#: The bit columns of queries/quality_inputs.sql, per indicator.
BITS = {
    "need": ("need_bits", "need_answered_bits", "need_count", "need_answered"),
    "received": ("received_bits", "received_answered_bits", "received_count", "received_answered"),
}
REGRESSION_COLUMNS = ("model", "term", "level", "coef", "se", "t", "p", "term_p", "n", "r2")
CORRELATION_COLUMNS = ("item_code", "category", "respondents_n", "r", "p", "suppressed")


@dataclass(frozen=True)
class ModelFit:
    """One fitted model's summary: who it rests on and how well it fits."""

    terms: tuple[str, ...]
    n: int
    r2: float
    adj_r2: float


@dataclass(frozen=True)
class Regression:
    """T1: the coefficient table of both models and their summaries."""

    table: pd.DataFrame
    models: dict[str, ModelFit] = field(default_factory=dict)
    se_method: str = "ols"  # "cluster_psu" | "hc1" | "ols"
    suppressed: bool = False
    #: the listwise-complete respondents of a fit before the floor (`publish_regression` sets
    #: it to 0 on what it suppresses: a suppressed table says nothing about its size)
    n: int = 0


# -- T1 ----------------------------------------------------------------------------------------


def _usable_terms(frame: pd.DataFrame, terms: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Covariates the data has and that vary (a constant one cannot be estimated)."""
    return [
        (name, kind)
        for name, kind in terms
        if name in frame and frame[name].notna().any() and frame[name].nunique(dropna=True) > 1
    ]


def design_matrix(
    frame: pd.DataFrame, terms: Sequence[tuple[str, str]]
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Regressors (with an intercept) and, per covariate, its columns.

    Categorical covariates become one dummy per level except the most common (ties: the first
    in sorted order), named ``name=level``; binary ones are 0/1 columns named ``name``.
    """
    columns: dict[str, np.ndarray] = {INTERCEPT: np.ones(len(frame))}
    groups: dict[str, list[str]] = {}
    for name, kind in terms:
        values = frame[name]
        if kind == "categorical":
            text = values.astype(str)
            counts = text.value_counts(dropna=False)
            reference = sorted(counts[counts == counts.max()].index)[0]
            # the levels from the counts, not set(text): iterating an Arrow-backed column row
            # by row costs seconds on a million respondents
            levels = sorted(set(counts.index) - {reference})
            groups[name] = [f"{name}={level}" for level in levels]
            for level in levels:
                columns[f"{name}={level}"] = (text == level).to_numpy(dtype=float)
        else:
            columns[name] = values.astype(float).to_numpy()
            groups[name] = [name]
    return pd.DataFrame(columns, index=frame.index), groups


def _se_method(frame: pd.DataFrame) -> str:
    if "psu" in frame and frame["psu"].notna().all() and frame["psu"].nunique() > 1:
        return "cluster_psu"
    if "weight" in frame and frame["weight"].nunique() > 1:
        return "hc1"
    return "ols"


def _fit(y: np.ndarray, x: pd.DataFrame, w: np.ndarray, method: str, psu: np.ndarray | None):
    model = sm.WLS(y, x, weights=w)
    if method == "cluster_psu":
        return model.fit(method="qr", cov_type="cluster", cov_kwds={"groups": psu}, use_t=True)
    if method == "hc1":
        return model.fit(method="qr", cov_type="HC1", use_t=True)
    return model.fit(method="qr")


def _term_p(result, columns: list[str]) -> float:
    """p of a covariate: its t-test when it has one column, else the joint Wald F test."""
    if len(columns) == 1:
        return float(result.pvalues[columns[0]])
    names = list(result.params.index)
    restriction = np.zeros((len(columns), len(names)))
    for i, c in enumerate(columns):
        restriction[i, names.index(c)] = 1.0
    try:
        test = result.wald_test(restriction, use_f=True, scalar=True)
    except (np.linalg.LinAlgError, ValueError):
        return float("nan")
    return float(np.squeeze(test.pvalue))


class _Fitter:
    """Fits models on one listwise-complete sample, any subset of the covariates.

    The stepwise search fits dozens of models, so it works from cross-products computed once
    (per PSU for cluster-robust errors): a model is then a small solve, however many respondents
    there are. The reported models are fitted by statsmodels; `fast` gives the same estimates,
    standard errors and p values (the tests hold the two together).
    """

    def __init__(self, frame: pd.DataFrame, terms: Sequence[tuple[str, str]]) -> None:
        needed = ["qol_total", *(name for name, _ in terms if name in frame)]
        sample = frame.dropna(subset=needed)
        if "weight" in sample:
            sample = sample[sample["weight"].notna() & (sample["weight"] > 0)]
        self.sample = sample
        self.method = _se_method(sample)
        self.x, self.groups = design_matrix(sample, _usable_terms(sample, terms))
        self.y = sample["qol_total"].astype(float).to_numpy()
        self.w = (
            sample["weight"].astype(float).to_numpy()
            if "weight" in sample
            else np.ones(len(sample))
        )
        self.psu = pd.factorize(sample["psu"])[0] if self.method == "cluster_psu" else None
        self.index = {c: i for i, c in enumerate(self.x.columns)}
        z = np.column_stack([self.x.to_numpy(dtype=float), self.y])
        self.cross = z.T @ (z * self.w[:, None])  # [X y]' W [X y]
        self.per_cluster: np.ndarray | None = None
        if self.psu is not None:
            order = np.argsort(self.psu, kind="stable")
            starts = np.flatnonzero(np.r_[True, np.diff(self.psu[order]) != 0])
            bounds = np.r_[starts, len(order)]
            zs, ws = z[order], self.w[order]
            self.per_cluster = np.stack(
                [zs[i:j].T @ (zs[i:j] * ws[i:j, None]) for i, j in itertools.pairwise(bounds)]
            )

    @property
    def terms(self) -> list[str]:
        return list(self.groups)

    def columns(self, terms: Sequence[str]) -> list[str]:
        return [INTERCEPT, *(c for t in terms for c in self.groups[t])]

    def fit(self, terms: Sequence[str]):
        """The statsmodels fit of the model with these covariates."""
        cols = self.columns(terms)
        return _fit(self.y, self.x[cols], self.w, self.method, self.psu)

    def fast(self, terms: Sequence[str]) -> tuple[pd.Series, np.ndarray, float]:
        """Coefficients, their covariance and the residual df for inference, from cross-products."""
        cols = self.columns(terms)
        idx = [self.index[c] for c in cols]
        y = len(self.index)
        xwx = self.cross[np.ix_(idx, idx)]
        xwy = self.cross[idx, y]
        bread = np.linalg.pinv(xwx)
        beta = bread @ xwy
        n, k = len(self.y), len(cols)
        if self.per_cluster is not None:
            a = self.per_cluster[:, idx, y]  # per PSU: sum w x y
            b = self.per_cluster[:, idx][:, :, idx]  # per PSU: sum w x x'
            scores = a - b @ beta
            g = len(scores)
            meat = scores.T @ scores
            cov = bread @ meat @ bread * (g / (g - 1)) * ((n - 1) / (n - k))
            df = float(g - 1)
        elif self.method == "hc1":
            x = self.x[cols].to_numpy(dtype=float)
            e = self.y - x @ beta
            u = x * (self.w * e)[:, None]
            cov = bread @ (u.T @ u) @ bread * (n / (n - k))
            df = float(n - k)
        else:
            rss = self.cross[y, y] - 2 * beta @ xwy + beta @ xwx @ beta
            cov = bread * (rss / (n - k))
            df = float(n - k)
        return pd.Series(beta, index=cols), cov, df

    def fast_term_p(self, terms: Sequence[str], term: str) -> float:
        """p of `term` in the model with `terms`, as `term_p` would give from statsmodels."""
        beta, cov, df = self.fast(terms)
        where = [list(beta.index).index(c) for c in self.groups[term]]
        b = beta.to_numpy()[where]
        v = cov[np.ix_(where, where)]
        try:
            stat = float(b @ np.linalg.solve(v, b)) / len(where)
        except np.linalg.LinAlgError:
            return float("nan")
        if len(where) == 1:
            return float(2 * stats.t.sf(abs(np.sqrt(stat)), df))
        return float(stats.f.sf(stat, len(where), df))

    def term_p(self, result, term: str) -> float:
        return _term_p(result, self.groups[term])


def stepwise_terms(
    fitter: _Fitter, enter: float = ENTER_P, remove: float = REMOVE_P, max_steps: int = 100
) -> list[str]:
    """Forward entry of the covariate with the smallest p below `enter`, then backward removal of
    the one with the largest p above `remove`, until neither changes the model (SPSS stepwise)."""
    selected: list[str] = []
    for _ in range(max_steps):
        changed = False
        candidates = {}
        for term in fitter.terms:
            if term not in selected:
                p = fitter.fast_term_p([*selected, term], term)
                if not np.isnan(p):
                    candidates[term] = p
        if candidates:
            best = min(candidates, key=candidates.__getitem__)
            if candidates[best] < enter:
                selected.append(best)
                changed = True
        if selected:
            ps = {term: fitter.fast_term_p(selected, term) for term in selected}
            worst = max(ps, key=lambda t: -1.0 if np.isnan(ps[t]) else ps[t])
            if ps[worst] > remove:
                selected.remove(worst)
                changed = True
        if not changed:
            break
    return selected


def _r_squared(fitter: _Fitter, beta: pd.Series) -> float:
    """Weighted R² about the weighted mean (statsmodels' WLS `rsquared`), from cross-products."""
    idx = [fitter.index[c] for c in beta.index]
    y = len(fitter.index)
    xwx, xwy = fitter.cross[np.ix_(idx, idx)], fitter.cross[idx, y]
    b = beta.to_numpy()
    ssr = fitter.cross[y, y] - 2 * b @ xwy + b @ xwx @ b
    one = fitter.index[INTERCEPT]
    sum_w, sum_wy = fitter.cross[one, one], fitter.cross[one, y]
    tss = fitter.cross[y, y] - sum_wy**2 / sum_w
    return float(1 - ssr / tss) if tss > 0 else float("nan")


def _coefficients(
    fitter: _Fitter, model: str, terms: Sequence[str]
) -> tuple[pd.DataFrame, ModelFit]:
    """The model's coefficient rows, from the fitter's cross-products (the same estimates,
    errors and p values as statsmodels, which the tests hold them to, without a QR of n rows:
    a million respondents fit in milliseconds)."""
    beta, cov, df = fitter.fast(terms)
    se = np.sqrt(np.diag(cov))
    t = beta.to_numpy() / se
    p = 2 * stats.t.sf(np.abs(t), df)
    n = len(fitter.y)
    r2 = _r_squared(fitter, beta)
    rows = []
    for i, column in enumerate(beta.index):
        term, _, level = column.partition("=")
        term_p = float(p[i]) if column == INTERCEPT else fitter.fast_term_p(terms, term)
        rows.append(
            {
                "model": model,
                "term": term,
                "level": level or None,
                "coef": float(beta.iloc[i]),
                "se": float(se[i]),
                "t": float(t[i]),
                "p": float(p[i]),
                "term_p": term_p,
                "n": n,
                "r2": r2,
            }
        )
    adj_r2 = 1 - (n - 1) / (n - len(beta)) * (1 - r2)
    summary = ModelFit(tuple(terms), n, r2, float(adj_r2))
    return pd.DataFrame(rows, columns=list(REGRESSION_COLUMNS)), summary


def fit_regression(
    frame: pd.DataFrame,
    terms: Sequence[tuple[str, str]] = REGRESSION_TERMS,
    *,
    enter: float = ENTER_P,
    remove: float = REMOVE_P,
) -> Regression:
    """T1 before the floor: the stepwise model then the full model, one row per coefficient.

    Columns: model ("stepwise" | "full"), term (covariate, or "(intercept)"), level (the dummy's
    level, else missing), coef, se, t, p (of the coefficient), term_p (of the covariate as a
    whole), n and r2 (of the model). Fewer complete respondents than the full model has
    parameters plus two: an empty table, flagged suppressed. PRIVACY: pass it through
    `publish_regression` before anything of it leaves.
    """
    fitter = _Fitter(frame, terms)
    n = len(fitter.sample)
    if n < fitter.x.shape[1] + 2 or not fitter.terms:
        return Regression(_no_coefficients(), {}, fitter.method, suppressed=True, n=n)
    chosen = stepwise_terms(fitter, enter, remove)
    step_table, step_fit = _coefficients(fitter, "stepwise", chosen)
    full_table, full_fit = _coefficients(fitter, "full", fitter.terms)
    return Regression(
        pd.concat([step_table, full_table], ignore_index=True),
        {"stepwise": step_fit, "full": full_fit},
        fitter.method,
        n=n,
    )


def publish_regression(fit: Regression, *, min_n: int = 1, published: bool = True) -> Regression:
    """T1 as it may be shown: suppressed when it rests on fewer than `min_n` respondents (never
    below the deployment's floor) or on a slice the differencing rule closes (`published`)."""
    if (
        fit.suppressed
        or not published
        or disclosure.too_small(fit.n, disclosure.effective_k(min_n))
    ):
        return Regression(_no_coefficients(), {}, fit.se_method, suppressed=True)
    return fit


def regression_table(
    frame: pd.DataFrame,
    terms: Sequence[tuple[str, str]] = REGRESSION_TERMS,
    *,
    min_n: int = 1,
    enter: float = ENTER_P,
    remove: float = REMOVE_P,
    published: bool = True,
) -> Regression:
    """T1 fitted (`fit_regression`) and published (`publish_regression`): an empty table,
    flagged suppressed, below the floor, on a closed slice or when too few for a fit."""
    fit = fit_regression(frame, terms, enter=enter, remove=remove)
    return publish_regression(fit, min_n=min_n, published=published)


def _no_coefficients() -> pd.DataFrame:
    return pd.DataFrame(columns=list(REGRESSION_COLUMNS))


# -- T4 / T5 -----------------------------------------------------------------------------------


def pearson(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """Pearson's r, its two-sided p and n over the pairs where both are present.

    r and p are missing when fewer than three pairs remain or either variable is constant.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    n = int(ok.sum())
    if n < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return float("nan"), float("nan"), n
    result = stats.pearsonr(x[ok], y[ok])
    return float(result.statistic), float(result.pvalue), n


def _bit(values: pd.Series, bit: int) -> np.ndarray:
    return (values.to_numpy(dtype=np.int64) >> bit) & 1 == 1


def correlation_rows(frame: pd.DataFrame, services: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """T4 (`indicator` "need") or T5 ("received") before the floor: r of the QoL total with each
    service's 0/1 indicator, then (item_code "all_services") with the number of services.

    `frame` is queries/quality_inputs.sql's; `services` has service_code, category and bit (see
    queries/service_bits.sql). Columns: item_code, category, respondents_n, r, p, suppressed.
    PRIVACY: pass it through `publish_correlations` before anything of it leaves.
    """
    flags, answered, count, count_answered = BITS[indicator]
    qol = frame["qol_total"].astype(float).to_numpy()
    rows = []
    has_any = frame[count_answered].to_numpy() > 0
    x_all = np.where(has_any, frame[count].astype(float).to_numpy(), np.nan)
    rows.append((ALL_SERVICES, None, *_cell(x_all, qol)))
    for service in services.itertuples():
        if service.bit >= 62:
            continue
        asked = _bit(frame[answered], service.bit)
        x = np.where(asked, _bit(frame[flags], service.bit).astype(float), np.nan)
        rows.append((service.service_code, service.category, *_cell(x, qol)))
    return pd.DataFrame(rows, columns=list(CORRELATION_COLUMNS))


def publish_correlations(
    rows: pd.DataFrame, *, min_n: int = 1, published: Callable[[str], bool] | bool = True
) -> pd.DataFrame:
    """T4/T5 as they may be shown: a row resting on fewer than `min_n` respondents, or one the
    differencing rule closes (`published(item_code)` False), has r and p missing and its
    respondents_n withheld (the disclosure gate's CORRELATIONS rules)."""
    is_open = published if callable(published) else (lambda _item: published)
    open_ = np.array([bool(is_open(item)) for item in rows["item_code"]], dtype=bool)
    return disclosure.gate(rows, disclosure.CORRELATIONS, min_n, published=open_)


def correlation_table(
    frame: pd.DataFrame,
    services: pd.DataFrame,
    indicator: str,
    *,
    min_n: int = 1,
    published: Callable[[str], bool] | bool = True,
) -> pd.DataFrame:
    """T4/T5 computed (`correlation_rows`) and published (`publish_correlations`)."""
    rows = correlation_rows(frame, services, indicator)
    return publish_correlations(rows, min_n=min_n, published=published)


def _cell(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float, None]:
    """n, r and p of one cell, unsuppressed (the gate sets `suppressed`)."""
    r, p, n = pearson(x, y)
    return n, r, p, None
