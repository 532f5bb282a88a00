"""Gap by group × service as a heat map: where, and for whom, need outruns receipt."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.text import name_of
from dashboard.i18n.numbers import n_is, pct, points


def gap_heatmap(
    frame: pd.DataFrame,
    *,
    group_names: dict[object, str],
    service_names: dict[str, str],
    labels: dict[str, str],
    k: int,
) -> go.Figure:
    """Rows: groups; columns: services (largest overall gap first); colour: gap_pp, centred on 0.

    `frame` has group_value, item_code, gap_pp, demand_rate, received_rate, respondents_n,
    suppressed. Suppressed cells stay blank and say so on hover; a suppressed row's hover
    carries no n (it is the row's own count), a withheld count elsewhere reads "n < k".
    """
    order = (
        frame.groupby("item_code")["gap_pp"].mean().sort_values(ascending=False, na_position="last")
    )
    services = list(order.index)
    groups = list(dict.fromkeys(frame["group_value"]))
    cell = frame.set_index(["group_value", "item_code"])
    z, text, hover = [], [], []
    for g in groups:
        z_row, t_row, h_row = [], [], []
        for s in services:
            r = cell.loc[(g, s)] if (g, s) in cell.index else None
            gap = None if r is None or pd.isna(r["gap_pp"]) else float(r["gap_pp"])
            z_row.append(gap)
            t_row.append(_hidden_text(r, labels) if gap is None else cell_text(gap))
            h_row.append(
                f"{name_of(group_names, g)} · {name_of(service_names, s)}<br>"
                + (
                    _hidden_hover(r, labels, k)
                    if gap is None
                    else f"{labels['need']}: {pct(r['demand_rate'])}<br>"
                    f"{labels['received']}: {pct(r['received_rate'])}<br>"
                    f"{labels['gap']}: {points(gap, labels['pp'])}<br>{n_is(r['respondents_n'], k)}"
                )
            )
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    bound = max((abs(v) for row in z for v in row if v is not None), default=1.0) or 1.0
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[name_of(service_names, s) for s in services],
            y=[name_of(group_names, g) for g in groups],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=theme.DIVERGING,
            zmin=-bound,
            zmax=bound,
            zmid=0,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": labels["pp"]}},
        ),
        layout=theme.base_layout(
            height=max(300, 46 * len(groups) + 190),
            plot_bgcolor=theme.SUPPRESSED,
            margin={"l": 10, "r": 10, "t": 20, "b": 140},
        ),
    )
    fig.update_xaxes(tickangle=-35, automargin=True, side="bottom")
    fig.update_yaxes(automargin=True, autorange="reversed")
    return fig


def cell_text(gap: float) -> str:
    """A gap in whole points for a cell: '+12', '−3', and '0' (never '-0' or '+0')."""
    whole = round(gap)
    return "0" if whole == 0 else f"{whole:+d}".replace("-", "\u2212")


def _hidden_text(row: pd.Series | None, labels: dict[str, str]) -> str:
    """What a grey cell says: 'suppressed' where the gate hid it (nothing where the group has
    no row at all); its hover says why."""
    return "" if row is None else labels["suppressed"]


def _hidden_hover(row: pd.Series | None, labels: dict[str, str], k: int) -> str:
    """Hover of a blank cell: 'suppressed', with n only when the row itself is not suppressed
    (its gap is hidden by another count) or absent (nobody: n = 0)."""
    if row is None:
        return f"{labels['suppressed']} ({n_is(0, k)})"
    if bool(row["suppressed"]):
        return labels["suppressed"]
    return f"{labels['suppressed']} ({n_is(row['respondents_n'], k)})"
