"""The groups view's logic on the demo store, without Dash."""

from __future__ import annotations

import math

import duckdb

from dashboard.views import groups
from dashboard.views.state import from_query


def _update(con: duckdb.DuckDBPyConnection, query: str) -> tuple:
    result = groups.groups(con, from_query(query))
    return result.heatmap, result.dumbbell, result.dumbbell_title


def test_heat_map_has_a_row_per_group_and_a_column_per_service(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    heat, _by_group, title = _update(demo_con, "?lang=en&dimension=education")
    assert len(heat.data[0].y) == 3
    assert len(heat.data[0].x) == 12
    assert "junior middle school or less" in heat.data[0].y
    assert "Need and receipt by group" in title


def test_small_groups_are_blank_not_zero(demo_con: duckdb.DuckDBPyConnection) -> None:
    # a strict minimum n suppresses the small groups: their cells are empty, hover says why
    heat, _, _ = _update(demo_con, "?lang=en&dimension=occupation&min_n=200")
    z = [v for row in heat.data[0].z for v in row]
    assert any(v is None for v in z)
    assert all(v is None or not math.isnan(v) for v in z)
    hover = [h for row in heat.data[0].hovertext for h in row]
    assert any("suppressed" in h for h in hover)


def test_the_chosen_service_is_broken_down_by_group(demo_con: duckdb.DuckDBPyConnection) -> None:
    _, by_group, title = _update(demo_con, "?lang=en&dimension=sex&item=care_injection")
    assert "Injection" in title
    assert sorted(label.split(" (n=")[0] for label in by_group.data[1].y[1]) == ["men", "women"]


def test_download_frame_keeps_suppression(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    frame = groups.groups_frame(con, from_query("?dimension=occupation&min_n=200"))
    hidden = frame[frame["suppressed"]]
    assert len(hidden) and hidden["demand_rate"].isna().all()


def test_self_care_and_quality_of_life_groups_come_in_their_natural_order(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    heat, _, _ = _update(demo_con, "?lang=en&dimension=adl_level&min_n=1")
    assert list(heat.data[0].y)[:2] == ["normal", "mild impairment"]
    heat, _, _ = _update(demo_con, "?lang=zh&dimension=qol_grade&min_n=1")
    assert list(heat.data[0].y) == ["差", "中", "好"]
