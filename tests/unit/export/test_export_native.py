"""Slide charts as native PowerPoint charts: bars as bar charts, a dumbbell as an XY scatter
with its row names beside it; anything else stays a picture. No Chromium is needed for them."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from dashboard.export import native
from dashboard.export.deck import write_pptx


class NoBrowser:
    """A renderer that must not be asked: native charts need no picture."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def image(self, *args, **kwargs):
        raise AssertionError("a native chart was drawn as a picture")


def _bars() -> go.Figure:
    fig = go.Figure(layout={"barmode": "group"})
    fig.add_trace(
        go.Bar(
            x=[19.0, 8.0],
            y=["Diet guidance", "Wound care"],
            orientation="h",
            name="Share of stated needs",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[3.0, 42.0],
            y=["Diet guidance", "Wound care"],
            orientation="h",
            name="Share of station deliveries",
        )
    )
    return fig


def test_only_bars_and_dumbbells_are_native(figures) -> None:
    names = {"edu": "健康教育", "exam": "定期体检", "care": "上门护理"}
    assert native.kind(_bars()) == "bar"
    assert native.kind(figures["services"](names)) == "dumbbell"
    assert not native.supported(figures["map"]())
    assert not native.supported(go.Figure(go.Heatmap(z=[[1, 2]])))


def test_a_dumbbell_is_an_xy_scatter_with_every_row_named(
    figures, zh_slides, zh_meta, tmp_path: Path
) -> None:
    dumbbell = [s for s in zh_slides if not s.is_map]
    path = write_pptx(dumbbell, zh_meta, tmp_path / "native.pptx", NoBrowser())  # type: ignore[arg-type]
    view = list(Presentation(str(path)).slides)[1]
    chart = next(s for s in view.shapes if s.has_chart).chart
    assert chart.chart_type.name.startswith("XY_SCATTER")
    names = [s.name for s in chart.plots[0].series]
    assert names[:2] == ["需要", "已获得"]  # the two ends, then a connector per shown row
    assert len(names) == 2 + 2  # the suppressed row has no points and no connector
    texts = {s.text_frame.text for s in view.shapes if s.has_text_frame}
    for row in ("健康教育", "定期体检", "上门护理 (不显示)"):  # the slide states its n
        assert row in texts  # whole, editable row names
    assert chart.category_axis.maximum_scale > 41  # the rightmost marker (41%) inside


def test_bars_are_a_native_bar_chart(zh_slides, zh_meta, tmp_path: Path) -> None:
    from dataclasses import replace

    bars = replace(zh_slides[0], figure=_bars())
    path = write_pptx([bars], zh_meta, tmp_path / "bars.pptx", NoBrowser())  # type: ignore[arg-type]
    chart = next(s for s in list(Presentation(str(path)).slides)[1].shapes if s.has_chart).chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].categories) == ["Diet guidance", "Wound care"]
    assert [s.name for s in chart.plots[0].series] == [
        "Share of stated needs",
        "Share of station deliveries",
    ]
    assert list(chart.plots[0].series[1].values) == [3.0, 42.0]
