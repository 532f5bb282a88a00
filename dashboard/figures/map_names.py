"""Place names drawn on the map itself, offline, so a room can find the places a finding names.

A `scattermap` text trace would need Maplibre's glyphs, which the blank "white-bg" style loads
from fonts.openmaptiles.org: not allowed (the dashboard makes no outside request). So names are
layout annotations in paper coordinates, drawn by Plotly's SVG text with the page's own fonts.
Paper coordinates do not follow a pan or zoom, so each annotation is placed here for the map's
initial centre and zoom at a nominal size, and `assets/map.js` moves them to where the browser's
map projects each anchor (after a fit to the card's real size, a pan or a zoom): the anchors
travel in the figure's `layout.meta` (`meta_of`), in the annotations' order.

The map and the colour column share the figure's width: the map is MAP_DOMAIN_X of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.figures import theme
from dashboard.figures.text import plain

#: The `name` every label annotation carries: the browser's script finds them by it.
LABEL_NAME = "cg-place"
#: Maplibre's world width in pixels at zoom 0.
TILE = 512
#: A white halo around dark text (CSS text-shadow, which Plotly's SVG text takes as `shadow`):
#: readable over any fill of the colour scales.
HALO = ", ".join(
    f"{x}px {y}px 1px #FFFFFF" for x, y in ((1, 1), (-1, -1), (1, -1), (-1, 1), (0, 1.5), (0, -1.5))
)
FONT_SIZE = {"district": 13, "grid": 11}


@dataclass(frozen=True)
class Place:
    """A name to draw at (lon, lat): the area's label point (inside its largest polygon)."""

    region_id: str
    lon: float
    lat: float
    text: str


def mercator_y(lat: float) -> float:
    """Web Mercator's y (radians) of a latitude, clipped as Maplibre clips it."""
    clipped = max(min(lat, 85.051129), -85.051129)
    return math.log(math.tan(math.pi / 4 + math.radians(clipped) / 2))


def project(
    lon: float,
    lat: float,
    center: dict[str, float],
    zoom: float,
    width: float,
    height: float,
) -> tuple[float, float]:
    """Pixel (x right, y down) of (lon, lat) on a width × height map at `center` and `zoom`."""
    world = TILE * 2**zoom
    dx = (lon - center["lon"]) / 360 * world
    dy = (mercator_y(center["lat"]) - mercator_y(lat)) / (2 * math.pi) * world
    return width / 2 + dx, height / 2 + dy


#: A name longer than this (display width) breaks at its middle space onto two lines.
WRAP_AT = 12


def two_lines(text: str) -> str:
    """`text` escaped, broken at the space nearest its middle when it is long (a compact label
    collides less), else whole."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if len(text) <= WRAP_AT or not spaces:
        return plain(text)
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{plain(text[:cut])}<br>{plain(text[cut + 1 :])}"


def label_annotations(
    places: Sequence[Place],
    *,
    center: dict[str, float],
    zoom: float,
    width: float,
    height: float,
    domain_x: tuple[float, float],
    level: str = "district",
) -> list[dict[str, object]]:
    """One annotation per place, at its anchor on a `width` × `height` px map (the map's part
    of the figure: `domain_x` of its width), hidden when the anchor falls outside the map."""
    out: list[dict[str, object]] = []
    span = domain_x[1] - domain_x[0]
    for place in places:
        px, py = project(place.lon, place.lat, center, zoom, width, height)
        inside = 0 <= px <= width and 0 <= py <= height
        out.append(
            {
                "name": LABEL_NAME,
                "xref": "paper",
                "yref": "paper",
                "x": round(domain_x[0] + span * px / width, 4),
                "y": round(1 - py / height, 4),
                "xanchor": "center",
                "yanchor": "middle",
                "showarrow": False,
                "text": two_lines(place.text),
                "visible": inside,
                "captureevents": False,
                "font": {
                    "size": FONT_SIZE.get(level, FONT_SIZE["grid"]),
                    "color": theme.INK,
                    "weight": 600,
                    "shadow": HALO,
                },
            }
        )
    return out


def meta_of(
    places: Sequence[Place], bbox: Sequence[float], geometry: str, shown: bool
) -> dict[str, object]:
    """What the browser's script needs to fit the map to its card and move the names: the
    bounding box, the geometry's key (a new one is fitted afresh), and each label's anchor."""
    return {
        "cg_map": {
            "bbox": [round(float(v), 5) for v in bbox],
            "geometry": geometry,
            "labels": [[round(p.lon, 5), round(p.lat, 5)] for p in places] if shown else [],
        }
    }


def relabel(fig: object, width: float, height: float) -> None:
    """Place a map figure's names again for its current centre and zoom on a `width` × `height`
    px map (a picture of another size: dashboard.export refits centre and zoom, then calls this
    with the map's inner size)."""
    layout = fig.layout  # type: ignore[attr-defined]
    meta = layout.meta if isinstance(layout.meta, dict) else {}
    anchors = (meta.get("cg_map") or {}).get("labels") or []
    center = {"lon": layout.map.center.lon, "lat": layout.map.center.lat}
    domain = tuple(layout.map.domain.x or (0, 1))
    notes = [a for a in layout.annotations or () if a.name == LABEL_NAME]
    for note, (lon, lat) in zip(notes, anchors, strict=False):
        px, py = project(lon, lat, center, layout.map.zoom, width, height)
        note.x = round(domain[0] + (domain[1] - domain[0]) * px / width, 4)
        note.y = round(1 - py / height, 4)
        note.visible = 0 <= px <= width and 0 <= py <= height
