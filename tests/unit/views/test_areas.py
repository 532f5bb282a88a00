"""The area filter's list: which levels it shows (no Dash)."""

from __future__ import annotations

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
