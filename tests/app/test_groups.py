"""Groups callbacks as plain functions on a demo store."""

from __future__ import annotations

import math

from dashboard.app.context import AppContext
from dashboard.app.pages import groups
from dashboard.app.state import from_query


def test_heat_map_has_a_row_per_group_and_a_column_per_service(app_ctx: AppContext) -> None:
    heat, _by_group, title = groups.update(app_ctx, from_query("?lang=en&dimension=education"))
    assert len(heat.data[0].y) == 3
    assert len(heat.data[0].x) == 12
    assert "junior middle school or less" in heat.data[0].y
    assert "Need and receipt by group" in title


def test_small_groups_are_blank_not_zero(app_ctx: AppContext) -> None:
    # a strict minimum n suppresses the small groups: their cells are empty, hover says why
    heat, _, _ = groups.update(app_ctx, from_query("?lang=en&dimension=occupation&min_n=200"))
    z = [v for row in heat.data[0].z for v in row]
    assert any(v is None for v in z)
    assert all(v is None or not math.isnan(v) for v in z)
    hover = [h for row in heat.data[0].hovertext for h in row]
    assert any("suppressed" in h for h in hover)


def test_the_chosen_service_is_broken_down_by_group(app_ctx: AppContext) -> None:
    _, by_group, title = groups.update(
        app_ctx, from_query("?lang=en&dimension=sex&item=care_injection")
    )
    assert "Injection" in title
    assert sorted(label.split(" (n=")[0] for label in by_group.data[1].y[1]) == ["men", "women"]


def test_download_frame_keeps_suppression(app_ctx: AppContext) -> None:
    con = app_ctx.cursor()
    frame = groups.groups_frame(con, from_query("?dimension=occupation&min_n=200"))
    hidden = frame[frame["suppressed"]]
    assert len(hidden) and hidden["demand_rate"].isna().all()


def test_self_care_and_quality_of_life_groups_come_in_their_natural_order(
    app_ctx: AppContext,
) -> None:
    heat, _, _ = groups.update(app_ctx, from_query("?lang=en&dimension=adl_level&min_n=1"))
    assert list(heat.data[0].y)[:2] == ["normal", "mild impairment"]
    heat, _, _ = groups.update(app_ctx, from_query("?lang=zh&dimension=qol_grade&min_n=1"))
    assert list(heat.data[0].y) == ["差", "中", "好"]
