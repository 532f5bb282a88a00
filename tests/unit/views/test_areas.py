"""The area filter's list: which levels it shows (no Dash)."""

from __future__ import annotations

from collections import namedtuple

import pandas as pd

from dashboard.views import areas


def test_the_area_list_stops_at_the_deepest_level_that_keeps_it_short() -> None:
    rows = [("C", "city", 0)] + [(f"D{i}", "district", 1) for i in range(12)]
    rows += [(f"S{i}", "street", 2) for i in range(1000)]
    rows += [(f"G{i}", "grid", 3) for i in range(20_000)]
    tree = pd.DataFrame(rows, columns=["region_id", "level", "depth"])
    assert areas.listed_levels(tree) == {"city", "district", "street"}
    small = tree[tree["level"] != "street"].head(400)
    assert areas.listed_levels(small) == {"city", "district", "grid"}


Row = namedtuple("Row", "name name_en level depth")  # as the area list reads the tree


def _row(name: str, name_en: str, level: str, depth: int = 0) -> object:
    return Row(name, name_en, level, depth)


def test_an_area_is_listed_with_its_level_unless_its_name_says_it() -> None:
    city = _row("长治市", "Changzhi", "city")
    assert areas.region_label(city, "zh") == "长治市"
    assert areas.region_label(city, "en") == "Changzhi · city"
    county = _row("平顺县", "Pingshun County", "district", 1)
    assert areas.region_label(county, "zh") == "\u2003平顺县 · 区县"
    grid = _row("壶关县第1街道第1社区第3网格", "Huguan S1-C1 Grid 3", "grid", 4)
    assert areas.region_label(grid, "zh").strip() == "壶关县第1街道第1社区第3网格"
    assert areas.region_label(grid, "en").strip() == "Huguan S1-C1 Grid 3"


def _listing() -> areas.AreaList:
    """A city, two districts listed; two grids of the first district not listed."""
    order = ["C", "D1", "G1", "G2", "D2"]
    return areas.AreaList(
        options=({"value": "C"}, {"value": "D1"}, {"value": "D2"}),
        listed_at=(0, 1, 4),
        position={region: i for i, region in enumerate(order)},
    )


def test_a_selected_region_the_list_does_not_show_joins_it_at_its_place_in_the_tree() -> None:
    listing = _listing()
    assert listing.place("G2") == 2
    shown = listing.including(listing.options, "G2", lambda: {"value": "G2"})
    assert [o["value"] for o in shown] == ["C", "D1", "G2", "D2"]
    assert [o["value"] for o in listing.options] == ["C", "D1", "D2"]  # the cached list unchanged


def test_a_listed_unknown_or_absent_selection_adds_nothing() -> None:
    listing = _listing()
    for region in ("D1", "C", "elsewhere", None):
        assert listing.place(region) is None
        assert len(listing.including(listing.options, region, lambda: {"value": "x"})) == 3
