"""Counts as the disclosure gate publishes them: a value (0 or ≥ k), or withheld ("<k")."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.i18n.numbers import count, count_or_withheld, n_is


@pytest.mark.parametrize("withheld", [float("nan"), np.float64("nan"), None])
def test_a_withheld_count_reads_less_than_k(withheld: object) -> None:
    assert count_or_withheld(withheld, 10) == "<10"
    assert count_or_withheld(withheld, 25) == "<25"


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (0.0, "0"), (12, "12"), (1234.0, "1,234")])
def test_a_published_count_reads_as_its_value(value: object, text: str) -> None:
    assert count_or_withheld(value, 10) == text == count(value)


def test_n_of_a_withheld_count_says_less_than_k_not_equals() -> None:
    assert n_is(math.nan, 10) == "n < 10"
    assert n_is(math.nan, 10, spaced=False) == "n<10"
    assert n_is(42.0, 10) == "n = 42"
    assert n_is(0, 10, spaced=False) == "n=0"
