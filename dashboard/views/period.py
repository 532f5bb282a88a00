"""Whether the delivery period in force matches what the survey asked about.

The survey asks about services received "in the last 12 months", so a respondent interviewed on
day s speaks of the 12 months up to s. Over the whole survey (first … last interview) that is
the **survey's window**:

    window = [first surveyed_on − 12 calendar months, last surveyed_on]   (both days included)

(12 calendar months back from the first interview: 2009-03-01 → 2008-03-01; a 29 February goes
back to the 28th.) The delivery period in force is the filter's [start, end], each end the data's
own first or last delivery day where the filter leaves it open.

- No notice when the period covers the window as far as the records reach: start ≤ the window's
  start (or the first delivery day, if later) and end ≥ the window's end (or the last delivery
  day, if earlier). The records cannot cover more than they hold, so a dataset whose deliveries
  begin after the window begins is not flagged once the period starts at its first delivery.
- Else a notice: 'no_overlap' when the period shares no day with the window, 'partial' when it
  shares some; its `aligned` period is the window clipped to the data's delivery period (None
  when the records hold no delivery in the window: nothing to align to).
- No survey dates: no notice (nothing to compare). No deliveries at all and no period chosen:
  no notice either (there is no delivery figure to misread).

Pure: dates in, a notice (with its one-line message in the view's language) out; `notice` reads
the two periods from the store for the app.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import duckdb

from dashboard import data
from dashboard.i18n import t
from dashboard.views.state import ViewState

#: Views that set survey figures beside delivery figures (the notice is shown on these only).
PATHS = ("/", "/map", "/stations")
#: How far back the survey's question reaches, in months ("in the last 12 months").
RECALL_MONTHS = 12
NB_HYPHEN = "\u2011"

Period = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Notice:
    """The delivery period does not cover the survey's window.

    `kind`: 'no_overlap' or 'partial'; `message`: one line naming both periods; `aligned`: the
    period that would align them (the window within the records), None when the records hold
    no delivery in the window; `window`: the survey's window.
    """

    kind: str
    message: str
    aligned: Period | None
    window: Period


def months_back(day: dt.date, months: int) -> dt.date:
    """`day` moved back `months` calendar months (the last day of a shorter month if needed)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def survey_window(first: dt.date, last: dt.date) -> Period:
    """The days the survey's "last 12 months" speak of, over all its interviews."""
    return months_back(first, RECALL_MONTHS), last


def _overlap(a: Period, b: Period) -> Period | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


def dates_text(period: Period) -> str:
    """'2008-03-01 – 2009-12-31' that never breaks (non-breaking hyphens and spaces): a line
    wraps between words, not inside a period."""
    return f"{period[0]}\u00a0–\u00a0{period[1]}".replace("-", NB_HYPHEN)


def check(
    survey: tuple[dt.date | None, dt.date | None],
    records: tuple[dt.date | None, dt.date | None],
    start: dt.date | None,
    end: dt.date | None,
    lang: str,
) -> Notice | None:
    """The notice for a delivery period [start, end] (None: open, the records' own end) beside the
    survey period `survey` (first, last surveyed_on) and the records' period `records` (first,
    last delivered_on); None when nothing needs saying (see the module's rule)."""
    if survey[0] is None or survey[1] is None:
        return None
    window = survey_window(survey[0], survey[1])
    lo, hi = start or records[0], end or records[1]
    if lo is None or hi is None:
        return None  # no deliveries and no period chosen: no delivery figure to misread
    period = (lo, hi) if lo <= hi else (hi, lo)
    held = None if records[0] is None or records[1] is None else (records[0], records[1])
    target = _overlap(window, held) if held else None
    if target is not None and period[0] <= target[0] and period[1] >= target[1]:
        return None
    kind = "partial" if _overlap(period, window) else "no_overlap"
    message = t(
        f"ui.period_{kind}",
        lang,
        survey=dates_text((survey[0], survey[1])),
        period=dates_text(period),
        months=RECALL_MONTHS,
    )
    if target is None:
        message += t("ui.period_no_records", lang)
    return Notice(kind, message, target, window)


def notice(con: duckdb.DuckDBPyConnection, state: ViewState) -> Notice | None:
    """The notice for a state's delivery period, on the store's survey and records."""
    return check(
        data.survey_period(con), data.delivery_period(con), state.start, state.end, state.lang
    )


def aligned(con: duckdb.DuckDBPyConnection) -> Period | None:
    """The delivery period aligned to the survey: its window within the records (None without
    survey dates or without a delivery in the window)."""
    first, last = data.survey_period(con)
    held = data.delivery_period(con)
    if first is None or last is None or held[0] is None or held[1] is None:
        return None
    return _overlap(survey_window(first, last), (held[0], held[1]))


# -- issue 14 (nav): period presets beside the date picker -------------------------------------


@dataclass(frozen=True)
class Preset:
    """A ready-made delivery period: its label in the view's language and its first/last day."""

    key: str
    label: str
    period: Period


def _clip(period: Period, held: Period) -> Period | None:
    """`period` within the records' `held` period (None if they share no day)."""
    return _overlap(period, held)


def presets(
    records: tuple[dt.date | None, dt.date | None],
    survey: tuple[dt.date | None, dt.date | None],
    lang: str,
) -> list[Preset]:
    """The periods offered beside the date picker, all computed from the data (never from the
    calendar on the wall): the records' last year, their last 12 months, each quarter of that
    year, the survey's window ("align to survey"), and the whole period; each clipped to the
    records, and left out where the records hold no day of it."""
    if records[0] is None or records[1] is None:
        return []
    held: Period = (records[0], records[1])
    year = held[1].year
    wanted: list[tuple[str, str, Period]] = [
        (
            "year",
            t("ui.preset_this_year", lang, year=year),
            (dt.date(year, 1, 1), dt.date(year, 12, 31)),
        ),
        (
            "last_12_months",
            t("ui.preset_last_12_months", lang),
            (months_back(held[1], RECALL_MONTHS) + dt.timedelta(days=1), held[1]),
        ),
    ]
    for quarter in range(1, 5):
        first = dt.date(year, 3 * quarter - 2, 1)
        last = months_back(dt.date(year, 3 * quarter, 1), -1) - dt.timedelta(days=1)
        wanted.append(
            (f"q{quarter}", t("ui.preset_quarter", lang, quarter=quarter, year=year), (first, last))
        )
    if survey[0] is not None and survey[1] is not None:
        wanted.append(("survey", t("ui.preset_survey", lang), survey_window(survey[0], survey[1])))
    wanted.append(("all", t("ui.preset_all", lang), held))
    shown = []
    for key, label, period in wanted:
        clipped = _clip(period, held)
        if clipped is not None:
            shown.append(Preset(key, label, clipped))
    return shown
