"""One timed scenario's samples, and the statistics every report of them uses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np


@dataclass
class Result:
    """The samples of one scenario at one tier.

    `unit` is what a sample measures ("ms", "s", "MB", "KB"). `baseline` holds the samples of the
    straightforward pandas implementation measured in the same run, when the scenario has one.
    `budget` is the issue's limit on the p95 (same unit), when there is one; `budget_kind` says
    whether it bounds the p95 ("p95"), the median ("median") or the largest sample ("max").
    """

    tier: str
    group: str
    scenario: str
    unit: str
    samples: list[float]
    baseline: list[float] | None = None
    budget: float | None = None
    budget_kind: str = "p95"
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return float(np.median(self.samples))

    @property
    def p95(self) -> float:
        return float(np.percentile(self.samples, 95))

    @property
    def ratio(self) -> float | None:
        """Baseline median over this scenario's median: how many times faster the product is."""
        if not self.baseline:
            return None
        return float(np.median(self.baseline)) / self.median if self.median > 0 else None

    @property
    def met(self) -> bool | None:
        if self.budget is None:
            return None
        value = {"p95": self.p95, "median": self.median, "max": max(self.samples)}[self.budget_kind]
        return value <= self.budget

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out.update(median=self.median, p95=self.p95, ratio=self.ratio, met=self.met)
        return out


def from_dict(row: dict[str, object]) -> Result:
    """A Result back from its `as_dict` (the derived statistics are recomputed, not read)."""
    names = {f.name for f in fields(Result)}
    return Result(**{k: v for k, v in row.items() if k in names})  # type: ignore[arg-type]


def verdict(result: Result) -> bool | None:
    """The budget and, when `extra["min_ratio"]` is set, the issue's "N× faster than the
    baseline" as one answer (None when the scenario has neither)."""
    checks = [] if result.met is None else [result.met]
    min_ratio = result.extra.get("min_ratio")
    if isinstance(min_ratio, int | float):
        ratio = result.ratio
        checks.append(ratio is not None and ratio >= min_ratio)
    return all(checks) if checks else None
