"""The small switch above a chart of monthly deliveries: by category or by service (URL state
`breakdown`), the same on the overview and on /stations."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.app import ids
from dashboard.i18n import t
from dashboard.views.state import BREAKDOWNS, ViewState

BREAKDOWN = ids.state("breakdown")


def breakdown_switch(state: ViewState) -> html.Div:
    """By category / by service: what the monthly chart stacks (kept in the URL)."""
    lang = state.lang
    return html.Div(
        dbc.RadioItems(
            id=BREAKDOWN,
            options=[{"label": t(f"ui.by_{b}", lang), "value": b} for b in BREAKDOWNS],
            value=state.breakdown,
            inline=True,
            class_name="btn-group btn-group-sm",
            input_class_name="btn-check",
            label_class_name="btn btn-outline-secondary btn-sm",
            label_checked_class_name="active",
        ),
        role="group",
        className="cg-switch mb-2",
        **{"aria-label": t("ui.breakdown_label", lang)},
    )
