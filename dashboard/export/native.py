"""Slide charts as native, editable PowerPoint charts (python-pptx), pictures otherwise.

A presenter who receives the PPTX can restyle, relabel or re-sort a native chart; a picture
they can only crop. python-pptx draws bar and column charts (clustered or stacked) and XY
scatter charts, so:

- a figure of bar traces only becomes a bar chart (horizontal) or a column chart (vertical),
  stacked when the figure stacks them;
- a dumbbell (dashboard.figures.dumbbell: a "lines" trace with the connectors and one
  "markers" trace per end) becomes an XY scatter: each end a marker series, each row's
  connector a two-point line series; the row names are text boxes beside the plot area, placed
  on the rows (PowerPoint's value axis has no category names), so they are whole and editable;
- anything else (maps, heat maps, line charts) stays a picture (`supported` is False).

Values are read from the figure's own traces: nothing here computes a figure of its own, so
the native chart shows what the gate let through and nothing more (a suppressed row has no
point, as in the picture).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

import plotly.graph_objects as go
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.export.fit import array_of, slide_label, text_width
from dashboard.figures import theme

#: The share of a dumbbell's chart box given to its row names (the plot area takes the rest).
LABEL_SHARE = 0.42
#: The plot area of a dumbbell inside its chart frame (fractions), leaving the legend on top.
PLOT_TOP, PLOT_BOTTOM = 0.11, 0.1
TAG = re.compile(r"<[^>]+>")


def text_of(label: object) -> str:
    """A plotly label as plain text: `<br>` a line break, other markup dropped, entities read."""
    text = re.sub(r"<br\s*/?>", "\n", str(label))
    return html.unescape(TAG.sub("", text)).strip()


def _values(seq: object) -> list:
    return array_of(seq)


def _last_level(y: object) -> list:
    """A multicategory axis's innermost labels (a slide shows the service names alone)."""
    values = _values(y)
    if values and isinstance(values[0], (list, tuple)):
        return list(values[-1])
    return values


def kind(fig: go.Figure) -> str | None:
    """'bar', 'dumbbell' or None (a picture) for a slide's figure."""
    traces = list(fig.data)
    if not traces:
        return None
    if all(t.type == "bar" for t in traces):
        return "bar"
    modes = [(t.type, getattr(t, "mode", None)) for t in traces]
    if (
        all(t == "scatter" for t, _ in modes)
        and any(m == "lines" for _, m in modes)
        and sum(m == "markers" for _, m in modes) == 2
    ):
        return "dumbbell"
    return None


def supported(fig: go.Figure) -> bool:
    """Whether the slide's chart goes into PowerPoint as a native chart."""
    return kind(fig) is not None


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _rgb(colour: object, fallback: str) -> RGBColor:
    text = str(colour) if isinstance(colour, str) and colour.startswith("#") else fallback
    return RGBColor.from_string(text.lstrip("#")[:6].upper())


def _font(font, size: float, colour: str = theme.INK) -> None:
    font.size = Pt(size)
    font.color.rgb = _rgb(colour, theme.INK)


def add_chart(slide, fig: go.Figure, box: Sequence[float], font_pt: float, lang: str) -> None:
    """Draw `fig` on a python-pptx slide in `box` (left, top, width, height in inches)."""
    if kind(fig) == "bar":
        _bars(slide, fig, box, font_pt)
    else:
        _dumbbell(slide, fig, box, font_pt, lang)


# -- bars ---------------------------------------------------------------------------------------


def _bars(slide, fig: go.Figure, box: Sequence[float], font_pt: float) -> None:
    traces = list(fig.data)
    horizontal = traces[0].orientation == "h"
    stacked = fig.layout.barmode in ("stack", "relative")
    cats_of = (lambda t: _last_level(t.y)) if horizontal else (lambda t: _last_level(t.x))
    vals_of = (lambda t: _values(t.x)) if horizontal else (lambda t: _values(t.y))
    categories: list[str] = []
    for trace in traces:  # every category of every trace, in first-seen order
        categories += [c for c in map(text_of, cats_of(trace)) if c not in categories]
    data = CategoryChartData()
    data.categories = categories
    for trace in traces:
        by_cat = dict(zip(map(text_of, cats_of(trace)), vals_of(trace), strict=False))
        data.add_series(text_of(trace.name or ""), [_number(by_cat.get(c)) for c in categories])
    if horizontal:
        chart_type = XL_CHART_TYPE.BAR_STACKED if stacked else XL_CHART_TYPE.BAR_CLUSTERED
    else:
        chart_type = XL_CHART_TYPE.COLUMN_STACKED if stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    left, top, width, height = (Inches(v) for v in box)
    chart = slide.shapes.add_chart(chart_type, left, top, width, height, data).chart
    for series, trace in zip(chart.series, traces, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(trace.marker.color, theme.PALETTE[0])
    if horizontal:  # plotly draws the first category at the bottom, as PowerPoint does
        chart.category_axis.reverse_order = False
    _style(chart, font_pt, legend=len(traces) > 1)


def _style(chart, font_pt: float, *, legend: bool) -> None:
    chart.font.size = Pt(font_pt)
    chart.font.color.rgb = _rgb(theme.INK, theme.INK)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(font_pt)


# -- dumbbell as XY scatter ---------------------------------------------------------------------


def _dumbbell(slide, fig: go.Figure, box: Sequence[float], font_pt: float, lang: str) -> None:
    markers = [t for t in fig.data if t.mode == "markers"]
    names = [text_of(slide_label(n)) for n in _last_level(markers[0].y)]
    rows = len(names)
    data = XyChartData()
    ends = []
    for trace in markers:
        series = data.add_series(text_of(trace.name or ""))
        xs = [_number(x) for x in _values(trace.x)]
        for i, x in enumerate(xs):
            if x is not None:
                series.add_data_point(x, i + 1)  # row i (plotly's bottom-up order) at y = i + 1
        ends.append(xs)
    connectors = 0
    for i in range(rows):
        a, b = ends[0][i], ends[1][i]
        if a is not None and b is not None:
            line = data.add_series(f"· {names[i]}")
            line.add_data_point(a, i + 1)
            line.add_data_point(b, i + 1)
            connectors += 1
    left, top, width, height = box
    label_w = width * LABEL_SHARE
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.XY_SCATTER_LINES,
        Inches(left + label_w),
        Inches(top),
        Inches(width - label_w),
        Inches(height),
        data,
    )
    chart = frame.chart
    _plot_area(chart)
    all_series = list(chart.series)
    for series, trace in zip(all_series[: len(markers)], markers, strict=True):
        colour = _rgb(trace.marker.color, theme.NEED)
        series.format.line.fill.background()  # the ends are dots, not a line
        series.marker.style = (
            XL_MARKER_STYLE.DIAMOND if trace.marker.symbol == "diamond" else XL_MARKER_STYLE.CIRCLE
        )
        series.marker.size = 11
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
        series.marker.format.line.color.rgb = colour
    for series in all_series[len(markers) :]:
        series.marker.style = XL_MARKER_STYLE.NONE
        series.format.line.color.rgb = _rgb(theme.NEUTRAL, theme.NEUTRAL)
        series.format.line.width = Pt(3)
        series.smooth = False
    # python-pptx: an XY chart's first value axis (x) is `category_axis`, the second (y) is
    # `value_axis`
    value_axis, rows_axis = chart.category_axis, chart.value_axis
    rows_axis.minimum_scale, rows_axis.maximum_scale = 0.5, rows + 0.5
    rows_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    rows_axis.has_major_gridlines = False
    rows_axis.visible = False
    xs = [x for end in ends for x in end if x is not None]
    value_axis.minimum_scale = 0
    value_axis.maximum_scale = _nice_max(max(xs, default=1.0))
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.number_format = '0"%"'
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(font_pt)
    _style(chart, font_pt, legend=True)
    _legend_without(chart, range(len(markers), len(markers) + connectors))
    _row_names(slide, names, box, label_w, font_pt, lang)


def _nice_max(top: float) -> float:
    """An axis end a little past the largest value (the rightmost marker is never cut)."""
    step = 10 if top > 20 else 5
    return float(step * math.ceil((top * 1.04 + 0.01) / step))


def _plot_area(chart) -> None:
    """Fix the plot area's inner box (fractions of the chart frame), so the row names placed
    beside it line up with the rows."""
    plot_area = chart._chartSpace.chart.plotArea
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = plot_area.makeelement(qn("c:layout"), {})
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = layout.makeelement(qn("c:manualLayout"), {})
    layout.append(manual)
    values = {
        "layoutTarget": "inner",
        "xMode": "edge",
        "yMode": "edge",
        "x": 0.02,
        "y": PLOT_TOP,
        "w": 0.94,
        "h": 1 - PLOT_TOP - PLOT_BOTTOM,
    }
    for tag, value in values.items():
        node = manual.makeelement(qn(f"c:{tag}"), {"val": str(value)})
        manual.append(node)


def _legend_without(chart, hidden: range) -> None:
    """Leave the connector series out of the legend (only the two ends are named)."""
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    if legend is None:
        return
    position = legend.find(qn("c:legendPos"))
    for i in reversed(list(hidden)):
        entry = legend.makeelement(qn("c:legendEntry"), {})
        idx = entry.makeelement(qn("c:idx"), {"val": str(i)})
        delete = entry.makeelement(qn("c:delete"), {"val": "1"})
        entry.append(idx)
        entry.append(delete)
        position.addnext(entry)


def _row_name_size(
    names: list[str], label_w: float, row_h: float, font_pt: float, lang: str
) -> float:
    """The largest size (points, ≥ 12) at which every row name fits its box on one line,
    measured from the font (dashboard.export.fit.text_width; points for pixels: same ratio)."""
    room = label_w * 72 - 6
    for size in range(int(font_pt), 11, -1):
        one_line = row_h * 72 >= size * 1.25
        if one_line and max(text_width(n, size, lang) for n in names) <= room:
            return float(size)
    return 12.0


def _row_names(
    slide, names: list[str], box: Sequence[float], label_w: float, font_pt: float, lang: str
) -> None:
    """One right-aligned text box per row, centred on its row of the plot area."""
    left, top, _width, height = box
    inner_top = top + height * PLOT_TOP
    inner_h = height * (1 - PLOT_TOP - PLOT_BOTTOM)
    rows = len(names)
    row_h = inner_h / rows
    size = _row_name_size(names, label_w, row_h, font_pt, lang)
    for i, name in enumerate(names):
        centre = inner_top + inner_h * (rows + 0.5 - (i + 1)) / rows
        shape = slide.shapes.add_textbox(
            Inches(left), Inches(centre - row_h / 2), Inches(label_w - 0.08), Inches(row_h)
        )
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(frame, side, Emu(0))
        para = frame.paragraphs[0]
        para.alignment = PP_ALIGN.RIGHT
        para.line_spacing = 0.95
        run = para.add_run()
        run.text = name.replace("\n", " ")
        _font(run.font, size)
        run.font._element.set("lang", "zh-CN" if lang == "zh" else "en-US")
