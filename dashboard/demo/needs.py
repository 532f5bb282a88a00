"""Synthetic answers to the nursing-demand questionnaire: need (1–5) and received, per service.

The contract's city-level figures at threshold 4 are hit exactly (up to one respondent's weight) by
scoring each person × service and cutting at the weighted quantile: the top ``demand`` share (by
weight) of those who answered needs the service (answers 4–5), the top ``received`` share of those
who answered both questions received it. The scores carry the directions the study reports and the
map needs: need rises as QoL falls and in poorer districts, receipt with QoL and in richer ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from dashboard.demo.respondents import Sample
from dashboard.demo.sampling import weighted_rank, zscore


@dataclass(frozen=True)
class Service:
    """A catalogue entry with its demo calibration targets (weighted shares, threshold 4)."""

    code: str
    category: str
    name: str
    name_en: str
    demand: float  # share needing it (need >= 4)
    received: float  # share who received it in the last 12 months


# Published (Article 1): demand edu_disease 25.38%, edu_medication 16.64%; received care_injection
# 33.28%, care_monitoring 24.32%, exam_periodic 2.03%. All other rates are this demo's assumptions.
SERVICES: tuple[Service, ...] = (
    Service("edu_disease", "health_education", "疾病知识教育", "Disease knowledge education",
            0.2538, 0.0850),
    Service("edu_medication", "health_education", "用药指导", "Medication guidance",
            0.1664, 0.1060),
    Service("edu_diet", "health_education", "饮食指导", "Diet guidance", 0.1320, 0.0520),
    Service("edu_exercise", "health_education", "运动指导", "Exercise guidance", 0.1150, 0.0390),
    Service("exam_periodic", "physical_exam", "定期体检", "Periodic physical examination",
            0.1460, 0.0203),
    Service("care_injection", "therapeutic_care", "注射/输液", "Injection / infusion",
            0.0720, 0.3328),
    Service("care_monitoring", "therapeutic_care", "血压/血糖监测",
            "Blood pressure / glucose monitoring", 0.0960, 0.2432),
    Service("care_wound", "therapeutic_care", "伤口护理", "Wound care", 0.0350, 0.0640),
    Service("care_home_visit", "therapeutic_care", "上门护理", "Home nursing visits",
            0.0680, 0.0310),
    Service("rehab_guidance", "rehabilitation", "康复指导", "Rehabilitation guidance",
            0.0840, 0.0290),
    Service("mental_counselling", "mental_health", "心理咨询", "Psychological counselling",
            0.0590, 0.0250),
    Service("daily_help", "daily_living_care", "生活照料", "Help with daily living",
            0.0910, 0.0270),
)  # fmt: skip

NEED_MISSING = 0.01  # share of blank need answers
RECEIVED_MISSING = 0.03  # share of blank received answers

# Score coefficients (standardised units).
NEED_QOL = -0.5  # lower QoL, more need
RECEIVED_QOL = 0.45  # higher QoL, more received
NEED_BY_TIER = np.array([-0.25, 0.0, 0.3])  # high, middle, low
RECEIVED_BY_TIER = np.array([0.35, 0.0, -0.35])
RECEIVED_NEED = 0.2  # those who need a service are somewhat likelier to get it
PERSON_SD = 0.5  # some people want many services
GRID_SD = 0.25  # neighbourhoods differ within a district
# Share of the "not needed" answers that are 1 and 1-or-2; of the "needed" answers that are 4.
LIKERT_LOW = (0.45, 0.80)
LIKERT_FOUR = 0.60


def _extra_need(code: str, s: Sample) -> np.ndarray:
    """Service-specific drivers of need beyond QoL."""
    if code.startswith("care_"):
        return 0.4 * s.chronic
    if code in ("rehab_guidance", "daily_help"):
        return 0.6 * s.adl_z
    if code == "mental_counselling":
        return 0.6 * s.psych
    if code.startswith("edu_"):
        return 0.15 * s.chronic
    return -0.1 * zscore(s.age)  # periodic exams: the younger old ask for them more


def _extra_received(code: str, s: Sample) -> np.ndarray | float:
    """Service-specific drivers of receipt: stations monitor and inject the chronically ill."""
    if code in ("care_monitoring", "care_injection"):
        return 0.2 * s.chronic
    return 0.0


def _likert(u: np.ndarray, demand: float) -> np.ndarray:
    """Need answers 1–5 from the weighted rank ``u`` of the need score; 4–5 for the top share."""
    no = 1.0 - demand
    cuts = np.array([LIKERT_LOW[0] * no, LIKERT_LOW[1] * no, no, no + LIKERT_FOUR * demand])
    return 1 + np.searchsorted(cuts, u, side="right")


def build_needs(sample: Sample, rng: np.random.Generator) -> pa.Table:
    """One row per respondent × service, respondent-major, with blanks at random."""
    n, k = len(sample.weight), len(SERVICES)
    w = sample.weight
    qol_z = zscore(sample.qol_total)
    n_grids = int(sample.grid.max()) + 1 if n else 0
    grid_need = rng.normal(0.0, GRID_SD, n_grids)[sample.grid]
    grid_recv = rng.normal(0.0, GRID_SD, n_grids)[sample.grid]
    person = rng.normal(0.0, PERSON_SD, n)
    need = np.zeros((n, k), dtype=np.int32)
    received = np.zeros((n, k), dtype=bool)
    need_blank = rng.random((n, k)) < NEED_MISSING
    recv_blank = rng.random((n, k)) < RECEIVED_MISSING
    for j, svc in enumerate(SERVICES):
        score = (
            NEED_QOL * qol_z + NEED_BY_TIER[sample.tier] + grid_need + person
            + _extra_need(svc.code, sample) + rng.normal(0.0, 1.0, n)
        )  # fmt: skip
        answered = ~need_blank[:, j]
        u = weighted_rank(score[answered], w[answered])
        need[answered, j] = _likert(u, svc.demand)
        r_score = (
            RECEIVED_QOL * qol_z + RECEIVED_BY_TIER[sample.tier] + grid_recv
            + RECEIVED_NEED * zscore(score) + _extra_received(svc.code, sample)
            + rng.normal(0.0, 1.0, n)
        )  # fmt: skip
        both = answered & ~recv_blank[:, j]
        rank = weighted_rank(r_score[both], w[both])
        chosen = r_score[both][rank >= 1.0 - svc.received]
        threshold = chosen.min() if len(chosen) else np.inf
        received[:, j] = r_score >= threshold
    return _needs_table(sample, need, need_blank, received, recv_blank)


def _needs_table(
    sample: Sample,
    need: np.ndarray,
    need_blank: np.ndarray,
    received: np.ndarray,
    recv_blank: np.ndarray,
) -> pa.Table:
    """The long table: respondent_id, service_code, need, received (row-major over the matrices)."""
    n, k = need.shape
    ids = sample.table.column("respondent_id").combine_chunks()
    respondent = ids.take(pa.array(np.repeat(np.arange(n), k)))
    service = pa.DictionaryArray.from_arrays(
        pa.array(np.tile(np.arange(k, dtype=np.int32), n)),
        pa.array([s.code for s in SERVICES], pa.string()),
    )
    return pa.table(
        {
            "respondent_id": respondent,
            "service_code": service,
            "need": pa.array(need.ravel(), pa.int32(), mask=need_blank.ravel()),
            "received": pa.array(received.ravel(), pa.bool_(), mask=recv_blank.ravel()),
        }
    )
