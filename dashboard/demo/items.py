"""Item-level answers (ADL and SF-36) that score to a chosen total.

The generator first decides each respondent's ADL total and QoL total (so that the published level
and grade shares come out right), then draws item answers that score to exactly that ADL total and
to that QoL total within 2 points, using the project's own scoring functions to check. Items follow
a latent trait model: each answer is the number of an item's thresholds that the person's latent
value (trait + item difficulty + personal noise) exceeds, so answers hang together the way real ones
do (a person who cannot walk a block also cannot climb several flights).
"""

from __future__ import annotations

import numpy as np

from dashboard.stats.scoring import SF36_MAX_CODE, sf36_raw_scales

# ADL items in the study's order: public transport, walking, cooking, housework, taking medicine,
# eating, dressing, grooming, laundry, bathing, shopping, toileting on time, telephone, handling
# money. Higher difficulty = impaired earlier as ability declines (instrumental tasks before basic
# self-care).
ADL_DIFFICULTY = np.array(
    [1.0, 0.3, 0.5, 0.6, -0.2, -1.0, -0.6, -0.7, 0.5, 0.2, 0.7, -0.8, 0.0, 0.1]
)

# SF-36 items, sequential order: (difficulty, higher answer code is better, component).
# Component 0 = physical (PF, RP, BP, GH), 1 = mental (VT, SF, RE, MH), -1 = health transition.
_SF36_SPEC: tuple[tuple[float, bool, int], ...] = (
    (-0.3, False, 0),   # 1  GH1 excellent..poor
    (0.0, False, -1),   # 2  health transition much better..much worse
    (-1.6, True, 0),    # 3  PF vigorous activities
    (-0.4, True, 0),    # 4  PF moderate activities
    (-0.2, True, 0),    # 5  PF lifting or carrying groceries
    (-0.9, True, 0),    # 6  PF climbing several flights
    (0.3, True, 0),     # 7  PF climbing one flight
    (-0.3, True, 0),    # 8  PF bending, kneeling, stooping
    (-0.6, True, 0),    # 9  PF walking more than a mile
    (0.2, True, 0),     # 10 PF walking several blocks
    (0.8, True, 0),     # 11 PF walking one block
    (1.2, True, 0),     # 12 PF bathing or dressing
    (0.3, True, 0),     # 13 RP cut down time
    (0.1, True, 0),     # 14 RP accomplished less
    (0.2, True, 0),     # 15 RP limited in kind
    (0.0, True, 0),     # 16 RP difficulty
    (0.6, True, 1),     # 17 RE cut down time
    (0.5, True, 1),     # 18 RE accomplished less
    (0.6, True, 1),     # 19 RE less careful
    (0.5, False, 1),    # 20 SF1 extent interfered
    (0.2, False, 0),    # 21 BP1 how much pain
    (0.4, False, 0),    # 22 BP2 pain interfered
    (-0.3, False, 1),   # 23 9a full of pep
    (0.6, True, 1),     # 24 9b very nervous
    (0.7, True, 1),     # 25 9c down in the dumps
    (0.1, False, 1),    # 26 9d calm and peaceful
    (-0.4, False, 1),   # 27 9e a lot of energy
    (0.5, True, 1),     # 28 9f downhearted and blue
    (0.2, True, 1),     # 29 9g worn out
    (0.0, False, 1),    # 30 9h happy
    (0.0, True, 1),     # 31 9i tired
    (0.5, True, 1),     # 32 SF2 time interfered
    (0.0, True, 0),     # 33 11a get sick easier
    (-0.1, False, 0),   # 34 11b as healthy as anybody
    (-0.2, True, 0),    # 35 11c expect health to get worse
    (-0.5, False, 0),   # 36 11d health is excellent
)  # fmt: skip

# Thresholds on the latent scale by number of answer categories (evenly spread, centred on 0).
_CUTS = {
    2: [0.0],
    3: [-0.7, 0.7],
    5: [-1.5, -0.5, 0.5, 1.5],
    6: [-1.6, -0.8, 0.0, 0.8, 1.6],
}
_ITEM_NOISE = 0.7
_THETA_RANGE = 10.0  # latent values beyond which every item is at its extreme
_SEARCH_STEPS = 40
_CHUNK = 100_000  # respondents per block, to bound memory at a million respondents


def adl_items(totals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(n, 14) answers 1–4 summing exactly to ``totals`` (each 14–56).

    Item j steps up at latent points ``k - difficulty_j - noise_ij`` (k = 0, 1, 2); the person's
    first ``total - 14`` steps, in latent order, are taken. Within an item the steps are ordered, so
    the taken steps are always a prefix, and each item ends at 1 + its number of taken steps.
    """
    totals = np.asarray(totals, dtype=np.int64)
    n, m = len(totals), len(ADL_DIFFICULTY)
    out = np.empty((n, m), dtype=np.int8)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        noise = rng.normal(0.0, 0.6, (stop - start, m))
        steps = np.arange(3.0)[None, None, :] - (ADL_DIFFICULTY[None, :] + noise)[:, :, None]
        flat = steps.reshape(stop - start, m * 3)
        rank = np.empty_like(flat, dtype=np.int64)
        order = np.argsort(flat, axis=1, kind="stable")
        np.put_along_axis(rank, order, np.arange(m * 3)[None, :], axis=1)
        taken = rank < (totals[start:stop] - m)[:, None]
        out[start:stop] = 1 + taken.reshape(stop - start, m, 3).sum(axis=2)
    return out


def _sf36_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-item arrays: difficulty, direction, component, and padded thresholds (inf = unused)."""
    difficulty = np.array([s[0] for s in _SF36_SPEC])
    higher_better = np.array([s[1] for s in _SF36_SPEC])
    component = np.array([s[2] for s in _SF36_SPEC])
    cuts = np.full((36, 5), np.inf)
    for j, m in enumerate(SF36_MAX_CODE):
        cuts[j, : m - 1] = _CUTS[m]
    return difficulty, higher_better, component, cuts


def _codes(latent: np.ndarray, cuts: np.ndarray, higher_better: np.ndarray) -> np.ndarray:
    """Answer codes from latent values: thresholds exceeded, oriented to the item's coding."""
    oriented = (latent[:, :, None] > cuts[None, :, :]).sum(axis=2)
    max_code = np.asarray(SF36_MAX_CODE)[None, :]
    return np.where(higher_better[None, :], oriented + 1, max_code - oriented)


# Increase of the QoL total as each scored item passes its thresholds in turn (oriented levels):
# 1 per step, except the recalibrated GH1 and BP1. BP2 steps by 1 too, plus 1 more once BP1 is
# "none" and BP2 "not at all" (its recode then gives 6 instead of 5): an extra event, see _events.
_GH1_STEPS = np.array([1.0, 1.4, 1.0, 0.6])
_BP1_STEPS = np.array([1.2, 0.9, 1.1, 1.2, 0.6])


def _events(base: np.ndarray, cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latent positions at which the QoL total steps up, and the step sizes.

    Item j passes threshold c when ``theta + base_j > cut_jc``, i.e. at ``theta = cut_jc - base_j``.
    Returns (k, E) positions and (E,) steps; item 2 (no domain) is left out.
    """
    times: list[np.ndarray] = []
    steps: list[np.ndarray] = []
    for j, m in enumerate(SF36_MAX_CODE):
        if j == 1:
            continue
        times.append(cuts[None, j, : m - 1] - base[:, j, None])
        steps.append(_GH1_STEPS if j == 0 else _BP1_STEPS if j == 20 else np.ones(m - 1))
    bonus = np.maximum(cuts[20, 4] - base[:, 20], cuts[21, 3] - base[:, 21])
    times.append((bonus + 1e-9 * np.maximum(1.0, np.abs(bonus)))[:, None])
    steps.append(np.ones(1))
    return np.concatenate(times, axis=1), np.concatenate(steps)


def _theta_for(target: np.ndarray, base: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Smallest latent level whose QoL total reaches ``target``: walk the sorted step positions and
    stop at the first whose cumulative step reaches ``target - 35`` (the minimum total)."""
    times, steps = _events(base, cuts)
    order = np.argsort(times, axis=1)
    sorted_times = np.take_along_axis(times, order, axis=1)
    reached = np.cumsum(steps[order], axis=1) >= (target - 35.0)[:, None] - 1e-9
    first = np.argmax(reached, axis=1)
    theta = sorted_times[np.arange(len(target)), first]
    theta = theta + 1e-10 * np.maximum(1.0, np.abs(theta))
    return np.where(target <= 35.0, sorted_times[:, 0] - 1.0, theta)


def _bisect_theta(
    target: np.ndarray, base: np.ndarray, cuts: np.ndarray, higher_better: np.ndarray
) -> np.ndarray:
    """Fallback for the rare rows where two steps coincide: bisection on the scored total."""
    lo = np.full(len(target), -2 * _THETA_RANGE)
    hi = np.full(len(target), 2 * _THETA_RANGE)
    for _ in range(_SEARCH_STEPS):
        mid = 0.5 * (lo + hi)
        total = sf36_raw_scales(_codes(mid[:, None] + base, cuts, higher_better)).sum(axis=1)
        high_enough = total >= target
        hi = np.where(high_enough, mid, hi)
        lo = np.where(high_enough, lo, mid)
    return hi


def sf36_items(
    target: np.ndarray,
    physical: np.ndarray,
    mental: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """(n, 36) SF-36 answers whose QoL total (sum of raw scales) is in [target, target + 2).

    ``physical`` and ``mental`` shift the person's physical and mental items against each other (the
    domain profile); the overall level is the smallest latent trait whose total reaches the target,
    found from the sorted positions where items change answer, and checked by scoring with
    :func:`dashboard.stats.scoring.sf36_raw_scales`. The total rises in steps of at most 2 (the BP2
    recode when BP1 is "none"), hence the tolerance.
    """
    difficulty, higher_better, component, cuts = _sf36_tables()
    n = len(target)
    out = np.empty((n, 36), dtype=np.int8)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        k = stop - start
        shift = np.zeros((k, 36))
        shift[:, component == 0] = physical[start:stop, None]
        shift[:, component == 1] = mental[start:stop, None]
        base = shift + difficulty[None, :] + rng.normal(0.0, _ITEM_NOISE, (k, 36))
        base = np.clip(base, -_THETA_RANGE / 2, _THETA_RANGE / 2)
        goal = target[start:stop]
        theta = _theta_for(goal, base, cuts)
        codes = _codes(theta[:, None] + base, cuts, higher_better)
        total = sf36_raw_scales(codes).sum(axis=1)
        off = (total < goal - 1e-9) | (total >= goal + 2.0)
        if off.any():
            theta[off] = _bisect_theta(goal[off], base[off], cuts, higher_better)
            codes[off] = _codes(theta[off, None] + base[off], cuts, higher_better)
        # item 2 (health transition) belongs to no domain: loosely tied to the trait, mostly "same"
        transition = 0.25 * theta - 0.3 + rng.normal(0.0, 1.0, k)
        codes[:, 1] = 5 - (transition[:, None] > np.array([-2.0, -0.9, 0.9, 2.2])).sum(axis=1)
        out[start:stop] = codes
    return out
