"""Need beside receipt per service: a dumbbell chart grouped by category, sorted by gap."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.hidden import hidden_marks
from dashboard.figures.text import name_of
from dashboard.i18n.numbers import n_is, pct, points


def order_by_gap(frame: pd.DataFrame, category_names: dict[str, str]) -> pd.DataFrame:
    """Categories by their largest gap, services by gap inside; suppressed rows last.

    `category_label` is the category's name escaped for Plotly (dashboard.figures.text).
    """
    frame = frame.copy()
    frame["category_label"] = frame["category"].map(lambda c: name_of(category_names, c))
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
    k: int,
    compact: bool = False,
    n_below: bool = False,
) -> go.Figure:
    """One row per service: a need dot, a received dot, a line between; n in the row label.

    `frame` has item_code, category, demand_rate, received_rate, gap_pp, respondents_n,
    suppressed. `labels` gives 'need', 'received', 'gap', 'suppressed', 'pp', 'unreliable', 'ci'
    and 'ci_not_estimable' (dashboard.i18n.figure_labels). `compact` (for
    narrow panels) drops the category column of the axis and puts n under the name; `n_below`
    puts n under the name beside the category column (a chart a 1024 px window must fit: on
    one line, name and n take half its width from the plot).
    A suppressed row's label and hover carry no n (it is the row's own count); a withheld count
    of a shown row reads "n<k" (`k`: the floor in force).
    """
    rows = order_by_gap(frame, category_names).iloc[::-1]  # plotly draws bottom-up
    names = [
        f"{name_of(service_names, code)}{'<br>' if compact or n_below else ' '}("
        + (labels["suppressed"] if hidden else n_is(n, k, spaced=False))
        + ")"
        for code, n, hidden in zip(
            rows["item_code"], rows["respondents_n"], rows["suppressed"], strict=True
        )
    ]
    y = names if compact else [list(rows["category_label"]), names]
    row = 50 if n_below else 42  # two lines of 14 px type need the room
    fig = go.Figure(layout=theme.base_layout(height=max(320, row * len(rows) + 90)))
    xs: list[float | None] = []
    ys0: list[str | None] = []
    ys1: list[str | None] = []
    for cat, label, lo, hi in zip(
        rows["category_label"], names, rows["demand_rate"], rows["received_rate"], strict=True
    ):
        if pd.notna(lo) and pd.notna(hi):
            xs += [100 * lo, 100 * hi, None]
            ys0 += [cat, cat, None]
            ys1 += [label, label, None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys1 if compact else [ys0, ys1],
            mode="lines",
            line={"color": theme.NEUTRAL, "width": 4},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    unreliable = _unreliable(rows)
    hover = [
        f"{labels['need']}: {pct(d)}{_interval(rows, 'demand_rate', i, labels)}<br>"
        f"{labels['received']}: {pct(r)}{_interval(rows, 'received_rate', i, labels)}<br>"
        f"{labels['gap']}: {points(g, labels['pp'])}<br>{n_is(n, k)}"
        + (f"<br><i>{labels['unreliable']}</i>" if unreliable[i] else "")
        if not s
        else labels["suppressed"]
        for i, (d, r, g, n, s) in enumerate(
            zip(
                rows["demand_rate"],
                rows["received_rate"],
                rows["gap_pp"],
                rows["respondents_n"],
                rows["suppressed"],
                strict=True,
            )
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
                    "opacity": [0.35 if u else 1.0 for u in unreliable],
                },
                error_x=_error_bars(rows, column, colour),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    _mark_hidden(fig, rows, y, compact, labels, k)
    if any(unreliable) and "faded" in labels:
        fig.add_trace(fading_key(labels["faded"]))
    fig.update_xaxes(
        title_text="%", ticksuffix="%", rangemode="tozero", gridcolor="#E4E7EB", zeroline=False
    )
    fig.update_yaxes(automargin=True, tickfont={"size": 14})
    return fig


def _mark_hidden(
    fig: go.Figure,
    rows: pd.DataFrame,
    y: list,
    compact: bool,
    labels: Mapping[str, str],
    k: int,
) -> None:
    """A grey mark on each row whose need is suppressed (figures.hidden), not an empty row."""
    hidden = [pd.isna(v) for v in rows["demand_rate"]]
    if not any(hidden):
        return
    if compact:
        at: list = [label for label, h in zip(y, hidden, strict=True) if h]
    else:
        at = [[v for v, h in zip(level, hidden, strict=True) if h] for level in y]
    fig.add_trace(hidden_marks(at, dict(labels), k))


def fading_key(label: str) -> go.Scatter:
    """A legend entry only (no point): what a faded marker means."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=label,
        marker={"color": theme.NEUTRAL, "size": 14, "opacity": 0.35},
        hoverinfo="skip",
    )


def _unreliable(rows: pd.DataFrame) -> list[bool]:
    """Rows whose figures fail the reliability standard (drawn faded), when flags are given."""
    if "reliability" not in rows:
        return [False] * len(rows)
    return [flag not in (None, "", "reliable") and flag == flag for flag in rows["reliability"]]


def _not_estimable(lo: object, hi: object) -> bool:
    """An interval of [0, 1] says nothing (e.g. one PSU in the area: no degrees of freedom)."""
    return bool(pd.notna(lo) and float(lo) <= 0.0 and float(hi) >= 1.0)


def _interval(rows: pd.DataFrame, column: str, i: int, labels: Mapping[str, str]) -> str:
    """' (95% CI a–b)' for hover text, when the frame carries intervals."""
    lo, hi = f"{column}_lo", f"{column}_hi"
    if lo not in rows or pd.isna(rows[lo].iloc[i]):
        return ""
    if _not_estimable(rows[lo].iloc[i], rows[hi].iloc[i]):
        return f" ({labels['ci_not_estimable']})"
    return f" ({labels['ci']} {pct(rows[lo].iloc[i])}–{pct(rows[hi].iloc[i])})"


def _error_bars(rows: pd.DataFrame, column: str, colour: str) -> dict[str, object] | None:
    """Asymmetric whiskers for the 95% interval, when the frame carries one."""
    lo, hi = f"{column}_lo", f"{column}_hi"
    if lo not in rows:
        return None
    value = 100 * rows[column].astype(float)
    shown = [not _not_estimable(a, b) for a, b in zip(rows[lo], rows[hi], strict=True)]
    upper = (100 * rows[hi].astype(float) - value).where(shown)
    lower = (value - 100 * rows[lo].astype(float)).where(shown)
    return {
        "type": "data",
        "symmetric": False,
        "array": list(upper),
        "arrayminus": list(lower),
        "color": colour,
        "thickness": 1.5,
        "width": 4,
    }
