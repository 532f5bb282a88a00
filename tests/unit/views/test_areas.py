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
