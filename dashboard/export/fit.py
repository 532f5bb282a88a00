"""A slide's chart fitted to its box: the same picture on screen, in the PDF and in the PPTX.

The briefing is laid out on one fixed 16:9 canvas (`CANVAS_PX`, 1920 × 1080 design pixels;
the screen scales it as a whole, dashboard.export.deck places it in inches), and every chart
is drawn at one size (`CHART_PX`) with one type size (`CHART_FONT_PX`), so a slide looks the
same at 1024 × 768, 1280 × 720 and 1920 × 1080, full screen or not.

Label room is measured, not guessed: the longest category label's width is taken from the
fonts the browser will draw it with (Liberation Sans for Latin in an English deck — the
installed face of the English font stack — and Noto Sans CJK SC for Chinese; PIL.ImageFont),
and the left margin is set to it. A label too long for its share of the chart is broken onto
two lines where the rows have room for two. The value axis gets as many ticks as its width
holds (never "0%10%20%30%"), and markers are not clipped at the plot's edge.

Per-row n ("(n=1,234)") is dropped from a slide's row labels — the slide states its n and the
speaker notes list every row's — so that the service names themselves stay whole and large;
a withheld or suppressed row keeps its mark ("n<k", "suppressed").
"""

from __future__ import annotations

import base64
import copy
import re
import unicodedata
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from PIL import ImageFont

#: The slide canvas in design pixels (16:9), and the deck's pixels per inch on it.
CANVAS_PX = (1920, 1080)
PX_PER_INCH = 144  # 13.333 in × 144 = 1920 px
#: Every slide chart: its size in canvas pixels and its type (≥ 24 px, as all slide type).
CHART_PX = (1195, 770)
CHART_FONT_PX = 28
MIN_FONT_PX = 24
#: The widest share of the chart the row labels may take before they are broken in two.
LABEL_SHARE = 0.42
LINE_SPACING = 1.3  # plotly's line height for multi-line labels
LATIN_FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_INDEX = 2  # Noto Sans CJK SC in the collection
ROW_N = re.compile(r"\s*(<br>)?\s*\((n\s*=\s*[\d,\s]+)\)")
TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=16)
def _font(kind: str, size: int) -> ImageFont.FreeTypeFont | None:
    try:
        if kind == "cjk":
            return ImageFont.truetype(CJK_FONT, size, index=CJK_INDEX)
        return ImageFont.truetype(LATIN_FONT, size)
    except OSError:
        return None


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def text_width(text: str, size: int, lang: str) -> float:
    """`text`'s width in px at `size` px as the browser sets it: Chinese in Noto Sans CJK SC;
    Latin in Liberation Sans for English, in Noto Sans CJK for Chinese (its stack's first
    face). The widest line of a multi-line label counts; markup is not text."""
    lines = re.split(r"<br\s*/?>", str(text))
    return max(_line_width(TAG.sub("", line), size, lang) for line in lines)


def _line_width(line: str, size: int, lang: str) -> float:
    latin_kind = "cjk" if lang == "zh" else "latin"
    total, run, run_kind = 0.0, "", None
    for char in line + "\0":
        kind = "cjk" if _wide(char) else latin_kind
        if char == "\0" or (run_kind is not None and kind != run_kind):
            font = _font(run_kind or latin_kind, size)
            total += (
                font.getlength(run)
                if font
                else len(run) * size * (1 if run_kind == "cjk" else 0.56)
            )
            run = ""
        run, run_kind = run + char, kind
    return total


# -- labels -----------------------------------------------------------------------------------


def slide_label(label: object) -> str:
    """A row label for a slide: its per-row "(n=…)" dropped (the slide says its n)."""
    return ROW_N.sub("", str(label)).strip()


def _break(label: str) -> str:
    """`label` on two lines, broken at " · " or else at the space nearest its middle."""
    if "<br>" in label:
        return label
    if " · " in label:
        head, _, tail = label.partition(" · ")
        return f"{head}<br>{tail}"
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return label
    middle = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:middle] + "<br>" + label[middle + 1 :]


def array_of(values: object) -> list:
    """A trace's data as a list: plotly 6 keeps numeric arrays of a figure read back from its
    dict as {"dtype", "bdata"} (base64), which are numbers, not two category names."""
    if values is None:
        return []
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = values.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).split(",")])
        return array.tolist()
    return list(values)  # type: ignore[call-overload]


def _innermost(values: object) -> list | None:
    """A category axis's labels (a multicategory axis's innermost level), None when numeric."""
    if values is None or (isinstance(values, dict) and "bdata" in values):
        return None
    values = list(values)  # type: ignore[call-overload]
    if values and isinstance(values[0], (list, tuple)):
        values = list(values[-1])
    if not any(isinstance(v, str) for v in values):
        return None
    return values


def _relabel(fig: go.Figure, axis: str, mapping: dict[object, str]) -> None:
    """Replace the category labels of every trace on `axis` ('x' or 'y')."""
    for trace in fig.data:
        if not hasattr(trace, axis) or trace.type in ("choroplethmap", "scattermap"):
            continue
        values = getattr(trace, axis)
        inner = _innermost(values)
        if inner is None:
            continue
        setattr(trace, axis, [mapping.get(v, v) if v is not None else None for v in inner])
    layout_axis = getattr(fig.layout, f"{axis}axis")
    if layout_axis.categoryarray:
        layout_axis.categoryarray = [mapping.get(v, v) for v in layout_axis.categoryarray]


DATE_LIKE = re.compile(r"^\d{4}-\d{2}")


def _categories(fig: go.Figure, axis: str) -> list[str]:
    """The category labels on `axis`, in first-seen order ([] for a numeric or date axis)."""
    if getattr(fig.layout, f"{axis}axis").type == "date":
        return []
    seen: list[str] = []
    for trace in fig.data:
        if trace.type in ("choroplethmap", "scattermap") or not hasattr(trace, axis):
            continue
        inner = _innermost(getattr(trace, axis))
        for v in inner or []:
            if isinstance(v, str) and v not in seen:
                seen.append(v)
    return [] if seen and all(DATE_LIKE.match(v) for v in seen) else seen


# -- the fit ----------------------------------------------------------------------------------


def fit_chart(fig: go.Figure, *, width: int, height: int, font_px: int, lang: str) -> go.Figure:
    """`fig` (already restyled for a slide: dashboard.export.images.presentation) with measured
    label room, readable ticks and unclipped markers, for a width × height picture."""
    if any(t.type in ("choroplethmap", "scattermap") for t in fig.data) or not fig.data:
        return fig  # a map is fitted by presentation(); nothing to measure (and no copy)
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    tick = max(font_px - 2, MIN_FONT_PX)
    out.update_xaxes(tickfont={"size": tick}, title_font={"size": tick})
    out.update_yaxes(tickfont={"size": tick}, title_font={"size": tick})
    out.update_layout(legend={"font": {"size": tick}})
    margin = out.layout.margin
    top, bottom = max(margin.t or 0, int(tick * 2.6)), max(margin.b or 0, int(tick * 2.4))
    left = _fit_rows(out, width, height - top - bottom, tick, lang)
    columns_bottom, columns_left = _fit_columns(out, width - left, tick, lang)
    bottom, left = max(bottom, columns_bottom), max(left, columns_left)
    right = max(margin.r or 0, int(tick * 1.5))  # the rightmost marker and tick label whole
    out.update_layout(margin={"l": left, "r": right, "t": top, "b": bottom, "autoexpand": True})
    plot_w = width - left - right
    _readable_value_ticks(out, plot_w, height - top - bottom, tick)
    for trace in out.data:
        if trace.type == "scatter":
            trace.cliponaxis = False
    return out


def _fit_rows(fig: go.Figure, width: int, plot_h: int, tick: int, lang: str) -> int:
    """The left margin for the y categories (measured), breaking long labels in two where the
    rows have room; 20 px when the y axis is numeric."""
    labels = _categories(fig, "y")
    if not labels:
        return max(int(fig.layout.margin.l or 0), int(tick * 3))
    mapping = {v: slide_label(v) for v in labels}
    room = width * LABEL_SHARE
    widest = max(text_width(v, tick, lang) for v in mapping.values())
    row_h = plot_h / max(len(labels), 1)
    if widest > room and row_h >= 2 * tick * LINE_SPACING:
        # every " · " label is broken when one is (one layout for the whole axis)
        joined = any(" · " in v and text_width(v, tick, lang) > room for v in mapping.values())
        mapping = {
            k: _break(v) if (joined and " · " in v) or text_width(v, tick, lang) > room else v
            for k, v in mapping.items()
        }
        widest = max(text_width(v, tick, lang) for v in mapping.values())
    _relabel(fig, "y", mapping)
    fig.update_yaxes(automargin=False, ticklabelstandoff=8)
    return int(widest + tick)


def _fit_columns(fig: go.Figure, plot_w: int, tick: int, lang: str) -> tuple[int, int]:
    """(bottom margin, left margin needed) for x categories: level when they fit their
    columns; slanted at 45° when they do not, with the room measured below the axis and left
    of it (the first column's label reaches back past the plot's left edge)."""
    labels = _categories(fig, "x")
    if not labels:
        return 0, 0
    mapping = {v: slide_label(v) for v in labels}
    _relabel(fig, "x", mapping)
    widths = [text_width(v, tick, lang) for v in mapping.values()]
    column = plot_w / len(labels)
    if max(widths) + tick <= column:
        fig.update_xaxes(tickangle=0, automargin=False)
        return int(tick * 2.6), 0
    fig.update_xaxes(tickangle=-45, automargin=False)
    slant = 0.7072  # cos 45° = sin 45°
    bottom = int(max(widths) * slant + tick * 2)
    reach = max(w * slant - (i + 0.5) * column for i, w in enumerate(widths))
    return bottom, int(reach + tick)


def _readable_value_ticks(fig: go.Figure, plot_w: int, plot_h: int, tick: int) -> None:
    """No more value ticks than the axis holds ("100%" at this size is ~3.5 em wide)."""
    if not _categories(fig, "x"):
        fig.update_xaxes(nticks=max(2, int(plot_w // (tick * 4.5))))
    if not _categories(fig, "y"):
        fig.update_yaxes(nticks=max(2, int(plot_h // (tick * 2.5))))


def chart_for_slide(fig: go.Figure, lang: str) -> go.Figure:
    """A slide's figure at the slide chart's size and type, fitted (what the screen, the PDF
    and the PPTX pictures all draw)."""
    from dashboard.export.images import presentation

    width, height = CHART_PX
    styled = presentation(fig, width=width, height=height, font_size=CHART_FONT_PX, lang=lang)
    return fit_chart(styled, width=width, height=height, font_px=CHART_FONT_PX, lang=lang)
