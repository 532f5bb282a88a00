"""The default sequence and slides of views, computed from small stores."""

from __future__ import annotations

import re

import duckdb
import pytest

from dashboard.briefing import (
    Briefing,
    build_sequence,
    default_sequence,
    open_briefing,
    slide_for_view,
)
from dashboard.briefing.meta import deck_meta

KINDS = ["overview", "top_gaps", "map", "map_grids", "groups", "quality"]


@pytest.fixture(scope="module")
def english(demo_con: duckdb.DuckDBPyConnection):
    return build_sequence(demo_con, None, "en")


def test_the_default_sequence_tells_the_story_in_six_slides(english) -> None:
    slides, skipped = english
    assert [s.kind for s in slides] == KINDS
    assert skipped == []
    for slide in slides:
        assert slide.title and slide.finding.endswith(".")
        assert slide.n > 0 and f"{slide.n:,}" in slide.n_text
        assert "need = answer ≥ 4 of 5" in slide.filters
        assert slide.view.url in slide.notes
        assert "fewer than 10 respondents are never shown" in slide.notes
    assert [s.view.path for s in slides] == ["/", "/", "/map", "/map", "/groups", "/quality"]
    maps = [s for s in slides if s.is_map]
    assert maps and all("AMap" in s.source for s in maps)
    assert not any("AMap" in s.source for s in slides if not s.is_map)


def test_the_first_finding_is_computed_from_its_own_chart(english) -> None:
    overview = english[0][0]
    # the dumbbell's need dots are 100 × demand_rate per service: the sentence's first
    # percentage is the largest of them, rounded
    need = [x for x in overview.figure.data[1].x if x is not None]
    said = [int(p) for p in re.findall(r"(\d+)%", overview.finding)]
    assert said[0] == round(max(need))


def test_the_map_slides_name_the_largest_gap_of_their_map(english) -> None:
    slides = english[0]
    city, grids = slides[2], slides[3]
    item = city.view.params()["item"]
    assert grids.view.params()["item"] == item
    assert grids.view.params()["district"]
    top_z = max(city.figure.data[0].z)
    assert f"({round(top_z)}\u00a0pp" in city.finding


def test_chinese_slides_speak_chinese(demo_con: duckdb.DuckDBPyConnection) -> None:
    slides = default_sequence(demo_con, "?region=", "zh")
    assert slides[0].finding.startswith("在长治市")
    assert "个百分点" in slides[1].finding
    assert all(s.view.params()["lang"] == "zh" for s in slides)
    assert "受访居民" in slides[0].n_text


def test_a_strict_minimum_n_hides_figures_everywhere(demo_con: duckdb.DuckDBPyConnection) -> None:
    slides, skipped = build_sequence(demo_con, "?min_n=5000", "en")
    said = " ".join(s.finding + s.notes for s in slides)
    assert "Too few respondents" in said or "too few respondents" in said
    assert not re.search(r"\d+(\.\d)?%", " ".join(s.finding for s in slides))
    assert any("map" in x.kind for x in skipped)


def test_a_dataset_without_boundaries_or_scores_leaves_those_slides_out(
    plain_con: duckdb.DuckDBPyConnection,
) -> None:
    slides, skipped = build_sequence(plain_con, None, "en")
    kinds = [s.kind for s in slides]
    assert "map" not in kinds and "quality" not in kinds
    reasons = " ".join(x.reason for x in skipped)
    assert "no boundaries" in reasons and "quality-of-life" in reasons
    meta = deck_meta(plain_con, None, "en", skipped)
    assert meta.credit == ""  # no map, no boundary credit
    assert "no boundaries" in meta.skipped


def test_any_view_becomes_a_slide(demo_con: duckdb.DuckDBPyConnection) -> None:
    grids = slide_for_view(demo_con, "/map", "?measure=demand_rate&district=140427", "en")
    assert grids.kind == "map_grids" and "by grid" in grids.title
    assert "highest in" in grids.finding
    heat = slide_for_view(demo_con, "/groups", "dimension=sex&chart=group_heatmap", "zh")
    assert heat.kind == "group_heatmap" and "性别" in heat.title
    assert slide_for_view(demo_con, "/", "?chart=mix&lang=zh", "en").kind == "mix"
    assert slide_for_view(demo_con, "/quality", "", "en").kind == "quality"
    trend = slide_for_view(demo_con, "/", "?chart=trend&breakdown=service", "en")
    assert trend.kind == "trend" and trend.title.startswith("Station deliveries per month")
    assert (
        trend.finding.startswith("Deliveries peaked in ") and "deliveries recorded" in trend.n_text
    )
    assert len(trend.figure.data) == 12 and trend.view.params()["chart"] == "trend"
    with pytest.raises(ValueError, match="not a view"):
        slide_for_view(demo_con, "/data", "", "en")


def test_a_view_the_data_cannot_draw_says_why(plain_con: duckdb.DuckDBPyConnection) -> None:
    slide = slide_for_view(plain_con, "/map", "", "en")
    assert "no boundaries" in slide.finding and slide.n == 0


def test_a_briefing_is_saved_and_reopened_from_the_data(english, demo_con) -> None:
    slides = english[0]
    saved = Briefing.of("Board meeting", "en", slides).to_json()
    reopened = Briefing.from_json(saved)
    assert reopened.title == "Board meeting" and len(reopened.views) == len(slides)
    again = open_briefing(demo_con, reopened)
    assert [s.title for s in again] == [s.title for s in slides]
    assert [s.finding for s in again] == [s.finding for s in slides]
    chinese = open_briefing(demo_con, Briefing("会议", "zh", reopened.views))
    assert chinese[0].finding.startswith("在长治市")


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"format": 2}',
        '{"format": 1, "lang": "fr"}',
        '{"format": 1, "lang": "en", "views": [{"path": "/data"}]}',
    ],
)
def test_a_malformed_briefing_file_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError):
        Briefing.from_json(text)


def test_the_title_slide_names_dataset_filters_date_and_credit(demo_con) -> None:
    meta = deck_meta(demo_con, "?age=70-79", "en")
    assert meta.title == "Community care in Changzhi: need and provision"
    assert "aged 70-79" in meta.filters
    assert "Survey" in meta.dataset and "n = " in meta.dataset
    assert meta.date.startswith("Prepared 20")
    assert "AMap" in meta.credit


def test_a_station_view_becomes_its_slide_and_no_station_says_why(demo_con) -> None:
    from dashboard import data
    from dashboard.briefing.slides import slide_for_view

    station = str(data.stations(demo_con)["station_id"].iloc[0])
    for chart in ("station_months", "station_mix", "station_targets"):
        slide = slide_for_view(demo_con, "/stations", f"?station={station}&chart={chart}", "en")
        assert slide.kind == chart and slide.figure.data, chart
        assert slide.view.path == "/stations" and station in slide.view.query
    empty = slide_for_view(demo_con, "/stations", "?chart=station_mix", "en")
    assert "No station" in empty.title
