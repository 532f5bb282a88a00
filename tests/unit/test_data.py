"""Data functions: the period's whole months go to the rollup, the edge days to raw deliveries."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.data import Slice, _add_months, _is_month_end

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2009, 1, 31), True),
        (D(2008, 2, 29), True),
        (D(2009, 2, 28), True),
        (D(2009, 3, 30), False),
    ],
)
def test_month_end_knows_leap_years(day: dt.date, expected: bool) -> None:
    assert _is_month_end(day) is expected


def test_adding_months_crosses_year_boundaries_both_ways() -> None:
    assert _add_months(D(2009, 12, 1), 1) == D(2010, 1, 1)
    assert _add_months(D(2009, 1, 1), -1) == D(2008, 12, 1)


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 0}, {"threshold": 6}, {"min_n": 0}, {"age_group": "90+"}, {"sex": "X"}],
)
def test_a_slice_refuses_values_outside_the_contract(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Slice(**kwargs)
