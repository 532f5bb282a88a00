"""Quality-of-life view: the callback body on the small demo store."""

from __future__ import annotations

import json

import plotly.graph_objects as go
from dash import html

from dashboard.app.context import AppContext
from dashboard.app.pages import quality
from dashboard.i18n import t
from dashboard.views.state import from_query

N_OUTPUTS = 6 + 2 * len(quality.TABLES)


def _texts(component: object) -> list[str]:
    """Every string inside a component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [s for c in component for s in _texts(c)]
    children = getattr(component, "children", None)
    return _texts(children) if children is not None else []


def test_everything_is_drawn_in_both_languages(app_ctx: AppContext) -> None:
    for lang in ("en", "zh"):
        out = quality.update(app_ctx, from_query(f"?lang={lang}"))
        assert len(out) == N_OUTPUTS
        profile, _, grades, grades_caption, adl, adl_caption = out[:6]
        for fig in (profile, grades, adl):
            assert isinstance(fig, go.Figure) and len(fig.data) > 0
        assert len(profile.data) == 3  # age groups 60-69, 70-79, 80+
        assert len(profile.data[0].x) == 8  # the eight SF-36 domains
        assert list(grades.data[0].x) == [TEXT_VALUE[lang][v] for v in ("poor", "medium", "good")]
        assert "n = 3,000" in grades_caption and "n = 3,000" in adl_caption
        for i, name in enumerate(quality.TABLES):
            caption, table = out[6 + 2 * i], out[7 + 2 * i]
            assert caption, name
            assert _texts(table), name


TEXT_VALUE = {
    "en": {"poor": "poor", "medium": "medium", "good": "good"},
    "zh": {"poor": "差", "medium": "中", "good": "好"},
}


def test_reading_note_and_adl_overlap_are_on_the_page(app_ctx: AppContext) -> None:
    for lang in ("en", "zh"):
        page = quality.layout(app_ctx, from_query(f"?lang={lang}"))
        text = " ".join(_texts(page))
        assert t("ui.qol_reading", lang) in text
        assert t("ui.adl_note", lang) in text
        assert ("35–145" in text) and ("72" in text) and ("117" in text)
    en = " ".join(_texts(quality.layout(app_ctx, from_query("?lang=en"))))
    assert "overlap at 40" in en and "Zhang Lei" in en


def test_empty_slice_says_so(app_ctx: AppContext) -> None:
    out = quality.update(app_ctx, from_query("?lang=en&age=%3C60"))
    assert len(out) == N_OUTPUTS
    assert "No respondents" in json.dumps(out[0].to_plotly_json()["layout"]["annotations"])
    assert isinstance(out[7], html.P)
