"""Numbers as people read them: percentages, points, counts — and 'suppressed' where hidden."""

from __future__ import annotations

import math


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: object, digits: int = 1) -> str:
    return "—" if is_missing(value) else f"{100 * float(value):.{digits}f}%"


def points(value: object, unit: str = "pp", digits: int = 1) -> str:
    return "—" if is_missing(value) else f"{float(value):+.{digits}f} {unit}"


def count(value: object) -> str:
    return "—" if is_missing(value) else f"{int(value):,}"


def number(value: object, digits: int = 1) -> str:
    return "—" if is_missing(value) else f"{float(value):,.{digits}f}"
