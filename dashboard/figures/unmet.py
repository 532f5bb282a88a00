"""Need × receipt per person, per service: who needs it and got it, who needs it and did not,
who got it without needing it, and who neither — as 100% stacked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.text import name_of
from dashboard.i18n.numbers import n_is, pct

CELL_COLOURS = {
    "need_received": theme.RECEIVED,
    "need_not_received": theme.NEED,
    "received_without_need": "#56B4E9",  # Okabe–Ito sky blue
    "neither": "#CBD2D9",
}


def unmet_bars(
    frame: pd.DataFrame,
    *,
    service_names: dict[str, str],
    cell_names: dict[str, str],
    suppressed_label: str,
    k: int,
) -> go.Figure:
    """One bar per service (most unmet need first), one segment per cell; hidden cells say so.

    `frame` has service_code, cell, share, n, base_n, suppressed (one area). The gate withholds
    base_n on a suppressed cell's row: a service's base is taken from any row that publishes it
    ("n<k" when none does). A suppressed cell's hover carries no n.
    """
    unmet = frame[frame["cell"] == "need_not_received"].set_index("service_code")["share"]
    order = list(unmet.astype(float).fillna(-1).sort_values().index)  # bottom-up: largest on top
    base = frame.groupby("service_code")["base_n"].max()
    labels = [f"{name_of(service_names, s)} ({n_is(base[s], k, spaced=False)})" for s in order]
    fig = go.Figure(
        layout=theme.base_layout(barmode="stack", height=max(320, 34 * len(order) + 110))
    )
    for cell, colour in CELL_COLOURS.items():
        rows = frame[frame["cell"] == cell].set_index("service_code").reindex(order)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=100 * rows["share"].astype(float),
                orientation="h",
                name=cell_names[cell],
                marker_color=colour,
                hovertext=[
                    f"{cell_names[cell]}: "
                    + (suppressed_label if hidden else f"{pct(share)} ({n_is(n, k)})")
                    for share, n, hidden in zip(
                        rows["share"], rows["n"], rows["suppressed"], strict=True
                    )
                ],
                hoverinfo="text+y",
            )
        )
    fig.update_xaxes(ticksuffix="%", range=[0, 100], gridcolor="#E4E7EB")
    fig.update_yaxes(automargin=True, tickfont={"size": 14})
    return fig
