"""Need × receipt per person, per service: who needs it and got it, who needs it and did not,
who got it without needing it, and who neither — as 100% stacked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.hidden import HATCH
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
    suppressed_word: str = "",
) -> go.Figure:
    """One bar per service (most unmet need first), one segment per cell; hidden cells say so
    and are drawn together as one hatched grey segment: `suppressed_word` on it, why
    (`suppressed_label`) in its hover and legend.

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
    _add_hidden_remainder(fig, frame, order, labels, suppressed_label, suppressed_word)
    fig.update_xaxes(ticksuffix="%", range=[0, 100], gridcolor="#E4E7EB")
    fig.update_yaxes(automargin=True, tickfont={"size": 14})
    return fig


def _add_hidden_remainder(
    fig: go.Figure,
    frame: pd.DataFrame,
    order: list[str],
    labels: list[str],
    suppressed_label: str,
    suppressed_word: str,
) -> None:
    """A hatched grey segment where a bar's suppressed cells are, so no bar stops short of 100%
    as if the rest were nobody. Its length is 100% minus the shown cells — already published —
    so it tells no more than the bar without it; its hover says only why it is hidden."""
    shown = frame.assign(_share=frame["share"].astype(float))
    rest = 100 - 100 * shown.groupby("service_code")["_share"].sum(min_count=0).reindex(order)
    hidden = shown["_share"].isna().groupby(shown["service_code"]).any().reindex(order)
    hidden = hidden.fillna(False).astype(bool)
    widths = [float(r) if h and r > 1e-9 else None for r, h in zip(rest, hidden, strict=True)]
    if not any(w is not None for w in widths):
        return
    fig.add_trace(
        go.Bar(
            y=labels,
            x=widths,
            orientation="h",
            name=suppressed_label,
            marker={"color": theme.SUPPRESSED, "pattern": HATCH},
            hovertext=[suppressed_label if w is not None else "" for w in widths],
            hoverinfo="text+y",
            text=[suppressed_word if w is not None and w >= 12 else "" for w in widths],
            textposition="inside",
            insidetextanchor="middle",
        )
    )
