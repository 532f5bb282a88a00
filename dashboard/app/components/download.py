"""The download buttons under every chart, and sending the file (made by dashboard.views.downloads).

CSV and Excel are the figures behind the chart (the registry's frame, suppression applied); PNG
and SVG are the chart as drawn, rendered in the browser (assets/images.js).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.app import ids
from dashboard.i18n import t


def download_buttons(
    chart: str, lang: str, graph: str | None = None, credit: bool = False
) -> html.Div:
    """CSV and Excel of the chart's data; with `graph` (a dcc.Graph id) also PNG and SVG of the
    chart as drawn (assets/images.js, in the browser: offline, suppressed cells already absent).
    `credit`: stamp the boundary credit on the picture (maps)."""
    buttons = [
        dbc.Button(
            t("ui.download_csv", lang),
            id=ids.download(chart, "csv"),
            size="sm",
            color="light",
            className="me-1 cg-table-download",
            title=t("ui.download_title", lang),
        ),
        dbc.Button(
            t("ui.download_xlsx", lang),
            id=ids.download(chart, "xlsx"),
            size="sm",
            color="light",
            className="cg-table-download",
            title=t("ui.download_title", lang),
        ),
    ]
    if graph is not None:
        caption = t("ui.credit", lang) if credit else ""
        buttons += [
            html.Button(
                fmt.upper(),
                type="button",
                className="btn btn-light btn-sm ms-1",
                title=t("ui.download_image_title", lang),
                **{
                    "data-cg-image": fmt,
                    "data-cg-graph": graph,
                    "data-cg-name": f"caregap-{chart}",
                    "data-cg-caption": caption,
                },
            )
            for fmt in ("png", "svg")
        ]
    return html.Div(buttons, className="cg-downloads")


def send(name: str, content: bytes) -> dict:
    """A dcc.Download payload of a file made by dashboard.views.downloads."""
    return dcc.send_bytes(content, name)
