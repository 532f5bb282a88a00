"""The stations view's logic, without Dash: which station, its frames, its words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import data
from dashboard.views import stations as view
from dashboard.views.state import STATION_MEASURES, ViewState, from_query


@pytest.fixture(scope="module")
def first_station(demo_con) -> str:
    return str(data.stations(demo_con)["station_id"].iloc[0])


def test_the_station_is_url_state(first_station) -> None:
    state = from_query(f"?lang=en&station={first_station}&rank_by=mix_gap_pp&breakdown=service")
    assert (state.station, state.rank_by, state.breakdown) == (
        first_station,
        "mix_gap_pp",
        "service",
    )
    assert from_query(state.to_query()) == state
    assert from_query("?rank_by=bogus&breakdown=x").rank_by == "provision_count"


def test_an_unknown_station_is_no_station(demo_con) -> None:
    state = ViewState(lang="en", station="no-such-station")
    assert view.selected(demo_con, state) is None
    assert view.cards(demo_con, state) == []
    assert view.catchment_frame(demo_con, state).empty
    assert view.months_frame(demo_con, state).empty


def test_the_picker_searches_names_ids_and_regions(demo_con, first_station) -> None:
    options = view.station_options(demo_con, ViewState(lang="en"))
    assert len(options) == len(data.stations(demo_con))
    first = next(o for o in options if o["value"] == first_station)
    assert first_station in first["search"] and first["label"] in first["search"]


def test_a_station_outside_the_area_filter_stays_pickable(demo_con) -> None:
    stations = data.stations(demo_con)
    districts = stations["district_id"].unique()
    assert len(districts) > 1
    elsewhere = stations[stations["district_id"] != districts[0]].iloc[0]["station_id"]
    state = ViewState(lang="en", region=str(districts[0]), station=str(elsewhere))
    assert str(elsewhere) in {o["value"] for o in view.station_options(demo_con, state)}


def test_the_monthly_frame_is_the_stations_own_deliveries(demo_con, first_station) -> None:
    state = ViewState(lang="en", station=first_station, breakdown="service")
    frame = view.months_frame(demo_con, state)
    assert set(frame["station_id"]) == {first_station}
    (total,) = demo_con.execute(
        "SELECT sum(quantity) FROM deliveries WHERE station_id = ?", [first_station]
    ).fetchone()
    assert int(frame["provision_count"].sum()) == int(total)
    assert set(frame["item_code"]) == set(data.service_names(demo_con, "en"))


def test_the_catchment_frame_is_one_row_per_service_with_intervals(demo_con, first_station):
    frame = view.catchment_frame(demo_con, ViewState(station=first_station))
    assert set(frame["region_id"]) == {first_station}
    assert len(frame) == len(data.service_names(demo_con, "en"))
    assert {"demand_rate_lo", "demand_rate_hi", "reliability", "mix_gap_pp"} <= set(frame)
    shares = frame["provision_share"].sum()
    assert shares == pytest.approx(1.0)


@pytest.mark.parametrize("measure", STATION_MEASURES)
def test_the_ranking_puts_the_largest_first_and_missing_figures_last(demo_con, measure) -> None:
    frame = view.ranking_frame(demo_con, ViewState(lang="en", rank_by=measure))
    assert len(frame) == len(data.stations(demo_con))
    values = frame[measure].astype(float)
    shown = values.dropna().round(9)  # ties are broken by id, below 1e-9
    assert list(shown) == sorted(shown, reverse=True)
    if values.isna().any():
        assert values.isna().to_numpy()[len(shown) :].all()


def test_the_rankings_default_item_is_the_largest_mix_gap(demo_con) -> None:
    state = ViewState(lang="en")
    item, by = view.ranking_item(demo_con, state)
    area = data.gap_table(demo_con, "city")
    assert by == "service"
    assert item == area.sort_values("mix_gap_pp", ascending=False).iloc[0]["item_code"]
    category = data.categories(demo_con)[0]
    assert view.ranking_item(demo_con, state.with_(item=category)) == (category, "category")


def test_a_suppressed_station_shows_no_survey_figure_in_the_ranking(demo_con) -> None:
    frame = view.ranking_frame(demo_con, ViewState(lang="en", age="80+", sex="M"))
    hidden = frame[frame["suppressed"]]
    assert len(hidden)
    assert hidden[["demand_rate", "demand_share", "mix_gap_pp"]].isna().all().all()
    rows = view.ranking_rows(ViewState(lang="en", age="80+", sex="M"), frame)
    n_column = view.ranking_header("en").index("n")
    withheld = [r for r, s in zip(rows, frame["suppressed"], strict=True) if s]
    assert all(r[n_column] in ("<10", "0") for r in withheld)


def test_interval_text_says_when_an_interval_says_nothing() -> None:
    assert view.interval_text(0.36, 0.2, 0.55, "en") == "36.0% (20.0–55.0%)"
    assert view.interval_text(0.36, 0.0, 1.0, "en") == "36.0% (no CI: one survey cluster)"
    assert view.interval_text(0.36, 0.0, 1.0, "en", short=True) == "36.0% †"
    assert view.interval_text(np.nan, 0.1, 0.2, "en") == "—"


def test_people_rows_say_withheld_counts_as_below_k(demo_con, first_station) -> None:
    state = ViewState(lang="en", station=first_station)
    frame = pd.DataFrame(
        {
            "station_id": [first_station] * 2,
            "service_code": ["edu_disease", "edu_disease"],
            "year": [2008, 2009],
            "recipients": [np.nan, 25.0],
            "elderly_population": [1000.0, 1000.0],
            "people_per_1000": [np.nan, 25.0],
        }
    )
    rows = view.people_rows(demo_con, state, frame)
    assert rows == [[data.service_names(demo_con, "en")["edu_disease"], "<10", "—", "25", "25.0"]]
    assert view.people_header("en", [2008, 2009])[1].startswith("2008")


def test_the_headline_of_a_station(demo_con, first_station) -> None:
    head = view.headline(demo_con, ViewState(station=first_station))
    (total,) = demo_con.execute(
        "SELECT sum(quantity) FROM deliveries WHERE station_id = ?", [first_station]
    ).fetchone()
    assert head.deliveries == total
    assert head.respondents == data.station_respondents(demo_con, first_station)
    cards = view.cards(demo_con, ViewState(lang="zh", station=first_station))
    assert len(cards) == 5 and cards[0].value == f"{int(total):,}"


def test_the_whole_view_for_no_station_and_for_one(demo_con, first_station) -> None:
    none = view.stations_view(demo_con, ViewState(lang="en"))
    assert none.station is None and none.mix_rows == [] and none.cards == []
    assert len(none.ranking_rows) == len(data.stations(demo_con))
    one = view.stations_view(demo_con, ViewState(lang="zh", station=first_station))
    assert one.station == first_station and one.summary
    assert len(one.mix_rows) == len(data.service_names(demo_con, "zh"))
    assert one.months.data, "the monthly chart draws the station's deliveries"
