"""The first page: what is loaded, and the city's demand beside what residents received."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import data
from dashboard.app.connection import StoreConnection


def _pct(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{100 * value:.1f}%"


def _pp(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:+.1f} pp"


def _count_cards(counts: dict[str, int]) -> dbc.Row:
    labels = {
        "respondents": "Respondents",
        "grids": "Grids",
        "districts": "Districts",
        "deliveries": "Delivery records",
        "stations": "Stations",
    }
    return dbc.Row(
        [
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [html.Div(f"{counts[key]:,}", className="cg-figure"), html.Div(label)]
                    )
                ),
                md=2,
            )
            for key, label in labels.items()
        ],
        className="g-3 mb-4",
    )


def _gap_table(frame: pd.DataFrame, names: dict[str, str]) -> dbc.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (
                    "Service",
                    "Category",
                    "Need it",
                    "Received it",
                    "Gap",
                    "n",
                    "Share of station deliveries",
                )
            ]
        )
    )
    rows = []
    for r in frame.sort_values("gap_pp", ascending=False, na_position="last").itertuples():
        suppressed = bool(r.suppressed)
        rows.append(
            html.Tr(
                [
                    html.Td(names.get(r.service_code, r.service_code)),
                    html.Td(r.category),
                    html.Td("suppressed" if suppressed else _pct(r.demand_rate)),
                    html.Td("suppressed" if suppressed else _pct(r.received_rate)),
                    html.Td("" if suppressed else _pp(r.gap_pp)),
                    html.Td(f"{r.respondents_n:,}"),
                    html.Td(_pct(r.provision_share)),
                ],
                className="text-muted" if suppressed else None,
            )
        )
    return dbc.Table([head, html.Tbody(rows)], striped=True, hover=True, className="cg-table")


def layout(connection: StoreConnection) -> html.Div:
    con = connection.cursor()
    counts = data.table_counts(con)
    meta = data.dataset_meta(con)
    first, last = data.delivery_period(con)
    city = data.gaps(con, "city")
    names = data.service_names(con, "en")
    period = f"{first} to {last}" if first else "no deliveries"
    return dbc.Container(
        [
            html.H1("CareGap", className="mt-4"),
            html.P(
                "Where does community care fall short of need? Residents' stated need (survey, "
                "need ≥ 4 of 5) beside the share who received each service, for the whole city.",
                className="lead",
            ),
            _count_cards(counts),
            html.P(
                f"Deliveries {period}. Imported {meta.get('imported_at', '?')} "
                f"(data contract v{meta.get('contract_version', '?')}). "
                f"Figures resting on fewer than {data.DEFAULT_MIN_N} respondents are suppressed.",
                className="text-muted",
            ),
            html.H2("Demand beside provision, city", className="h4 mt-4"),
            _gap_table(city, names),
        ],
        fluid=True,
    )
