"""The caller's scope on the cursor: what it sees, shows and refuses; rows it filters; and the
caches keyed by it, so an answer made for one caller is never handed to another."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import cache, scope
from dashboard.scope import FULL, OutOfScope, Scope

STATION = Scope(
    role="station",
    user="sam",
    regions=frozenset({"G1", "G2", "ST1"}),
    benchmarks=frozenset({"C", "D1"}),
    stations=frozenset({"ST1"}),
    views=frozenset({"/", "/stations"}),
)


class Cursor:
    def __init__(self, caller: Scope | None, version: str = "v1") -> None:
        self.caller = caller
        self.cache_scope = ("store", version)


def test_a_plain_connection_has_the_full_scope() -> None:
    assert scope.of(object()) is FULL and FULL.everything
    assert FULL.sees("anything") and FULL.opens("/quality") and FULL.downloads


def test_benchmarks_are_shown_but_not_looked_into() -> None:
    assert STATION.sees("G1") and STATION.shows("G1")
    assert not STATION.sees("D1") and STATION.shows("D1")
    assert not STATION.shows("D2") and not STATION.sees_station("ST2")


def test_require_refuses_in_words_that_name_what_was_asked() -> None:
    con = Cursor(STATION)
    scope.require_region(con, "D1")
    with pytest.raises(OutOfScope, match="not in your area: D1"):
        scope.require_region(con, "D1", benchmark=False)
    with pytest.raises(OutOfScope):
        scope.require_station(con, "ST2")
    with pytest.raises(OutOfScope):
        scope.require_view(con, "/quality")


def test_rows_outside_the_scope_are_dropped_and_the_rest_kept_in_order() -> None:
    frame = pd.DataFrame({"region_id": ["C", "D1", "D2", "G1", "G9"], "x": range(5)})
    kept = scope.rows(Cursor(STATION), frame)
    assert list(kept["region_id"]) == ["C", "D1", "G1"] and list(kept["x"]) == [0, 1, 3]
    assert scope.rows(Cursor(None), frame) is frame
    stations = pd.DataFrame({"station_id": ["ST1", "ST2"]})
    assert list(scope.station_rows(Cursor(STATION), stations)["station_id"]) == ["ST1"]


def test_a_cached_answer_is_keyed_by_its_caller_unless_shared() -> None:
    calls: list[object] = []

    @cache.per_dataset(8)
    def answer(con, x):
        calls.append(scope.of(con).role)
        return scope.of(con).role

    @cache.per_dataset(8, shared=True)
    def common(con, x):
        calls.append("shared")
        return x * 2

    planner, station = Cursor(Scope(role="planner")), Cursor(STATION)
    assert answer(planner, 1) == "planner"
    assert answer(station, 1) == "station"  # not the planner's answer
    assert answer(planner, 1) == "planner" and calls == ["planner", "station"]
    assert common(planner, 2) == common(station, 2) == 4
    assert calls.count("shared") == 1
