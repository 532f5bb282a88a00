"""Stations (/stations): a station's catchment — what it delivered month by month, its
delivered mix beside its residents' needs, year to date against its targets, people served —
and every station of the area ranked by a chosen measure, for a planner comparing them.

A station is an area to the data layer (data.gap_table level "station"): its survey figures are
its catchment's respondents', through the same gate as every area (a catchment's figure is
published only as a sum of publishable cells), and its delivery figures are its own records.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import data, disclosure
from dashboard.figures.targets import target_bars
from dashboard.figures.theme import empty_figure
from dashboard.i18n import sentence_case, t
from dashboard.i18n.numbers import count, count_or_withheld, is_missing, number, pct, points
from dashboard.views import areas, counts, overview, words
from dashboard.views.overview import Card
from dashboard.views.state import ViewState

PATH = "/stations"
#: A station id no dataset has (ids are non-empty text without control characters): asking the
#: data functions for it gives their columns with no rows, the frame of "no station picked".
NO_STATION = "\x00"
#: The per-station figures of the ranking table, after the station's name and district.
RANKING_COLUMNS = (
    "station_id",
    "station_name",
    "district_name",
    "item_code",
    "respondents_n",
    "demand_rate",
    "demand_rate_lo",
    "demand_rate_hi",
    "reliability",
    "demand_share",
    "provision_share",
    "mix_gap_pp",
    "provision_count",
    "provision_per_1000",
    "target_progress",
    "target_status",
    "people_per_1000",
    "elderly_population",
    "suppressed",
)


# -- which station ------------------------------------------------------------------------------


def station_list(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The stations inside the area filter (data.stations), with where to draw each."""
    area = areas.selected(con, state.region, state.lang)
    return data.stations(con, area.region_id)


def station_label(row: pd.Series | object, lang: str) -> str:
    """A station's name in the view's language (the other name, then its id, where it has
    none)."""
    get = row.get if isinstance(row, pd.Series) else lambda key: getattr(row, key, None)
    name = areas.display_name(get("name"), get("name_en"), lang)
    return name if name and name != "None" else str(get("station_id"))


def station_options(con: duckdb.DuckDBPyConnection, state: ViewState) -> list[dict[str, str]]:
    """The station picker's options: the stations of the area filter (and the one selected,
    wherever it is), the name shown, searchable by name, id and region."""
    frame = station_list(con, state)
    chosen = selected(con, state)
    if chosen is not None and chosen["station_id"] not in set(frame["station_id"]):
        frame = pd.concat([chosen.to_frame().T, frame], ignore_index=True)
    return [
        {
            "label": station_label(row, state.lang),
            "value": str(row["station_id"]),
            "search": " ".join(
                str(row[part])
                for part in ("name", "name_en", "station_id", "region_name", "region_name_en")
                if isinstance(row[part], str)
            ),
        }
        for _, row in frame.iterrows()
    ]


def selected(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.Series | None:
    """The station `state.station` names (anywhere in the dataset), None when it names none."""
    if not state.station:
        return None
    every = data.stations(con)
    found = every[every["station_id"] == state.station]
    return None if found.empty else found.iloc[0]


# -- the frames behind each chart (also what its downloads hold) ---------------------------------


def months_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The station's deliveries per month × category (or service) in the period, zeros kept."""
    station = selected(con, state)
    if station is None:
        return _no_months()
    frame = data.provision_months(
        con, state.slice(), station=str(station["station_id"]), by=state.breakdown
    )
    return frame.rename(columns={"area_id": "station_id"})


def _no_months() -> pd.DataFrame:
    return pd.DataFrame(columns=["station_id", "month", "item_code", "category", "provision_count"])


def catchment_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The station's figures per service: its catchment's survey figures (gated, with 95%
    intervals and reliability) beside its own deliveries — the need mix beside the delivered
    mix, and the mix gap."""
    station = selected(con, state)
    if station is None:
        return pd.DataFrame(columns=["region_id", "item_code", *data.GAP_COLUMNS[5:]])
    # asked of the station's district (a station manager's benchmark), not of the region it
    # stands in, which it may share with another station's catchment
    district = station["district_id"] if isinstance(station["district_id"], str) else None
    frame = _station_figures(con, state, district, "service")
    return frame[frame["region_id"] == station["station_id"]].reset_index(drop=True)


def _station_figures(
    con: duckdb.DuckDBPyConnection, state: ViewState, within: str | None, by: str
) -> pd.DataFrame:
    """gap_table of the stations inside `within`, with gap_intervals' columns merged in."""
    frame = data.gap_table(con, data.STATION, state.slice(), within=within, by=by)
    intervals = data.gap_intervals(con, data.STATION, state.slice(), within=within, by=by)
    keep = ["region_id", "item_code", *data.GAP_INTERVAL_COLUMNS]
    return frame.merge(intervals[keep], on=["region_id", "item_code"], how="left")


def targets_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The station's annual targets, year to date to the period's last whole month."""
    station = selected(con, state)
    if station is None:
        return data.station_targets(con, state.slice(), station=NO_STATION)
    frame = data.station_targets(con, state.slice(), station=str(station["station_id"]))
    return frame.assign(progress=frame["done"] / frame["target"])


def people_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """People served per service and year (withheld below k) and per 1,000 residents aged 60+
    of the catchment."""
    station = selected(con, state)
    if station is None:
        return _with_coverage(data.station_people(con, state.slice(), station=NO_STATION), np.nan)
    people = data.station_people(con, state.slice(), station=str(station["station_id"]))
    return _with_coverage(people, station["elderly_population"])


def _with_coverage(people: pd.DataFrame, elderly: object) -> pd.DataFrame:
    elderly_n = float(elderly) if elderly is not None and not pd.isna(elderly) else np.nan
    per_1000 = 1000 * people["recipients"] / elderly_n if elderly_n > 0 else np.nan
    return people.assign(elderly_population=elderly_n, people_per_1000=per_1000)


def default_item(con: duckdb.DuckDBPyConnection, state: ViewState) -> str | None:
    """The service the ranking is about when none is chosen: the one whose share of the area's
    stated needs most exceeds its share of deliveries (the largest published mix gap)."""
    area = areas.selected(con, state.region, state.lang)
    frame = data.gap_table(con, area.level, state.slice(), within=area.region_id)
    shown = disclosure.shown(frame, "mix_gap_pp")
    if shown.empty:
        return None
    return str(
        shown.sort_values(["mix_gap_pp", "item_code"], ascending=[False, True]).iloc[0]["item_code"]
    )


def default_item_label(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    """What the ranking's item picker says while none is chosen."""
    item = default_item(con, state)
    name = words.item_name(con, item, "service", state.lang) if item else "—"
    return t("stations.item_default", state.lang, item=name)


def ranking_item(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[str | None, str]:
    """(item, 'service' | 'category') the ranking is about: the state's, or default_item."""
    categories = set(data.categories(con))
    if state.item in categories:
        return state.item, "category"
    if state.item in data.service_names(con, state.lang):
        return state.item, "service"
    return default_item(con, state), "service"


def ranking_frame(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """Every station of the area filter, one row each, ranked by `state.rank_by` (largest
    first; figures not shown last): the catchment's demand rate (95% interval) and need share
    of the item, the station's delivered share and mix gap, its deliveries of every service in
    the period (count and per 1,000 aged 60+ per year), its year to date against the item's
    target, and people served per 1,000 in the period's last year."""
    item, by = ranking_item(con, state)
    area = areas.selected(con, state.region, state.lang)
    stations = data.stations(con, area.region_id)
    if stations.empty or item is None:
        return pd.DataFrame(columns=list(RANKING_COLUMNS))
    figures = _station_figures(con, state, area.region_id, by)
    totals = figures.groupby("region_id")[["provision_count", "provision_per_1000"]].sum(
        min_count=1
    )
    row = figures[figures["item_code"] == item].set_index("region_id")
    out = stations.set_index("station_id", drop=False)
    out = out.assign(
        station_name=[station_label(r, state.lang) for _, r in out.iterrows()],
        district_name=[_district_name(con, d, state.lang) for d in out["district_id"]],
        item_code=item,
    )
    for column in ("respondents_n", "demand_rate", "demand_rate_lo", "demand_rate_hi"):
        out[column] = row[column].reindex(out.index)
    for column in ("reliability", "demand_share", "provision_share", "mix_gap_pp", "suppressed"):
        out[column] = row[column].reindex(out.index)
    out["provision_count"] = totals["provision_count"].reindex(out.index).fillna(0)
    out["provision_per_1000"] = totals["provision_per_1000"].reindex(out.index)
    progress = _target_progress(con, state, area.region_id, item if by == "service" else None)
    out["target_progress"] = progress["progress"].reindex(out.index)
    out["target_status"] = progress["status"].reindex(out.index)
    out["people_per_1000"] = _people_per_1000(con, state, area.region_id, item, by, out)
    out["suppressed"] = out["suppressed"].fillna(True).astype(bool)
    return rank(out.reset_index(drop=True)[list(RANKING_COLUMNS)], state.rank_by)


def rank(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Largest first; a missing figure (suppressed, no target, no outline) last; ties by id."""
    key = frame[measure].astype(float)
    return (
        frame.assign(_missing=key.isna(), _key=-key.round(9))
        .sort_values(["_missing", "_key", "station_id"], kind="stable")
        .drop(columns=["_missing", "_key"])
        .reset_index(drop=True)
    )


def _district_name(con: duckdb.DuckDBPyConnection, district: object, lang: str) -> str:
    return areas.name_of(con, district, lang) if isinstance(district, str) else ""


def _target_progress(
    con: duckdb.DuckDBPyConnection, state: ViewState, within: str, service: str | None
) -> pd.DataFrame:
    targets = data.station_targets(con, state.slice(), within=within)
    if service is None:
        targets = targets.iloc[0:0]
    targets = targets[targets["service_code"] == service]
    return (
        targets.assign(progress=targets["done"] / targets["target"])
        .set_index("station_id")[["progress", "status"]]
        .astype({"progress": float})
    )


def _people_per_1000(
    con: duckdb.DuckDBPyConnection,
    state: ViewState,
    within: str,
    item: str,
    by: str,
    stations: pd.DataFrame,
) -> pd.Series:
    """People served with the item (a service) in the period's last year, per 1,000 aged 60+
    of the catchment; missing for a category (people are not summed across services)."""
    if by != "service":
        return pd.Series(np.nan, index=stations.index)
    people = data.station_people(con, state.slice(), within=within)
    people = people[people["service_code"] == item]
    if people.empty:
        return pd.Series(np.nan, index=stations.index)
    last = people[people["year"] == people["year"].max()].set_index("station_id")["recipients"]
    elderly = stations["elderly_population"].astype(float)
    return (1000 * last.reindex(stations.index) / elderly.where(elderly > 0)).astype(float)


# -- headline figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The selected station's figures above its charts (numbers; the page words them)."""

    deliveries: float  # its own deliveries in the period
    per_1000: float  # per 1,000 residents aged 60+ of the catchment per year (NaN: no figure)
    respondents: float  # catchment respondents (NaN: withheld)
    elderly: float  # catchment residents aged 60+ (NaN: not recorded)
    targets: int  # targets of the year
    on_track: int  # of which met or on track
    reference_month: object  # the month year to date runs to (None: no whole month)


def headline(con: duckdb.DuckDBPyConnection, state: ViewState) -> Headline | None:
    station = selected(con, state)
    if station is None:
        return None
    figures = catchment_frame(con, state)
    targets = targets_frame(con, state)
    n = data.station_respondents(con, str(station["station_id"]), state.slice())
    return Headline(
        deliveries=float(figures["provision_count"].sum()),
        per_1000=float(figures["provision_per_1000"].sum(min_count=1)),
        respondents=n,
        elderly=float(station["elderly_population"])
        if not pd.isna(station["elderly_population"])
        else np.nan,
        targets=len(targets),
        on_track=int(targets["status"].isin(["met", "on_track"]).sum()),
        reference_month=data.targets_reference_month(con, state.slice()),
    )


# -- figures --------------------------------------------------------------------------------------


def mix_figure(con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame) -> go.Figure:
    """The catchment's need mix beside the station's delivery mix (the overview's builder)."""
    if selected(con, state) is None:
        return empty_figure(t("stations.none_picked", state.lang))
    return overview.mix_figure(con, state, frame)


def targets_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    lang = state.lang
    if selected(con, state) is None:
        return empty_figure(t("stations.none_picked", lang))
    month = data.targets_reference_month(con, state.slice())
    if month is None:
        return empty_figure(t("stations.no_whole_month", lang))
    if frame.empty:
        return empty_figure(t("stations.no_targets", lang, year=month.year))
    keys = ("done", "expected", "projected", "of", "unit_services", "unit_people")
    labels = {key: t(f"stations.{key}", lang) for key in keys}
    labels |= {f"status_{s}": t(f"stations.status_{s}", lang) for s in STATUSES}
    return target_bars(frame, service_names=words.service_names(con, lang), labels=labels)


STATUSES = ("met", "on_track", "behind")


# -- words: the station's summary, headline cards and tables (text, no markup) -------------------


def summary(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    """'<region> · <district> · 12 staff · catchment: …' of the selected station ("" if none)."""
    station = selected(con, state)
    if station is None:
        return ""
    lang = state.lang
    staff = station["staff"]
    regions = int(station["catchment_regions"])
    return t(
        "stations.summary",
        lang,
        region=areas.display_name(station["region_name"], station["region_name_en"], lang),
        district=_district_name(con, station["district_id"], lang),
        staff=t("stations.staff_unknown", lang)
        if pd.isna(staff)
        else t("stations.staff", lang, n=count(staff)),
        regions=t("stations.catchment_listed", lang, n=count(regions))
        if bool(station["catchment_listed"])
        else t("stations.catchment_default", lang),
    )


def cards(con: duckdb.DuckDBPyConnection, state: ViewState) -> list[Card]:
    """The selected station's headline figures (none when no station is picked)."""
    head = headline(con, state)
    if head is None:
        return []
    lang, k = state.lang, counts.k_of(state)
    if head.reference_month is None or not head.targets:
        targets = Card(t("stations.card_targets_none", lang), "—")
    else:
        month = head.reference_month
        targets = Card(
            t("stations.card_targets", lang, year=month.year, month=f"{month:%Y-%m}"),
            f"{head.on_track} / {head.targets}",
        )
    return [
        Card(t("stations.card_deliveries", lang), count(head.deliveries)),
        Card(t("stations.card_per_1000", lang), number(head.per_1000, 0)),
        Card(t("stations.card_elderly", lang), count(head.elderly)),
        Card(t("stations.card_respondents", lang), count_or_withheld(head.respondents, k)),
        targets,
    ]


def interval_text(rate: object, lo: object, hi: object, lang: str, *, short: bool = False) -> str:
    """'36.0% (20.1–55.3%)': a rate and its 95% interval ('—' when hidden; an interval of
    0–100% says nothing — one survey cluster, no degrees of freedom — and is said so, or with
    `short` marked '†', which the table's caption explains)."""
    if is_missing(rate):
        return "—"
    if is_missing(lo) or is_missing(hi):
        return pct(rate)
    if float(lo) <= 0.0 and float(hi) >= 1.0:
        return f"{pct(rate)} †" if short else f"{pct(rate)} ({t('stations.ci_none', lang)})"
    return f"{pct(rate)} ({pct(lo)[:-1]}–{pct(hi)})"


def mix_header(lang: str) -> list[str]:
    return [
        t("ui.col_service", lang),
        t("stations.col_need_share", lang),
        t("stations.col_delivery_share", lang),
        t("stations.col_mix_gap", lang),
        t("stations.col_demand_rate", lang),
        t("stations.col_deliveries", lang),
        t("stations.col_n", lang),
    ]


def mix_rows(con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame) -> list[list]:
    """Per service, largest mix gap first: need share, delivery share, gap, demand rate with its
    interval, deliveries, n (suppressed figures as '—', withheld counts as '<k')."""
    lang, k = state.lang, counts.k_of(state)
    names = words.service_names(con, lang)
    ordered = frame.assign(_g=frame["mix_gap_pp"].astype(float)).sort_values(
        ["_g", "item_code"], ascending=[False, True], na_position="last"
    )
    return [
        [
            names.get(r.item_code, r.item_code),
            pct(r.demand_share),
            pct(r.provision_share),
            points(r.mix_gap_pp, t("ui.pp", lang)),
            interval_text(r.demand_rate, r.demand_rate_lo, r.demand_rate_hi, lang),
            count(r.provision_count),
            count_or_withheld(r.respondents_n, k),
        ]
        for r in ordered.itertuples()
    ]


def people_years(frame: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in frame["year"].unique())


def people_header(lang: str, years: list[int]) -> list[str]:
    """Service, then per year: people served and per 1,000 aged 60+."""
    header = [t("ui.col_service", lang)]
    for year in years:
        header += [
            f"{year} · {t('stations.col_people', lang)}",
            f"{year} · {t('stations.col_per_1000', lang)}",
        ]
    return header


def people_rows(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> list[list]:
    """One row per service (catalogue order), people and per 1,000 for each year; a count the
    gate withheld reads '<k', a service nobody received '0'."""
    lang, k = state.lang, counts.k_of(state)
    names = words.service_names(con, lang)
    years = people_years(frame)
    cells = frame.set_index(["service_code", "year"])
    rows = []
    for service in (c for c in names if c in set(frame["service_code"])):
        row = [names[service]]
        for year in years:
            if (service, year) in cells.index:
                found = cells.loc[(service, year)]
                row += [count_or_withheld(found["recipients"], k), number(found["people_per_1000"])]
            else:
                row += ["0", number(0.0)]
        rows.append(row)
    return rows


def ranking_header(lang: str) -> list[str]:
    return [
        "#",
        t("stations.col_station", lang),
        t("stations.col_district", lang),
        t("stations.col_demand_rate", lang),
        t("stations.col_need_share", lang),
        t("stations.col_delivery_share", lang),
        t("stations.col_mix_gap", lang),
        t("stations.col_deliveries", lang),
        sentence_case(t("stations.rank_provision_per_1000", lang)),
        sentence_case(t("stations.rank_target_progress", lang)),
        sentence_case(t("stations.rank_people_per_1000", lang)),
        t("stations.col_n", lang),
    ]


def ranking_rows(state: ViewState, frame: pd.DataFrame) -> list[list]:
    """The ranking as text, one list per station in ranking_header order (the station cell is
    (station_id, name), for the page to make it a button)."""
    lang, k = state.lang, counts.k_of(state)
    rows = []
    for i, r in enumerate(frame.itertuples()):
        status = r.target_status if isinstance(r.target_status, str) else None
        progress = (
            "—"
            if status is None
            else f"{pct(r.target_progress, 0)} · " + t(f"stations.status_{status}", lang)
        )
        rows.append(
            [
                i + 1,
                (r.station_id, r.station_name),
                r.district_name,
                _marked(
                    interval_text(
                        r.demand_rate, r.demand_rate_lo, r.demand_rate_hi, lang, short=True
                    ),
                    r.reliability,
                    lang,
                ),
                pct(r.demand_share),
                pct(r.provision_share),
                points(r.mix_gap_pp, t("ui.pp", lang)),
                count(r.provision_count),
                number(r.provision_per_1000, 0),
                progress,
                number(r.people_per_1000, 1),
                count_or_withheld(r.respondents_n, k),
            ]
        )
    return rows


def _marked(text: str, flag: object, lang: str) -> str:
    """A figure with its reliability word when it is not plainly reliable (NCHS standard)."""
    if flag in ("review", "unreliable"):
        return f"{text} ({t(f'ui.reliability_{flag}', lang)})"
    return text


def ranking_caption(con: duckdb.DuckDBPyConnection, state: ViewState) -> str:
    item, by = ranking_item(con, state)
    lang = state.lang
    return t(
        "stations.ranking_caption",
        lang,
        area=areas.selected(con, state.region, lang).name,
        measure=t(f"stations.rank_{state.rank_by}", lang),
        item=words.item_name(con, item, by, lang) if item else "—",
    )


def months_figure(
    con: duckdb.DuckDBPyConnection, state: ViewState, frame: pd.DataFrame
) -> go.Figure:
    """The station's deliveries per month, stacked by category or service (counts): the
    overview's chart of one station's own records."""
    if selected(con, state) is None:
        return empty_figure(t("stations.none_picked", state.lang))
    return overview.trend_figure(con, state, frame)


# -- the page as a whole ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StationsView:
    """Everything /stations shows for a state."""

    station: str | None
    summary: str
    cards: list[Card]
    months: go.Figure
    mix: go.Figure
    mix_header: list[str]
    mix_rows: list[list]
    targets: go.Figure
    targets_caption: str
    people_header: list[str]
    people_rows: list[list]
    ranking_header: list[str]
    ranking_rows: list[list]
    ranking_caption: str


def stations_view(con: duckdb.DuckDBPyConnection, state: ViewState) -> StationsView:
    lang = state.lang
    station = selected(con, state)
    catchment = catchment_frame(con, state)
    people = people_frame(con, state)
    month = data.targets_reference_month(con, state.slice())
    targets_caption = (
        t("stations.targets_caption", lang, month=f"{month:%Y-%m}") if month is not None else ""
    )
    return StationsView(
        station=None if station is None else str(station["station_id"]),
        summary=summary(con, state),
        cards=cards(con, state),
        months=months_figure(con, state, months_frame(con, state)),
        mix=mix_figure(con, state, catchment),
        mix_header=mix_header(lang),
        mix_rows=mix_rows(con, state, catchment) if station is not None else [],
        targets=targets_figure(con, state, targets_frame(con, state)),
        targets_caption=targets_caption,
        people_header=people_header(lang, people_years(people)),
        people_rows=people_rows(con, state, people),
        ranking_header=ranking_header(lang),
        ranking_rows=ranking_rows(state, ranking_frame(con, state)),
        ranking_caption=ranking_caption(con, state),
    )
