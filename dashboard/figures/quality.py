"""Quality-of-life figures: the SF-36 domain profile by group, and a scored level's distribution."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.hidden import hidden_marks
from dashboard.figures.text import name_of, plain, plain_in_template, plain_wrapped
from dashboard.i18n.numbers import n_is, pct

#: Display width (half-ems) a level's name is wrapped to under its bar.
LEVEL_NAME_WIDTH = 10
DOMAINS = ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh")
#: Okabe–Ito, after the two colours the theme gives need and receipt.
GROUP_COLOURS = (
    theme.RECEIVED,
    theme.NEED,
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)


def domain_profile(
    frame: pd.DataFrame,
    *,
    domain_names: dict[str, str],
    group_names: dict[object, str],
    labels: dict[str, str],
    k: int,
) -> go.Figure:
    """Grouped bars: the eight SF-36 domains across, one bar per group (mean 0–100).

    `frame` has group_value, respondents_n, suppressed and one column per domain; suppressed
    groups are left out and named in the legend as such. `labels` gives 'mean_score' and
    'suppressed'.
    """
    fig = go.Figure(layout=theme.base_layout(height=420, barmode="group"))
    x = [name_of(domain_names, d) for d in DOMAINS]
    for i, row in enumerate(frame.itertuples()):
        raw = group_names.get(row.group_value, row.group_value)
        name = plain(raw)
        if row.suppressed:
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=[None] * len(DOMAINS),
                    name=f"{name} ({labels['suppressed']})",
                    marker_color=theme.SUPPRESSED,
                )
            )
            continue
        values = [float(getattr(row, d)) for d in DOMAINS]
        fig.add_trace(
            go.Bar(
                x=x,
                y=values,
                name=f"{name} ({n_is(row.respondents_n, k, spaced=False)})",
                marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
                hovertemplate="%{x}: %{y:.1f}<extra>" + plain_in_template(name) + "</extra>",
            )
        )
    fig.update_yaxes(
        range=[0, 100], title_text=labels["mean_score"], gridcolor="#E4E7EB", automargin=True
    )
    fig.update_xaxes(automargin=True, tickfont={"size": 13})
    return fig


def level_bars(
    frame: pd.DataFrame, *, level_names: dict[str, str], labels: dict[str, str], k: int
) -> go.Figure:
    """Vertical bars: each level's weighted share, labelled with the share and n.

    `frame` has level, respondents_n, share, suppressed (in the scale's order); `labels` gives
    'share', 'suppressed' and 'suppressed_reason'. Suppressed levels have no bar: a grey mark
    says so (figures.hidden).
    """
    # a name per line-width of a narrow bar ("mild<br>impairment"): side by side at 1024 px
    # the whole names run into each other
    names = [plain_wrapped(level_names.get(v, v), LEVEL_NAME_WIDTH) for v in frame["level"]]
    shares = [
        None if s else 100 * float(v)
        for v, s in zip(frame["share"], frame["suppressed"], strict=True)
    ]
    text = [
        labels["suppressed"] if s else f"{pct(v)} ({n_is(n, k, spaced=False)})"
        for v, n, s in zip(frame["share"], frame["respondents_n"], frame["suppressed"], strict=True)
    ]
    fig = go.Figure(layout=theme.base_layout(height=340, showlegend=False))
    fig.add_trace(
        go.Bar(
            x=names,
            y=shares,
            text=text,
            textposition="outside",
            cliponaxis=False,
            marker_color=theme.RECEIVED,
            hovertext=text,
            hoverinfo="x+text",
        )
    )
    hidden = [n for n, v in zip(names, shares, strict=True) if v is None]
    if hidden:
        fig.add_trace(hidden_marks(hidden, labels, k, horizontal=False))
    top = max([v for v in shares if v is not None] or [1.0])
    fig.update_yaxes(
        range=[0, min(100, top * 1.2) if top < 90 else 115],
        ticksuffix="%",
        title_text=labels["share"],
        gridcolor="#E4E7EB",
        automargin=True,
    )
    fig.update_xaxes(tickangle=0, automargin=True)
    return fig
