"""A choropleth of one measure over areas, drawn offline from the dataset's own polygons.

`go.Choroplethmap` on a blank style ("white-bg"): no tile server and no CDN (the `geo` subplot of
`go.Choropleth` fetches its base map from cdn.plot.ly, so it is not used). The `map` subplot has no
fitbounds, so centre and zoom are computed from the polygons' bounding box.

Two traces share the geometry: the measure's values, and a grey trace for the areas whose figure is
not shown (suppressed, or missing for a stated reason) — a hidden figure is never drawn as 0.
`choropleth_parts` returns everything that depends on the figures but not on the geometry, so a
filter change can recolour the map with a `dash.Patch` instead of resending the polygons.

The input frame has one row per area: region_id, name, value (rates as fractions, gaps in points,
per-1,000 as is; NaN when not shown), n (respondents, as the disclosure gate publishes them:
missing where withheld), note (why the value is not shown, or empty). Hover shows the name, the
value (or the reason it is not shown) and n ("n < k" where withheld, k the floor in force).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.text import plain
from dashboard.i18n.numbers import is_missing, n_is, number, pct, points

#: How each measure is shown: as a rate (%), in percentage points, or per 1,000 people.
MEASURE_KIND = {
    "gap_pp": "pp",
    "mix_gap_pp": "pp",
    "demand_rate": "rate",
    "received_rate": "rate",
    "provision_per_1000": "per_1000",
}
#: Measures that are differences: a diverging scale centred on 0, symmetric range.
DIVERGING_MEASURES = frozenset({"gap_pp", "mix_gap_pp"})
#: Map size the centre and zoom are fitted for (the graph is this tall and the map about this
#: wide: 84% of a panel of ~800 px, the rest holds the colour bar).
MAP_HEIGHT = 600
MAP_WIDTH_HINT = 660
MAP_DOMAIN_X = (0.0, 0.84)
#: Maplibre's world width in pixels at zoom 0.
_TILE = 512
BORDER = "#7B8794"
SUPPRESSED_BORDER = "#9AA5B1"


@dataclass(frozen=True)
class MapLabels:
    """Words on the map, in the chosen language."""

    measure: str  # the measure's name: colour-bar title and hover
    pp: str = "pp"  # unit of percentage points
    per_1000: str = "per 1,000"  # unit of provision_per_1000
    suppressed: str = "suppressed"  # legend entry and hover of the grey areas


def format_value(value: object, measure: str, labels: MapLabels) -> str:
    """A measure's value as a reader sees it ('—' when missing, never 0)."""
    kind = MEASURE_KIND[measure]
    if kind == "rate":
        return pct(value)
    if kind == "pp":
        return points(value, labels.pp)
    return "—" if is_missing(value) else f"{number(value)} {labels.per_1000}"


def _nice(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above `value`."""
    exponent = math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * 10**exponent >= value * (1 - 1e-9):
            return step * 10**exponent
    return 10 ** (exponent + 1)  # pragma: no cover - the loop always returns


def colour_range(z: pd.Series, measure: str) -> tuple[float, float]:
    """zmin, zmax of the colour scale: symmetric around 0 for gaps, rounded outward otherwise."""
    values = z.dropna().astype(float)
    if measure in DIVERGING_MEASURES:
        top = float(values.abs().max()) if len(values) else 0.0
        limit = _nice(top) if top > 0 else 1.0
        return -limit, limit
    if not len(values):
        return (0.0, 100.0) if MEASURE_KIND[measure] == "rate" else (0.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    step = 10 ** math.floor(math.log10(hi - lo)) if hi > lo else _nice(max(abs(hi), 1.0)) / 2
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if MEASURE_KIND[measure] == "rate":
        lo, hi = max(lo, 0.0), min(hi, 100.0)
    return (lo, hi) if hi > lo else (lo, lo + step)


def _z(frame: pd.DataFrame, measure: str) -> pd.Series:
    """Values on the colour scale's axis (rates in %)."""
    z = frame["value"].astype(float)
    return 100 * z if MEASURE_KIND[measure] == "rate" else z


def _hover(title: str) -> str:
    """Hover of one area: its name, `title` with a text (value or reason), and n ('n = …')."""
    return (
        f"<b>%{{customdata[0]}}</b><br>{title}: %{{customdata[1]}}<br>"
        "%{customdata[2]}<extra></extra>"
    )


def _note(value: object) -> str:
    return value if isinstance(value, str) else ""


def choropleth_parts(
    frame: pd.DataFrame, *, measure: str, labels: MapLabels, k: int
) -> list[dict[str, object]]:
    """The trace properties that depend on the figures, not on the geometry: [values, grey].

    Apply them with a `dash.Patch` (`patch["data"][i][key] = value`) to recolour a map built by
    `choropleth_map` without resending its polygons; `choropleth_map` is built from them too.
    """
    shown = frame[frame["value"].notna()]
    hidden = frame[frame["value"].isna()]
    z = _z(shown, measure)
    zmin, zmax = colour_range(z, measure)
    kind = MEASURE_KIND[measure]
    diverging = measure in DIVERGING_MEASURES
    unit = {"rate": "%", "pp": labels.pp}.get(kind, labels.per_1000)
    title = f"{_wrap(labels.measure, 15)}<br>({unit})"
    values = {
        "locations": list(shown["region_id"]),
        "z": [round(v, 3) for v in z],
        "customdata": [
            [plain(name), format_value(v, measure, labels), n_is(n, k)]
            for name, v, n in zip(shown["name"], shown["value"], shown["n"], strict=True)
        ],
        "hovertemplate": _hover(labels.measure),
        "colorscale": theme.DIVERGING if diverging else theme.SEQUENTIAL,
        "zmin": zmin,
        "zmax": zmax,
        "colorbar": _colorbar(title, "%" if kind == "rate" else ""),
    }
    grey = {
        "locations": list(hidden["region_id"]),
        "z": [0] * len(hidden),
        "customdata": [
            [plain(name), plain(_note(note)) or "—", n_is(n, k)]
            for name, note, n in zip(
                hidden["name"], hidden.get("note", [""] * len(hidden)), hidden["n"], strict=True
            )
        ],
        "hovertemplate": _hover(labels.suppressed),
        "name": labels.suppressed,
    }
    return [values, grey]


def _colorbar(title: str, suffix: str) -> dict[str, object]:
    return {
        "title": {"text": title, "side": "top", "font": {"size": 13}},
        "ticksuffix": suffix,
        "thickness": 16,
        "len": 0.7,
        "x": MAP_DOMAIN_X[1] + 0.01,
        "xanchor": "left",
        "xpad": 0,
        "outlinewidth": 0,
        "tickfont": {"size": 13},
    }


def _width(text: str) -> int:
    """Display width: Chinese characters and full-width punctuation count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> str:
    """Lines of about `width` (display width), broken at spaces and before brackets.

    A piece with no break in it (Chinese) stays whole unless it is far too long for a line.
    """
    pieces = [p for p in re.split(r"(?<= )|(?=[（(])", text) if p]
    lines: list[str] = []
    line = ""
    for piece in pieces:
        while _width(piece) > width * 3 // 2:
            cut = max(i for i in range(1, len(piece) + 1) if _width(piece[:i]) <= width)
            if line:
                lines.append(line)
                line = ""
            lines.append(piece[:cut])
            piece = piece[cut:]
        if line and _width(line + piece.rstrip()) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "<br>".join(x.strip() for x in lines if x.strip())


def map_view(
    bbox: list[float] | tuple[float, ...],
    width: int = MAP_WIDTH_HINT,
    height: int = MAP_HEIGHT,
    padding: float = 0.9,
) -> tuple[dict[str, float], float]:
    """Centre and zoom of a Web Mercator map of width × height px showing all of `bbox`.

    `bbox` is [west, south, east, north] in degrees; `padding` leaves a margin around it.
    """
    west, south, east, north = (float(v) for v in bbox)

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))

    span_x = max(east - west, 1e-6)
    span_y = max(mercator(north) - mercator(south), 1e-8)
    zoom_x = math.log2(width * padding * 360 / (_TILE * span_x))
    zoom_y = math.log2(height * padding * 2 * math.pi / (_TILE * span_y))
    zoom = max(0.0, min(zoom_x, zoom_y, 18.0))
    mid_y = (mercator(north) + mercator(south)) / 2
    center = {
        "lon": (west + east) / 2,
        "lat": math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2),
    }
    return center, round(zoom, 2)


def choropleth_map(
    frame: pd.DataFrame,
    geojson: dict,
    *,
    measure: str,
    labels: MapLabels,
    k: int,
    revision: str = "",
    height: int = MAP_HEIGHT,
) -> go.Figure:
    """The areas of `geojson` (features keyed by properties.region_id) coloured by `measure`.

    Areas with a value are coloured on a colour-blind safe scale (PuOr around 0 for gaps,
    ColorBrewer Blues otherwise) with a colour bar; areas without one are grey, with the reason
    and n on hover.
    `revision` keeps the reader's pan and zoom across recolouring (give the geometry's key).
    """
    values, grey = choropleth_parts(frame, measure=measure, labels=labels, k=k)
    common = {
        "geojson": geojson,
        "featureidkey": "properties.region_id",
        "hoverlabel": {"font": {"family": theme.FONT, "size": 15}},
    }
    fig = go.Figure(
        [
            go.Choroplethmap(
                **common,
                **values,
                marker={"line": {"color": BORDER, "width": 0.8}, "opacity": 0.95},
                showscale=True,
                showlegend=False,
            ),
            go.Choroplethmap(
                **common,
                **grey,
                colorscale=[[0, theme.SUPPRESSED], [1, theme.SUPPRESSED]],
                zmin=0,
                zmax=1,
                showscale=False,
                showlegend=True,
                marker={"line": {"color": SUPPRESSED_BORDER, "width": 0.8}, "opacity": 0.95},
            ),
        ]
    )
    center, zoom = map_view(geojson.get("bbox") or [-180, -85, 180, 85], height=height)
    fig.update_layout(
        **theme.base_layout(
            height=height,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
            legend={
                "orientation": "h",
                "x": 0.01,
                "y": 0.01,
                "xanchor": "left",
                "yanchor": "bottom",
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 13},
            },
        ),
        map={
            "style": "white-bg",
            "center": center,
            "zoom": zoom,
            "domain": {"x": list(MAP_DOMAIN_X), "y": [0, 1]},
        },
        uirevision=revision or None,
        clickmode="event",
    )
    return fig
