"""The overview's view logic on the demo store, without Dash."""

from __future__ import annotations

import datetime as dt

import duckdb
import plotly.graph_objects as go

from dashboard.views import overview
from dashboard.views.state import from_query


def _update(con: duckdb.DuckDBPyConnection, query: str) -> tuple:
    """(cards, dumbbell, mix, unmet, top rows) of the overview for a URL query."""
    result = overview.overview(con, from_query(query))
    return result.cards, result.dumbbell, result.mix, result.unmet, result.top_rows


def _text(cards: list[overview.Card]) -> str:
    return " ".join(f"{c.value} {c.label} {c.note}" for c in cards)


def test_overview_draws_every_service_with_its_n(demo_con: duckdb.DuckDBPyConnection) -> None:
    cards, dumbbell, mix, _unmet, _table = _update(demo_con, "?lang=en")
    assert isinstance(dumbbell, go.Figure) and isinstance(mix, go.Figure)
    labels = dumbbell.data[1].y[1]
    assert len(labels) == 12
    assert all("(n=" in label for label in labels)
    assert "3,000" in _text(cards)  # respondents card


def test_a_filter_changes_the_figures_and_the_counts(demo_con: duckdb.DuckDBPyConnection) -> None:
    _, everyone, _, _, _ = _update(demo_con, "?lang=en")
    cards, women, _, _, _ = _update(demo_con, "?lang=en&sex=F")
    assert list(everyone.data[1].x) != list(women.data[1].x)
    assert "3,000" not in _text(cards)


def test_a_slice_without_respondents_says_why_instead_of_drawing_zeros(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _, dumbbell, _mix, _unmet, table = _update(demo_con, "?lang=en&age=%3C60")
    assert "No respondents in this slice" in dumbbell.layout.annotations[0].text
    assert table == []  # the page says "No respondents" in its place (tests/app)


def test_overview_speaks_chinese_with_names_from_the_data(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    cards, dumbbell, _, _unmet, _table = _update(demo_con, "?lang=zh")
    assert any("疾病知识教育" in label for label in dumbbell.data[1].y[1])
    assert "健康教育" in dumbbell.data[1].y[0]
    assert "受访者" in _text(cards)


def test_largest_gaps_table_ranks_district_gaps_by_the_estimate_when_asked(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    con = demo_con
    frame = overview.top_gaps_frame(con, from_query("?lang=en&gap_rank=gap"))
    assert 0 < len(frame) <= overview.TOP_GAPS
    assert list(frame["gap_pp"]) == sorted(frame["gap_pp"], reverse=True)
    assert set(frame["level"]) == {"district"}
    assert (frame["respondents_n"] >= 10).all()


def test_largest_gaps_rank_by_the_sure_gap_with_unreliable_rows_last_by_default(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    frame = overview.ranked_gaps(demo_con, from_query("?lang=en"))
    flagged = list(frame["reliability"] == "unreliable")
    assert any(flagged) and not all(flagged)
    assert flagged == sorted(flagged)  # every unreliable row after every other
    sure = frame[~frame["reliability"].eq("unreliable")]
    assert list(sure["gap_pp_lo"]) == sorted(sure["gap_pp_lo"], reverse=True)
    expected = 100 * (sure["demand_rate_lo"] - sure["received_rate_hi"])
    assert (sure["gap_pp_lo"] - expected).abs().max() < 1e-9


def test_the_largest_gap_card_never_names_an_unreliable_figure(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en&sex=F&gap_rank=gap")
    gaps = overview.ranked_gaps(demo_con, state)
    assert gaps["reliability"].iloc[0] == "unreliable"  # the estimate's top is noise here
    card = overview.overview(demo_con, state).cards[-1]
    sure = overview.ranked_gaps(demo_con, state.with_(gap_rank="sure"))
    best = sure.iloc[0]
    assert best["reliability"] != "unreliable"
    assert card.value == overview.points(best["gap_pp"], "pp")
    assert card.note.endswith("at least " + overview.points(best["gap_pp_lo"], "pp"))


def test_choosing_a_district_ranks_its_grids(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    frame = overview.top_gaps_frame(con, from_query("?lang=en&region=140425&min_n=5"))
    assert set(frame["level"]) == {"grid"}
    assert frame["region_id"].str.startswith("140425").all()


def test_unmet_need_shows_the_four_cells_per_service_summing_to_one(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _, _, _, unmet, _ = _update(demo_con, "?lang=en")
    names = [trace.name for trace in unmet.data]
    assert names[:4] == [
        "needs it, received it",
        "needs it, did not receive it",
        "received it without needing it",
        "neither",
    ]
    assert all(name.startswith("suppressed: ") for name in names[4:])  # hidden cells, drawn grey
    totals = [
        sum(v for v in values if v is not None and v == v)
        for values in zip(*(trace.x for trace in unmet.data), strict=True)
    ]
    assert all(abs(total - 100) < 1e-6 for total in totals)  # no bar stops short of 100%


def test_a_bar_with_suppressed_cells_ends_in_one_hatched_grey_segment(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _, _, _, unmet, _ = _update(demo_con, "?lang=en&region=140425&age=80%2B&min_n=30")
    hidden = [trace for trace in unmet.data if trace.name.startswith("suppressed: ")]
    assert len(hidden) == 1 and hidden[0].marker.pattern.shape == "/"
    assert any(v is not None for v in hidden[0].x)
    totals = [
        sum(v for v in values if v is not None and v == v)
        for values in zip(*(trace.x for trace in unmet.data), strict=True)
    ]
    assert all(abs(total - 100) < 1e-6 for total in totals)


def test_unmet_cells_smaller_than_min_n_are_suppressed(demo_con: duckdb.DuckDBPyConnection) -> None:
    frame = overview.unmet_frame(demo_con, from_query("?region=140425&min_n=30"))
    small = frame[frame["n"] < 30]
    assert len(small) and small["suppressed"].all() and small["share"].isna().all()


def test_overview_draws_95_percent_intervals_and_fades_unreliable_rows(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _, dumbbell, _, _, _ = _update(demo_con, "?lang=en")
    need = dumbbell.data[1]
    assert need.error_x.array is not None and all(v >= 0 for v in need.error_x.array if v == v)
    assert any("95% CI" in text for text in need.hovertext)
    _, thin, _, _, _ = _update(demo_con, "?lang=en&region=140425&age=80%2B")
    assert 0.35 in list(thin.data[1].marker.opacity)  # small slices fail the NCHS standard


# -- deliveries per month ------------------------------------------------------------------------


def test_the_trend_stacks_every_month_of_the_period_by_category_or_service(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    state = from_query("?lang=en")
    frame = overview.trend_frame(demo_con, state)
    assert set(frame.columns) >= {"month", "item_code", "category", "provision_count"}
    assert frame["month"].nunique() == 24  # 2008-01 … 2009-12
    assert isinstance(frame["month"].iloc[0], dt.date)
    fig = overview.trend(demo_con, state)
    assert fig.layout.barmode == "stack"
    assert fig.data[0].name == "Therapeutic care"  # the most delivered at the bottom
    assert len(fig.data) == frame["item_code"].nunique() == 6
    assert sum(sum(t.y) for t in fig.data) == frame["provision_count"].sum()
    by_service = overview.trend(demo_con, from_query("?lang=zh&breakdown=service"))
    assert len(by_service.data) == 12 and "注射/输液" in {t.name for t in by_service.data}


def test_the_period_filter_changes_the_trend_and_an_empty_period_says_so(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    quarter = overview.trend(demo_con, from_query("?lang=en&start=2008-01-01&end=2008-03-31"))
    assert list(quarter.data[0].x) == ["2008-01", "2008-02", "2008-03"]
    empty = overview.trend(demo_con, from_query("?lang=en&start=2010-01-01&end=2010-03-31"))
    assert empty.layout.annotations[0].text == "No station deliveries in this period."
    assert len(empty.data) == 0


def test_months_the_period_cuts_are_marked_partial(demo_con: duckdb.DuckDBPyConnection) -> None:
    state = from_query("?lang=en&start=2009-03-15&end=2009-06-20")
    assert overview.partial_months(state) == [dt.date(2009, 3, 1), dt.date(2009, 6, 1)]
    assert overview.partial_months(from_query("?start=2009-03-01&end=2009-06-30")) == []
    fig = overview.trend(demo_con, state)
    assert list(fig.data[0].marker.opacity) == [0.45, 1.0, 1.0, 0.45]
