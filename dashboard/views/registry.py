"""The chart registry: every chart of every view, once — the frame behind it and the figure drawn
from that frame. The pages draw from it, their downloads export its frames, the briefing's slides
and the exports draw its figures, and the CLI prints its tables, so a chart added here is
available everywhere and can never be computed two ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard.views import groups, overview, quality, stations
from dashboard.views import map as map_view
from dashboard.views.state import ViewState

FrameFn = Callable[[duckdb.DuckDBPyConnection, ViewState], pd.DataFrame]
FigureFn = Callable[[duckdb.DuckDBPyConnection, ViewState, pd.DataFrame], go.Figure]


@dataclass(frozen=True)
class Chart:
    """One chart: its frame (what its download holds) and its figure (None: shown as a table).

    `slide`: the chart can be a briefing slide (it has a finding to say about it).
    """

    frame: FrameFn
    figure: FigureFn | None = None
    slide: bool = False

    def draw(self, con: duckdb.DuckDBPyConnection, state: ViewState) -> go.Figure:
        if self.figure is None:
            raise ValueError("this chart is a table")
        return self.figure(con, state, self.frame(con, state))


#: view path → chart name → Chart. A view's first slide chart is its default slide.
CHARTS: dict[str, dict[str, Chart]] = {
    overview.PATH: {
        "dumbbell": Chart(overview.services_frame, overview.dumbbell_figure, slide=True),
        "top_gaps": Chart(overview.top_gaps_frame, overview.top_gaps_figure, slide=True),
        "mix": Chart(overview.services_frame, overview.mix_figure, slide=True),
        "trend": Chart(overview.trend_frame, overview.trend_figure, slide=True),
        "unmet": Chart(overview.unmet_frame, overview.unmet_figure),
    },
    map_view.PATH: {
        "map_areas": Chart(map_view.areas_frame, map_view.map_figure, slide=True),
        "map_area": Chart(map_view.area_frame, map_view.area_figure),
    },
    groups.PATH: {
        "group_dumbbell": Chart(groups.groups_frame, groups.dumbbell_figure, slide=True),
        "group_heatmap": Chart(groups.groups_frame, groups.heatmap_figure, slide=True),
    },
    stations.PATH: {
        "station_months": Chart(stations.months_frame, stations.months_figure, slide=True),
        "station_mix": Chart(stations.catchment_frame, stations.mix_figure, slide=True),
        "station_mix_table": Chart(stations.catchment_frame),
        "station_targets": Chart(stations.targets_frame, stations.targets_figure, slide=True),
        "station_people": Chart(stations.people_frame),
        "stations_ranking": Chart(stations.ranking_frame),
    },
    quality.PATH: {
        "qol_link": Chart(quality.qol_link_frame, quality.qol_link_figure, slide=True),
        "profile": Chart(quality.profile_frame, quality.profile_figure),
        "qol_grades": Chart(quality.grades_frame, quality.levels_figure),
        "adl_levels": Chart(quality.adl_frame, quality.levels_figure),
        "t1": Chart(quality.t1_frame),
        "t2": Chart(quality.t2_frame),
        "t3": Chart(quality.t3_frame),
        "t4": Chart(quality.t4_frame),
        "t5": Chart(quality.t5_frame),
    },
}

#: Chart name → (view path, Chart): names are unique across views (a download id names one).
BY_NAME: dict[str, tuple[str, Chart]] = {
    name: (path, chart) for path, charts in CHARTS.items() for name, chart in charts.items()
}
if len(BY_NAME) != sum(len(charts) for charts in CHARTS.values()):
    raise RuntimeError("chart names must be unique across views")

#: View path → its charts that can be slides, the default first.
SLIDE_CHARTS: dict[str, tuple[str, ...]] = {
    path: tuple(name for name, chart in charts.items() if chart.slide)
    for path, charts in CHARTS.items()
}


def chart(name: str) -> Chart:
    """The chart called `name` (KeyError for an unknown name)."""
    return BY_NAME[name][1]


def frame(con: duckdb.DuckDBPyConnection, name: str, state: ViewState) -> pd.DataFrame:
    """The figures behind chart `name` for a state (what a download of it holds)."""
    return chart(name).frame(con, state)
