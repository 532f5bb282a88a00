"""The title slide claims only the filters its slides use."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go

from dashboard.briefing.meta import deck_meta
from dashboard.briefing.records import Slide, View
from dashboard.i18n import t


def _slide(filters: str, area: str = "Pingshun County") -> Slide:
    return Slide(
        kind="map",
        title="t",
        finding="f",
        n=100,
        n_text="n = 100",
        filters=filters,
        figure=go.Figure(),
        notes="",
        view=View("/map", "?lang=en"),
        area=area,
    )


def test_slides_sharing_their_filters_are_named_by_them(plain_con) -> None:
    shared = "Pingshun County · aged 80+ · men and women"
    meta = deck_meta(plain_con, "?lang=en", "en", slides=[_slide(shared), _slide(shared)])
    assert meta.filters == shared
    assert "Pingshun County" in meta.title


def test_slides_with_filters_of_their_own_are_not_given_the_page_s(plain_con) -> None:
    slides = [_slide("A · all ages"), _slide("A · aged 80+")]
    meta = deck_meta(plain_con, "?lang=en&age=70-79", "en", slides=slides)
    assert meta.filters == t("briefing.deck_filters_per_slide", "en", n=2)
    assert "70-79" not in meta.filters and "all ages" not in meta.filters


def test_without_slides_the_title_slide_names_the_filters_asked_for(plain_con) -> None:
    meta = deck_meta(plain_con, "?lang=en&age=70-79", "en")
    assert "aged 70-79" in meta.filters
    zh = deck_meta(plain_con, "?lang=zh", "zh", slides=[replace(_slide("甲"), area="")])
    assert zh.filters == "甲"
