"""The need mix beside the delivery mix: stated needs against where station effort sits."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.hidden import hidden_marks
from dashboard.figures.text import name_of
from dashboard.i18n.numbers import count, pct


def mix_bars(
    frame: pd.DataFrame,
    *,
    service_names: dict[str, str],
    labels: dict[str, str],
    k: int | None = None,
) -> go.Figure:
    """Two bars per service: share of stated needs, share of station deliveries (sorted by need).

    `frame` has item_code, demand_share, provision_share, provision_count, suppressed;
    `labels` gives 'need_mix', 'delivery_mix', 'suppressed', 'deliveries' (and
    'suppressed_reason', with `k` the floor in force, to mark a suppressed need share:
    figures.hidden).
    """
    rows = frame.assign(_d=frame["demand_share"].astype(float).fillna(-1)).sort_values("_d")
    names = [name_of(service_names, c) for c in rows["item_code"]]
    fig = go.Figure(layout=theme.base_layout(height=max(320, 34 * len(rows) + 90), barmode="group"))
    fig.add_trace(
        go.Bar(
            y=names,
            x=100 * rows["demand_share"].astype(float),
            orientation="h",
            name=labels["need_mix"],
            marker_color=theme.NEED,
            hovertext=[
                labels["suppressed"] if s else pct(v)
                for v, s in zip(rows["demand_share"], rows["suppressed"], strict=True)
            ],
            hoverinfo="text+y",
        )
    )
    fig.add_trace(
        go.Bar(
            y=names,
            x=100 * rows["provision_share"].astype(float),
            orientation="h",
            name=labels["delivery_mix"],
            marker_color=theme.RECEIVED,
            hovertext=[
                f"{pct(v)} ({count(c)} {labels['deliveries']})"
                for v, c in zip(rows["provision_share"], rows["provision_count"], strict=True)
            ],
            hoverinfo="text+y",
        )
    )
    hidden = [n for n, v in zip(names, rows["demand_share"], strict=True) if pd.isna(v)]
    if hidden and k is not None:
        fig.add_trace(hidden_marks(hidden, labels, k))
    fig.update_xaxes(ticksuffix="%", gridcolor="#E4E7EB", rangemode="tozero")
    fig.update_yaxes(automargin=True, tickfont={"size": 14})
    return fig
