"""One palette and type scale for every chart, readable when projected.

Colours are from the Okabe–Ito set (distinguishable with the common colour-vision deficiencies);
the diverging scale for gaps is ColorBrewer's PuOr, centred on 0.
"""

from __future__ import annotations

import plotly.colors
import plotly.graph_objects as go
from plotly.colors import make_colorscale

FONT = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"Noto Sans", "Helvetica Neue", Arial, sans-serif'
)
NEED = "#D55E00"  # vermillion: what residents need
RECEIVED = "#0072B2"  # blue: what they received / what stations deliver
NEUTRAL = "#9AA5B1"
SUPPRESSED = "#D9DEE4"
INK = "#1F2933"
MUTED = "#616E7C"
#: Diverging, colour-blind safe (ColorBrewer PuOr): purple = received > need, orange = gap.
DIVERGING = [
    [0.0, "#542788"],
    [0.25, "#998EC3"],
    [0.5, "#F7F7F7"],
    [0.75, "#F1A340"],
    [1.0, "#B35806"],
]
#: ColorBrewer Blues, light to dark, without its near-white first class (backgrounds are white).
#: Listed, not named: Plotly.js's own "Blues" runs dark to light.
SEQUENTIAL = make_colorscale(plotly.colors.sequential.Blues[1:])
#: Okabe–Ito, for charts with one colour per thing (yellow last: it is faint on white).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
#: A fixed colour per known service category (dashboard/i18n/categories.toml), so a category
#: keeps its colour from chart to chart; other codes take PALETTE's colours in turn.
CATEGORY_COLOURS = {
    "health_education": "#0072B2",
    "physical_exam": "#009E73",
    "therapeutic_care": "#E69F00",
    "rehabilitation": "#CC79A7",
    "daily_living_care": "#D55E00",
    "mental_health": "#56B4E9",
}


def category_colours(categories: list[str]) -> dict[str, str]:
    """A colour per category: the fixed one where known, else the palette's next unused colour."""
    colours = {c: CATEGORY_COLOURS[c] for c in categories if c in CATEGORY_COLOURS}
    spare = [c for c in PALETTE if c not in colours.values()] or list(PALETTE)
    for i, c in enumerate(c for c in categories if c not in colours):
        colours[c] = spare[i % len(spare)]
    return colours


def shades(colour: str, k: int) -> list[str]:
    """`k` shades of `colour`, darkest first (the colour itself when k is 1), for the services
    of one category: from 40% towards black to 45% towards white."""
    if k <= 1:
        return [colour]
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    out = []
    for i in range(k):
        f = -0.40 + 0.85 * i / (k - 1)  # < 0: towards black, > 0: towards white
        mixed = [round(v * (1 + f)) if f < 0 else round(v + (255 - v) * f) for v in rgb]
        out.append("#" + "".join(f"{v:02X}" for v in mixed))
    return out


def base_layout(**overrides: object) -> dict[str, object]:
    """Layout shared by all charts: the font stack, calm axes, room for labels."""
    layout: dict[str, object] = {
        "font": {"family": FONT, "size": 15, "color": INK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 20, "t": 30, "b": 40},
        "hoverlabel": {"font": {"family": FONT, "size": 15}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    }
    layout.update(overrides)
    return layout


def empty_figure(message: str) -> go.Figure:
    """A blank chart that says why it is blank."""
    fig = go.Figure(layout=base_layout(height=260))
    fig.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 18, "color": MUTED},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
