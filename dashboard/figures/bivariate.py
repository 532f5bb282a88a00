"""The bivariate demand × provision map's classes, colours and 3×3 legend square.

Each area falls in one of 3 × 3 classes: its tertile of the demand rate (the survey's share who
need the item) and its tertile of provision per 1,000 older people (the stations' deliveries).
Provision per 1,000 is the second axis, not the received rate, because it comes from the other
source: the received rate is the survey again, and need against it is already the gap map; the
stations' deliveries against the survey's need is what only this map shows. Cut points are the
tertiles of the areas on the map (both figures shown): a class is relative to the other areas
drawn, which the legend says ("more need →").

The colours are Joshua Stevens' 3×3 scheme: need runs light grey → red, provision light grey →
blue, both high a dark grey-purple; high need with low provision, the corner a planner looks for,
is the strongest red.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.figures import theme
from dashboard.figures.text import plain

#: COLOURS[need + 3 * provision], tertiles 0 (lowest) to 2 (highest).
COLOURS = (
    "#E8E8E8",
    "#E4ACAC",
    "#C85A5A",
    "#B0D5DF",
    "#AD9EA5",
    "#985356",
    "#64ACBE",
    "#627F8C",
    "#574249",
)
CLASSES = len(COLOURS)
#: A stepped colour scale over z = class (zmin -0.5, zmax 8.5): each class its own colour.
COLORSCALE = [
    [round(edge, 6), colour]
    for i, colour in enumerate(COLOURS)
    for edge in (i / CLASSES, (i + 1) / CLASSES)
]
ZRANGE = (-0.5, CLASSES - 0.5)


@dataclass(frozen=True)
class Cuts:
    """The two cut points of each axis (values at or below the first are the lowest third)."""

    need: tuple[float, float]
    provision: tuple[float, float]


def tertile_cuts(values: pd.Series) -> tuple[float, float]:
    """The 1/3 and 2/3 quantiles of the values shown (NaN, NaN when there are none)."""
    shown = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if shown.empty:
        return float("nan"), float("nan")
    return float(shown.quantile(1 / 3)), float(shown.quantile(2 / 3))


def cuts_of(need: pd.Series, provision: pd.Series) -> Cuts:
    """Tertile cut points over the areas with both figures shown."""
    both = (
        pd.to_numeric(need, errors="coerce").notna()
        & pd.to_numeric(provision, errors="coerce").notna()
    )
    return Cuts(tertile_cuts(need[both]), tertile_cuts(provision[both]))


def tertile(value: object, cuts: tuple[float, float]) -> int | None:
    """0, 1 or 2: the third of `value` under `cuts` (None when it is missing)."""
    if value is None or pd.isna(value) or np.isnan(cuts[0]):
        return None
    v = float(value)
    return 0 if v <= cuts[0] else 1 if v <= cuts[1] else 2


def classes(need: pd.Series, provision: pd.Series, cuts: Cuts) -> pd.Series:
    """Each row's class (need + 3 × provision), NaN where either figure is not shown."""
    out = []
    for n, p in zip(need, provision, strict=True):
        a, b = tertile(n, cuts.need), tertile(p, cuts.provision)
        out.append(float("nan") if a is None or b is None else float(a + 3 * b))
    return pd.Series(out, index=need.index, dtype=float)


@dataclass(frozen=True)
class LegendWords:
    """The legend square's words, in the chosen language."""

    title: str = "Need × provision"
    need: str = "more need →"
    provision: str = "more provision →"


#: The square's cell (px), its font, and the top of the legend (paper y).
CELL = 26.0
FONT = 10


def legend(x: float, words: LegendWords, top: float = 1.0) -> dict[str, list[dict[str, object]]]:
    """The 3×3 legend square, drawn in pixels from paper (x, top): a title, then the square with
    "more provision →" up its left side and "more need →" under it."""
    anchor = {"xref": "paper", "yref": "paper", "xsizemode": "pixel", "ysizemode": "pixel"}
    anchor.update({"xanchor": x, "yanchor": top, "layer": "above"})
    # px right of x to the square, px below the top to its top row: room for the vertical words
    left, first = 18.0, 34.0
    shapes: list[dict[str, object]] = []
    for need in range(3):
        for provision in range(3):
            y0 = -(first + (2 - provision) * CELL)
            shapes.append(
                {
                    **anchor,
                    "type": "rect",
                    "x0": left + need * CELL,
                    "x1": left + (need + 1) * CELL,
                    "y0": y0 - CELL,
                    "y1": y0,
                    "fillcolor": COLOURS[need + 3 * provision],
                    "line": {"color": "#FFFFFF", "width": 1},
                }
            )
    text = {
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": top,
        "showarrow": False,
        "font": {"size": FONT, "color": theme.INK},
    }
    square = 3 * CELL
    annotations: list[dict[str, object]] = [
        {
            **text,
            "text": f"<b>{plain(words.title)}</b>",
            "font": {"size": FONT + 1, "color": theme.INK},
            "xanchor": "left",
            "yanchor": "top",
        },
        {
            **text,
            "text": plain(words.need),
            "xshift": left + square / 2,
            "yshift": -(first + square + 2),
            "xanchor": "center",
            "yanchor": "top",
        },
        {
            **text,
            "text": plain(words.provision),
            "textangle": -90,
            "xshift": left / 2,
            "yshift": -(first + square / 2),
            "xanchor": "center",
            "yanchor": "middle",
        },
    ]
    return {"shapes": shapes, "annotations": annotations}


def class_text(cls: object, words: Sequence[str]) -> str:
    """A class in words: `words` are the thirds' names (low, middle, high) of need, then of
    provision, e.g. "need: high · provision: low" (— when missing)."""
    if cls is None or pd.isna(cls):
        return "—"
    need, provision = int(cls) % 3, int(cls) // 3
    return f"{words[need]} · {words[3 + provision]}"
