"""Map (/map): one measure for one service or category, by district; a district's grids once it is
drilled into; beside it, the selected area's need beside receipt for every service.

The map is drawn from the dataset's own simplified polygons (no tile server). A result says which
geometry it needs (`geometry`: the city's districts, or one district's grids) and whether the
dataset has shapes for it at all; when the caller already holds that geometry, only the parts that
depend on the figures (`restyle`, `relayout`) are computed, so a filter change does not resend
polygons.

With the station layer on (`stations_layer`), every station of the area shown is drawn over it:
a circle whose area is its deliveries in the period, filled with the map's measure for its
catchment (through the same gate as the areas); a selected station (`station`) is ringed and its
catchment outlined, also with the layer off. A click on a station opens /stations for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
import shapely.ops

from dashboard import data, disclosure
from dashboard.cache import per_dataset
from dashboard.figures import bivariate
from dashboard.figures.choropleth import (
    BIVARIATE,
    STATION_DIAMETER,
    STATION_HITS_TRACE,
    MapLabels,
    Names,
    Outline,
    StationLabels,
    choropleth_map,
    format_value,
    map_parts,
    outline_path,
)
from dashboard.figures.dumbbell import dumbbell
from dashboard.figures.map_names import Place
from dashboard.figures.theme import empty_figure
from dashboard.i18n import figure_labels, t
from dashboard.i18n.numbers import count_or_withheld, number, pct
from dashboard.views import areas, counts, stations, words
from dashboard.views.state import ViewState

PATH = "/map"
CITY = "city"


# -- state ----------------------------------------------------------------------------------------


def drilled(con: duckdb.DuckDBPyConnection, state: ViewState) -> str | None:
    """The district the map shows the grids of: `state.district` if it is a district, else None."""
    return state.district if areas.is_district(con, state.district) else None


def opening_district(con: duckdb.DuckDBPyConnection, state: ViewState) -> str | None:
    """The district a page opens drilled into: the URL's, else the area filter's own district."""
    if state.district is not None:
        return drilled(con, state)
    return district_of(con, state.region)


def district_of(con: duckdb.DuckDBPyConnection, region: str | None) -> str | None:
    """The district to drill into when the area filter picks `region` (None: the city)."""
    return areas.district_of(con, region)


def clicked_district(con: duckdb.DuckDBPyConnection, location: object) -> str | None:
    """The district a click on the map landed on (None for a grid or anything else)."""
    return location if areas.is_district(con, location) else None  # type: ignore[return-value]


def item_of(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[str, str]:
    """(item, "service" | "category"): the chosen one, or the service with the largest city gap."""
    if state.item in data.service_names(con, "zh"):
        return state.item, "service"
    if state.item in data.categories(con):
        return state.item, "category"
    return default_item(con, state), "service"


def chosen_item(con: duckdb.DuckDBPyConnection, state: ViewState) -> str | None:
    """The item the URL names if the data has it (None: the default, the largest gap)."""
    known = state.item in data.service_names(con, "zh") or state.item in data.categories(con)
    return state.item if known else None


def default_item(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    """The service with the largest gap in the whole dataset for the slice (the first if none)."""
    return _largest_city_gap(con, state.slice())


@per_dataset(256)
def _largest_city_gap(con: duckdb.DuckDBPyConnection, slice_: data.Slice) -> str:
    # the city-wide query behind it is the slowest step of a map update
    city = data.gap_table(con, "city", slice_)
    city = with_intervals(con, city, "city", slice_)
    gaps = city.dropna(subset=["gap_pp"])
    gaps = gaps[gaps["reliability"].astype(object) != UNRELIABLE]  # never headline noise
    if city.empty:  # the caller may not be shown the city's figures: the first service
        return next(iter(data.service_names(con, "zh")))
    best = gaps.loc[gaps["gap_pp"].idxmax()] if len(gaps) else city.iloc[0]
    return str(best["item_code"])


def resolved(con: duckdb.DuckDBPyConnection, state: ViewState) -> ViewState:
    """The state with the district and item the map actually shows."""
    return state.with_(district=drilled(con, state), item=item_of(con, state)[0])


def item_options(con: duckdb.DuckDBPyConnection, lang: str) -> list[dict[str, object]]:
    """Categories, then services, each under a (disabled) heading: the item picker's options."""
    return [
        {"label": f"— {t('ui.categories', lang)} —", "value": "__categories", "disabled": True},
        *({"label": name, "value": c} for c, name in words.category_names(con, lang).items()),
        {"label": f"— {t('ui.services', lang)} —", "value": "__services", "disabled": True},
        *({"label": name, "value": c} for c, name in words.service_names(con, lang).items()),
    ]


# -- the frames behind each chart (also what its download contains) -------------------------------


#: The reliability flag (data.gap_intervals) of an estimate a map fades and never headlines.
UNRELIABLE = "unreliable"
#: The interval figures behind each measure's reliability and hover interval (data.gap_intervals'
#: F_rate_lo/hi, F_reliability): none for provision (a count of deliveries, not an estimate) or
#: the mix gap (shares of need, whose interval the data does not give).
INTERVAL_FIGURES = {
    "gap_pp": ("demand", "received"),
    "demand_rate": ("demand",),
    "received_rate": ("received",),
    "mix_gap_pp": (),
    "provision_per_1000": (),
    BIVARIATE: ("demand",),
}
#: Interval columns merged onto the areas' frame.
INTERVAL_COLUMNS = (
    *data.GAP_INTERVAL_COLUMNS,
    "demand_reliability",
    "received_reliability",
    "unmet_reliability",
)


def with_intervals(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    level: str,
    slice_: data.Slice,
    *,
    within: str | None = None,
    by: str = "service",
) -> pd.DataFrame:
    """`frame` (gap_table rows) with the 95% intervals and reliability flags of its figures
    (missing where the gate hides them), as views.overview.services_frame merges them."""
    intervals = data.gap_intervals(con, level, slice_, within=within, by=by)
    keep = ["region_id", "item_code", *(c for c in INTERVAL_COLUMNS if c in intervals)]
    out = frame.merge(intervals[keep], on=["region_id", "item_code"], how="left")
    for column in INTERVAL_COLUMNS:
        if column not in out:
            out[column] = None
    return out


def areas_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Every measure of the chosen item for the areas on the map (districts, or one's grids),
    with its intervals, reliability flags and the bivariate class (`bivariate`: need's third
    + 3 × provision's third, among the areas on this map; NaN where either is not shown)."""
    district = drilled(con, state)
    item, by = item_of(con, state)
    level, within = ("grid", district) if district else ("district", None)
    frame = data.gap_table(con, level, state.slice(), within=within, by=by)
    frame = frame[frame["item_code"] == item].reset_index(drop=True)
    frame = with_intervals(con, frame, level, state.slice(), within=within, by=by)
    frame[BIVARIATE] = bivariate.classes(
        frame["demand_rate"], frame["provision_per_1000"], bivariate_cuts(frame)
    )
    return frame


def bivariate_cuts(frame: pd.DataFrame) -> bivariate.Cuts:
    """Tertile cut points of need and provision over the areas shown (of a gated frame)."""
    return bivariate.cuts_of(frame["demand_rate"], frame["provision_per_1000"])


def shown_total(con: duckdb.DuckDBPyConnection, state: ViewState) -> float:
    """Respondents behind the map's item over all its areas, as published for the area they
    make up (the city, or the district drilled into): never a sum of the areas' counts, some of
    which the gate withholds."""
    district = drilled(con, state)
    item, by = item_of(con, state)
    level, within = ("district", district) if district else ("city", None)
    frame = data.gap_table(con, level, state.slice(), within=within, by=by)
    rows = frame.loc[frame["item_code"] == item, "respondents_n"]
    return float(rows.iloc[0]) if len(rows) else 0.0


def area_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Every service for the selected area: the district drilled into, or the whole dataset."""
    district = drilled(con, state)
    if district:
        return data.gap_table(con, "district", state.slice(), within=district)
    return data.gap_table(con, "city", state.slice())


#: The words for each reason the gate gives (dashboard.disclosure.hidden_reason).
REASON_KEYS = {
    "no_population": "ui.reason_no_population",
    "suppressed": "ui.suppressed_reason",
    "received": "ui.reason_received",
    "no_deliveries": "ui.reason_no_deliveries",
    "not_shown": "ui.not_shown",
}


def reason(row: pd.Series, measure: str, min_n: int, lang: str) -> str:
    """Why an area's figure is not shown (empty when it is shown), in words. The bivariate
    class is not shown when need or provision is not: the reason is that figure's."""
    if measure == BIVARIATE:
        if pd.notna(row[BIVARIATE]):
            return ""
        figure = "demand_rate" if pd.isna(row["demand_rate"]) else "provision_per_1000"
        return reason(row, figure, min_n, lang) or t("ui.not_shown", lang)
    code = disclosure.hidden_reason(row, measure, min_n)
    return "" if code is None else t(REASON_KEYS[code], lang, k=min_n)


def reliability_of(row: pd.Series, measure: str) -> str | None:
    """The worst reliability flag of the estimates behind `measure` in `row` (None: none)."""
    order = ("reliable", "review", UNRELIABLE)
    flags = [row.get(f"{figure}_reliability") for figure in INTERVAL_FIGURES[measure]]
    known = [f for f in flags if isinstance(f, str) and f in order]
    return max(known, key=order.index) if known else None


def interval_text(row: pd.Series, figure: str, lang: str, *, named: bool) -> str:
    """'95% CI 15.2%–18.7%' for a figure's rate ('Need: 16.9% (95% CI …)' when `named`);
    empty when the interval is not given (hidden, or not estimable)."""
    lo, hi = row.get(f"{figure}_rate_lo"), row.get(f"{figure}_rate_hi")
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return ""
    if not named:
        return t("ui.map_ci", lang, lo=pct(lo), hi=pct(hi))
    return t(
        "ui.map_ci_of",
        lang,
        figure=t(f"ui.map_figure_{figure}", lang),
        value=pct(row.get(f"{figure}_rate")),
        lo=pct(lo),
        hi=pct(hi),
    )


def detail_text(row: pd.Series, measure: str, lang: str) -> str:
    """The hover's lines below the value (newline-separated, plain): the 95% interval(s) of the
    estimates behind it and their reliability in words; for the bivariate class, need and
    provision themselves."""
    if pd.isna(row[measure]):
        return ""
    figures = INTERVAL_FIGURES[measure]
    lines = [interval_text(row, f, lang, named=len(figures) > 1) for f in figures]
    if measure == BIVARIATE:
        lines = [
            interval_text(row, "demand", lang, named=True),
            t("ui.map_provision_line", lang, value=number(row["provision_per_1000"])),
        ]
    flag = reliability_of(row, measure)
    if flag is not None:
        lines.append(t("ui.map_reliability", lang, word=t(f"ui.reliability_{flag}", lang)))
    return "\n".join(line for line in lines if line)


def class_words(lang: str) -> list[str]:
    """The thirds' names of need, then of provision (figures.bivariate.class_text)."""
    thirds = [t(f"ui.map_third_{i}", lang) for i in ("low", "mid", "high")]
    return [t("ui.map_need_third", lang, third=w) for w in thirds] + [
        t("ui.map_provision_third", lang, third=w) for w in thirds
    ]


def map_frame(frame: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """What the figure builder takes: region_id, name, value, n, note; and value_text (the
    bivariate class in words), detail (interval and reliability lines) and faded (the estimate
    is unreliable)."""
    measure, lang = state.measure, state.lang
    rows = [r for _, r in frame.iterrows()]
    words_ = class_words(lang)
    return pd.DataFrame(
        {
            "region_id": frame["region_id"],
            "name": [areas.row_name(r, lang) for r in frame.itertuples()],
            "value": frame[measure].astype(float),
            "n": frame["respondents_n"],
            "note": [reason(r, measure, state.min_n, lang) for r in rows],
            "value_text": [
                bivariate.class_text(r[BIVARIATE], words_) if measure == BIVARIATE else ""
                for r in rows
            ],
            "detail": [detail_text(r, measure, lang) for r in rows],
            "faded": [
                pd.notna(r[measure]) and reliability_of(r, measure) == UNRELIABLE for r in rows
            ],
        }
    )


def map_labels(state: ViewState) -> MapLabels:
    lang = state.lang
    return MapLabels(
        measure=t(f"ui.{state.measure}", lang),
        pp=t("ui.pp", lang),
        per_1000=t("ui.per_1000", lang),
        suppressed=t("ui.not_shown", lang),
        square=bivariate.LegendWords(
            title=t("ui.map_bivariate_title", lang),
            need=t("ui.map_more_need", lang),
            provision=t("ui.map_more_provision", lang),
        ),
    )


# -- names on the map -----------------------------------------------------------------------------


def label_point(geometry: dict) -> tuple[float, float]:
    """Where an area's name goes: the pole of inaccessibility of its largest polygon (always
    inside it, unlike the centroid of a crescent)."""
    shape = shapely.geometry.shape(geometry)
    if isinstance(shape, shapely.MultiPolygon):
        shape = max(shape.geoms, key=lambda g: g.area)
    span = max(shape.bounds[2] - shape.bounds[0], shape.bounds[3] - shape.bounds[1])
    point = shapely.ops.polylabel(shape, tolerance=max(span / 100, 1e-6))
    return float(point.x), float(point.y)


def short_name(name: str, district: str | None) -> str:
    """A grid's name without its district's when it begins with it ('壶关县第1街道…' in 壶关县:
    '第1街道…'; 'Huguan S1-C1 Grid 3' in Huguan County: 'S1-C1 Grid 3'): the map already says
    which district it is."""
    if not district:
        return name
    for prefix in (district, district.split(" ")[0] + " "):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :].lstrip()
    return name


def places(
    con: duckdb.DuckDBPyConnection, shapes: dict, lang: str, district: str | None = None
) -> tuple[Place, ...]:
    """A name for every area drawn (the caller's own shapes), in the chosen language; a grid's
    without its district's (`district`: the one drilled into)."""
    tree = areas.regions(con)
    within = areas.name_of(con, district, lang) if district else None
    out = []
    for feature in shapes.get("features", []):
        region = str(feature["properties"]["region_id"])
        if region not in tree.index or not feature.get("geometry"):
            continue
        lon, lat = label_point(feature["geometry"])
        row = tree.loc[region]
        name = areas.display_name(row["name"], row["name_en"], lang)
        out.append(Place(region, lon, lat, short_name(name, within)))
    return tuple(out)


# -- the stations on the map ----------------------------------------------------------------------

#: What the figure builder takes for the stations (figures.choropleth.station_parts).
STATION_COLUMNS = (
    "station_id",
    "name",
    "lon",
    "lat",
    "placed",
    "deliveries",
    "item_deliveries",
    "value",
    "n",
    "note",
    "selected",
)


def stations_drawn(state: ViewState) -> bool:
    """Whether the map draws stations at all: the layer is on, or a station is selected."""
    return state.stations_layer or state.station is not None


def _all_known(values: pd.Series) -> float:
    """The sum of delivery counts, missing if any of them is."""
    return float(values.sum()) if values.notna().all() else float("nan")


def stations_frame(
    con: duckdb.DuckDBPyConnection, state: ViewState, cuts: bivariate.Cuts | None = None
) -> pd.DataFrame:
    """The stations the map draws (STATION_COLUMNS), with the map's measure for each catchment.

    With the layer on: every station inside the area shown (all of them on the city's map, one
    district's when drilled into it); with it off, only the selected station, if it is inside.
    Their figures are `data.gap_table` at the station level (the catchment's respondents through
    the disclosure gate; the station's own deliveries), for the map's item; `deliveries` is over
    every service, `item_deliveries` of the item shown. A station with no place to draw it (no
    coordinates and no outline for its region) is left out.
    """
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in STATION_COLUMNS})
    if not stations_drawn(state):
        return empty
    district = drilled(con, state)
    places = data.stations(con, district)
    if not state.stations_layer:
        places = places[places["station_id"] == state.station]
    places = places.dropna(subset=["place_lon", "place_lat"])
    if places.empty:
        return empty
    item, by = item_of(con, state)
    table = data.gap_table(con, data.STATION, state.slice(), within=district, by=by)
    totals = table.groupby("region_id")["provision_count"].agg(_all_known)
    if state.measure == BIVARIATE:
        need, provision = table["demand_rate"], table["provision_per_1000"]
        table = table.assign(
            bivariate=bivariate.classes(need, provision, cuts or bivariate.cuts_of(need, provision))
        )
    rows = table[table["item_code"] == item].set_index("region_id")
    measure, lang = state.measure, state.lang
    records = []
    for place in places.itertuples():
        sid = str(place.station_id)
        row = rows.loc[sid] if sid in rows.index else None
        value = float(row[measure]) if row is not None and pd.notna(row[measure]) else np.nan
        why = reason(row, measure, state.min_n, lang) if row is not None else ""
        records.append(
            {
                "station_id": sid,
                "name": stations.station_label(place, lang),
                "lon": float(place.place_lon),
                "lat": float(place.place_lat),
                "placed": bool(place.placed_at_region),
                "deliveries": totals.get(sid, np.nan),
                "item_deliveries": row["provision_count"] if row is not None else np.nan,
                "value": value,
                "n": row["respondents_n"] if row is not None else np.nan,
                "note": ""
                if pd.notna(value)
                else t("ui.station_not_shown", lang, reason=why or t("ui.not_shown", lang)),
                "selected": sid == state.station,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(STATION_COLUMNS))


@per_dataset(64)
def catchment_outline(con: duckdb.DuckDBPyConnection, station: str) -> Outline:
    """The outer edge of a station's catchment (its outlines merged, so the borders inside it
    are not drawn), as a line for the map; empty when no outline is loaded."""
    shapes = data.catchment_shapes(con, station)
    if not shapes["features"]:
        return [], []
    parts = [shapely.geometry.shape(f["geometry"]) for f in shapes["features"]]
    # a hair of buffer closes the slivers between simplified neighbours' edges
    merged = shapely.union_all([shapely.buffer(p, 1e-4) for p in parts]).buffer(-1e-4)
    return outline_path({"features": [{"geometry": shapely.geometry.mapping(merged)}]})


def station_labels(con: duckdb.DuckDBPyConnection, state: ViewState) -> StationLabels:
    """The station layer's words for the state's language and item."""
    lang = state.lang
    item, by = item_of(con, state)
    return StationLabels(
        deliveries=t("ui.station_deliveries", lang),
        item_deliveries=t(
            "ui.station_item_deliveries", lang, item=words.item_name(con, item, by, lang)
        ),
        placed=t("ui.station_placed", lang),
        key_title=t("ui.station_key_title", lang),
        key_size=t("ui.station_key_size", lang),
        key_hollow=t("ui.station_key_hollow", lang),
        key_placed=t("ui.station_key_placed", lang),
        key_selected=t("ui.station_key_selected", lang),
    )


def clicked_station(click: object) -> str | None:
    """The station a click on the map landed on (its hit target), else None (an area, nothing)."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    if not isinstance(point, dict) or point.get("curveNumber") != STATION_HITS_TRACE:
        return None
    custom = point.get("customdata")
    return str(custom[0]) if isinstance(custom, list | tuple) and custom and custom[0] else None


def station_href(state: ViewState, station: str) -> str:
    """Where a click on a station leads: its page, with every other parameter of the view."""
    return stations.PATH + state.with_(station=station).to_query()


# -- the map --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapResult:
    """The map for a state.

    `figure` is the whole figure with polygons, or None when the caller already holds
    `geometry` (then `restyle` has the per-trace properties to replace). `has_shapes` is False
    when the dataset has no boundaries for `geometry`: `figure` then says so, and the areas can
    only be shown as a table.
    """

    geometry: str
    has_shapes: bool
    figure: go.Figure | None
    restyle: list[dict[str, object]]
    relayout: dict[str, object]  # layout properties to replace with `restyle` (the station key)
    frame: pd.DataFrame  # map_frame: one row per area
    stations: pd.DataFrame  # stations_frame: one row per station drawn (none: the layer is off)
    district: str | None
    district_name: str | None
    title: str
    hint: str
    n_text: str


def geometry_of(district: str | None) -> str:
    return f"district:{district}" if district else CITY


def map_view(
    con: duckdb.DuckDBPyConnection,
    state: ViewState,
    shown: str | None = None,
    *,
    names: bool = True,
) -> MapResult:
    """The map for a state; `shown` is the geometry the caller's figure already holds; `names`:
    the areas' names are drawn on the map."""
    lang, k = state.lang, counts.k_of(state)
    state = resolved(con, state)
    district = state.district
    item, by = item_of(con, state)
    raw = areas_frame(con, state)
    frame = map_frame(raw, state)
    labels = map_labels(state)
    geometry = geometry_of(district)
    district_name = areas.name_of(con, district, lang) if district else None
    title = f"{labels.measure} · {words.item_name(con, item, by, lang)}"
    if district_name:
        title += " · " + t("ui.grids_of", lang, name=district_name)
    points = stations_frame(con, state, bivariate_cuts(raw))
    outline: Outline = ([], [])
    if state.station is not None and state.station in set(points["station_id"]):
        outline = catchment_outline(con, state.station)
    shapes = data.grid_shapes(con, district) if district else data.district_shapes(con)
    marks = Names(
        places(con, shapes, lang, district) if names else (),
        geometry=geometry,
        level="grid" if district else "district",
        shown=names,
    )
    drawn = {
        "measure": state.measure,
        "labels": labels,
        "k": k,
        "stations": points,
        "outline": outline,
        "station_labels": station_labels(con, state),
        "max_diameter": STATION_DIAMETER["district" if district else "city"],
        "names": marks,
    }
    figure, restyle, relayout, has_shapes = None, [], {}, True
    if shown == geometry:
        restyle, relayout = map_parts(frame, bbox=shapes.get("bbox"), **drawn)  # type: ignore[arg-type]
    else:
        has_shapes = bool(shapes["features"])
        if has_shapes:
            figure = choropleth_map(frame, shapes, revision=geometry, **drawn)  # type: ignore[arg-type]
        else:
            figure = empty_figure(t("ui.no_boundaries", lang))
    return MapResult(
        geometry=geometry,
        has_shapes=has_shapes,
        figure=figure,
        restyle=restyle,
        relayout=relayout,
        frame=frame,
        stations=points,
        district=district,
        district_name=district_name,
        title=title,
        hint=t("ui.grid_hint" if district else "ui.click_hint", lang)
        + (" " + t("ui.station_click_hint", lang) if len(points) else ""),
        n_text=t("ui.map_n", lang, n=count_or_withheld(shown_total(con, state), k)),
    )


def map_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, _frame: object = None
) -> go.Figure:
    """The whole map figure (polygons and colours) for a state: downloads, slides, exports."""
    return map_view(con, state).figure  # type: ignore[return-value]


def table_rows(
    con: duckdb.DuckDBPyConnection, state: ViewState
) -> list[tuple[str, str | None, str, str, str]]:
    """The map as a table, largest value first: (area, value text or None, why not, n, and the
    95% interval with the reliability word, so a ranked row shows how sure it is)."""
    labels, k = map_labels(state), counts.k_of(state)
    frame = map_frame(areas_frame(con, resolved(con, state)), state)
    rows = frame.sort_values(["value", "name"], ascending=[False, True], na_position="last")
    return [
        (
            r.name,
            (r.value_text or format_value(r.value, state.measure, labels))
            if pd.notna(r.value)
            else None,
            r.note,
            count_or_withheld(r.n, k),
            "; ".join(line for line in str(r.detail).split("\n") if line),
        )
        for r in rows.itertuples()
    ]


# -- the side panel -------------------------------------------------------------------------------


def area_figure(con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame) -> go.Figure:
    """The selected area's need beside receipt for every service, compact for the side panel."""
    lang = state.lang
    if not counts.has_respondents(frame):
        return empty_figure(t("ui.no_respondents", lang))
    figure = dumbbell(
        frame,
        service_names=words.service_names(con, lang),
        category_names=words.category_names(con, lang),
        labels=figure_labels(lang),
        k=counts.k_of(state),
        compact=True,
    )
    figure.update_layout(
        margin={"l": 0, "r": 10, "t": 40, "b": 40},
        legend={
            "xref": "container",
            "yref": "container",
            "x": 0.01,
            "y": 0.99,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 13},
        },
        font={"size": 13},
    )
    figure.update_yaxes(tickfont={"size": 12})
    return figure


def side_panel(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[str, str, go.Figure]:
    """Title, n and dumbbell of the selected area (the drilled district, or the whole dataset)."""
    lang = state.lang
    district = drilled(con, state)
    area = district or data.root_region(con)
    frame = area_frame(con, state.with_(district=district))
    n = counts.respondents(con, area, state)
    return (
        t("ui.selected_area", lang, name=areas.name_of(con, area, lang)),
        t("ui.side_n", lang, n=count_or_withheld(n, counts.k_of(state))),
        area_figure(con, state, frame),
    )
