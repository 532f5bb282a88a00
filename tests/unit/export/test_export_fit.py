"""Slide charts fitted to the canvas: label room measured from the fonts, labels whole, ticks
that do not run into each other, markers not clipped."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.export.fit import CHART_PX, array_of, fit_chart, slide_label, text_width
from dashboard.export.images import presentation

LONG = "Blood pressure / glucose monitoring"


def _rows(labels: list[str]) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[10.0 * i for i in range(len(labels))], y=labels, mode="markers"))
    return presentation(fig, width=CHART_PX[0], height=CHART_PX[1], font_size=28, lang="en")


def _fitted(fig: go.Figure, lang: str = "en") -> go.Figure:
    return fit_chart(fig, width=CHART_PX[0], height=CHART_PX[1], font_px=28, lang=lang)


def test_text_width_is_measured_from_the_font_not_counted() -> None:
    assert text_width("iiii", 26, "en") < text_width("WWWW", 26, "en")  # a count says equal
    assert text_width(LONG, 26, "en") > text_width("Wound care", 26, "en")
    assert text_width("疾病知识教育", 26, "zh") > 5 * 26  # six full-width characters
    assert text_width("Diet<br>guidance", 26, "en") == text_width("guidance", 26, "en")


def test_the_left_margin_holds_the_longest_label_whole() -> None:
    fig = _fitted(_rows(["Wound care (n=1,126)", f"{LONG} (n=1,126)", "Diet guidance (n=95)"]))
    labels = list(fig.data[0].y)
    assert LONG in labels and "Wound care" in labels  # the per-row n is left to the notes
    assert fig.layout.margin.l >= text_width(LONG, 26, "en")
    assert fig.layout.yaxis.automargin is False


def test_a_suppressed_or_withheld_row_keeps_its_mark() -> None:
    assert slide_label("Wound care (suppressed)") == "Wound care (suppressed)"
    assert slide_label("Wound care (n<10)") == "Wound care (n<10)"
    assert slide_label("severe impairment<br>(n=1,234)") == "severe impairment"


def test_a_label_too_long_for_its_share_is_broken_onto_two_lines_when_rows_allow() -> None:
    long = "Disease knowledge education · Huguan S1-C1 Grid 3 of the county (n=24)"
    fig = _fitted(_rows([long, "Diet guidance · Lucheng District (n=300)"]))
    labels = list(fig.data[0].y)
    assert all("<br>" in v for v in labels)  # both " · " labels, one layout
    assert fig.layout.margin.l < 0.5 * CHART_PX[0]


def test_value_ticks_are_no_more_than_the_axis_holds_and_markers_are_not_clipped() -> None:
    fig = _fitted(_rows(["a", "b", "c"]))
    plot_w = CHART_PX[0] - fig.layout.margin.l - fig.layout.margin.r
    assert fig.layout.xaxis.nticks <= plot_w // (26 * 4.5)
    assert fig.data[0].cliponaxis is False
    assert fig.layout.margin.r >= 26


def test_slanted_column_labels_get_the_room_they_reach() -> None:
    names = [LONG, "Diet guidance", "Injection / infusion"] * 4
    fig = go.Figure(
        go.Heatmap(
            z=[[1] * 12, [2] * 12], x=[f"{n} {i}" for i, n in enumerate(names)], y=["60-69", "80+"]
        )
    )
    fig = _fitted(presentation(fig, width=CHART_PX[0], height=CHART_PX[1], lang="en"))
    assert fig.layout.xaxis.tickangle == -45
    assert fig.layout.margin.b >= 0.7 * text_width(LONG, 26, "en")
    assert fig.layout.margin.l >= 0.7 * text_width(f"{LONG} 0", 26, "en") - 60


def test_numbers_read_back_from_a_figure_dict_stay_numbers() -> None:
    fig = go.Figure(go.Figure(go.Scatter(x=[1.5, 2.5], y=["a", "b"])).to_dict())
    styled = _fitted(fig)
    assert array_of(styled.data[0].x) == [1.5, 2.5]  # not the typed array's keys as labels
