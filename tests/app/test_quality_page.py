"""Quality-of-life view: the callback body on the small demo store."""

from __future__ import annotations

import json

import plotly.graph_objects as go
from dash import html

from dashboard.app.context import AppContext
from dashboard.app.pages import quality
from dashboard.app.state import from_query
from dashboard.i18n import t
from dashboard.stats.tables import ALL_SERVICES

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


def test_captions_state_the_study_directions(app_ctx: AppContext) -> None:
    out = quality.update(app_ctx, from_query("?lang=en"))
    captions = dict(zip(quality.TABLES, out[6::2], strict=True))
    assert captions["t4"].startswith("Lower quality of life goes with more need: r = −0.")
    assert captions["t5"].startswith("Lower quality of life goes with fewer services received")
    assert "ADL total" in captions["t1"] and "enter the stepwise model" in captions["t1"]
    assert "Disease knowledge education" in captions["t2"]
    assert "Injection" in captions["t3"]


def test_profile_groups_follow_the_dropdown(app_ctx: AppContext) -> None:
    out = quality.update(app_ctx, from_query("?lang=en&dimension=adl_level"))
    names = [trace.name.split(" (")[0] for trace in out[0].data]
    assert names[:2] == ["normal", "mild impairment"]
    sex = quality.update(app_ctx, from_query("?lang=en&dimension=sex"))[0]
    assert sorted(trace.name.split(" (")[0] for trace in sex.data) == ["men", "women"]
    # a covariate the profile does not offer falls back to age group
    other = quality.update(app_ctx, from_query("?lang=en&dimension=education"))[0]
    assert other.data[0].name.startswith("60-69")


def test_small_groups_are_suppressed(app_ctx: AppContext) -> None:
    state = from_query("?lang=en&dimension=adl_level&min_n=200")
    frame = quality.profile_frame(app_ctx.cursor(), state)
    small = frame[frame["respondents_n"] < 200]
    assert len(small) and small["suppressed"].all() and small["pf"].isna().all()
    grades = quality.grades_frame(app_ctx.cursor(), state)
    hidden = grades[grades["respondents_n"] < 200]
    assert len(hidden) and hidden["share"].isna().all()
    t4 = quality.t4_frame(app_ctx.cursor(), from_query("?lang=en&min_n=5000"))
    assert t4["suppressed"].all() and t4["r"].isna().all()


def test_filters_apply(app_ctx: AppContext) -> None:
    con = app_ctx.cursor()
    everyone = quality.grades_frame(con, from_query("?lang=en"))
    women = quality.grades_frame(con, from_query("?lang=en&sex=F"))
    assert women["respondents_n"].sum() < everyone["respondents_n"].sum()
    t2_strict = quality.t2_frame(con, from_query("?threshold=5"))
    t2_loose = quality.t2_frame(con, from_query("?threshold=3"))
    assert (t2_strict["demand_rate"] < t2_loose["demand_rate"]).all()


def test_downloads_are_aggregates_only(app_ctx: AppContext) -> None:
    con = app_ctx.cursor()
    state = from_query("?lang=en")
    for name, fn in quality.CHARTS.items():
        frame = fn(con, state)
        assert len(frame) < 100, name  # never one row per respondent
        for banned in ("respondent_id", "need_bits", "psu", "stratum", "weight"):
            assert banned not in frame.columns, (name, banned)
    t4 = quality.t4_frame(con, state)
    assert t4["item_code"].iloc[0] == ALL_SERVICES


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
