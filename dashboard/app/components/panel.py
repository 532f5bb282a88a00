"""The card every chart sits in: its title, its downloads (CSV, Excel, PNG, SVG) and the graph."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.app import ids
from dashboard.app.components.download import download_buttons


def title_id(chart: str) -> str:
    """The id of a chart panel's title (a callback may rewrite it, e.g. to name the service)."""
    return f"{chart}-title"


def chart_panel(chart: str, title: str, lang: str, controls: object = None) -> dbc.Card:
    """A full-width card for the registry chart `chart`, drawn into ids.chart(chart).

    `controls` (e.g. a small switch of what the chart breaks down by) sit above the graph."""
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(title, className="h5 mb-0", id=title_id(chart)),
                    download_buttons(chart, lang, graph=ids.chart(chart)),
                ],
                className="d-flex justify-content-between align-items-center",
            ),
            dbc.CardBody(
                [
                    *([controls] if controls is not None else []),
                    dcc.Loading(
                        dcc.Graph(id=ids.chart(chart), config={"displaylogo": False}), type="dot"
                    ),
                ]
            ),
        ],
        className="mb-3",
    )
