"""Need beside receipt per service: a dumbbell chart grouped by category, sorted by gap."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.format import count, pct, points


def order_by_gap(frame: pd.DataFrame, category_names: dict[str, str]) -> pd.DataFrame:
    """Categories by their largest gap, services by gap inside; suppressed rows last."""
    frame = frame.copy()
    frame["category_label"] = frame["category"].map(lambda c: category_names.get(c, c))
    frame["_gap"] = frame["gap_pp"].astype(float).fillna(float("-inf"))
    top = frame.groupby("category")["_gap"].transform("max")
    return frame.assign(_top=top).sort_values(
        ["_top", "category", "_gap"], ascending=[False, True, False]
    )


def dumbbell(
    frame: pd.DataFrame,
    *,
    service_names: dict[str, str],
    category_names: dict[str, str],
    labels: dict[str, str],
) -> go.Figure:
    """One row per service: a need dot, a received dot, a line between; n in the row label.

    `frame` has item_code, category, demand_rate, received_rate, gap_pp, respondents_n,
    suppressed. `labels` gives 'need', 'received', 'gap', 'suppressed', 'pp'.
    """
    rows = order_by_gap(frame, category_names).iloc[::-1]  # plotly draws bottom-up
    y = [
        list(rows["category_label"]),
        [
            f"{service_names.get(code, code)} (n={count(n)}"
            + (f", {labels['suppressed']})" if hidden else ")")
            for code, n, hidden in zip(
                rows["item_code"], rows["respondents_n"], rows["suppressed"], strict=True
            )
        ],
    ]
    fig = go.Figure(layout=theme.base_layout(height=max(320, 42 * len(rows) + 90)))
    xs: list[float | None] = []
    ys0: list[str | None] = []
    ys1: list[str | None] = []
    for cat, label, lo, hi in zip(
        y[0], y[1], rows["demand_rate"], rows["received_rate"], strict=True
    ):
        if pd.notna(lo) and pd.notna(hi):
            xs += [100 * lo, 100 * hi, None]
            ys0 += [cat, cat, None]
            ys1 += [label, label, None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[ys0, ys1],
            mode="lines",
            line={"color": theme.NEUTRAL, "width": 4},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    hover = [
        f"{labels['need']}: {pct(d)}<br>{labels['received']}: {pct(r)}<br>"
        f"{labels['gap']}: {points(g, labels['pp'])}<br>n = {count(n)}"
        if not s
        else f"{labels['suppressed']}<br>n = {count(n)}"
        for d, r, g, n, s in zip(
            rows["demand_rate"],
            rows["received_rate"],
            rows["gap_pp"],
            rows["respondents_n"],
            rows["suppressed"],
            strict=True,
        )
    ]
    for column, name, colour, symbol in (
        ("demand_rate", labels["need"], theme.NEED, "circle"),
        ("received_rate", labels["received"], theme.RECEIVED, "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=100 * rows[column].astype(float),
                y=y,
                mode="markers",
                name=name,
                marker={
                    "color": colour,
                    "size": 14,
                    "symbol": symbol,
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_xaxes(
        title_text="%", ticksuffix="%", rangemode="tozero", gridcolor="#E4E7EB", zeroline=False
    )
    fig.update_yaxes(automargin=True, tickfont={"size": 14})
    return fig
