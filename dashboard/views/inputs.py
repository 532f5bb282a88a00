"""What a link asked for that the page cannot show, said in one plain line each.

URLs get hand-edited, truncated and kept past an import, so parsing is forgiving
(views.state): a bad value falls back to its default. Falling back *silently* misleads (an
unknown area looks like the whole city, a reversed period like the one asked for), so each
fallback is said on the page: what was asked, and what is shown instead.

Two kinds: values that are wrong whatever the data (a reversed period, `threshold=9`,
`lang=fr`: noted by views.state.parse in `ViewState.ignored`), and values the data does not
hold (an unknown area, district, station or service; a period with no delivery record):
`check` finds these on the store and clears them, so the page draws what it says it draws.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from dashboard import data, scope
from dashboard.data import MIN_N_RANGE, THRESHOLDS
from dashboard.i18n import t
from dashboard.views import areas
from dashboard.views.period import dates_text
from dashboard.views.state import ViewState

#: The catalogue key naming each URL parameter in a notice.
PARAM_KEYS = {
    "lang": "ui.input_param_lang",
    "region": "ui.input_param_region",
    "district": "ui.input_param_district",
    "station": "ui.input_param_station",
    "item": "ui.input_param_item",
    "start": "ui.input_param_start",
    "end": "ui.input_param_end",
    "age": "ui.input_param_age",
    "sex": "ui.input_param_sex",
    "threshold": "ui.input_param_threshold",
    "min_n": "ui.input_param_min_n",
    "measure": "ui.input_param_measure",
    "dimension": "ui.input_param_dimension",
    "rank_by": "ui.input_param_rank_by",
    "breakdown": "ui.input_param_breakdown",
    "gap_rank": "ui.input_param_gap_rank",
}
#: Numeric settings and the range each may take (said in the notice).
RANGES = {"threshold": THRESHOLDS, "min_n": MIN_N_RANGE}


def _label(keys: tuple[str, ...], lang: str, fallback: str) -> str:
    """The first of `keys` the catalogue has, else `fallback` (a code is better than nothing)."""
    for key in keys:
        try:
            return t(key, lang)
        except KeyError:
            continue
    return fallback


def _shown(key: str, state: ViewState) -> str:
    """What the page shows for parameter `key` once the asked value was dropped."""
    lang = state.lang
    value = getattr(state, key, None)
    if key == "lang":
        return t("ui.input_lang_shown", lang)
    if key in ("start", "end"):
        return t("ui.input_shown_whole_period", lang)
    if key in ("age", "sex"):
        return t("ui.all", lang)
    if key in RANGES:
        return str(value)
    return _label((f"ui.{value}", f"ui.dim_{value}", f"ui.breakdown_{value}"), lang, str(value))


def parse_notes(state: ViewState) -> list[str]:
    """The lines for what views.state.parse could not use (`state.ignored`)."""
    lang = state.lang
    notes = []
    for key, asked in state.ignored:
        if key == "dates":
            start, end = asked.split("|")
            notes.append(
                t(
                    "ui.input_dates_reversed",
                    lang,
                    start=start,
                    end=end,
                    period=dates_text((dt.date.fromisoformat(end), dt.date.fromisoformat(start))),
                )
            )
        elif key in RANGES:
            allowed = RANGES[key]
            notes.append(
                t(
                    "ui.input_out_of_range",
                    lang,
                    what=t(PARAM_KEYS[key], lang),
                    asked=asked,
                    lo=allowed.start,
                    hi=allowed.stop - 1,
                    shown=_shown(key, state),
                )
            )
        else:
            notes.append(
                t(
                    "ui.input_invalid",
                    lang,
                    what=t(PARAM_KEYS.get(key, "ui.input_param_other"), lang),
                    asked=asked,
                    shown=_shown(key, state),
                )
            )
    return notes


def _unknown(key: str, asked: str, shown: str, lang: str) -> str:
    return t("ui.input_unknown", lang, what=t(PARAM_KEYS[key], lang), asked=asked, shown=shown)


def _known_items(con: duckdb.DuckDBPyConnection, lang: str) -> set[str]:
    return set(data.service_names(con, lang)) | set(data.categories(con))


def _known_stations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return set(data.stations(con)["station_id"].astype(str))


def check(con: duckdb.DuckDBPyConnection, state: ViewState) -> tuple[ViewState, list[str]]:
    """The state with what the data does not hold cleared, and every notice line (parse's
    first). A region outside the caller's scope is not "unknown": it is left for the view's
    refusal (views.access) to say "not in your area"."""
    lang = state.lang
    notes = parse_notes(state)
    changes: dict[str, object] = {}
    tree = areas.regions(con)
    whole = areas.name_of(con, data.root_region(con), lang)
    if state.region is not None and state.region not in tree.index:
        notes.append(_unknown("region", state.region, whole, lang))
        changes["region"] = None
    if state.district is not None and not areas.is_district(con, state.district):
        notes.append(_unknown("district", state.district, whole, lang))
        changes["district"] = None
    # a station manager's link to another station is refused (views.access), not "unknown":
    # their list holds only their own, so only an unscoped caller can tell one that is not there
    if (
        state.station is not None
        and scope.of(con).stations is None
        and state.station not in _known_stations(con)
    ):
        notes.append(_unknown("station", state.station, t("ui.input_shown_no_station", lang), lang))
        changes["station"] = None
    if state.item is not None and state.item not in _known_items(con, lang):
        notes.append(_unknown("item", state.item, t("ui.input_shown_largest_gap", lang), lang))
        changes["item"] = None
    if state.start is not None or state.end is not None:
        note = _outside_records(data.delivery_period(con), state)
        if note:
            notes.append(note)
            changes.update(start=None, end=None)
    return (state.with_(**changes) if changes else state), notes


def _outside_records(
    records: tuple[dt.date | None, dt.date | None], state: ViewState
) -> str | None:
    """The line for a period that shares no day with the delivery records (None if it does, or
    if there are no records: then there is no whole period to show instead)."""
    first, last = records
    if first is None or last is None:
        return None
    lo, hi = state.start or first, state.end or last
    if lo <= last and hi >= first:
        return None
    return t(
        "ui.input_dates_outside",
        state.lang,
        asked=dates_text((lo, hi)),
        records=dates_text((first, last)),
    )
