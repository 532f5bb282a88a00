"""The small switches above a chart: monthly deliveries by category or by service (URL state
`breakdown`, the same on the overview and on /stations), and how the largest gaps are ranked
(`gap_rank`)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.app import ids
from dashboard.i18n import t
from dashboard.views.ranking import RANKINGS
from dashboard.views.state import BREAKDOWNS, ViewState

BREAKDOWN = ids.state("breakdown")
GAP_RANK = ids.state("gap_rank")


def _switch(
    component_id: dict[str, str], options: list[dict[str, str]], value: str, label: str
) -> html.Div:
    """A row of small toggle buttons over a chart, one value at a time (kept in the URL)."""
    return html.Div(
        dbc.RadioItems(
            id=component_id,
            options=options,
            value=value,
            inline=True,
            class_name="btn-group btn-group-sm",
            input_class_name="btn-check",
            label_class_name="btn btn-outline-secondary btn-sm",
            label_checked_class_name="active",
        ),
        role="group",
        className="cg-switch mb-2",
        **{"aria-label": label},
    )


def breakdown_switch(state: ViewState) -> html.Div:
    """By category / by service: what the monthly chart stacks (kept in the URL)."""
    lang = state.lang
    options = [{"label": t(f"ui.by_{b}", lang), "value": b} for b in BREAKDOWNS]
    return _switch(BREAKDOWN, options, state.breakdown, t("ui.breakdown_label", lang))


def gap_rank_switch(state: ViewState) -> html.Div:
    """Rank the largest gaps by the gap the data is sure of, or by its estimate (views.ranking)."""
    lang = state.lang
    options = [{"label": t(f"ui.rank_{r}", lang), "value": r} for r in RANKINGS]
    return _switch(GAP_RANK, options, state.gap_rank, t("ui.rank_label", lang))
