"""The chart registry: every chart of every view computes its frame and its figure, once, and the
consumers (pages, downloads, slides) read the same entries."""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import data
from dashboard.app.factory import PAGES
from dashboard.briefing.records import CHARTS as SLIDE_CHARTS
from dashboard.views import registry, stations
from dashboard.views.state import from_query

ALL_CHARTS = [(path, name) for path, charts in registry.CHARTS.items() for name in charts]


@pytest.mark.parametrize(("path", "name"), ALL_CHARTS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_has_a_frame_and_draws_its_figure(
    demo_con: duckdb.DuckDBPyConnection, path: str, name: str, lang: str
) -> None:
    chart = registry.CHARTS[path][name]
    state = from_query(f"?lang={lang}")
    if path == stations.PATH:  # a station's charts are of the station picked
        state = state.with_(station=str(data.stations(demo_con)["station_id"].iloc[0]))
    frame = chart.frame(demo_con, state)
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    assert "respondent_id" not in frame.columns  # aggregates only
    if chart.figure is not None:
        figure = chart.draw(demo_con, state)
        assert isinstance(figure, go.Figure) and len(figure.data) > 0


def test_chart_names_are_unique_and_found_by_name() -> None:
    assert len(registry.BY_NAME) == len(ALL_CHARTS)
    for path, name in ALL_CHARTS:
        assert registry.BY_NAME[name] == (path, registry.CHARTS[path][name])
    with pytest.raises(KeyError):
        registry.chart("no_such_chart")


def test_every_registered_view_is_a_page_and_slides_come_from_the_registry() -> None:
    assert set(registry.CHARTS) <= set(PAGES)
    for path, charts in SLIDE_CHARTS.items():
        assert charts and all(registry.CHARTS[path][c].slide for c in charts)
        assert all(registry.CHARTS[path][c].figure is not None for c in charts)


def test_a_table_chart_cannot_be_drawn(demo_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="table"):
        registry.chart("t2").draw(demo_con, from_query("?lang=en"))
