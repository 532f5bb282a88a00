"""Vectorised random helpers for the demo generator.

The generator hits published shares *exactly* (up to one respondent's weight) while keeping
variables correlated, by the same device throughout: build a score from the drivers plus noise, then
cut the score at weighted quantiles (:func:`quota`). The marginal share comes from the cut; the
correlation from the score.
"""

from __future__ import annotations

import numpy as np


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    """An independent generator per (seed, stream…), so that e.g. changing the number of deliveries
    leaves the respondents unchanged, and chunked output does not depend on the chunk order."""
    return np.random.default_rng(np.random.SeedSequence([seed, *stream]))


def largest_remainder(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split the integer ``total`` proportionally to ``weights``, each part at least ``minimum``,
    with parts summing exactly to ``total`` (Hamilton's method; ties broken by position)."""
    weights = np.asarray(weights, dtype=float)
    n = len(weights)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if total < minimum * n:
        raise ValueError(f"cannot give {n} parts at least {minimum} each out of {total}")
    rest = total - minimum * n
    share = weights / weights.sum() * rest
    parts = np.floor(share).astype(np.int64)
    short = rest - int(parts.sum())
    if short:
        order = np.argsort(-(share - parts), kind="stable")
        parts[order[:short]] += 1
    return parts + minimum


def weighted_rank(score: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Each element's position in the weighted distribution of ``score``, in (0, 1): the weight
    below it plus half its own, over the total weight (ties broken by position)."""
    order = np.argsort(score, kind="stable")
    w = np.asarray(weight, dtype=float)[order]
    cum = np.cumsum(w)
    out = np.empty(len(order))
    out[order] = (cum - 0.5 * w) / cum[-1]
    return out


def quota(score: np.ndarray, weight: np.ndarray, shares: np.ndarray | list[float]) -> np.ndarray:
    """Category index 0…k-1 for each element: the lowest scores get category 0, and category j gets
    the weighted share ``shares[j]`` (shares are normalised to sum 1)."""
    shares = np.asarray(shares, dtype=float)
    cuts = np.cumsum(shares / shares.sum())[:-1]
    return np.searchsorted(cuts, weighted_rank(score, weight), side="right")


def zscore(x: np.ndarray) -> np.ndarray:
    """Standardised copy of ``x`` (mean 0, SD 1); zeros when ``x`` is constant."""
    x = np.asarray(x, dtype=float)
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of ``probs`` (rows are probability vectors over the same categories)."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(probs))
    return (u[:, None] >= cum).sum(axis=1)


def hilbert_index(x: np.ndarray, y: np.ndarray, order: int = 16) -> np.ndarray:
    """Position of each point along a Hilbert curve over the points' bounding box.

    Cutting points sorted by this index into consecutive runs gives spatially compact groups, which
    is how grids are gathered into communities and communities into streets.
    """
    n = 1 << order

    def scaled(v: np.ndarray) -> np.ndarray:
        lo, hi = float(v.min()), float(v.max())
        span = hi - lo if hi > lo else 1.0
        return np.minimum(((v - lo) / span * n).astype(np.int64), n - 1)

    xi, yi = scaled(np.asarray(x, dtype=float)), scaled(np.asarray(y, dtype=float))
    d = np.zeros(len(xi), dtype=np.int64)
    s = n >> 1
    while s > 0:
        rx = (xi & s) > 0
        ry = (yi & s) > 0
        d += s * s * ((3 * rx.astype(np.int64)) ^ ry.astype(np.int64))
        flip = ~ry & rx
        xi = np.where(flip, n - 1 - xi, xi)
        yi = np.where(flip, n - 1 - yi, yi)
        swap = ~ry
        xi, yi = np.where(swap, yi, xi), np.where(swap, xi, yi)
        s >>= 1
    return d


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a fast, well-mixed 64-bit hash, used for pseudonymous keys."""
    z = np.asarray(x, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def pseudonymous_keys(prefix: str, n: int, seed: int) -> list[str]:
    """``n`` distinct-looking keys such as ``P3fa09c1b2e7d``: 48 bits of a hash of (seed, index), so
    keys carry no order or meaning but are stable for a seed."""
    salt = np.uint64(seed) * np.uint64(0x100000001B3)
    h = splitmix64(np.arange(n, dtype=np.uint64) ^ salt) & np.uint64((1 << 48) - 1)
    return [f"{prefix}{v:012x}" for v in h.tolist()]
