"""answers.kept: an answer is reused only for the same dataset, caller, floor and state."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dashboard import cache
from dashboard.app import answers
from dashboard.scope import Scope


@dataclass
class _Cursor:
    """What answers.kept reads of a server cursor: its dataset and its caller."""

    cache_scope: object = ("store.duckdb", "v1")
    caller: object = None


@pytest.fixture
def drawn() -> list[tuple[object, str]]:
    cache.clear_all()
    yield []
    cache.clear_all()


def _view(drawn: list[tuple[object, str]]):
    @answers.kept
    def outputs(con: _Cursor, state: str) -> object:
        drawn.append((con.caller, state))
        return object()  # a new answer each time it is drawn

    return outputs


def test_the_same_state_is_answered_once_and_a_new_one_is_drawn(drawn) -> None:
    outputs = _view(drawn)
    con = _Cursor()
    first = outputs(con, "zh")
    assert outputs(_Cursor(), "zh") is first
    assert outputs(con, "en") is not first
    assert drawn == [(None, "zh"), (None, "en")]


def test_another_caller_or_dataset_version_never_gets_the_answer(drawn) -> None:
    outputs = _view(drawn)
    mine = outputs(_Cursor(caller=Scope(role="manager", regions=frozenset({"D1"}))), "zh")
    theirs = outputs(_Cursor(caller=Scope(role="manager", regions=frozenset({"D2"}))), "zh")
    newer = outputs(_Cursor(cache_scope=("store.duckdb", "v2")), "zh")
    assert len({id(mine), id(theirs), id(newer)}) == 3 and len(drawn) == 3


def test_a_changed_floor_draws_the_answer_again(drawn, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = _view(drawn)
    monkeypatch.setenv("CAREGAP_MIN_N", "10")
    at_ten = outputs(_Cursor(), "zh")
    monkeypatch.setenv("CAREGAP_MIN_N", "20")
    assert outputs(_Cursor(), "zh") is not at_ten
    assert len(drawn) == 2


def test_a_plain_connection_is_never_answered_from_memory(drawn) -> None:
    outputs = _view(drawn)
    con = _Cursor(cache_scope=None)
    assert outputs(con, "zh") is not outputs(con, "zh")
    assert len(drawn) == 2
