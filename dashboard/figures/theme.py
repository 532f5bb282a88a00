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
