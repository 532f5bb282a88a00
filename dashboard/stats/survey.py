"""Survey-weighted intervals and the NCHS reliability rule for proportions (pure numpy/scipy).

Every function is vectorised: arguments broadcast like numpy arrays; scalars give 0-d arrays.
The variance itself comes from queries/gap_variance.sql; this module turns it into an interval and
a flag.

Notation, per figure (a ratio R = Σ w·y / Σ w·x over a domain):
    p    the estimate, a fraction in [0, 1]
    n    the unweighted number of respondents in its base (x > 0)
    v    the design-based (Taylor-linearised, ultimate-cluster) variance of p
    df   the design degrees of freedom: PSUs − strata among the base's respondents

Effective sample size
---------------------
Design effect (Kish 1965): deff = v / v_srs with v_srs = p(1 − p) / n, the variance the same
estimate would have under simple random sampling of n respondents. The effective sample size is
n_eff = n / deff = p(1 − p) / v. As in the NCHS standard (Parker et al. 2017, p. 3) a design effect
below 1 is raised to 1, so n_eff ≤ n; when p is 0 or 1 (v_srs = 0, deff undefined) n_eff = n.

With weights but no design (no stratum, no PSU), the weighting design effect of Kish (1965, §11.7)
gives n_eff = (Σ w)² / Σ w² over the base (for a category figure, w·x, the weight times the
number of its services the respondent answered).

Korn–Graubard interval (Korn & Graubard 1998, Survey Methodology 24(2):193–201)
-------------------------------------------------------------------------------
The Clopper–Pearson ("exact") binomial interval computed on the effective sample, after the
degrees-of-freedom adjustment

    n* = min(n, n_eff · (t_{n−1, 1−α/2} / t_{df, 1−α/2})²),   x* = p · n*,
    lo = B⁻¹(α/2; x*, n* − x* + 1)       (0 when x* = 0)
    hi = B⁻¹(1 − α/2; x* + 1, n* − x*)   (1 when x* = n*)

where B⁻¹(q; a, b) is the q-quantile of the Beta(a, b) distribution and t_{d, q} the Student t
quantile. With df ≤ 0 (a domain inside a single PSU: no design-based variance exists) the factor is
0 and the interval is [0, 1], as in the NCHS implementation (surveytable::svyciprop_adjusted).

NCHS reliability (Parker JD, Talih M, Malec DJ, et al. National Center for Health Statistics Data
Presentation Standards for Proportions. Vital Health Stat 2(175), 2017)
----------------------------------------------------------------------------------------------
With w = hi − lo the absolute width of the Korn–Graubard interval and w / p the relative width:

    unreliable   n_eff < 30, or w ≥ 0.30, or (w > 0.05 and w / p > 1.30): suppress or flag;
                 also df ≤ 0 (see below)
    review       otherwise, when df < 8, or p is 0 or 1 (the standard asks for clerical or
                 statistical review of these)
    reliable     otherwise

For p = 0 or 1 the width criteria are not applied (the interval has one end at p and its
relative width says nothing), as in the NCHS implementation (surveytable's NCHS flags): only the
effective sample size decides, then review. One addition to the standard, whose surveys always
have degrees of freedom: df ≤ 0 (a domain inside a single PSU, where no design-based variance
can be estimated) is unreliable whatever p; for 0 < p < 1 its interval [0, 1] says so anyway.
"""

from __future__ import annotations

import numpy as np

# scipy.special rather than scipy.stats: the same quantile functions (stats.beta.ppf, stats.t.ppf
# call them) without the second-long import of scipy.stats on every `caregap report`.
from scipy.special import betaincinv, stdtrit

ALPHA = 0.05

MIN_EFFECTIVE_N = 30
MAX_ABSOLUTE_WIDTH = 0.30
SMALL_ABSOLUTE_WIDTH = 0.05
MAX_RELATIVE_WIDTH = 1.30
MIN_DF = 8

RELIABLE = "reliable"
REVIEW = "review"
UNRELIABLE = "unreliable"
#: Flags from best to worst.
FLAGS = (RELIABLE, REVIEW, UNRELIABLE)

#: An estimate this close to 0 or 1 is taken as exactly 0 or 1 (weighted sums of equal terms
#: added in different orders can differ in the last bits).
EXTREME = 1e-12


def _array(value: object) -> np.ndarray:
    return np.asarray(value, dtype=float)


def kish_effective_n(sum_w: object, sum_w2: object) -> np.ndarray:
    """Kish's effective sample size of a weighted sample: (Σ w)² / Σ w² (≤ n; = n when equal)."""
    sum_w, sum_w2 = _array(sum_w), _array(sum_w2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sum_w2 > 0, sum_w**2 / sum_w2, np.nan)


def kish_design_effect(n: object, sum_w: object, sum_w2: object) -> np.ndarray:
    """Kish's design effect due to weighting: n Σ w² / (Σ w)² (≥ 1)."""
    return _array(n) / kish_effective_n(sum_w, sum_w2)


def is_extreme(p: object) -> np.ndarray:
    """True where the estimate is 0 or 1 (up to EXTREME)."""
    p = _array(p)
    return (p <= EXTREME) | (p >= 1 - EXTREME)


def design_effect(p: object, variance: object, n: object) -> np.ndarray:
    """deff = v / (p(1 − p)/n); NaN where p is 0 or 1 (no binomial variance to compare with)."""
    p, variance, n = _array(p), _array(variance), _array(n)
    srs = p * (1 - p) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(is_extreme(p) | ~(srs > 0), np.nan, variance / srs)


def effective_n(p: object, variance: object, n: object) -> np.ndarray:
    """n_eff = n / max(deff, 1): never above n; n itself when deff is undefined (p = 0 or 1)."""
    deff = design_effect(p, variance, n)
    deff = np.where(np.isnan(deff), 1.0, np.maximum(deff, 1.0))
    return _array(n) / deff


def df_factor(n: object, df: object, alpha: float = ALPHA) -> np.ndarray:
    """Korn–Graubard's (t_{n−1} / t_df)²: 0 where df ≤ 0 (or n ≤ 1), 1 where df is infinite."""
    n, df = _array(n), _array(df)
    ok = (df > 0) & (n > 1)
    q = 1 - alpha / 2
    with np.errstate(invalid="ignore"):
        t_n = stdtrit(np.where(ok, n - 1, 1), q)
        t_df = stdtrit(np.where(ok, df, 1), q)
    return np.where(ok, (t_n / t_df) ** 2, 0.0)


def korn_graubard(
    p: object, n_eff: object, n: object, df: object, alpha: float = ALPHA
) -> tuple[np.ndarray, np.ndarray]:
    """The Korn–Graubard (1998) interval: Clopper–Pearson on the df-adjusted effective sample.

    `n` is the actual (unweighted) sample size: it sets t_{n−1} and caps n*. Pass df=np.inf for
    no degrees-of-freedom adjustment. NaN p gives NaN ends.
    """
    p, n_eff, n = np.broadcast_arrays(_array(p), _array(n_eff), _array(n))
    p = np.where(p <= EXTREME, 0.0, np.where(p >= 1 - EXTREME, 1.0, p))
    n_star = np.minimum(n, n_eff * df_factor(n, df, alpha))
    x = p * n_star
    rest = n_star - x
    with np.errstate(invalid="ignore"):
        # B⁻¹(q; a, b) = betaincinv(a, b, q)
        lo = betaincinv(np.where(x > 0, x, 1), np.where(x > 0, rest + 1, 1), alpha / 2)
        hi = betaincinv(np.where(rest > 0, x + 1, 1), np.where(rest > 0, rest, 1), 1 - alpha / 2)
    lo = np.where(x > 0, lo, 0.0)
    hi = np.where(rest > 0, hi, 1.0)
    missing = np.isnan(p) | np.isnan(n_star)
    return np.where(missing, np.nan, lo), np.where(missing, np.nan, hi)


def clopper_pearson(p: object, n: object, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """The exact binomial interval for p = x/n (Korn–Graubard with n_eff = n, no df adjustment)."""
    return korn_graubard(p, n, n, np.inf, alpha)


def reliability(p: object, lo: object, hi: object, n_eff: object, df: object) -> np.ndarray:
    """The NCHS proportion standard's verdict per figure: 'reliable', 'review' or 'unreliable'.

    Missing (None) where p or the interval is missing (a suppressed figure).
    """
    p, lo, hi = _array(p), _array(lo), _array(hi)
    n_eff, df = _array(n_eff), _array(df)
    extreme = is_extreme(p)
    width = np.where(extreme, 0.0, hi - lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(extreme, 0.0, width / p)
    unreliable = (
        (n_eff < MIN_EFFECTIVE_N)
        | (width >= MAX_ABSOLUTE_WIDTH)
        | ((width > SMALL_ABSOLUTE_WIDTH) & (relative > MAX_RELATIVE_WIDTH))
        | (df <= 0)
    )
    review = (df < MIN_DF) | extreme
    flag = np.where(unreliable, UNRELIABLE, np.where(review, REVIEW, RELIABLE)).astype(object)
    missing = np.isnan(p) | np.isnan(lo) | np.isnan(hi) | np.isnan(n_eff)
    flag[missing] = None
    return flag


def worst(*flags: object) -> np.ndarray:
    """Element-wise worst flag (unreliable > review > reliable); None where all are None."""
    rank = {flag: i for i, flag in enumerate(FLAGS)}
    columns = np.broadcast_arrays(*(np.asarray(f, dtype=object) for f in flags))
    to_rank = np.vectorize(lambda f: rank.get(f, -1), otypes=[int])
    best = np.max([to_rank(c) for c in columns], axis=0)
    # rank -1 (no flag) picks the trailing None
    return np.array([*FLAGS, None], dtype=object)[best]
