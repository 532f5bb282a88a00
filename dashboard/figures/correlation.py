"""How need and receipt go with quality of life: the study's T4/T5 as one chart.

The quality view shows T4/T5 as tables; a slide needs them as a picture. Pure, like every
builder here: the two correlation tables in, a Plotly figure out, in the shared theme.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.text import name_of

ALL_SERVICES = "all_services"


def correlation_bars(
    need: pd.DataFrame,
    received: pd.DataFrame,
    *,
    service_names: Mapping[str, str],
    labels: Mapping[str, str],
) -> go.Figure:
    """Per service, Pearson's r of the QoL total with 'needs it' and with 'received it'.

    `need`, `received`: item_code, r, suppressed (the 'all_services' row first, then services).
    Suppressed rows get no bar and say so in their label. `labels` gives 'need', 'received',
    'axis', 'all' (the all-services row's name) and 'suppressed'.
    """
    codes = list(dict.fromkeys([*need["item_code"], *received["item_code"]]))
    hidden = _hidden(need) | _hidden(received)
    names = [
        (labels["all"] if c == ALL_SERVICES else name_of(service_names, c))
        + (f" ({labels['suppressed']})" if c in hidden else "")
        for c in codes
    ]
    fig = go.Figure(
        layout=theme.base_layout(height=max(320, 40 * len(codes) + 110), barmode="group")
    )
    for frame, name, colour in (
        (need, labels["need"], theme.NEED),
        (received, labels["received"], theme.RECEIVED),
    ):
        r = frame.set_index("item_code")["r"].reindex(codes)
        r = r.where([c not in hidden for c in codes])
        fig.add_trace(
            go.Bar(
                y=names[::-1],
                x=list(r.astype(float))[::-1],
                orientation="h",
                name=name,
                marker_color=colour,
                hovertemplate="%{y}: r = %{x:+.2f}<extra></extra>",
            )
        )
    fig.update_xaxes(
        title_text=labels["axis"],
        range=[-1, 1],
        zeroline=True,
        zerolinecolor=theme.INK,
        gridcolor="#E4E7EB",
    )
    fig.update_yaxes(automargin=True)
    return fig


def _hidden(frame: pd.DataFrame) -> set[str]:
    mask = frame["r"].isna()
    if "suppressed" in frame:
        mask |= frame["suppressed"].fillna(False).astype(bool)
    return set(frame.loc[mask, "item_code"])
