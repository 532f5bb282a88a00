"""Scoring of the study's two instruments: the SF-36 health survey and the Lawton–Brody ADL scale.

Both functions are pure and vectorised: a frame of item answers in, a frame of scores out (same
index), so that the importer, the statistics views and the demo generator score alike.

SF-36
    The standard SF-36 v1 algorithm (Ware, *SF-36 Health Survey: Manual and Interpretation Guide*;
    the RAND-compatible 0–100 transformation of the original scoring). The study used the Chinese
    version, whose published adaptation recodes some vitality and mental-health items; this module
    deliberately uses the standard scaling instead, because the study does not publish its recoding
    and the standard one is what any other dataset brought to CareGap will expect.

    The study grades quality of life by Zhang Lei's (2004) cut-offs on an "SF-36 total" that it
    never defines. CareGap reads that total as the sum of the eight *raw* domain scales (after
    recalibration and reversal, before the 0–100 transformation), whose range 35–145 is the only
    reading in which the cut-offs 72 and 117 fall inside the scale and leave the published 1.05% /
    98.5% / 0.45% split plausible. This is the project's interpretation, not the study's stated
    definition.

ADL
    Fourteen items scored 1 (does it alone) to 4 (cannot do it); the total runs 14–56. The published
    bands overlap at 40 (moderate 31–40, severe ≥ 40); 40 is treated as moderate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SF36_ITEMS: tuple[str, ...] = tuple(f"sf36_{i:02d}" for i in range(1, 37))
ADL_ITEMS: tuple[str, ...] = tuple(f"adl_{i:02d}" for i in range(1, 15))

DOMAINS: tuple[str, ...] = ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh")

# Highest valid answer code of each item, in sequential order 1..36 (the lowest is always 1).
SF36_MAX_CODE: tuple[int, ...] = (
    5, 5,                              # 1 GH1, 2 health transition
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3,      # 3-12  (3a-3j) physical functioning
    2, 2, 2, 2,                        # 13-16 (4a-4d) role-physical
    2, 2, 2,                           # 17-19 (5a-5c) role-emotional
    5,                                 # 20 (6) social functioning 1
    6,                                 # 21 (7) bodily pain 1
    5,                                 # 22 (8) bodily pain 2
    6, 6, 6, 6, 6, 6, 6, 6, 6,         # 23-31 (9a-9i) vitality / mental health
    5,                                 # 32 (10) social functioning 2
    5, 5, 5, 5,                        # 33-36 (11a-11d) general health
)  # fmt: skip

# Items (1-based, sequential numbering) of each domain.
DOMAIN_ITEMS: dict[str, tuple[int, ...]] = {
    "pf": (3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    "rp": (13, 14, 15, 16),
    "bp": (21, 22),
    "gh": (1, 33, 34, 35, 36),
    "vt": (23, 27, 29, 31),  # 9a, 9e, 9g, 9i
    "sf": (20, 32),  # 6, 10
    "re": (17, 18, 19),
    "mh": (24, 25, 26, 28, 30),  # 9b, 9c, 9d, 9f, 9h
}

# Lowest raw score and range of each domain (Ware's table): minima sum to 35, maxima to 145.
DOMAIN_MIN: dict[str, float] = {
    "pf": 10,
    "rp": 4,
    "bp": 2,
    "gh": 5,
    "vt": 4,
    "sf": 2,
    "re": 3,
    "mh": 5,
}
DOMAIN_RANGE: dict[str, float] = {
    "pf": 20,
    "rp": 4,
    "bp": 10,
    "gh": 20,
    "vt": 20,
    "sf": 8,
    "re": 3,
    "mh": 25,
}

# Items whose answer codes run from best to worst and are reversed (max + 1 - code):
# 6 (item 20), 9a (23), 9d (26), 9e (27), 9h (30), 11b (34), 11d (36).
REVERSED_ITEMS: tuple[int, ...] = (20, 23, 26, 27, 30, 34, 36)

# Recalibrated values, indexed by answer code (index 0 unused).
GH1_RECODE = np.array([np.nan, 5.0, 4.4, 3.4, 2.0, 1.0])
BP1_RECODE = np.array([np.nan, 6.0, 5.4, 4.2, 3.1, 2.2, 1.0])
BP2_RECODE_WITH_BP1 = np.array([np.nan, 5.0, 4.0, 3.0, 2.0, 1.0])  # code 1 is 6.0 when BP1 == 1
BP2_RECODE_WITHOUT_BP1 = np.array([np.nan, 6.0, 4.75, 3.5, 2.25, 1.0])

QOL_POOR_MAX = 72.0
QOL_MEDIUM_MAX = 117.0
QOL_GRADES: tuple[str, ...] = ("poor", "medium", "good")

ADL_NORMAL_MAX = 20
ADL_MILD_MAX = 30
ADL_MODERATE_MAX = 40
ADL_LEVELS: tuple[str, ...] = ("normal", "mild", "moderate", "severe")

# Decimals kept in raw scores: recalibrated values have at most two, so rounding removes only the
# floating-point noise that could put a total of exactly 72 on the wrong side of a cut-off.
_RAW_DECIMALS = 9


def _numeric_items(items: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """The named columns as a float matrix; anything not a number becomes NaN."""
    missing = [c for c in columns if c not in items.columns]
    if missing:
        raise KeyError(f"missing item columns: {', '.join(missing)}")
    out = np.empty((len(items), len(columns)))
    for k, column in enumerate(columns):
        values = pd.to_numeric(items[column], errors="coerce")
        out[:, k] = values.to_numpy(dtype=float, na_value=np.nan)
    return out


def _valid_codes(values: np.ndarray, max_codes: np.ndarray) -> np.ndarray:
    """Answers that are whole numbers from 1 to the item's maximum; everything else becomes NaN."""
    ok = (values >= 1) & (values <= max_codes) & (values == np.floor(values))
    return np.where(ok, values, np.nan)


def _lookup(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Recode valid integer codes through ``table``; NaN stays NaN."""
    idx = np.where(np.isnan(codes), 0, codes).astype(np.int64)
    return np.where(np.isnan(codes), np.nan, table[idx])


def sf36_recoded(values: np.ndarray) -> np.ndarray:
    """Item values after validation, recalibration and reversal, so that higher is always better.

    ``values`` is an (n, 36) float array of answer codes in sequential item order (NaN = missing).
    Returned columns keep that order; item 2 (health transition) is validated, otherwise untouched.
    """
    max_codes = np.asarray(SF36_MAX_CODE, dtype=float)
    codes = _valid_codes(np.asarray(values, dtype=float), max_codes)
    out = codes.copy()
    for item in REVERSED_ITEMS:
        out[:, item - 1] = max_codes[item - 1] + 1 - codes[:, item - 1]
    out[:, 0] = _lookup(GH1_RECODE, codes[:, 0])
    bp1, bp2 = codes[:, 20], codes[:, 21]
    out[:, 20] = _lookup(BP1_RECODE, bp1)
    with_bp1 = _lookup(BP2_RECODE_WITH_BP1, bp2)
    with_bp1 = np.where((bp2 == 1) & (bp1 == 1), 6.0, with_bp1)
    out[:, 21] = np.where(np.isnan(bp1), _lookup(BP2_RECODE_WITHOUT_BP1, bp2), with_bp1)
    return out


def sf36_raw_scales(values: np.ndarray) -> np.ndarray:
    """Raw domain scales (n, 8) in ``DOMAINS`` order, with the half-scale rule applied.

    A domain is scored when at least half of its items are answered; missing items then take the
    mean of the answered ones (so the raw score is that mean times the number of items). Otherwise
    it is NaN. This is the array-level core of :func:`score_sf36`, shared with the demo generator.
    """
    recoded = sf36_recoded(values)
    raw = np.empty((recoded.shape[0], len(DOMAINS)))
    for k, domain in enumerate(DOMAINS):
        cols = recoded[:, [i - 1 for i in DOMAIN_ITEMS[domain]]]
        n_items = cols.shape[1]
        answered = (~np.isnan(cols)).sum(axis=1)
        total = np.nansum(cols, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = total / answered * n_items
        raw[:, k] = np.where(answered * 2 >= n_items, np.round(scale, _RAW_DECIMALS), np.nan)
    return raw


def qol_grade_of(total: pd.Series | np.ndarray) -> np.ndarray:
    """Zhang Lei (2004) grade of a QoL total: poor ≤ 72 < medium ≤ 117 < good; None when missing."""
    t = np.round(np.asarray(total, dtype=float), _RAW_DECIMALS)
    grade = np.where(t <= QOL_POOR_MAX, "poor", np.where(t <= QOL_MEDIUM_MAX, "medium", "good"))
    return np.where(np.isnan(t), None, grade).astype(object)


def adl_level_of(total: pd.Series | np.ndarray) -> np.ndarray:
    """ADL level of a total: normal ≤ 20, mild 21–30, moderate 31–40, severe ≥ 41; or None."""
    t = np.asarray(total, dtype=float)
    level = np.select(
        [t <= ADL_NORMAL_MAX, t <= ADL_MILD_MAX, t <= ADL_MODERATE_MAX],
        ["normal", "mild", "moderate"],
        "severe",
    )
    return np.where(np.isnan(t), None, level).astype(object)


def score_sf36(items: pd.DataFrame) -> pd.DataFrame:
    """Score SF-36 answers (columns ``sf36_01`` … ``sf36_36``, standard v1 item order).

    Returns, on the input's index: ``raw_pf`` … ``raw_mh`` (raw domain scales), ``pf`` … ``mh``
    (0–100, higher is better), ``qol_total`` and ``qol_grade``.

    Steps (Ware's standard algorithm): answers outside an item's range, or not whole numbers, are
    missing; item 1 (GH1) and the two pain items are recalibrated (BP2 by the rule that depends on
    whether BP1 is answered); items 6, 9a, 9d, 9e, 9h, 11b and 11d are reversed; the half-scale rule
    fills a domain's missing items when at least half are answered; each domain is transformed to
    0–100 with its standard minimum and range. Item 2 (health transition) belongs to no domain.

    ``qol_total`` is this project's reading of the study's undefined "SF-36 total": the sum of the
    eight raw domain scales (35–145), missing when any domain is missing. ``qol_grade`` applies the
    Zhang Lei (2004) cut-offs to it: ``poor`` ≤ 72, ``medium`` > 72 and ≤ 117, ``good`` > 117. The
    standard scaling is used, not the Chinese version's recoded vitality/mental-health items.
    """
    raw = sf36_raw_scales(_numeric_items(items, SF36_ITEMS))
    out: dict[str, np.ndarray] = {}
    for k, domain in enumerate(DOMAINS):
        out[f"raw_{domain}"] = raw[:, k]
    for k, domain in enumerate(DOMAINS):
        out[domain] = (raw[:, k] - DOMAIN_MIN[domain]) / DOMAIN_RANGE[domain] * 100.0
    total = np.round(raw.sum(axis=1), _RAW_DECIMALS)  # NaN when any domain is NaN
    out["qol_total"] = total
    out["qol_grade"] = qol_grade_of(total)
    return pd.DataFrame(out, index=items.index)


def adl_totals(values: np.ndarray) -> np.ndarray:
    """ADL totals from an (n, 14) array of answers; NaN when any item is missing or not 1–4."""
    codes = _valid_codes(np.asarray(values, dtype=float), np.full(values.shape[1], 4.0))
    return codes.sum(axis=1)  # NaN propagates


def score_adl(items: pd.DataFrame) -> pd.DataFrame:
    """Score the Lawton–Brody ADL scale (columns ``adl_01`` … ``adl_14``, each 1–4).

    Returns, on the input's index: ``adl_total`` (14–56, nullable integer; missing when any item is
    missing or out of range, since a partial sum would understate impairment) and ``adl_level``
    (``normal`` ≤ 20, ``mild`` 21–30, ``moderate`` 31–40, ``severe`` ≥ 41: the published bands
    overlap at 40, which is treated as moderate).
    """
    total = adl_totals(_numeric_items(items, ADL_ITEMS))
    return pd.DataFrame(
        {
            "adl_total": pd.array(total, dtype="Int64"),
            "adl_level": adl_level_of(total),
        },
        index=items.index,
    )
