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

Over the areas a map can draw stations (`station_parts`): a circle per station whose area is
proportional to its deliveries, filled on the areas' colour scale with the measure of its
catchment, hollow where that figure is not shown, with a dot where the station had no coordinates
and stands at its region's centre; the selected station is ringed, and its catchment outlined.
Only circles are drawn (Plotly's other map symbols need icons and fonts from a server), so the
outline of a circle is a larger circle beneath it. The four traces of a map are always there
(`TRACES`), empty when nothing is drawn on them, so a Patch can fill or empty any of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from dashboard.figures import bivariate, theme
from dashboard.figures.map_names import Place, label_annotations, meta_of
from dashboard.figures.text import display_width, plain, plain_in_template, wrapped
from dashboard.i18n.numbers import count, is_missing, n_is, number, pct, points

#: How each measure is shown: as a rate (%), in percentage points, or per 1,000 people.
MEASURE_KIND = {
    "gap_pp": "pp",
    "mix_gap_pp": "pp",
    "demand_rate": "rate",
    "received_rate": "rate",
    "provision_per_1000": "per_1000",
    "bivariate": "class",  # a 3×3 class of need × provision (figures.bivariate)
}
#: The measure drawn in 3×3 classes of two figures, with a legend square instead of a colour bar.
BIVARIATE = "bivariate"
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
#: The traces of a map figure, in drawing order: the areas with a value, the grey areas, the
#: selected station's catchment outline, the station circles, and the stations' invisible hit
#: targets (hover and click, one per station: the circles are several points each).
TRACES = ("values", "grey", "outline", "stations", "station_hits")
OUTLINE_TRACE = TRACES.index("outline")
STATIONS_TRACE = TRACES.index("stations")
STATION_HITS_TRACE = TRACES.index("station_hits")
#: Station circles: the largest delivery count is drawn this wide (px) on the city's map and on
#: one district's; none is drawn smaller than MIN_DIAMETER (so area ∝ deliveries above it).
STATION_DIAMETER = {"city": 16.0, "district": 30.0}
MIN_DIAMETER = 4.0
OUTLINE_PX = 1.5  # the dark edge around a station's circle
HOLLOW_PX = 2.5  # the grey edge of a hollow circle (its figure not shown)
HALO_PX = 4.0  # the selected station: a white gap, then a dark ring this wide
DOT_DIAMETER = 4.0  # the dot of a station placed at its region's centre
HOLLOW_FILL = "#FFFFFF"
CATCHMENT_LINE = theme.INK


@dataclass(frozen=True)
class MapLabels:
    """Words on the map, in the chosen language."""

    measure: str  # the measure's name: colour-bar title and hover
    pp: str = "pp"  # unit of percentage points
    per_1000: str = "per 1,000"  # unit of provision_per_1000
    suppressed: str = "suppressed"  # legend entry and hover of the grey areas
    square: bivariate.LegendWords = field(default_factory=bivariate.LegendWords)  # 3×3 legend


@dataclass(frozen=True)
class StationLabels:
    """Words of the station layer, in the chosen language (plain text: none is from the data)."""

    deliveries: str = "Deliveries, all services"  # hover: what the circle's area is
    item_deliveries: str = "Deliveries of this item"  # hover: of the service or category shown
    placed: str = "placed at its region's centre (no coordinates)"  # hover of a centred station
    key_title: str = "Stations"
    key_size: str = "Circle area = deliveries"
    key_hollow: str = "Hollow: figure not shown"
    key_placed: str = "Dot: at its region's centre"
    key_selected: str = "Selected, and its catchment"


def format_value(value: object, measure: str, labels: MapLabels) -> str:
    """A measure's value as a reader sees it ('—' when missing, never 0)."""
    kind = MEASURE_KIND[measure]
    if kind == "class":
        return "—" if is_missing(value) else str(int(float(value)) + 1)
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
    if MEASURE_KIND[measure] == "class":
        return bivariate.ZRANGE
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
    """Hover of one area: its name, `title` with a text (value or reason), the detail (the 95%
    interval and the reliability word, each on its own line, or nothing), and n ('n = …')."""
    return (
        f"<b>%{{customdata[0]}}</b><br>{title}: %{{customdata[1]}}%{{customdata[3]}}<br>"
        "%{customdata[2]}<extra></extra>"
    )


#: Opacity of an area (and of nothing else) whose estimate fails the reliability standard; the
#: caption's legend line says what fading means (views.map).
FADED_OPACITY = 0.4
AREA_OPACITY = 0.95


def _column(frame: pd.DataFrame, name: str, default: object) -> list:
    """A column of the builder's optional inputs, or `default` for every row."""
    return list(frame[name]) if name in frame else [default] * len(frame)


def _detail(value: object) -> str:
    """The hover's detail lines (plain text, lines separated by newlines), as hover markup."""
    text = value if isinstance(value, str) else ""
    return "".join(f"<br>{plain(line)}" for line in text.split("\n") if line)


def _note(value: object) -> str:
    return value if isinstance(value, str) else ""


def choropleth_parts(
    frame: pd.DataFrame,
    *,
    measure: str,
    labels: MapLabels,
    k: int,
    cover: pd.Series | None = None,
    beside_key: bool = False,
) -> list[dict[str, object]]:
    """The trace properties that depend on the figures, not on the geometry: [values, grey].

    Apply them with a `dash.Patch` (`patch["data"][i][key] = value`) to recolour a map built by
    `choropleth_map` without resending its polygons; `choropleth_map` is built from them too.
    `cover`: more values (as `frame["value"]`: the stations') the colour range must include;
    `beside_key`: the colour bar leaves room for the stations' key below it.
    """
    shown = frame[frame["value"].notna()]
    hidden = frame[frame["value"].isna()]
    z = _z(shown, measure)
    zmin, zmax = colour_range(_covered(z, cover, measure), measure)
    kind = MEASURE_KIND[measure]
    classed = kind == "class"
    diverging = measure in DIVERGING_MEASURES
    unit = {"rate": "%", "pp": labels.pp}.get(kind, labels.per_1000)
    title = f"{wrapped(labels.measure, 15)}<br>({unit})"
    texts = [
        plain(text) if isinstance(text, str) and text else format_value(v, measure, labels)
        for text, v in zip(_column(shown, "value_text", ""), shown["value"], strict=True)
    ]
    faded = [bool(f) for f in _column(shown, "faded", False)]
    values = {
        "locations": list(shown["region_id"]),
        "z": [round(v, 3) for v in z],
        "customdata": [
            [plain(name), text, n_is(n, k), _detail(detail)]
            for name, text, n, detail in zip(
                shown["name"], texts, shown["n"], _column(shown, "detail", ""), strict=True
            )
        ],
        "hovertemplate": _hover(labels.measure),
        "colorscale": bivariate.COLORSCALE
        if classed
        else theme.DIVERGING
        if diverging
        else theme.SEQUENTIAL,
        "zmin": zmin,
        "zmax": zmax,
        "showscale": not classed,
        "colorbar": _colorbar(title, "%" if kind == "rate" else "", beside_key=beside_key),
        "marker": {
            "line": {"color": BORDER, "width": 0.8},
            "opacity": [FADED_OPACITY if f else AREA_OPACITY for f in faded]
            if any(faded)
            else AREA_OPACITY,
        },
    }
    grey = {
        "locations": list(hidden["region_id"]),
        "z": [0] * len(hidden),
        "customdata": [
            [plain(name), plain(_note(note)) or "—", n_is(n, k), _detail(detail)]
            for name, note, n, detail in zip(
                hidden["name"],
                _column(hidden, "note", ""),
                hidden["n"],
                _column(hidden, "detail", ""),
                strict=True,
            )
        ],
        "hovertemplate": _hover(labels.suppressed),
        "name": labels.suppressed,
    }
    return [values, grey]


def _covered(z: pd.Series, cover: pd.Series | None, measure: str) -> pd.Series:
    """The areas' values on the colour axis and, if given, `cover`'s too."""
    if cover is None or not len(cover):
        return z
    extra = pd.Series(cover, dtype=float)
    extra = 100 * extra if MEASURE_KIND[measure] == "rate" else extra
    return pd.concat([z, extra], ignore_index=True)


def _colorbar(title: str, suffix: str, *, beside_key: bool = False) -> dict[str, object]:
    """The colour bar right of the map; `beside_key`: shorter, at the top, the stations' key
    below it (otherwise centred, as Plotly's defaults place it)."""
    bar: dict[str, object] = {
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
    if beside_key:  # (a Patch replaces the whole bar, so without these it is centred again)
        bar.update({"len": COLORBAR_BESIDE_KEY, "y": 1.0, "yanchor": "top", "ypad": 4})
    return bar


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
    stations: pd.DataFrame | None = None,
    outline: Outline = ((), ()),
    station_labels: StationLabels = StationLabels(),
    max_diameter: float = STATION_DIAMETER["city"],
    names: Names | None = None,
) -> go.Figure:
    """The areas of `geojson` (features keyed by properties.region_id) coloured by `measure`.

    Areas with a value are coloured on a colour-blind safe scale (PuOr around 0 for gaps,
    ColorBrewer Blues otherwise) with a colour bar; areas without one are grey, with the reason
    and n on hover.
    `revision` keeps the reader's pan and zoom across recolouring (give the geometry's key).
    `stations` (see `station_parts`; None or empty: none) are drawn over the areas, with
    `outline` (the selected station's catchment, as `outline_path` gives it) beneath them.
    `names` (see `Names`) are drawn on the map, in the annotations.
    """
    parts, layout = map_parts(
        frame,
        measure=measure,
        labels=labels,
        k=k,
        stations=stations,
        outline=outline,
        station_labels=station_labels,
        max_diameter=max_diameter,
        names=names,
        bbox=geojson.get("bbox"),
    )
    values, grey, outline_line, circles, hits = parts
    common = {
        "geojson": geojson,
        "featureidkey": "properties.region_id",
        "hoverlabel": {"font": {"family": theme.FONT, "size": 15}},
    }
    fig = go.Figure(
        [
            go.Choroplethmap(**common, **values, showlegend=False),
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
            go.Scattermap(
                **outline_line,
                mode="lines",
                line={"color": CATCHMENT_LINE, "width": 3},
                hoverinfo="skip",
                showlegend=False,
            ),
            go.Scattermap(**circles, mode="markers", hoverinfo="skip", showlegend=False),
            go.Scattermap(
                **hits,
                mode="markers",
                hoverlabel={
                    "font": {"family": theme.FONT, "size": 15, "color": theme.INK},
                    "bgcolor": "white",
                    "bordercolor": theme.INK,
                },
                showlegend=False,
            ),
        ]
    )
    center, zoom = map_view(geojson.get("bbox") or WORLD, height=height)
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
        **layout,
    )
    return fig


# -- stations over the areas ----------------------------------------------------------------------

#: A line as Plotly draws it: longitudes and latitudes, with None between separate rings.
Outline = tuple[Sequence[float | None], Sequence[float | None]]


def map_parts(
    frame: pd.DataFrame,
    *,
    measure: str,
    labels: MapLabels,
    k: int,
    stations: pd.DataFrame | None = None,
    outline: Outline = ((), ()),
    station_labels: StationLabels = StationLabels(),
    max_diameter: float = STATION_DIAMETER["city"],
    names: Names | None = None,
    bbox: Sequence[float] | None = None,
) -> tuple[list[dict[str, object]], dict[str, object]]:
    """Everything of a map that does not depend on its polygons: one dict per trace (TRACES
    order) and the layout's keys and names (`shapes`, `annotations`, `meta`).

    Apply them with a `dash.Patch` to a figure `choropleth_map` built, as `choropleth_parts`.
    With stations, the colour range covers the areas' values and the stations' alike. The
    bivariate measure draws its legend square where the colour bar would be. `names` are placed
    for the initial view of `bbox` (the browser moves them with the map).
    """
    drawn = stations is not None and len(stations) > 0
    cover = stations["value"] if drawn else None  # type: ignore[index]
    values, grey = choropleth_parts(
        frame, measure=measure, labels=labels, k=k, cover=cover, beside_key=drawn
    )
    zrange = (float(values["zmin"]), float(values["zmax"]))  # type: ignore[arg-type]
    classed = MEASURE_KIND[measure] == "class"
    line, circles, hits = station_parts(
        stations if drawn else None,
        measure=measure,
        labels=labels,
        station_labels=station_labels,
        k=k,
        zrange=zrange,
        colorscale=values["colorscale"],  # type: ignore[arg-type]
        max_diameter=max_diameter,
        outline=outline,
        # no area has a value to draw the colour bar with: the stations' targets draw it
        colorbar=None if values["locations"] or classed else values["colorbar"],  # type: ignore[arg-type]
    )
    key = station_key(
        stations if drawn else None,
        labels=station_labels,
        max_diameter=max_diameter,
        outlined=bool(len(outline[0])),
    )
    shapes, annotations = list(key["shapes"]), list(key["annotations"])  # type: ignore[call-overload]
    if classed:
        square = bivariate.legend(MAP_DOMAIN_X[1] + 0.01, labels.square)
        shapes += square["shapes"]
        annotations += square["annotations"]
    layout: dict[str, object] = {"shapes": shapes, "annotations": annotations}
    if names is not None:
        layout["annotations"] = annotations + names.annotations(bbox or WORLD)
        layout["meta"] = names.meta(bbox or WORLD)
    return [values, grey, line, circles, hits], layout


#: The whole world, for a map without a bounding box.
WORLD = (-180.0, -85.0, 180.0, 85.0)


@dataclass(frozen=True)
class Names:
    """The place names a map draws (`shown`: the switch is on) and what the geometry is."""

    places: tuple[Place, ...]
    geometry: str
    level: str = "district"
    shown: bool = True

    def annotations(self, bbox: Sequence[float]) -> list[dict[str, object]]:
        """The names placed for the initial view of `bbox` at the nominal map size."""
        if not self.shown:
            return []
        center, zoom = map_view(bbox)
        return label_annotations(
            self.places,
            center=center,
            zoom=zoom,
            width=MAP_WIDTH_HINT,
            height=MAP_HEIGHT,
            domain_x=MAP_DOMAIN_X,
            level=self.level,
        )

    def meta(self, bbox: Sequence[float]) -> dict[str, object]:
        return meta_of(self.places, bbox, self.geometry, self.shown)


def marker_diameters(deliveries: pd.Series, max_diameter: float) -> pd.Series:
    """Circle diameters (px) with area ∝ deliveries: the most deliveries get `max_diameter`;
    none smaller than MIN_DIAMETER (also a station with none, or none known)."""
    counts = pd.to_numeric(pd.Series(deliveries), errors="coerce").astype(float)
    top = counts.max()
    if not (pd.notna(top) and top > 0):
        return pd.Series(MIN_DIAMETER, index=counts.index)
    diameters = max_diameter * (counts.clip(lower=0) / top) ** 0.5
    return diameters.fillna(0.0).clip(lower=MIN_DIAMETER).round(2)


def _colours(z: pd.Series, zrange: tuple[float, float], colorscale: list) -> list[str]:
    """The colour of each value on `colorscale` over `zrange` (clipped to its ends)."""
    if colorscale == bivariate.COLORSCALE:  # classes: each its own colour, no blending
        top = len(bivariate.COLOURS) - 1
        return [bivariate.COLOURS[min(max(round(float(v)), 0), top)] for v in z]
    lo, hi = zrange
    span = (hi - lo) or 1.0
    where = [min(max((float(v) - lo) / span, 0.0), 1.0) for v in z]
    return list(plotly.colors.sample_colorscale(colorscale, where)) if where else []


def station_parts(
    stations: pd.DataFrame | None,
    *,
    measure: str,
    labels: MapLabels,
    station_labels: StationLabels,
    k: int,
    zrange: tuple[float, float],
    colorscale: list,
    max_diameter: float,
    outline: Outline = ((), ()),
    colorbar: dict[str, object] | None = None,
) -> list[dict[str, object]]:
    """The station traces' properties: [catchment outline, circles, hit targets].

    `stations` has one row per station: station_id, name, lon, lat, placed (drawn at its
    region's centre), deliveries (all services: the circle's area), item_deliveries (of the item
    shown), value (the measure for its catchment, as in `choropleth_parts`; NaN when not shown),
    n (respondents, as the gate publishes them), note (why the value is not shown) and selected.

    Each station is drawn as circles on one trace, largest first so that small ones stay on top:
    a dark edge (a grey one when hollow), the fill on the areas' colour scale (white when the
    figure is not shown), a dot when it is placed at its region's centre; the selected station
    gets a white gap and a dark ring around it, and is drawn last. The hit targets, one
    invisible circle per station, carry the hover text and the station id (customdata[0]);
    given a `colorbar`, they also draw the colour scale (for a map where no area has a value).
    """
    line = {"lon": list(outline[0]), "lat": list(outline[1])}
    if stations is None or not len(stations):
        empty = {"lon": [], "lat": [], "marker": {"size": [], "color": []}}
        return [line, empty, {**empty, "customdata": [], "hovertemplate": None}]
    frame = stations.copy()
    frame["diameter"] = marker_diameters(frame["deliveries"], max_diameter)
    frame["shown"] = frame["value"].notna()
    z = _z(frame.assign(value=frame["value"].fillna(0.0)), measure)
    frame["fill"] = _colours(z, zrange, colorscale)
    frame.loc[~frame["shown"], "fill"] = HOLLOW_FILL
    frame["selected"] = frame["selected"].fillna(False).astype(bool)
    frame["placed"] = frame["placed"].fillna(False).astype(bool)
    frame = frame.sort_values(["selected", "diameter"], ascending=[True, False], kind="stable")
    lon: list[float] = []
    lat: list[float] = []
    size: list[float] = []
    colour: list[str] = []

    def circle(row: object, diameter: float, fill: str) -> None:
        lon.append(float(row.lon))  # type: ignore[attr-defined]
        lat.append(float(row.lat))  # type: ignore[attr-defined]
        size.append(round(diameter, 2))
        colour.append(fill)

    for row in frame.itertuples():
        d = float(row.diameter)
        edge = 2 * (OUTLINE_PX if row.shown else HOLLOW_PX)
        if row.selected:
            circle(row, d + edge + 2 * (2 + HALO_PX), theme.INK)
            circle(row, d + edge + 4, "#FFFFFF")
        circle(row, d + edge, theme.INK if row.shown else SUPPRESSED_BORDER)
        circle(row, d, str(row.fill))
        if row.placed:
            circle(row, min(DOT_DIAMETER, d / 2), theme.INK)
    circles = {"lon": lon, "lat": lat, "marker": {"size": size, "color": colour, "opacity": 1}}
    hits = {
        "lon": [float(v) for v in frame["lon"]],
        "lat": [float(v) for v in frame["lat"]],
        "marker": {
            "size": [
                round(d + 2 * HOLLOW_PX + (2 * (2 + HALO_PX) if s else 0), 2)
                for d, s in zip(frame["diameter"], frame["selected"], strict=True)
            ],
            "color": "rgba(0,0,0,0)",
            "opacity": 0,
            **(_scale(frame, measure, zrange, colorscale, colorbar) if colorbar else {}),
        },
        "customdata": [
            [
                str(r.station_id),
                plain(r.name),
                f"<br>{plain(station_labels.placed)}" if r.placed else "",
                format_value(r.value, measure, labels)
                if r.shown
                else plain(_note(r.note) or labels.suppressed),
                n_is(r.n, k),
                count(r.deliveries),
                count(r.item_deliveries),
            ]
            for r in frame.itertuples()
        ],
        "hovertemplate": (
            "<b>%{customdata[1]}</b>%{customdata[2]}<br>"
            f"{plain_in_template(labels.measure)}: %{{customdata[3]}}<br>%{{customdata[4]}}<br>"
            f"{plain_in_template(station_labels.deliveries)}: %{{customdata[5]}}<br>"
            f"{plain_in_template(station_labels.item_deliveries)}: %{{customdata[6]}}"
            "<extra></extra>"
        ),
    }
    return [line, circles, hits]


def _scale(
    frame: pd.DataFrame,
    measure: str,
    zrange: tuple[float, float],
    colorscale: list,
    colorbar: dict[str, object],
) -> dict[str, object]:
    """Marker properties that make an invisible trace draw the areas' colour bar."""
    z = _z(frame, measure)
    return {  # (the targets are invisible: a hidden figure's colour is never seen)
        "color": [zrange[0] if pd.isna(v) else round(float(v), 3) for v in z],
        "colorscale": colorscale,
        "cmin": zrange[0],
        "cmax": zrange[1],
        "showscale": True,
        "colorbar": colorbar,
    }


def outline_path(geojson: dict) -> Outline:
    """The rings of a GeoJSON collection's (multi)polygons as one line: lon and lat lists with
    None between rings."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = {
            "Polygon": [geometry.get("coordinates", [])],
            "MultiPolygon": geometry.get("coordinates", []),
        }.get(geometry.get("type"), [])
        for polygon in polygons:
            for ring in polygon:
                if lon:
                    lon.append(None)
                    lat.append(None)
                lon += [round(float(p[0]), 5) for p in ring]
                lat += [round(float(p[1]), 5) for p in ring]
    return lon, lat


def _nice_below(value: float) -> float:
    """The largest 1, 2 or 5 × 10^k at or below `value`."""
    exponent = math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * 10**exponent <= value * (1 + 1e-9):
            return step * 10**exponent
    return 10 ** (exponent - 1) * 5  # pragma: no cover - 1 × 10^k always fits


def key_values(top: float, max_diameter: float) -> list[tuple[float, float]]:
    """(deliveries, diameter) of the size key's circles: round numbers up to `top`, each about a
    quarter of the one before, as large as MIN_DIAMETER at least (smaller would not be drawn so)."""
    if not (pd.notna(top) and top > 0):
        return []
    out: list[tuple[float, float]] = []
    value = _nice_below(float(top))
    while value >= 1 and len(out) < 3:
        diameter = max_diameter * (value / top) ** 0.5
        if diameter < MIN_DIAMETER * 1.5:
            break
        out.append((value, round(diameter, 2)))
        value = _nice_below(value / 4)
    return out


#: The station key stands in the column right of the map, below a shortened colour bar: its top
#: in paper coordinates, its width (px: the column is about this wide on the narrowest layout
#: the map is drawn beside its side panel), font size and the gap between its rows (px).
COLORBAR_BESIDE_KEY = 0.46
KEY_TOP = 1.0 - COLORBAR_BESIDE_KEY - 0.04
KEY_WIDTH = 104.0
KEY_FONT = 11
KEY_GAP = 5.0
KEY_SAMPLE = 11.0
#: Characters a line of the key does not begin with (Chinese punctuation that closes).
_NO_LINE_START = set("：，。、）；！？")


def _text_px(text: str) -> float:
    """About how wide a line of text is at KEY_FONT (px)."""
    return display_width(text) * KEY_FONT * 0.52


def key_lines(text: str, width: float) -> list[str]:
    """`text` broken into lines of at most about `width` px at KEY_FONT: between words, and
    between Chinese characters (never before closing punctuation)."""
    tokens = re.findall(r"\S+\s*|\s+", text)
    pieces: list[str] = []
    for token in tokens:
        if any(display_width(c) == 2 for c in token):
            pieces += list(token)  # Chinese breaks between any two characters
        else:
            pieces.append(token)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        fits = _text_px((line + piece).rstrip()) <= width
        if line and not fits and piece.strip() and piece[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def station_key(
    stations: pd.DataFrame | None,
    *,
    labels: StationLabels,
    max_diameter: float,
    outlined: bool = False,
) -> dict[str, object]:
    """The stations' key, drawn in pixels in the column right of the map: what a circle's area
    means (round delivery counts at their true size), and, when the map has them, a hollow
    circle, a dot, and the selected station with its outline. `{"shapes": [], "annotations":
    []}` when there are no stations."""
    if stations is None or not len(stations):
        return {"shapes": [], "annotations": []}
    line_px = KEY_FONT + 3
    anchor = {"xref": "paper", "yref": "paper", "xsizemode": "pixel", "ysizemode": "pixel"}
    anchor.update({"xanchor": MAP_DOMAIN_X[1] + 0.01, "yanchor": KEY_TOP, "layer": "above"})
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    y = 0.0  # px below the key's top, where the next row begins

    def text(x: float, mid: float, lines: list[str], bold: bool = False) -> None:
        body = "<br>".join(plain(line) for line in lines)
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": MAP_DOMAIN_X[1] + 0.01,
                "y": KEY_TOP,
                "xshift": round(x, 1),
                "yshift": round(-mid, 1),
                "xanchor": "left",
                "yanchor": "middle",
                "align": "left",
                "showarrow": False,
                "text": f"<b>{body}</b>" if bold else body,
                "font": {"size": KEY_FONT, "color": theme.INK},
            }
        )

    def disc(x: float, mid: float, d: float, fill: str, edge: str, edge_px: float) -> None:
        shapes.append(
            {
                **anchor,
                "type": "circle",
                "x0": round(x, 1),
                "x1": round(x + d, 1),
                "y0": round(-mid - d / 2, 1),
                "y1": round(-mid + d / 2, 1),
                "fillcolor": fill,
                "line": {"color": edge, "width": edge_px},
            }
        )

    def row(height: float) -> float:
        nonlocal y
        mid = y + height / 2
        y += height + KEY_GAP
        return mid

    def sample_row(label: str) -> tuple[float, list[str]]:
        lines = key_lines(label, KEY_WIDTH - KEY_SAMPLE - 5)
        return row(max(KEY_SAMPLE + 3, line_px * len(lines))), lines

    title = key_lines(labels.key_title, KEY_WIDTH)
    text(0, row(line_px * len(title)), title, bold=True)
    size = key_lines(labels.key_size, KEY_WIDTH)
    text(0, row(line_px * len(size)), size)
    sizes = key_values(pd.to_numeric(stations["deliveries"], errors="coerce").max(), max_diameter)
    widest = max((d for _, d in sizes), default=0.0) + 2 * OUTLINE_PX
    for value, diameter in sizes:
        mid = row(max(diameter + 2 * OUTLINE_PX, line_px))
        disc((widest - diameter) / 2, mid, diameter, theme.NEUTRAL, theme.INK, OUTLINE_PX)
        text(widest + 5, mid, [count(value)])
    if stations["value"].isna().any():
        mid, lines = sample_row(labels.key_hollow)
        disc(0, mid, KEY_SAMPLE, HOLLOW_FILL, SUPPRESSED_BORDER, HOLLOW_PX)
        text(KEY_SAMPLE + 5, mid, lines)
    if stations["placed"].fillna(False).astype(bool).any():
        mid, lines = sample_row(labels.key_placed)
        disc(0, mid, KEY_SAMPLE, theme.NEUTRAL, theme.INK, OUTLINE_PX)
        dot = DOT_DIAMETER
        disc(KEY_SAMPLE / 2 - dot / 2, mid, dot, theme.INK, theme.INK, 0)
        text(KEY_SAMPLE + 5, mid, lines)
    if outlined or stations["selected"].fillna(False).astype(bool).any():
        mid, lines = sample_row(labels.key_selected)
        disc(0, mid, KEY_SAMPLE, theme.NEUTRAL, theme.INK, 2.5)
        text(KEY_SAMPLE + 5, mid, lines)
    return {"shapes": shapes, "annotations": annotations}
