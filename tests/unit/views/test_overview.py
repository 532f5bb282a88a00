"""The overview's view logic on the demo store, without Dash."""

from __future__ import annotations

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


def test_largest_gaps_table_ranks_district_gaps_and_shows_n(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    con = demo_con
    frame = overview.top_gaps_frame(con, from_query("?lang=en"))
    assert 0 < len(frame) <= overview.TOP_GAPS
    assert list(frame["gap_pp"]) == sorted(frame["gap_pp"], reverse=True)
    assert set(frame["level"]) == {"district"}
    assert (frame["respondents_n"] >= 10).all()


def test_choosing_a_district_ranks_its_grids(demo_con: duckdb.DuckDBPyConnection) -> None:
    con = demo_con
    frame = overview.top_gaps_frame(con, from_query("?lang=en&region=140425&min_n=5"))
    assert set(frame["level"]) == {"grid"}
    assert frame["region_id"].str.startswith("140425").all()


def test_unmet_need_shows_the_four_cells_per_service_summing_to_one(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    _, _, _, unmet, _ = _update(demo_con, "?lang=en")
    assert [trace.name for trace in unmet.data] == [
        "needs it, received it",
        "needs it, did not receive it",
        "received it without needing it",
        "neither",
    ]
    totals = [sum(values) for values in zip(*(trace.x for trace in unmet.data), strict=True)]
    assert all(abs(total - 100) < 1e-6 for total in totals if total == total)


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
