"""What the title slide says: the dataset, the filters in force, the date and the boundary credit.

Read from the store (dataset_meta, periods, counts), so a deck always names the data it was made
from; the export layer only lays it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from dashboard import data
from dashboard.briefing.records import Skipped, Slide
from dashboard.briefing.session import Session, area_of, as_state, filters_text, period_text
from dashboard.i18n import t
from dashboard.i18n.numbers import count_or_withheld
from dashboard.views import counts
from dashboard.views.state import ViewState


@dataclass(frozen=True)
class DeckMeta:
    """The title slide, and the words every slide's footer shares."""

    lang: str
    title: str
    subtitle: str
    dataset: str
    filters: str
    date: str
    credit: str  # empty when the dataset has no boundaries (no map is shown)
    skipped: str  # what the data could not support, or empty


def deck_meta(
    con: duckdb.DuckDBPyConnection,
    state_or_filters: ViewState | str | None,
    lang: str,
    skipped: list[Skipped] | None = None,
    today: dt.date | None = None,
    *,
    slides: list[Slide] | None = None,
) -> DeckMeta:
    """The title slide. With `slides`, it names only what the slides use: their filters and
    area when they all share them; when they differ (a briefing of views added with filters of
    their own) it says each slide names its own, and counts the whole dataset's respondents,
    never the filters of the page it was exported from."""
    s = Session.open(con, lang)
    state = as_state(state_or_filters, lang)
    filters_used = sorted({x.filters for x in slides or []})
    areas_used = sorted({x.area for x in slides or [] if x.area})
    mixed = len(filters_used) > 1
    if mixed:
        state = as_state(None, lang)  # the whole dataset: no filter the slides do not share
    region, area, _level = area_of(s, state)
    if len(areas_used) == 1:
        area = areas_used[0]
    imported = data.dataset_meta(s.con).get("imported_at", "")[:10] or "—"
    stored = data.table_counts(s.con)
    dataset = t(
        "briefing.deck_dataset",
        lang,
        survey=period_text(*data.survey_period(s.con)),
        n=count_or_withheld(counts.respondents(s.con, region, state), counts.k_of(state)),
        deliveries=period_text(*data.delivery_period(s.con)),
        imported=imported,
    )
    sep = t("ui.sep_list", lang)
    reasons = sep.join(x.reason for x in skipped or [])
    return DeckMeta(
        lang=lang,
        title=t("briefing.deck_title", lang, area=area),
        subtitle=t("briefing.deck_subtitle", lang),
        dataset=dataset,
        filters=_filters(s, state, area, filters_used),
        date=t("briefing.deck_prepared", lang, date=(today or dt.date.today()).isoformat()),
        credit=t("ui.credit", lang) if stored.get("boundaries", 0) else "",
        skipped=t("briefing.deck_skipped", lang, reasons=reasons) if reasons else "",
    )


def _filters(s: Session, state: ViewState, area: str, used: list[str]) -> str:
    """The title slide's filters line: the slides' own when they share one, else a note that
    each slide names its own (the deck claims no filter a slide does not use)."""
    if len(used) == 1:
        return used[0]
    if used:
        return t("briefing.deck_filters_per_slide", s.lang, n=len(used))
    return filters_text(s, state, area)
