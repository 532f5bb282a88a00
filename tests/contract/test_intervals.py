"""`report gaps` intervals and reliability flags, checked against samplics on the same data.

Three datasets are imported through the command line:
  * design    strata, PSUs and weights: stratum S3 has a single PSU (taken with certainty, its
              respondents become its units), PSU P5 spans a district and a grid, and district
              T-C touches only three of the twelve PSUs (domain estimation must still count the
              others, as zeros);
  * weights   the same respondents, weights only (no stratum, no psu);
  * plain     the same respondents, no weights at all.

The reference is computed here, independently of the implementation: samplics' TaylorEstimator
(ratio, domain estimation, SinglePSUEst.certainty) for the variance; the effective n, degrees of
freedom, Korn–Graubard interval and NCHS flag written out with scipy. The printed interval ends
must agree to 1e-6. One test (marked white-box below) also reads the standard errors from
dashboard.data.gap_intervals and compares them with samplics' directly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from builders import by_key, import_ok, report, write_dataset
from scipy import stats

#: the in-process checks run at small k: a deployment whose floor is 1
pytestmark = pytest.mark.usefixtures("floor_one")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # samplics announces it is archived
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam, SinglePSUEst

TOL = 1e-6
SERVICES = ("meal", "visit")
FIGURES = {
    # figure: (rate column, lo column, hi column)
    "demand": ("demand_rate", "demand_rate_lo", "demand_rate_hi"),
    "received": ("received_rate", "received_rate_lo", "received_rate_hi"),
    "unmet": ("unmet_rate", "unmet_rate_lo", "unmet_rate_hi"),
}
ORDER = ("reliable", "review", "unreliable")

# --------------------------------------------------------------------------------------------------
# the datasets
# --------------------------------------------------------------------------------------------------
#
#   T           city
#   ├─ T-A      district   ├─ T-A-1 grid   └─ T-A-2 grid
#   ├─ T-B      district   ├─ T-B-1 grid   └─ T-B-2 grid   (+ respondents of P5 on T-B itself)
#   └─ T-C      district   └─ T-C-1 grid
#
# PSU → stratum, grids its respondents live in (40 respondents per PSU):
PSUS = {
    "P1": ("S1", ["T-A-1"]),
    "P2": ("S1", ["T-A-1", "T-A-2"]),
    "P3": ("S1", ["T-A-2"]),
    "P4": ("S1", ["T-B-1"]),
    "P5": ("S1", ["T-B-1", "T-B"]),
    "P6": ("S1", ["T-C-1"]),
    "P7": ("S2", ["T-A-1"]),
    "P8": ("S2", ["T-B-2"]),
    "P9": ("S2", ["T-B-2"]),
    "P10": ("S2", ["T-C-1"]),
    "P11": ("S2", ["T-A-2"]),
    "P12": ("S3", ["T-C-1", "T-A-1"]),
}
PER_PSU = 40
PARENT = {
    "T-A": "T",
    "T-B": "T",
    "T-C": "T",
    "T-A-1": "T-A",
    "T-A-2": "T-A",
    "T-B-1": "T-B",
    "T-B-2": "T-B",
    "T-C-1": "T-C",
}


def interval_tables(kind: str) -> dict:
    """The dataset as text tables; kind is 'design', 'weights' or 'plain' (same answers)."""
    rng = np.random.default_rng(20240611)
    regions = [{"region_id": "T", "parent_id": "", "level": "city", "name": "T"}]
    for rid, parent in PARENT.items():
        level = "district" if parent == "T" else "grid"
        regions.append({"region_id": rid, "parent_id": parent, "level": level, "name": rid})
    services = [{"service_code": s, "category": f"cat_{s}", "name": s} for s in SERVICES]
    respondents, needs = [], []
    number = 0
    for psu, (stratum, grids) in PSUS.items():
        # a PSU effect on need and on receiving: clustering, so design effects differ from 1
        need_shift = rng.normal(0, 1.0)
        get_shift = rng.normal(0, 1.2)
        for k in range(PER_PSU):
            number += 1
            rid = f"q{number:04d}"
            weight = float(np.round(np.exp(rng.normal(0.3, 0.5)), 3))
            row = {
                "respondent_id": rid,
                "region_id": grids[k % len(grids)],
                "sex": "MF"[k % 2],
                "age": str(60 + (number * 7) % 35),
            }
            if kind != "plain":
                row["weight"] = "" if number % 37 == 0 else repr(weight)
            if kind == "design":
                row["stratum"] = stratum
                row["psu"] = psu
            respondents.append(row)
            if number % 53 == 0:
                continue  # answered nothing: no needs rows at all
            for s, base in zip(SERVICES, (-0.2, -1.0), strict=True):
                blank = rng.random() < 0.04
                need = int(
                    np.clip(np.round(3 + 1.3 * (base + need_shift) + rng.normal(0, 1.2)), 1, 5)
                )
                got = rng.random() < 1 / (1 + np.exp(-(get_shift + 0.8 * (need - 3))))
                received = "" if rng.random() < 0.08 else ("true" if got else "false")
                needs.append(
                    {
                        "respondent_id": rid,
                        "service_code": s,
                        "need": "" if blank else str(need),
                        "received": received,
                    }
                )
    deliveries = [
        {
            "region_id": "T-A-1",
            "service_code": "meal",
            "delivered_on": "2024-01-05",
            "quantity": "2",
        }
    ]
    return {
        "regions": regions,
        "services": services,
        "respondents": respondents,
        "needs": needs,
        "deliveries": deliveries,
    }


@pytest.fixture(scope="module")
def interval_dbs(tmp_path_factory) -> dict[str, object]:
    dbs = {}
    for kind in ("design", "weights", "plain"):
        folder = write_dataset(tmp_path_factory.mktemp(f"iv-{kind}-data"), interval_tables(kind))
        db = tmp_path_factory.mktemp(f"iv-{kind}-db") / "caregap.duckdb"
        import_ok(folder, db)
        dbs[kind] = db
    return dbs


# --------------------------------------------------------------------------------------------------
# the reference
# --------------------------------------------------------------------------------------------------


def units(kind: str) -> pd.DataFrame:
    """One row per respondent: weight, stratum, the PSU after the single-PSU rule, areas."""
    tables = interval_tables(kind)
    frame = pd.DataFrame(tables["respondents"])
    frame["w"] = pd.to_numeric(
        frame.get("weight", pd.Series("", index=frame.index)).replace("", "1")
    )
    if kind == "design":
        psus_per_stratum = frame.groupby("stratum")["psu"].nunique()
        single = frame["stratum"].map(psus_per_stratum) == 1
        # samplics' certainty rule, written out: a single-PSU stratum's respondents are its units
        frame["unit"] = np.where(single, "r:" + frame["respondent_id"], frame["psu"])
    frame["district"] = frame["region_id"].map(
        lambda r: r if PARENT.get(r) == "T" else PARENT.get(r)
    )
    frame["grid"] = frame["region_id"].where(frame["region_id"].str.count("-") == 2, "(none)")
    frame["city"] = "T"
    return frame


def answers(kind: str, service: str, threshold: int = 4) -> pd.DataFrame:
    """units() with y and x of each ratio for one service (zeros for those who did not answer)."""
    frame = units(kind)
    needs = pd.DataFrame(interval_tables(kind)["needs"])
    needs = needs[(needs["service_code"] == service) & (needs["need"] != "")]
    frame = frame.merge(needs, on="respondent_id", how="left")
    answered = frame["need"].notna()
    high = answered & (pd.to_numeric(frame["need"]) >= threshold)
    has_received = answered & frame["received"].isin(["true", "false"])
    got = frame["received"] == "true"
    frame["demand_y"], frame["demand_x"] = high, answered
    frame["received_y"], frame["received_x"] = has_received & got, has_received
    frame["unmet_y"], frame["unmet_x"] = high & has_received & ~got, high & has_received
    return frame


def samplics_variance(frame: pd.DataFrame, figure: str, level: str, kind: str) -> dict:
    """Domain estimation of the ratio Σwy/Σwx over the whole design: {area: (p, variance)}.

    samplics divides by the estimate (its coefficient of variation) and fails on a domain whose
    estimate is 0; such a domain is estimated through the complement (x − y)/x, whose variance
    is the same (its scores are the negated ones).
    """
    y = frame[f"{figure}_y"].to_numpy(dtype=float)
    x = frame[f"{figure}_x"].to_numpy(dtype=float)
    w = frame["w"].to_numpy(dtype=float)
    domain = frame[level].to_numpy()
    sums = pd.DataFrame({"d": domain, "wy": w * y, "wx": w * x}).groupby("d").sum()
    zero = set(sums.index[(sums["wy"] == 0) & (sums["wx"] > 0)])
    flip = np.isin(domain, list(zero))
    est = TaylorEstimator(PopParam.ratio)
    design = {}
    if kind == "design":
        design = {
            "stratum": frame["stratum"].to_numpy(),
            # integer PSU codes: samplics numbers a certainty stratum's units 1..n, and its
            # single-PSU check cannot mix those numbers with text
            "psu": frame["psu"].str.removeprefix("P").astype(int).to_numpy(),
            "single_psu": SinglePSUEst.certainty,
        }
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        est.estimate(y=np.where(flip, x - y, y), x=x, samp_weight=w, domain=domain, **design)
    return {
        d: (
            1 - float(est.point_est[d]) if d in zero else float(est.point_est[d]),
            float(est.variance[d]),
        )
        for d in est.point_est
    }


def kg_interval(p: float, n_eff: float, n: int, df: float) -> tuple[float, float]:
    """Korn & Graubard (1998): Clopper–Pearson on n* = min(n, n_eff (t_{n-1}/t_df)^2)."""
    factor = (stats.t.ppf(0.975, n - 1) / stats.t.ppf(0.975, df)) ** 2 if df > 0 and n > 1 else 0
    n_star = min(n, n_eff * factor)
    x = p * n_star
    lo = 0.0 if x <= 0 else stats.beta.ppf(0.025, x, n_star - x + 1)
    hi = 1.0 if n_star - x <= 1e-12 * max(n_star, 1) else stats.beta.ppf(0.975, x + 1, n_star - x)
    return float(lo), float(hi)


def nchs_flag(p: float, lo: float, hi: float, n_eff: float, df: float) -> str:
    extreme = p < 1e-12 or p > 1 - 1e-12
    width = 0.0 if extreme else hi - lo
    if n_eff < 30 or width >= 0.30 or (width > 0.05 and width / p > 1.30) or df <= 0:
        return "unreliable"
    return "review" if df < 8 or extreme else "reliable"


def reference(kind: str, level: str, min_n: int = 1) -> dict:
    """{(area, service): {figure: dict(p, variance, n, n_eff, df, lo, hi, flag) or None}}.

    None: the figure is suppressed (fewer than min_n respondents in its base or in the row).
    """
    out: dict = {}
    for service in SERVICES:
        frame = answers(kind, service)
        for figure in FIGURES:
            est = samplics_variance(frame, figure, level, kind)
            for area, (p, variance) in est.items():
                if area == "(none)":
                    continue
                base = frame[(frame[level] == area) & frame[f"{figure}_x"]]
                demand_n = int(((frame[level] == area) & frame["demand_x"]).sum())
                n = len(base)
                cell = out.setdefault((area, service), {})
                if n == 0 or n < min_n or demand_n < min_n:
                    cell[figure] = None
                    continue
                if kind == "design":
                    df = (
                        base[["stratum", "unit"]].drop_duplicates().shape[0]
                        - base["stratum"].nunique()
                    )
                    extreme = p < 1e-12 or p > 1 - 1e-12
                    deff = np.nan if extreme else variance / (p * (1 - p) / n)
                    n_eff = n if np.isnan(deff) else n / max(deff, 1.0)
                else:
                    df = n - 1
                    n_eff = base["w"].sum() ** 2 / (base["w"] ** 2).sum()
                lo, hi = kg_interval(p, n_eff, n, df)
                flag = nchs_flag(p, lo, hi, n_eff, df)
                cell[figure] = {
                    "p": p,
                    "variance": variance,
                    "n": n,
                    "n_eff": n_eff,
                    "df": df,
                    "lo": lo,
                    "hi": hi,
                    "flag": flag,
                }
    return out


def worst(flags: list) -> str | None:
    present = [f for f in flags if f is not None]
    return max(present, key=ORDER.index) if present else None


# --------------------------------------------------------------------------------------------------
# the tests
# --------------------------------------------------------------------------------------------------


def check_report(rows: list[dict], want: dict) -> set[str]:
    got = by_key(rows)
    seen: set[str] = set()
    for (area, service), figures in want.items():
        row = got[(area, service)]
        flags = []
        for figure, (rate, lo_col, hi_col) in FIGURES.items():
            ref = figures.get(figure)
            if ref is None:
                assert row[lo_col] is None and row[hi_col] is None, (area, service, figure, row)
                continue
            where = (area, service, figure, ref, row)
            assert row[rate] == pytest.approx(ref["p"], rel=1e-9, abs=1e-12), where
            assert row[lo_col] == pytest.approx(ref["lo"], abs=TOL), where
            assert row[hi_col] == pytest.approx(ref["hi"], abs=TOL), where
            assert row[lo_col] <= row[rate] <= row[hi_col]
            flags.append(ref["flag"])
        assert row["reliability"] == worst(flags), (area, service, flags, row)
        seen.update(f for f in flags if f)
    return seen


@pytest.mark.parametrize("level", ["city", "district", "grid"])
@pytest.mark.parametrize("kind", ["design", "weights", "plain"])
def test_intervals_match_samplics(interval_dbs, kind, level):
    rows = report(interval_dbs[kind], level, "--min-n", "1")
    check_report(rows, reference(kind, level))


def test_every_flag_occurs(interval_dbs):
    seen: set[str] = set()
    for level in ("city", "district", "grid"):
        seen |= check_report(
            report(interval_dbs["design"], level, "--min-n", "1"), reference("design", level)
        )
    assert seen == set(ORDER)


def test_suppressed_figures_have_no_interval(interval_dbs):
    # k = 60: grids keep some figures, lose others (unmet bases are small)
    rows = report(interval_dbs["design"], "grid", "--min-n", "60")
    check_report(rows, reference("design", "grid", min_n=60))
    for row in rows:
        for rate, lo, hi in FIGURES.values():
            assert (row[rate] is None) == (row[lo] is None) == (row[hi] is None), row
        if row["suppressed"]:
            assert row["reliability"] is None
        else:
            assert row["reliability"] in ORDER


def test_domain_missing_psus_counts_them(interval_dbs):
    # T-C holds respondents of P6, P10 and P12 only; its variance must not equal the variance
    # computed on T-C's respondents alone (the classic subsetting mistake)
    frame = answers("design", "meal")
    full = samplics_variance(frame, "demand", "district", "design")["T-C"][1]
    alone = frame[frame["district"] == "T-C"]
    subset = samplics_variance(alone, "demand", "district", "design")["T-C"][1]
    assert abs(full - subset) > 1e-3 * full
    row = by_key(report(interval_dbs["design"], "district", "--min-n", "1"))[("T-C", "meal")]
    ref = reference("design", "district")[("T-C", "meal")]["demand"]
    assert ref["variance"] == pytest.approx(full, rel=1e-12)
    # df: PSUs P6 and P10, plus S3's respondents (its units) in T-C's base, minus three strata
    s3 = ((alone["stratum"] == "S3") & alone["demand_x"]).sum()
    assert ref["df"] == 2 + s3 - 3
    assert row["demand_rate_lo"] == pytest.approx(ref["lo"], abs=TOL)
    assert row["demand_rate_hi"] == pytest.approx(ref["hi"], abs=TOL)


def test_plain_data_gives_clopper_pearson(interval_dbs):
    # no weights: n_eff = n and df = n - 1, so the interval is the exact binomial one
    rows = report(interval_dbs["plain"], "district", "--min-n", "1")
    for service in SERVICES:
        frame = answers("plain", service)
        for area, group in frame.groupby("district"):
            base = group[group["demand_x"]]
            ci = stats.binomtest(int(base["demand_y"].sum()), len(base)).proportion_ci(
                method="exact"
            )
            row = by_key(rows)[(area, service)]
            assert row["demand_rate_lo"] == pytest.approx(ci.low, abs=1e-9)
            assert row["demand_rate_hi"] == pytest.approx(ci.high, abs=1e-9)


# -- white-box: the standard errors themselves, from dashboard.data -------------------------------


@pytest.mark.parametrize("kind", ["design", "weights"])
@pytest.mark.parametrize("level", ["city", "district", "grid"])
def test_standard_errors_match_samplics(interval_dbs, kind, level):
    from dashboard import data, store

    with store.open_read_only(interval_dbs[kind]) as con:
        frame = data.gap_intervals(con, level, data.Slice(min_n=1))
    got = frame.set_index(["region_id", "item_code"])
    want = reference(kind, level)
    deff_above_one = 0
    for (area, service), figures in want.items():
        for figure, ref in figures.items():
            if ref is None:
                continue
            cell = got.loc[(area, service)]
            where = (area, service, figure, ref)
            assert cell[f"{figure}_se"] == pytest.approx(np.sqrt(ref["variance"]), rel=TOL), where
            assert cell[f"{figure}_n_eff"] == pytest.approx(ref["n_eff"], rel=TOL), where
            assert cell[f"{figure}_df"] == ref["df"], where
            deff_above_one += ref["variance"] > ref["p"] * (1 - ref["p"]) / ref["n"]
    # the comparison exercises the variance, not only the n_eff = n cap
    assert deff_above_one > 0
