"""What each role is granted in the demo dataset (views.access.scope_for over data.grant), and
how a view opens and refuses for it."""

from __future__ import annotations

import pytest

from dashboard import data, scope, sql
from dashboard.scope import OutOfScope
from dashboard.views import access
from dashboard.views.state import ViewState


@pytest.fixture(scope="module")
def first_station(demo_con) -> dict:
    return data.stations(demo_con).iloc[0].to_dict()


def test_planners_and_admins_see_everything(demo_con) -> None:
    for role in ("planner", "admin"):
        granted = access.scope_for(demo_con, role, "x")
        assert granted.everything and granted.views is None and granted.downloads


def test_a_station_sees_its_catchment_and_benchmarks_its_city_and_district(
    demo_con, first_station
) -> None:
    granted = access.scope_for(demo_con, "station", "sam", (first_station["station_id"],))
    root = data.root_region(demo_con)
    covers = data.catchment_cover(demo_con)[first_station["station_id"]] or ()
    assert set(covers) <= granted.regions
    assert first_station["station_id"] in granted.regions
    assert {root, first_station["district_id"]} <= granted.benchmarks
    assert not granted.sees(root) and granted.shows(root)
    assert granted.stations == {first_station["station_id"]}
    assert granted.home_station == first_station["station_id"]
    assert "/quality" not in granted.views and "/stations" in granted.views
    tree = data.region_tree(demo_con).set_index("region_id")
    assert all(
        tree.loc[r, "district_id"] == first_station["district_id"]
        for r in granted.regions
        if r in tree.index
    )


def test_a_viewer_sees_its_areas_subtrees_and_no_station(demo_con) -> None:
    tree = data.region_tree(demo_con)
    district = tree.query("level == 'district'")["region_id"].iloc[1]
    granted = access.scope_for(demo_con, "viewer", "vic", (), (district,))
    inside = set(tree.loc[tree["district_id"] == district, "region_id"])
    assert granted.regions == inside and granted.home == district
    assert granted.stations == frozenset() and not granted.downloads
    assert granted.views == {"/", "/briefing"}
    everything = access.scope_for(demo_con, "viewer", "vera")
    assert everything.regions is None and not everything.downloads


def test_unknown_ids_grant_nothing(demo_con) -> None:
    granted = access.scope_for(demo_con, "station", "sam", ("NO-SUCH-STATION",))
    assert granted.stations == frozenset() and granted.regions == frozenset()
    viewer = access.scope_for(demo_con, "viewer", "vic", (), ("NO-SUCH-REGION",))
    assert viewer.regions == frozenset() and viewer.home is None


def test_a_view_opens_on_the_callers_own_area_and_station(demo_con, first_station) -> None:
    cursor = sql.CachedCursor(demo_con.cursor, ("access", 1))
    cursor.caller = access.scope_for(demo_con, "station", "sam", (first_station["station_id"],))
    opened = access.opening(cursor, ViewState(lang="en"))
    assert opened.station == first_station["station_id"] and opened.region is not None
    access.check(cursor, "/stations", opened)
    kept = access.opening(cursor, ViewState(lang="en", region="X", station="Y"))
    assert (kept.region, kept.station) == ("X", "Y")  # what the URL asks is checked, not replaced


def test_check_refuses_views_regions_districts_and_stations_outside(
    demo_con, first_station
) -> None:
    cursor = sql.CachedCursor(demo_con.cursor, ("access", 2))
    cursor.caller = access.scope_for(demo_con, "station", "sam", (first_station["station_id"],))
    other = next(
        d
        for d in data.region_tree(demo_con).query("level == 'district'")["region_id"]
        if d != first_station["district_id"]
    )
    state = access.opening(cursor, ViewState(lang="en"))
    for refused in (
        lambda: access.check(cursor, "/quality", state),
        lambda: access.check(cursor, "/", state.with_(region=other)),
        lambda: access.check(cursor, "/map", state.with_(district=other)),
        lambda: access.check(cursor, "/stations", state.with_(station="NOT-MINE")),
    ):
        with pytest.raises(OutOfScope):
            refused()
    assert scope.of(cursor).role == "station"
