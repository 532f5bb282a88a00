"""The floor a first load is measured against: a bare Dash page with one bar chart, on the same
Dash, plotly.js and gunicorn settings as `caregap serve` (issue 15).

Two variants, so a run says both what a view costs beyond Dash and what the delivery saves:
- ``stock``: Dash as it ships: its full plotly.min.js, loaded by dcc.Graph, nothing compressed;
- ``lean``: the same page delivered as CareGap delivers its own (dashboard.app.delivery: the
  partial plotly.js bundle from assets, brotli/gzip, versioned files cached).

    python -m benchmarks.bare_dash --variant stock|lean --port 8060 [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from dash import Dash, dcc, html

from dashboard.app import delivery
from dashboard.app.factory import ASSETS
from dashboard.app.serve import Gunicorn, gunicorn_options

VARIANTS = ("stock", "lean")
#: The chart, drawn by the browser tests' check like a CareGap chart (harness.SPECS["/bare"]).
GRAPH_ID = "bare-graph"


def figure() -> dict:
    """Twelve bars, as many as CareGap's services: a chart of the same kind, not of its data."""
    names = [f"service {i}" for i in range(1, 13)]
    return {
        "data": [{"type": "bar", "x": list(range(12, 0, -1)), "y": names, "orientation": "h"}],
        "layout": {"title": {"text": "bare Dash page"}, "height": 480},
    }


def _lean_assets() -> Path:
    """A folder holding only the partial bundle and its brotli twin (links, nothing copied)."""
    folder = Path(tempfile.mkdtemp(prefix="caregap-bare-assets-"))
    for path in (ASSETS / "_vendor").glob("plotly-caregap-*"):
        (folder / path.name).symlink_to(path)
    return folder


def create_app(variant: str) -> Dash:
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}")
    assets = _lean_assets() if variant == "lean" else Path(tempfile.mkdtemp())
    app = Dash(__name__, assets_folder=str(assets), serve_locally=True, update_title=None)
    # the id the drawn-check looks in, as on CareGap's pages
    app.layout = html.Div(
        [html.H1("CareGap floor"), dcc.Graph(id=GRAPH_ID, figure=figure())], id="root"
    )
    if variant == "lean":
        delivery.install(app.server, assets)
    delivery.settle(app.server)  # as CareGap does: Dash's first-request race under threads
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare_dash", description=__doc__)
    parser.add_argument("--variant", choices=VARIANTS, default="stock")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    options = gunicorn_options(args.host, args.port, args.workers)
    Gunicorn(lambda: create_app(args.variant).server, options).run()


if __name__ == "__main__":
    main()
