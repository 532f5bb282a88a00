"""The delivery period beside the survey's "last 12 months": hand-made periods, no store."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dashboard import data
from dashboard.views import period
from dashboard.views.state import from_query

D = dt.date
SURVEY = (D(2009, 3, 1), D(2009, 12, 31))  # the demo's interviews
RECORDS = (D(2008, 1, 1), D(2009, 12, 31))  # the demo's deliveries
WINDOW = (D(2008, 3, 1), D(2009, 12, 31))


def plain(text: str) -> str:
    return text.replace(period.NB_HYPHEN, "-").replace("\u00a0", " ")


def test_the_window_runs_from_12_months_before_the_first_interview_to_the_last() -> None:
    assert period.survey_window(*SURVEY) == WINDOW
    assert period.months_back(D(2009, 2, 28), 12) == D(2008, 2, 28)
    assert period.months_back(D(2008, 2, 29), 12) == D(2007, 2, 28)  # no 29 February in 2007
    assert period.months_back(D(2010, 1, 15), 12) == D(2009, 1, 15)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),  # the whole data period: 2008-01-01 … 2009-12-31
        (D(2008, 3, 1), D(2009, 12, 31)),  # exactly the window
        (D(2008, 3, 1), None),
        (D(2007, 1, 1), D(2010, 6, 30)),  # wider than the records, too
    ],
)
def test_a_period_that_covers_the_window_gets_no_notice(start, end) -> None:
    assert period.check(SURVEY, RECORDS, start, end, "en") is None


def test_a_period_that_covers_part_of_the_window_is_partial_and_names_both_periods() -> None:
    for start, end in ((D(2008, 1, 1), D(2008, 3, 31)), (D(2008, 4, 1), None)):
        notice = period.check(SURVEY, RECORDS, start, end, "en")
        assert notice is not None and notice.kind == "partial"
        assert notice.aligned == WINDOW and notice.window == WINDOW
    notice = period.check(SURVEY, RECORDS, D(2008, 1, 1), D(2008, 3, 31), "en")
    assert plain(notice.message) == (
        "Deliveries 2008-01-01 – 2008-03-31 cover only part of the 12 months before the survey "
        "(2009-03-01 – 2009-12-31)."
    )
    assert "\n" not in notice.message
    zh = period.check(SURVEY, RECORDS, D(2008, 1, 1), D(2008, 3, 31), "zh")
    assert "2009-03-01 – 2009-12-31" in plain(zh.message)
    assert "2008-01-01 – 2008-03-31" in plain(zh.message)
    assert "一部分" in zh.message


def test_a_period_wholly_outside_the_window_has_no_overlap() -> None:
    notice = period.check(SURVEY, RECORDS, D(2008, 1, 1), D(2008, 2, 29), "en")
    assert notice is not None and notice.kind == "no_overlap"
    assert notice.aligned == WINDOW
    assert "lie outside the 12 months" in notice.message
    assert "之内" in period.check(SURVEY, RECORDS, D(2008, 1, 1), D(2008, 2, 29), "zh").message


def test_the_aligned_period_is_the_window_clipped_to_the_records() -> None:
    records = (D(2008, 6, 1), D(2009, 9, 30))
    notice = period.check(SURVEY, records, D(2008, 6, 1), D(2008, 12, 31), "en")
    assert notice.kind == "partial" and notice.aligned == (D(2008, 6, 1), D(2009, 9, 30))
    # the whole of such records covers all of the window they can: nothing to align
    assert period.check(SURVEY, records, None, None, "en") is None
    assert period.check(SURVEY, records, *notice.aligned, "en") is None  # the click's result


def test_records_with_no_delivery_in_the_window_leave_nothing_to_align_to() -> None:
    records = (D(2005, 1, 1), D(2006, 12, 31))
    notice = period.check(SURVEY, records, None, None, "en")
    assert notice is not None and notice.kind == "no_overlap" and notice.aligned is None
    assert plain(notice.message).endswith("The records hold no deliveries in those months.")
    assert "2005-01-01 – 2006-12-31" in plain(notice.message)


def test_no_survey_dates_or_no_deliveries_at_all_say_nothing() -> None:
    assert period.check((None, None), RECORDS, D(2008, 1, 1), D(2008, 2, 1), "en") is None
    assert period.check((SURVEY[0], None), RECORDS, None, None, "en") is None
    assert period.check(SURVEY, (None, None), None, None, "en") is None
    # a period chosen on a dataset without deliveries: nothing can be aligned
    chosen = period.check(SURVEY, (None, None), D(2009, 1, 1), D(2009, 6, 30), "en")
    assert chosen.kind == "partial" and chosen.aligned is None


def test_the_demo_store_gives_the_same_answer(demo_con: duckdb.DuckDBPyConnection) -> None:
    first, last = data.survey_period(demo_con)  # this small demo's: inside 2009-03 … 2009-12
    window = (period.months_back(first, 12), last)
    assert period.notice(demo_con, from_query("?lang=en")) is None
    short = period.notice(demo_con, from_query("?lang=en&start=2008-01-01&end=2008-03-31"))
    assert short.kind == "partial" and short.aligned == window
    assert period.aligned(demo_con) == window
    query = f"?start={window[0]}&end={window[1]}"
    assert period.notice(demo_con, from_query(query)) is None


# -- issue 14 (nav): presets beside the date picker


def test_presets_come_from_the_datas_own_dates() -> None:
    import datetime as dt

    from dashboard.views.period import presets

    shown = presets(
        (dt.date(2008, 1, 1), dt.date(2009, 11, 30)),
        (dt.date(2009, 3, 1), dt.date(2009, 6, 30)),
        "en",
    )
    by_key = {p.key: p for p in shown}
    assert list(by_key) == ["year", "last_12_months", "q1", "q2", "q3", "q4", "survey", "all"]
    assert by_key["year"].label == "Year 2009"
    assert by_key["year"].period == (dt.date(2009, 1, 1), dt.date(2009, 11, 30))  # clipped
    assert by_key["last_12_months"].period == (dt.date(2008, 12, 1), dt.date(2009, 11, 30))
    assert by_key["q2"].period == (dt.date(2009, 4, 1), dt.date(2009, 6, 30))
    assert by_key["q4"].period == (dt.date(2009, 10, 1), dt.date(2009, 11, 30))
    assert by_key["survey"].period == (dt.date(2008, 3, 1), dt.date(2009, 6, 30))
    assert by_key["all"].period == (dt.date(2008, 1, 1), dt.date(2009, 11, 30))
    zh = presets((dt.date(2015, 2, 1), dt.date(2016, 5, 31)), (None, None), "zh")
    assert [p.label for p in zh][:3] == ["2016年", "最近12个月", "2016年第1季度"]
    assert "survey" not in {p.key for p in zh} and "q3" not in {p.key for p in zh}
    assert presets((None, None), (None, None), "en") == []
