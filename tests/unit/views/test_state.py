"""URL state: a copied link restores the view; bad hand-edited values fall back to defaults."""

from __future__ import annotations

import datetime as dt

from dashboard.views.state import ViewState, from_query


def test_a_state_survives_the_round_trip_through_the_url() -> None:
    state = ViewState(
        lang="en",
        region="140425",
        start=dt.date(2009, 1, 1),
        end=dt.date(2009, 6, 30),
        age="70-79",
        sex="F",
        threshold=3,
        min_n=20,
        measure="received_rate",
        item="exam_periodic",
        district="140425",
        dimension="education",
    )
    assert from_query(state.to_query()) == state


def test_defaults_are_left_out_of_links() -> None:
    assert ViewState(lang="en").to_query() == "?lang=en"


def test_malformed_values_fall_back_to_defaults() -> None:
    state = from_query("?lang=fr&threshold=9&min_n=x&start=2009-13-01&age=90%2B&measure=foo")
    assert state == ViewState(lang="zh")


def test_reversed_period_is_put_in_order() -> None:
    state = from_query("?start=2009-06-01&end=2009-01-01")
    assert (state.start, state.end) == (dt.date(2009, 1, 1), dt.date(2009, 6, 1))


def test_an_empty_control_value_clears_its_parameter() -> None:
    state = from_query("?lang=en&sex=F&age=80%2B").updated({"sex": "", "age": None, "threshold": 5})
    assert (state.sex, state.age, state.threshold) == (None, None, 5)


def test_date_picker_timestamps_are_read_as_dates() -> None:
    state = ViewState().updated({"start": "2009-02-01T00:00:00"})
    assert state.start == dt.date(2009, 2, 1)
