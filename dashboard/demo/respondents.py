"""Synthetic respondents of the 2009 survey: profile, ADL and SF-36 answers, sampling design.

Shares the study publishes are hit by weighted quotas (see :mod:`dashboard.demo.sampling`), so the
*weighted* profile matches the published figures to within one respondent's weight; the unweighted
one differs only by the small variation of weights between districts. Everything the study does not
publish (other categories' shares, the strength of each association) is an assumption listed in
data/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from dashboard.demo.geography import Geography
from dashboard.demo.items import adl_items, sf36_items
from dashboard.demo.sampling import categorical, largest_remainder, quota, zscore
from dashboard.stats.scoring import ADL_ITEMS, SF36_ITEMS, adl_totals, sf36_raw_scales

TIERS: tuple[str, ...] = ("high", "middle", "low")

MALE_SHARE = 718 / 1328
AGE_GROUPS = ((60, 69, 0.6341), (70, 79, 0.2846), (80, 92, 0.0813))
# Within-group decline of the age distribution (per year): gives mean 68.38 and SD 6.94.
AGE_DECAY = (0.06, 0.105, 0.15)

# Categories in ascending order of the score that assigns them, with their shares.
OCCUPATIONS = (("farmer", 0.50), ("other", 0.09), ("worker", 0.20), ("self_employed", 0.06),
               ("professional", 0.07), ("cadre", 0.08))  # fmt: skip
EDUCATION = (("junior_or_less", 0.8283), ("senior_high", 0.1250), ("college", 0.0467))
INCOME = (("under_1000", 0.6852), ("1000_1999", 0.2450), ("2000_plus", 0.0698))
NO_SPOUSE_SHARE = 0.2696
CHRONIC_SHARE = 0.6552
PSYCH_SHARE = 0.631

PAYMENT_FORMS = ("ncms", "urban_employee", "urban_resident", "free_medical", "self_pay")
# P(payment form | occupation), rows in OCCUPATIONS order, columns in PAYMENT_FORMS order.
PAYMENT_BY_OCCUPATION = np.array([
    [0.88, 0.00, 0.02, 0.00, 0.10],  # farmer
    [0.25, 0.00, 0.45, 0.00, 0.30],  # other
    [0.10, 0.65, 0.12, 0.00, 0.13],  # worker
    [0.20, 0.05, 0.45, 0.00, 0.30],  # self_employed
    [0.00, 0.65, 0.05, 0.30, 0.00],  # professional
    [0.00, 0.45, 0.00, 0.55, 0.00],  # cadre
])  # fmt: skip
# How well each payment form covers care, as it enters the QoL score.
PAYMENT_QUALITY = np.array([0.0, 0.8, 0.4, 1.0, -0.4])

LIVING = ("alone", "spouse", "spouse_children", "children", "other")
LIVING_WITH_SPOUSE = np.array([0.0, 0.55, 0.45, 0.0, 0.0])
LIVING_WITHOUT_SPOUSE = np.array([0.42, 0.0, 0.0, 0.52, 0.06])

# Published ADL shares normalised (they add to 107.38% as printed): 71.24 / 22.72 / 3.23 / 2.80.
ADL_PUBLISHED = np.array([76.5, 24.40, 3.47, 3.01])
ADL_BANDS = ((14, 20, 1.8), (21, 30, 1.3), (31, 40, 1.2), (41, 56, 1.3))  # lo, hi, skew to lo
QOL_SHARES = np.array([1.05, 98.5, 0.45])  # poor, medium, good
QOL_TARGET_POOR = (52.0, 70.0)  # uniform; total lands in [target, target + 2)
QOL_TARGET_MEDIUM = (96.0, 9.5, 73.0, 115.0)  # truncated normal: mean, sd, low, high
QOL_TARGET_GOOD = (118.0, 128.0)

SES_BY_TIER = np.array([0.4, 0.0, -0.4])
SES_URBAN = 0.3
QOL_BY_TIER = np.array([0.2, 0.0, -0.25])

SURVEY_START = np.datetime64("2009-03-01")
SURVEY_DAYS = 306  # 2009-03-01 .. 2009-12-31
FIELDWORK_DAYS = 8  # a team spends about a week in a community

MIN_PER_GRID = 15


@dataclass
class Sample:
    """The respondents table plus the latent quantities the needs generator builds on."""

    table: pa.Table
    weight: np.ndarray
    grid: np.ndarray  # grid index of each respondent
    tier: np.ndarray  # 0 high, 1 middle, 2 low
    qol_total: np.ndarray
    adl_z: np.ndarray
    chronic: np.ndarray
    psych: np.ndarray
    age: np.ndarray


def allocate(geo: Geography, n: int) -> np.ndarray:
    """Respondents per grid: a floor of up to 15 each (so grid figures are rarely suppressed), the
    rest in proportion to the grid's elderly population."""
    grids = len(geo.grids)
    minimum = min(MIN_PER_GRID, n // (2 * grids))
    return largest_remainder(n, geo.grids["elderly"].to_numpy(dtype=float), minimum)


def _ages(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Single-year ages within each respondent's age group (declining within the group)."""
    ages = np.empty(len(group), dtype=np.int32)
    for g, ((lo, hi, _), decay) in enumerate(zip(AGE_GROUPS, AGE_DECAY, strict=True)):
        members = np.flatnonzero(group == g)
        p = np.exp(-decay * np.arange(hi - lo + 1))
        ages[members] = lo + rng.choice(hi - lo + 1, size=len(members), p=p / p.sum())
    return ages


def _adl_totals(h: np.ndarray, w: np.ndarray) -> np.ndarray:
    """ADL totals: band by weighted quota of the impairment score ``h``, position within the band by
    rank, skewed towards the band's better end."""
    band = quota(h, w, ADL_PUBLISHED)
    totals = np.empty(len(h), dtype=np.int64)
    for b, (lo, hi, skew) in enumerate(ADL_BANDS):
        members = np.flatnonzero(band == b)
        if len(members) == 0:
            continue
        v = (np.argsort(np.argsort(h[members], kind="stable")) + 0.5) / len(members)
        totals[members] = np.minimum(lo + np.floor((hi - lo + 1) * v**skew), hi)
    return totals


def _qol_targets(q: np.ndarray, w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """QoL total to aim for: grade by weighted quota of the QoL score ``q``, level within the grade
    by rank of ``q`` among draws from the grade's distribution."""
    grade = quota(q, w, QOL_SHARES)
    target = np.empty(len(q))
    for g in range(3):
        members = np.flatnonzero(grade == g)
        k = len(members)
        if k == 0:
            continue
        if g == 0:
            draws = rng.uniform(*QOL_TARGET_POOR, k)
        elif g == 2:
            draws = rng.uniform(*QOL_TARGET_GOOD, k)
        else:
            mean, sd, low, high = QOL_TARGET_MEDIUM
            draws = np.clip(rng.normal(mean, sd, k), low, high)
        target[members[np.argsort(q[members], kind="stable")]] = np.sort(draws)
    return target


def _strings(values: np.ndarray, categories: tuple[str, ...]) -> pa.DictionaryArray:
    """A text column from category indices (dictionary-encoded: cheap to build and to store)."""
    return pa.DictionaryArray.from_arrays(
        pa.array(values, type=pa.int32()), pa.array(categories, type=pa.string())
    )


@dataclass
class _Design:
    """Where each respondent lives and what they stand for: grid, stratum, PSU, tier, weight."""

    grid: np.ndarray
    district: np.ndarray  # index into district_ids
    district_ids: tuple[str, ...]
    community: np.ndarray  # index into the geography's communities
    tier: np.ndarray  # 0 high, 1 middle, 2 low
    urban: np.ndarray
    weight: np.ndarray


@dataclass
class _Profile:
    """The general questionnaire, as category indices and flags."""

    male: np.ndarray
    age: np.ndarray
    occupation: np.ndarray
    education: np.ndarray
    income: np.ndarray
    payment: np.ndarray
    no_spouse: np.ndarray
    living: np.ndarray
    chronic: np.ndarray
    psych: np.ndarray


def _design(geo: Geography, n: int) -> _Design:
    """Spread ``n`` respondents over the grids and give each the district's design weight: its
    elderly population over its respondents (stratified by district, clustered by community)."""
    per_grid = allocate(geo, n)
    grid = np.repeat(np.arange(len(per_grid)), per_grid)
    grids = geo.grids
    district_ids = tuple(grids["district_id"].unique())
    district = grids["district_id"].map({d: i for i, d in enumerate(district_ids)}).to_numpy()[grid]
    elderly = grids.groupby("district_id", sort=False)["elderly"].sum().to_numpy(dtype=float)
    sampled = np.bincount(district, minlength=len(district_ids))
    codes = {c: i for i, c in enumerate(geo.communities["community_id"])}
    return _Design(
        grid=grid,
        district=district,
        district_ids=district_ids,
        community=grids["community_id"].map(codes).to_numpy(dtype=np.int64)[grid],
        tier=grids["tier"].map({t: i for i, t in enumerate(TIERS)}).to_numpy()[grid],
        urban=(grids["district_id"] == "140403").to_numpy()[grid],
        weight=elderly[district] / np.maximum(sampled[district], 1),
    )


def _profile(d: _Design, rng: np.random.Generator) -> _Profile:
    """Sex, age and covariates: published shares by weighted quota, associations through the scores
    (a socio-economic latent raised in richer districts and in the urban one)."""
    n, w = len(d.grid), d.weight
    male = quota(rng.random(n), w, [MALE_SHARE, 1 - MALE_SHARE]) == 0
    age = _ages(rng, quota(rng.random(n), w, [s for *_, s in AGE_GROUPS]))
    age_z = zscore(age)
    ses = rng.normal(0.0, 1.0, n) + SES_BY_TIER[d.tier] + SES_URBAN * d.urban
    occupation = quota(ses + rng.normal(0.0, 0.6, n), w, [s for _, s in OCCUPATIONS])
    education = quota(
        ses - 0.4 * ~male - 0.2 * age_z + rng.normal(0.0, 0.7, n), w, [s for _, s in EDUCATION]
    )
    income = quota(
        0.7 * ses + 0.4 * education + 0.3 * (occupation >= 4) + rng.normal(0.0, 0.6, n),
        w,
        [s for _, s in INCOME],
    )
    payment = categorical(rng, PAYMENT_BY_OCCUPATION[occupation])
    no_spouse = quota(
        0.9 * age_z + 0.6 * ~male + rng.normal(0.0, 1.0, n),
        w,
        [1 - NO_SPOUSE_SHARE, NO_SPOUSE_SHARE],
    ).astype(bool)
    living = categorical(
        rng, np.where(no_spouse[:, None], LIVING_WITHOUT_SPOUSE, LIVING_WITH_SPOUSE)
    )
    chronic = quota(
        0.6 * age_z - 0.2 * ses + rng.normal(0.0, 1.0, n), w, [1 - CHRONIC_SHARE, CHRONIC_SHARE]
    ).astype(bool)
    psych = quota(
        0.5 * chronic + 0.4 * no_spouse + 0.3 * (income == 0) + 0.2 * (living == 0)
        + rng.normal(0.0, 1.0, n),
        w,
        [1 - PSYCH_SHARE, PSYCH_SHARE],
    ).astype(bool)  # fmt: skip
    return _Profile(
        male, age, occupation, education, income, payment, no_spouse, living, chronic, psych
    )


def _health(
    d: _Design, p: _Profile, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ADL answers, SF-36 answers and the standardised ADL impairment score.

    Impairment rises with age, disease and psychological problems; QoL falls with impairment and
    disease and rises with education, income, payment form and the district's tier.
    """
    n = len(d.grid)
    h = 0.7 * zscore(p.age) + 0.5 * p.chronic + 0.2 * p.psych + rng.normal(0.0, 0.8, n)
    adl = adl_items(_adl_totals(h, d.weight), rng)
    adl_z = zscore(h)
    q = (
        -0.9 * adl_z - 0.45 * p.chronic - 0.25 * p.psych + 0.3 * p.education + 0.3 * p.income
        + 0.3 * PAYMENT_QUALITY[p.payment] + QOL_BY_TIER[d.tier] + rng.normal(0.0, 0.7, n)
    )  # fmt: skip
    physical = -0.35 * (adl_z - adl_z.mean()) + rng.normal(0.0, 0.25, n)
    mental = -0.35 * (p.psych - p.psych.mean()) + rng.normal(0.0, 0.25, n)
    sf36 = sf36_items(_qol_targets(q, d.weight, rng), physical, mental, rng)
    if np.isnan(adl_totals(adl)).any():  # pragma: no cover - guards the generator's invariants
        raise AssertionError("generated ADL answers out of range")
    return adl, sf36, adl_z


def _survey_dates(d: _Design, n_communities: int, rng: np.random.Generator) -> np.ndarray:
    """Days since 1970-01-01: a team visits each community for about a week, March–December 2009."""
    start = rng.integers(0, SURVEY_DAYS - FIELDWORK_DAYS + 1, n_communities)
    day = start[d.community] + rng.integers(0, FIELDWORK_DAYS, len(d.grid))
    return (SURVEY_START - np.datetime64("1970-01-01")).astype(int) + day


def _table(
    geo: Geography, d: _Design, p: _Profile, days: np.ndarray, adl: np.ndarray, sf36: np.ndarray
) -> pa.Table:
    """The respondents table in the contract's column order and types."""
    n = len(d.grid)
    width = max(6, len(str(n)))
    columns: dict[str, pa.Array] = {
        "respondent_id": pa.array([f"R{i:0{width}d}" for i in range(1, n + 1)], pa.string()),
        "region_id": _strings(d.grid, tuple(geo.grids["grid_id"])),
        "sex": _strings(np.where(p.male, 0, 1), ("M", "F")),
        "age": pa.array(p.age, pa.int32()),
        "weight": pa.array(d.weight, pa.float64()),
        "stratum": _strings(d.district, d.district_ids),
        "psu": _strings(d.community, tuple(geo.communities["community_id"])),
        "surveyed_on": pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32()),
        "occupation": _strings(p.occupation, tuple(c for c, _ in OCCUPATIONS)),
        "education": _strings(p.education, tuple(c for c, _ in EDUCATION)),
        "income_band": _strings(p.income, tuple(c for c, _ in INCOME)),
        "living_arrangement": _strings(p.living, LIVING),
        "payment_form": _strings(p.payment, PAYMENT_FORMS),
        "has_spouse": pa.array(~p.no_spouse, pa.bool_()),
        "chronic_disease": pa.array(p.chronic, pa.bool_()),
        "psych_problem": pa.array(p.psych, pa.bool_()),
    }
    for j, name in enumerate(ADL_ITEMS):
        columns[name] = pa.array(adl[:, j].astype(np.int32), pa.int32())
    for j, name in enumerate(SF36_ITEMS):
        columns[name] = pa.array(sf36[:, j].astype(np.int32), pa.int32())
    return pa.table(columns)


def build_respondents(geo: Geography, n: int, rng: np.random.Generator) -> Sample:
    """``n`` respondents spread over the grids, with a consistent profile and item answers."""
    design = _design(geo, n)
    profile = _profile(design, rng)
    adl, sf36, adl_z = _health(design, profile, rng)
    days = _survey_dates(design, len(geo.communities), rng)
    return Sample(
        table=_table(geo, design, profile, days, adl, sf36),
        weight=design.weight,
        grid=design.grid,
        tier=design.tier,
        qol_total=sf36_raw_scales(sf36).sum(axis=1),
        adl_z=adl_z,
        chronic=profile.chronic,
        psych=profile.psych,
        age=profile.age,
    )
