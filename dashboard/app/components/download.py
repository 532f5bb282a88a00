"""Downloads of the figures behind a chart, as CSV or Excel, with the filters written on top.

The frame is produced by the same data function the chart draws from, so a download can never
show what the screen hides: suppressed figures are already missing in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import dash_bootstrap_components as dbc
import duckdb
import pandas as pd
from dash import dcc, html

from dashboard.app import ids
from dashboard.app.state import ViewState
from dashboard.i18n import t
from dashboard.report import records

ChartData = Callable[[duckdb.DuckDBPyConnection, ViewState], pd.DataFrame]


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
            className="me-1",
            title=t("ui.download_title", lang),
        ),
        dbc.Button(
            t("ui.download_xlsx", lang),
            id=ids.download(chart, "xlsx"),
            size="sm",
            color="light",
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


def filter_lines(state: ViewState, region_name: str) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) rows for the top of a download."""
    lang = state.lang
    return [
        (t("ui.region", lang), region_name),
        (t("ui.period", lang), f"{state.start or '…'} – {state.end or '…'}"),
        (t("ui.age_group", lang), state.age or t("ui.all", lang)),
        (t("ui.sex", lang), t(f"ui.sex_{state.sex}", lang) if state.sex else t("ui.all", lang)),
        (t("ui.threshold", lang), str(state.threshold)),
        (t("ui.min_n", lang), str(state.min_n)),
        (t("ui.generated", lang), dt.datetime.now().isoformat(timespec="seconds")),
    ]


def to_csv_bytes(frame: pd.DataFrame, header: list[tuple[str, str]]) -> bytes:
    """UTF-8 with BOM so that Excel opens Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([t("ui.filters_header", "en")])
    writer.writerows(header)
    writer.writerow([])
    writer.writerow(frame.columns)
    for row in records(frame):
        writer.writerow(["" if v is None else v for v in row.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, header: list[tuple[str, str]]) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        top = pd.DataFrame(header, columns=["filter", "value"])
        top.to_excel(writer, index=False, header=False, startrow=0, sheet_name="data")
        frame.to_excel(writer, index=False, startrow=len(header) + 1, sheet_name="data")
    return out.getvalue()


def send(frame: pd.DataFrame, header: list[tuple[str, str]], chart: str, fmt: str) -> dict:
    """A dcc.Download payload."""
    name = f"caregap-{chart}.{fmt}"
    content = to_csv_bytes(frame, header) if fmt == "csv" else to_xlsx_bytes(frame, header)
    return dcc.send_bytes(content, name)
