"""What a link asked for that the page cannot show is said, one line each, in both languages,
and the state the page draws no longer holds it."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import data
from dashboard.views import inputs
from dashboard.views.state import from_query


def test_a_good_link_has_nothing_to_say(demo_con) -> None:
    state, notes = inputs.check(demo_con, from_query("?lang=en&sex=F&threshold=3"))
    assert notes == [] and state == from_query("?lang=en&sex=F&threshold=3")


def test_parse_keeps_what_it_could_not_use() -> None:
    state = from_query("?lang=fr&threshold=9&start=2099-01-01&end=2009-01-01&sex=X&min_n=0")
    assert state.lang == "zh" and state.threshold == from_query("").threshold
    assert dict(state.ignored) == {
        "dates": "2099-01-01|2009-01-01",
        "lang": "fr",
        "sex": "X",
        "threshold": "9",
        "min_n": "0",
    }
    assert from_query("?lang=en&threshold=3&sex=F").ignored == ()
    assert "ignored" not in state.to_query()


def test_each_bad_setting_says_what_was_asked_and_what_is_shown() -> None:
    notes = inputs.parse_notes(from_query("?lang=en&threshold=9&measure=foo"))
    assert notes[0] == (
        f"The link asks for need threshold 9, outside 1–5: showing "
        f"{from_query('').threshold} instead."
    )
    assert "“foo”" in notes[1] and "instead" in notes[1]
    zh = inputs.parse_notes(from_query("?lang=zh&threshold=9"))
    assert zh[0].startswith("链接所要求的需要阈值 9")


def test_an_unknown_language_is_named_and_the_default_shown() -> None:
    (note,) = inputs.parse_notes(from_query("?lang=fr"))
    assert "“fr”" in note and note.endswith("改为显示中文。")
    (note,) = inputs.parse_notes(from_query("?lang=fr", default_lang="en"))
    assert "“fr”" in note and "showing English instead" in note


def test_a_reversed_period_is_said_and_swapped() -> None:
    state = from_query("?lang=en&start=2009-06-01&end=2009-01-01")
    (note,) = inputs.parse_notes(state)
    assert "starts on 2009-06-01, after it ends on 2009-01-01" in note
    assert (state.start, state.end) == (dt.date(2009, 1, 1), dt.date(2009, 6, 1))


@pytest.mark.parametrize("key", ["region", "district", "station", "item"])
def test_an_unknown_place_station_or_service_is_said_and_cleared(demo_con, key) -> None:
    state, notes = inputs.check(demo_con, from_query(f"?lang=en&{key}=bogus"))
    assert getattr(state, key) is None
    (note,) = notes
    assert "“bogus”" in note and "which the data does not hold" in note


def test_known_values_are_kept(demo_con) -> None:
    station = str(data.stations(demo_con)["station_id"].iloc[0])
    tree = data.region_tree(demo_con)
    district = str(tree[tree["level"] == "district"]["region_id"].iloc[0])
    query = f"?lang=en&station={station}&district={district}&region={district}"
    state, notes = inputs.check(demo_con, from_query(query))
    assert notes == [] and (state.station, state.district, state.region) == (
        station,
        district,
        district,
    )


def test_a_period_with_no_delivery_shows_the_whole_period_and_says_so(demo_con) -> None:
    first, last = data.delivery_period(demo_con)
    state, notes = inputs.check(demo_con, from_query("?lang=en&start=2099-01-01&end=2099-06-01"))
    assert state.start is None and state.end is None
    (note,) = notes
    assert "no delivery in the period asked for" in note and str(first.year) in note
    # a period overlapping the records is left alone
    kept, none = inputs.check(demo_con, from_query(f"?lang=en&start={first}&end=2099-06-01"))
    assert none == [] and kept.end == dt.date(2099, 6, 1) and last < kept.end
