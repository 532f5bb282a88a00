"""Groups (/groups): the group × service heat map draws, and the grouping is part of the address.
Skipped while the page is not registered."""

from __future__ import annotations

import json

from dashboard.i18n import t

from .harness import (
    SPECS,
    choose,
    dash_id,
    dropdown_text,
    figure,
    require_page,
    same_figure,
    wait_drawn,
    wait_figure_change,
    wait_idle,
)

HEATMAP = "chart-group_heatmap"
DIMENSION = dash_id({"role": "state", "key": "dimension"})

HEATMAP_JS = """(id) => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    const heat = plot.data.filter((t) => t.type === 'heatmap');
    return heat.map((t) => ({rows: (t.y || []).length, cols: (t.x || []).length,
        cells: Array.from(t.z || []).length,
        drawn: plot.querySelectorAll('.heatmaplayer image, .heatmaplayer rect').length}));
}"""


def test_the_heat_map_draws(session) -> None:
    """In Chinese (the English page is drawn by the test below)."""
    require_page("/groups")
    lang = "zh"
    page, guard = session.new_page()
    page.goto(session.url("/groups", f"?lang={lang}"))
    wait_drawn(page, SPECS["/groups"])
    wait_idle(page, guard)
    heat = page.evaluate(HEATMAP_JS, HEATMAP)
    assert heat, "no heatmap trace in the groups page's heat map"
    assert heat[0]["rows"] >= 2 and heat[0]["cols"] >= 2 and heat[0]["cells"] >= 2, heat
    assert heat[0]["drawn"] > 0, "the heat map has data but nothing is painted"
    assert dropdown_text(page, DIMENSION) == t("ui.dim_age_group", lang)
    session.assert_clean()


def test_changing_the_grouping_redraws_and_is_kept_in_the_address(session) -> None:
    require_page("/groups")
    page, guard = session.new_page()
    page.goto(session.url("/groups", "?lang=en"))
    wait_drawn(page, SPECS["/groups"])
    wait_idle(page, guard)
    before = figure(page, HEATMAP)
    wait_figure_change(page, HEATMAP, lambda: choose(page, DIMENSION, "sex"))
    page.wait_for_function("() => window.location.search.includes('dimension=sex')")
    wait_idle(page, guard)
    after = figure(page, HEATMAP)
    assert not same_figure(after, before)
    assert "women" in json.dumps(after).lower()

    fresh, fresh_guard = session.new_page()
    fresh.goto(page.url)
    wait_drawn(fresh, SPECS["/groups"])
    wait_idle(fresh, fresh_guard)
    assert dropdown_text(fresh, DIMENSION) == t("ui.dim_sex", "en")
    assert same_figure(figure(fresh, HEATMAP), after)
    session.assert_clean()
