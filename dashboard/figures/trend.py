"""Deliveries month by month: stacked bars of counts, one colour per service or category.

Generic over where the counts come from: an area's records or one station's
(dashboard.data.provision_months gives either), so the overview and the stations view draw the
same chart.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.text import name_of, plain_in_template
from dashboard.i18n.numbers import count

#: Months on the axis → a tick every this many months (so "YYYY-MM" labels never overlap at
#: 1024 px: about 24 labels fit).
TICK_STEPS = ((12, 1), (36, 3), (72, 6))


def month_label(month: object) -> str:
    """'2009-03' for a month's first day (a date, a Timestamp or ISO text)."""
    return pd.Timestamp(month).strftime("%Y-%m")


def tick_step(months: int) -> int:
    """Months between two labelled ticks for an axis of `months` months."""
    for most, step in TICK_STEPS:
        if months <= most:
            return step
    return 12


def ticks(months: list[str]) -> list[str]:
    """The months labelled on the axis: every one for a year or less, else every `tick_step`
    months on calendar boundaries (quarters, half years, Januaries)."""
    step = tick_step(len(months))
    if step == 1:
        return list(months)
    return [m for m in months if (int(m[5:7]) - 1) % step == 0] or months[:1]


def item_order(frame: pd.DataFrame) -> list[str]:
    """Items bottom-up: by category (most delivered first), then by count inside it."""
    totals = frame.groupby("item_code", sort=False)["provision_count"].sum()
    if "category" in frame:
        category = frame.groupby("item_code", sort=False)["category"].first()
    else:
        category = pd.Series(totals.index, index=totals.index)
    by_category = totals.groupby(category).sum()
    rows = pd.DataFrame(
        {"item": totals.index, "total": totals.values, "category": category[totals.index].values}
    )
    rows["category_total"] = rows["category"].map(by_category)
    rows = rows.sort_values(
        ["category_total", "category", "total", "item"],
        ascending=[False, True, False, True],
        kind="stable",
    )
    return [str(i) for i in rows["item"]]


def item_colours(frame: pd.DataFrame, order: list[str]) -> dict[str, str]:
    """A colour per item: a category's fixed colour (theme.CATEGORY_COLOURS), and shades of it for
    the services of one category (darkest for the most delivered); without a category column,
    the palette in turn."""
    if "category" not in frame:
        return {item: theme.PALETTE[i % len(theme.PALETTE)] for i, item in enumerate(order)}
    category = frame.groupby("item_code")["category"].first()
    categories = list(dict.fromkeys(str(category[i]) for i in order))
    hues = theme.category_colours(categories)
    colours: dict[str, str] = {}
    for cat in categories:
        members = [i for i in order if str(category[i]) == cat]
        colours.update(zip(members, theme.shades(hues[cat], len(members)), strict=True))
    return colours


def monthly_bars(
    frame: pd.DataFrame,
    *,
    item_names: Mapping[str, str],
    labels: Mapping[str, str],
    partial: Collection[object] = (),
    height: int = 420,
) -> go.Figure:
    """Deliveries per month as stacked bars (counts, not shares), one trace per item.

    `frame` has month (a month's first day), item_code, provision_count, and optionally category
    (services of one category are drawn in shades of its colour); rows of several areas are
    summed. Every month in the frame is drawn, 0 as 0. `item_names`: code → name (services or
    categories). `labels` gives 'deliveries' (the axis and the hover), 'month_total' and
    'no_deliveries' (the empty chart's message), and 'partial_month' when `partial` names months
    (their first days) the period covers only in part: those are drawn faded and say so.
    No title: the panel has one.
    """
    if frame.empty or not frame["provision_count"].astype(float).sum() > 0:
        return theme.empty_figure(labels["no_deliveries"])
    rows = frame.assign(_month=frame["month"].map(month_label))
    months = sorted(rows["_month"].unique())
    keys = ["item_code", "category"] if "category" in rows else ["item_code"]
    sums = rows.groupby(["_month", *keys], as_index=False)["provision_count"].sum()
    order = item_order(sums)
    colours = item_colours(sums, order)
    totals = sums.groupby("_month")["provision_count"].sum().reindex(months, fill_value=0)
    cut = {month_label(m) for m in partial}
    opacity = [0.45 if m in cut else 1.0 for m in months]
    note = {m: f"<br><i>{labels['partial_month']}</i>" if m in cut else "" for m in months}
    fig = go.Figure(
        layout=theme.base_layout(
            height=height,
            barmode="stack",
            bargap=0.15,
            hovermode="closest",
            margin={"l": 10, "r": 20, "t": 10, "b": 40},
            legend={
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1.02,
                "x": 0,
                "traceorder": "normal",
                "font": {"size": 13},
            },
        )
    )
    for item in order:
        values = (
            sums[sums["item_code"] == item]
            .set_index("_month")["provision_count"]
            .reindex(months, fill_value=0)
        )
        name = name_of(item_names, item)
        fig.add_trace(
            go.Bar(
                x=months,
                y=[int(v) for v in values],
                name=name,
                marker={"color": colours[item], "opacity": opacity, "line": {"width": 0}},
                customdata=[
                    [count(v), count(totals[m]), note[m]]
                    for m, v in zip(months, values, strict=True)
                ],
                hovertemplate=(
                    f"<b>%{{x}}</b><br>{plain_in_template(name)}: %{{customdata[0]}}"
                    f"<br>{plain_in_template(labels['month_total'])}: %{{customdata[1]}}"
                    "%{customdata[2]}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=months,
        tickmode="array",
        tickvals=ticks(months),
        tickangle=0,
        tickfont={"size": 13},
        showgrid=False,
    )
    fig.update_yaxes(
        title_text=labels["deliveries"],
        separatethousands=True,
        tickformat=",d",
        gridcolor="#E4E7EB",
        rangemode="tozero",
        automargin=True,
    )
    return fig
