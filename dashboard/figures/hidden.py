"""Where a chart's figure is suppressed, a grey mark that says so — never a gap read as 0.

A suppressed figure has no value to draw, so a bar or dot would simply be missing and a reader
takes the row for nobody. Every chart type marks its hidden figures the same way: a grey hatched
segment where the rest of a 100% bar is (figures.unmet), and elsewhere a grey square at the axis
with the word "suppressed" beside it; the legend entry and the hover say why (fewer than k
respondents, or hidden so that a smaller group cannot be worked out).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.figures import theme

SYMBOL = "square"
HATCH = {"shape": "/", "fgcolor": "#7B8794", "bgcolor": theme.SUPPRESSED}


def hidden_marks(
    positions: Sequence[object] | list[Sequence[object]],
    labels: dict[str, str],
    k: int,
    *,
    horizontal: bool = True,
) -> go.Scatter:
    """A grey square at 0 for each position on the category axis (`positions`: the y values of
    a horizontal chart, the x values of a vertical one; a pair of lists for a multi-category
    axis), the word "suppressed" beside it, why in its hover and in the legend."""
    label = hidden_label(labels, k)
    count = len(positions[1]) if _is_multi(positions) else len(positions)
    zeros = [0.0] * count
    axes = {"x": zeros, "y": positions} if horizontal else {"x": positions, "y": zeros}
    return go.Scatter(
        **axes,
        mode="markers+text",
        marker={
            "symbol": SYMBOL,
            "size": 12,
            "color": theme.SUPPRESSED,
            "line": {"width": 1, "color": "#7B8794"},
        },
        text=[labels["suppressed"]] * count,
        textposition="middle right" if horizontal else "top center",
        textfont={"color": theme.MUTED, "size": 13},
        name=label,
        hovertext=[label] * count,
        hoverinfo="text",
        cliponaxis=False,
    )


def _is_multi(positions: Sequence[object]) -> bool:
    return len(positions) == 2 and all(isinstance(p, list | tuple) for p in positions)


def hidden_label(labels: dict[str, str], k: int) -> str:
    """'suppressed: fewer than 10 respondents, or hidden so that …': why a figure is not drawn
    (`labels`: i18n.figure_labels). A figure may be hidden to protect another (secondary
    suppression), so the words never claim that each hidden figure is itself below k."""
    reason = labels.get("suppressed_reason")
    return f"{labels['suppressed']}: {reason.format(k=k)}" if reason else labels["suppressed"]
