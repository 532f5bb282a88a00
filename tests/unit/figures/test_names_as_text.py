"""Names from the data are drawn as text in every figure, never as Plotly's HTML subset.

Each builder is given hostile names (a link, a styled span, an entity, a line break, a 200-character
name, a hovertemplate placeholder) and the same figure with plain names: the hostile figure's JSON
holds exactly the builders' own tags, no tag (and no entity) from the data.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures.choropleth import (
    MapLabels,
    StationLabels,
    choropleth_map,
    choropleth_parts,
)
from dashboard.figures.correlation import correlation_bars
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.heatmap import gap_heatmap
from dashboard.figures.mix import mix_bars
from dashboard.figures.quality import DOMAINS, domain_profile, level_bars
from dashboard.figures.text import plain, plain_in_template
from dashboard.figures.trend import monthly_bars
from dashboard.figures.unmet import CELL_COLOURS, unmet_bars

HOSTILE = [
    '<a href="https://evil.example/">x</a>',
    '<span style="font-size:99px;color:red">y</span>',
    "&lt;b&gt;z",
    "a<br>b",
    "L" * 199 + "<",
    "<b>bold</b><i>it</i><sub>s</sub>",
    "%{customdata[0]}",
]
CODES = [f"c{i}" for i in range(len(HOSTILE))]
TAG = re.compile(r"<\s*/?\s*([a-zA-Z]+)")
LABELS = {
    "need": "Need",
    "received": "Received",
    "gap": "Gap",
    "suppressed": "suppressed",
    "pp": "pp",
    "need_mix": "Need mix",
    "delivery_mix": "Delivery mix",
    "deliveries": "deliveries",
    "unreliable": "unreliable",
    "ci": "95% CI",
    "ci_not_estimable": "not estimable",
    "mean_score": "Mean",
    "share": "Share",
    "axis": "r",
    "all": "All services",
    "month_total": "All this month",
    "no_deliveries": "No deliveries",
    "partial_month": "Part of the month",
}


def _names(hostile: bool) -> dict[str, str]:
    return dict(zip(CODES, HOSTILE if hostile else [f"N{i}" for i in CODES], strict=True))


def _rates() -> pd.DataFrame:
    k = len(CODES)
    return pd.DataFrame(
        {
            "item_code": CODES,
            "category": CODES,
            "group_value": CODES,
            "demand_rate": [0.1 + 0.05 * i for i in range(k)],
            "received_rate": [0.05] * (k - 1) + [math.nan],
            "gap_pp": [5.0 + 5 * i for i in range(k - 1)] + [math.nan],
            "respondents_n": [100] * (k - 1) + [4],
            "suppressed": [False] * (k - 1) + [True],
            "demand_share": [1 / k] * k,
            "provision_share": [1 / k] * k,
            "provision_count": [10] * k,
        }
    )


def _dumbbell(names: dict[str, str], compact: bool = False) -> go.Figure:
    return dumbbell(
        _rates(), service_names=names, category_names=names, labels=LABELS, compact=compact, k=10
    )


def _heatmap(names: dict[str, str]) -> go.Figure:
    return gap_heatmap(_rates(), group_names=names, service_names=names, labels=LABELS, k=10)


def _mix(names: dict[str, str]) -> go.Figure:
    return mix_bars(_rates(), service_names=names, labels=LABELS)


def _unmet(names: dict[str, str]) -> go.Figure:
    rows = [
        {
            "service_code": c,
            "cell": cell,
            "share": 0.25,
            "n": 30,
            "base_n": 120,
            "suppressed": i == 0,
        }
        for i, c in enumerate(CODES)
        for cell in CELL_COLOURS
    ]
    cells = {cell: cell for cell in CELL_COLOURS}
    return unmet_bars(
        pd.DataFrame(rows), service_names=names, cell_names=cells, suppressed_label="hidden", k=10
    )


def _map(names: dict[str, str]) -> go.Figure:
    geojson = {
        "type": "FeatureCollection",
        "bbox": [112.0, 35.0, 113.0, 36.0],
        "features": [
            {
                "type": "Feature",
                "properties": {"region_id": c},
                "geometry": {"type": "Point", "coordinates": [112.5, 35.5]},
            }
            for c in CODES
        ],
    }
    frame = pd.DataFrame(
        {
            "region_id": CODES,
            "name": [names[c] for c in CODES],
            "value": [1.0] * (len(CODES) - 1) + [math.nan],
            "n": [50] * len(CODES),
            "note": [""] * (len(CODES) - 1) + ["fewer than 10"],
        }
    )
    return choropleth_map(frame, geojson, measure="gap_pp", labels=MapLabels(measure="Gap"), k=10)


def _stations_map(names: dict[str, str]) -> go.Figure:
    """The map with stations named by `names` (one placed at its region's centre, one hidden),
    and an item named by the first name in the hover."""
    stations = pd.DataFrame(
        {
            "station_id": CODES,
            "name": [names[c] for c in CODES],
            "lon": [112.5 + i / 100 for i in range(len(CODES))],
            "lat": [35.5] * len(CODES),
            "placed": [True] + [False] * (len(CODES) - 1),
            "deliveries": [100.0 * (i + 1) for i in range(len(CODES))],
            "item_deliveries": [10.0] * len(CODES),
            "value": [1.0] * (len(CODES) - 1) + [math.nan],
            "n": [50] * len(CODES),
            "note": [""] * (len(CODES) - 1) + ["not shown — fewer than 10"],
            "selected": [False] * (len(CODES) - 1) + [True],
        }
    )
    geojson = {
        "type": "FeatureCollection",
        "bbox": [112.0, 35.0, 113.0, 36.0],
        "features": [
            {
                "type": "Feature",
                "properties": {"region_id": "A"},
                "geometry": {"type": "Point", "coordinates": [112.5, 35.5]},
            }
        ],
    }
    return choropleth_map(
        pd.DataFrame({"region_id": ["A"], "name": ["A"], "value": [1.0], "n": [50], "note": [""]}),
        geojson,
        measure="gap_pp",
        labels=MapLabels(measure="Gap"),
        k=10,
        stations=stations,
        station_labels=StationLabels(item_deliveries=f"Deliveries of {names[CODES[0]]}"),
    )


def _profile(names: dict[str, str]) -> go.Figure:
    frame = pd.DataFrame(
        {
            "group_value": CODES,
            "respondents_n": [80] * len(CODES),
            "suppressed": [False] * (len(CODES) - 1) + [True],
            **{d: [50.0] * len(CODES) for d in DOMAINS},
        }
    )
    return domain_profile(frame, domain_names=names, group_names=names, labels=LABELS, k=10)


def _levels(names: dict[str, str]) -> go.Figure:
    frame = pd.DataFrame(
        {
            "level": CODES,
            "respondents_n": [80] * len(CODES),
            "share": [1 / len(CODES)] * len(CODES),
            "suppressed": [False] * (len(CODES) - 1) + [True],
        }
    )
    return level_bars(frame, level_names=names, labels=LABELS, k=10)


def _correlation(names: dict[str, str]) -> go.Figure:
    frame = pd.DataFrame(
        {
            "item_code": ["all_services", *CODES],
            "r": [0.1] * len(CODES) + [math.nan],
            "suppressed": [False] * len(CODES) + [True],
        }
    )
    return correlation_bars(frame, frame, service_names=names, labels=LABELS)


def _trend(names: dict[str, str]) -> go.Figure:
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2009-01-01", "2009-02-01"] * len(CODES)),
            "item_code": [c for c in CODES for _ in range(2)],
            "category": [c for c in CODES for _ in range(2)],
            "provision_count": [3, 4] * len(CODES),
        }
    )
    return monthly_bars(frame, item_names=names, labels=LABELS, partial=["2009-01-01"])


BUILDERS: dict[str, Callable[[dict[str, str]], go.Figure]] = {
    "dumbbell": _dumbbell,
    "dumbbell_compact": lambda names: _dumbbell(names, compact=True),
    "heatmap": _heatmap,
    "mix": _mix,
    "unmet": _unmet,
    "choropleth": _map,
    "choropleth_stations": _stations_map,
    "domain_profile": _profile,
    "level_bars": _levels,
    "correlation": _correlation,
    "trend": _trend,
}


def _strings(value: object) -> list[str]:
    """Every string in a figure's JSON (keys left out: they are Plotly's own)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _tags(fig: go.Figure) -> list[str]:
    """The figure's tags but line breaks: a builder wraps a long name in more lines than a
    short one (a name's own "<br>" is escaped, and caught below as raw markup)."""
    texts = _strings(json.loads(fig.to_json()))
    tags = (tag.lower() for text in texts for tag in TAG.findall(text))
    return sorted(tag for tag in tags if tag != "br")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_hostile_names_add_no_tag_to_the_figure(name: str) -> None:
    build = BUILDERS[name]
    hostile, plain_fig = build(_names(True)), build(_names(False))
    assert _tags(hostile) == _tags(plain_fig)  # only the builder's own <br>, <b>, <extra>, <i>
    text = hostile.to_json()
    unwrapped = text.replace("<br>", "").replace("\\u003cbr\\u003e", "")
    assert "evil.example" in unwrapped  # the names are there, as text (maybe in lines)
    for raw in HOSTILE:
        if "<" in raw or "&" in raw:
            assert json.dumps(raw)[1:-1] not in text
    assert "&amp;lt;b&amp;gt;z" in text  # an entity in a name is drawn as written


def test_plain_escapes_markup_and_keeps_everything_else() -> None:
    assert plain('<a href="x">y</a> & 长治') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; 长治'
    assert plain("Luchengqu") == "Luchengqu"
    assert plain(140427) == "140427"
    assert plain_in_template("%{x}<b>") == "&#37;{x}&lt;b&gt;"


def test_the_map_recolouring_patch_carries_escaped_names_too() -> None:
    frame = pd.DataFrame(
        {"region_id": ["A"], "name": [HOSTILE[0]], "value": [1.0], "n": [50], "note": [""]}
    )
    values, _ = choropleth_parts(frame, measure="gap_pp", labels=MapLabels(measure="Gap"), k=10)
    assert values["customdata"][0][0] == plain(HOSTILE[0])
