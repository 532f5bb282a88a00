"""Year to date against annual targets: one bar per target, with where the station should be by
now and where its pace takes it by December."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.text import name_of
from dashboard.i18n.numbers import count, pct

#: Bar colour by status: met and on track in the delivery blue, behind in the need vermillion.
STATUS_COLOURS = {"met": theme.RECEIVED, "on_track": theme.RECEIVED, "behind": theme.NEED}


def target_bars(
    frame: pd.DataFrame, *, service_names: dict[str, str], labels: dict[str, str]
) -> go.Figure:
    """Horizontal bars of done ÷ target (%), a tick at the share of the year elapsed (where an
    even pace would be) and a hollow marker at the projection at the current pace.

    `frame` has service_code, unit, target, done, expected_to_date, projected, status;
    `labels` gives 'done', 'expected', 'projected', 'of', 'unit_services', 'unit_people' and
    'status_met', 'status_on_track', 'status_behind'.
    """
    rows = frame.sort_values("service_code", ascending=False)
    names = [name_of(service_names, c) for c in rows["service_code"]]
    target = rows["target"].astype(float)
    done = 100 * rows["done"].astype(float) / target
    expected = 100 * rows["expected_to_date"].astype(float) / target
    projected = 100 * rows["projected"].astype(float) / target
    fig = go.Figure(layout=theme.base_layout(height=max(240, 56 * len(rows) + 110)))
    fig.add_trace(
        go.Bar(
            y=names,
            x=done,
            orientation="h",
            name=labels["done"],
            marker_color=[STATUS_COLOURS.get(s, theme.NEUTRAL) for s in rows["status"]],
            text=[
                f"{count(d)} {labels['of']} {count(t)} · {labels['status_' + s]}"
                for d, t, s in zip(rows["done"], rows["target"], rows["status"], strict=True)
            ],
            textposition="auto",
            hovertext=[
                f"{count(d)} {labels['of']} {count(t)} {labels['unit_' + u]} ({pct(d / t)})"
                for d, t, u in zip(rows["done"], rows["target"], rows["unit"], strict=True)
            ],
            hoverinfo="text+y",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=expected,
            mode="markers",
            name=labels["expected"],
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": theme.INK}},
            hovertext=[
                f"{labels['expected']}: {count(e)}" for e in rows["expected_to_date"].astype(float)
            ],
            hoverinfo="text+y",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=projected,
            mode="markers",
            name=labels["projected"],
            marker={
                "symbol": "diamond-open",
                "size": 12,
                "line": {"width": 2, "color": theme.MUTED},
            },
            hovertext=[f"{labels['projected']}: {count(p)}" for p in rows["projected"]],
            hoverinfo="text+y",
        )
    )
    top = max(110.0, float(projected.max()) + 10 if len(rows) else 110.0)
    fig.add_vline(x=100, line={"color": theme.INK, "width": 1, "dash": "dot"})
    fig.update_xaxes(ticksuffix="%", range=[0, top], gridcolor="#E4E7EB")
    fig.update_yaxes(automargin=True, tickfont={"size": 14})
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return fig
