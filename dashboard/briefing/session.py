"""The session a briefing is computed in, and what every slide and the title slide say alike:
the area, the filters in force as one line, the source line."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dashboard import data, sql
from dashboard.i18n import t, value_name
from dashboard.views import areas
from dashboard.views.state import ViewState, from_query


@dataclass(frozen=True)
class Session:
    """A store cursor whose answers are reused while one briefing is computed (the view
    functions take it like any cursor), and the briefing's language."""

    con: duckdb.DuckDBPyConnection
    lang: str

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, lang: str) -> Session:
        return cls(sql.scoped(con, "briefing"), lang)


def area_of(s: Session, state: ViewState) -> tuple[str, str, str]:
    """(region_id, name, level) of the state's area, the whole dataset when none is chosen."""
    area = areas.selected(s.con, state.region, s.lang)
    return area.region_id, area.name, area.level


def region_name(s: Session, region: str) -> str:
    return areas.name_of(s.con, region, s.lang)


def filters_text(s: Session, state: ViewState, area: str) -> str:
    """The filters in force as one line: area, age, sex, need threshold, minimum n, period."""
    lang = s.lang
    first, last = data.delivery_period(s.con)
    start, end = state.start or first, state.end or last
    parts = [
        area,
        t("briefing.f_age", lang, age=state.age) if state.age else t("briefing.f_all_ages", lang),
        value_name(state.sex, lang) if state.sex else t("briefing.f_both_sexes", lang),
        t("briefing.f_need", lang, T=state.threshold),
        t("briefing.f_min_n", lang, k=state.min_n),
    ]
    if start:
        parts.append(t("briefing.f_period", lang, start=start, end=end))
    return " · ".join(parts)


def source_line(s: Session, with_credit: bool) -> str:
    """Where the figures come from; with the boundary credit on slides that draw a map."""
    survey = period_text(*data.survey_period(s.con))
    deliveries = period_text(*data.delivery_period(s.con))
    line = t("briefing.source", s.lang, survey=survey, deliveries=deliveries)
    return f"{line} · {t('ui.credit', s.lang)}" if with_credit else line


def period_text(first: object, last: object) -> str:
    return f"{first} – {last}" if first else "—"


def as_state(state_or_filters: ViewState | str | None, lang: str) -> ViewState:
    """The state of a deck's filters (a ViewState or a URL query), in `lang`."""
    if isinstance(state_or_filters, ViewState):
        return state_or_filters.with_(lang=lang)
    return from_query(state_or_filters or "", lang).with_(lang=lang)
