"""Shell: routing by URL, language switch links, and the download callback's wiring."""

from __future__ import annotations

import json

import pytest

from dashboard.app.context import AppContext
from dashboard.app.factory import PAGES, create_app
from dashboard.app.shell import render
from tests.conftest import post_download


def _json(component: object) -> str:
    return json.dumps(component.to_plotly_json(), default=str, ensure_ascii=False)


def test_every_page_renders_in_both_languages(app_ctx: AppContext) -> None:
    for path in PAGES:
        assert "总览" in _json(render(app_ctx, PAGES, path, "?lang=zh"))
        assert "Overview" in _json(render(app_ctx, PAGES, path, "?lang=en"))


def test_an_unknown_path_says_it_is_not_a_page_with_a_link_to_each_view(
    app_ctx: AppContext,
) -> None:
    for lang, title in (("en", "Page not found"), ("zh", "找不到此页面")):
        shown = _json(render(app_ctx, PAGES, "/nope", f"?lang={lang}&sex=F"))
        assert title in shown and "/nope" in shown
        for path in PAGES:
            assert f"{path}?lang={lang}&sex=F" in shown, path
        assert "chart-dumbbell" not in shown  # no overview drawn under a wrong address


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_server_answers_an_unknown_path_with_404_in_the_asked_language(
    demo_db, lang: str
) -> None:
    from dashboard.app.factory import create_app

    client = create_app(demo_db, "zh").server.test_client()
    response = client.get(f"/stationz?lang={lang}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert ("Page not found" if lang == "en" else "找不到此页面") in page
    assert f'href="/map?lang={lang}"' in page and "/stationz" in page
    for served in ("/", "/map?lang=en", "/assets/caregap.css", "/api/v1/meta", "/login"):
        assert client.get(served).status_code != 404, served
    assert client.post("/_dash-update-component", json={}).status_code != 404
    assert client.get("/api/v1/nothing").status_code == 404
    assert "openapi.json" in client.get("/api/v1/nothing").get_json()["error"]


def test_language_link_keeps_the_filters(app_ctx: AppContext) -> None:
    text = _json(render(app_ctx, PAGES, "/groups", "?lang=en&sex=F&threshold=3"))
    assert "/groups?lang=zh&sex=F&threshold=3" in text


def test_the_download_button_sends_the_charts_file(demo_db) -> None:
    """A click on a chart's CSV button, posted as the browser posts it, returns that file."""
    client = create_app(demo_db, "en").server.test_client()
    name, content = post_download(client, "top_gaps", "csv", "/?lang=en")
    assert name == "caregap-top_gaps.csv"
    assert "Gap (need − received, pp)" in content.decode("utf-8-sig")


def test_the_overview_draws_the_monthly_trend_with_its_breakdown_switch(
    app_ctx: AppContext,
) -> None:
    from dashboard.app.pages import overview as page
    from dashboard.views.state import from_query

    text = _json(render(app_ctx, PAGES, "/", "?lang=zh&breakdown=service"))
    assert "chart-trend" in text and "服务站每月服务次数" in text
    assert "按类别" in text and "按服务项目" in text
    switch = page.breakdown_switch(from_query("?lang=en&breakdown=service"))
    assert switch.children.value == "service" and switch.children.id == page.BREAKDOWN
    by_service = page.trend_update(app_ctx, from_query("?lang=en&breakdown=service"))
    by_category = page.trend_update(app_ctx, from_query("?lang=en"))
    assert len(by_service.data) == 12 and len(by_category.data) == 6
    empty = page.trend_update(app_ctx, from_query("?lang=en&start=2010-01-01&end=2010-02-01"))
    assert empty.layout.annotations[0].text == "No station deliveries in this period."


def test_the_trend_redraws_on_the_period_and_the_switch(demo_db) -> None:
    app = create_app(demo_db, "en")
    key = next(k for k in app.callback_map if k.startswith("chart-trend.figure"))
    inputs = [i["id"] for i in app.callback_map[key]["inputs"]]
    assert "filter-period" in inputs
    assert any("breakdown" in str(i) and '"state"' in str(i) for i in inputs)


def test_the_trend_download_follows_the_breakdown_in_the_url(demo_db) -> None:
    client = create_app(demo_db, "en").server.test_client()
    name, content = post_download(client, "trend", "csv", "/?lang=en&breakdown=service")
    assert name == "caregap-trend.csv"
    assert "care_injection" in content.decode("utf-8-sig")


# -- issue 14 (nav): wrong input said, history steps, Chinese widgets, period presets


def test_a_wrong_link_is_said_above_the_page_in_its_language(app_ctx: AppContext) -> None:
    shown = _json(render(app_ctx, PAGES, "/", "?lang=en&region=bogus&threshold=9"))
    assert "The link asks for area “bogus”, which the data does not hold" in shown
    assert "need threshold 9, outside 1–5" in shown
    zh = _json(render(app_ctx, PAGES, "/", "?lang=zh&start=2099-01-01&end=2099-02-01"))
    assert "没有服务记录" in zh
    clean = render(app_ctx, PAGES, "/", "?lang=en")
    assert "The link asks" not in _json(clean)


def test_back_to_other_filters_redraws_the_page_and_the_syncs_own_step_does_not() -> None:
    from dashboard.app.shell import rerender

    shown = "/?lang=en&sex=F"
    assert not rerender("?lang=en&sex=F", shown)  # the URL sync's own step
    assert rerender("?lang=en", shown)  # Back to the filters before
    assert not rerender("?lang=en&sex=F", "/map?lang=en&sex=F")  # a new view: route draws it
    assert not rerender("?lang=en", None)  # before the first sync: route draws the page


def test_filter_changes_are_pushed_and_the_page_opening_replaced(demo_db) -> None:
    """The URL sync's script: a history step for a person's change, not for the opening."""
    app = create_app(demo_db, "en")
    scripts = " ".join(str(v.get("clientside_function") or "") for v in app.callback_map.values())
    source = " ".join(app._inline_scripts) + scripts
    assert "window.history.pushState" in source and "window.history.replaceState" in source
    assert "_dashprivate_pushstate" in source
    # the route draws a new path; its twin draws Back/Forward to other filters on the same path
    inputs = {
        i["id"] + "." + i["property"]
        for k, v in app.callback_map.items()
        if k.startswith("root.children")
        for i in v["inputs"]
    }
    assert inputs == {"url.pathname", "url.search"}


def test_a_period_preset_sets_the_period_and_a_crafted_one_nothing() -> None:
    from dash import no_update

    from dashboard.app.shell import preset_update

    trigger = {"role": "period-preset", "start": "2009-01-01", "end": "2009-03-31"}
    assert preset_update(trigger, [0, 1]) == ("2009-01-01", "2009-03-31")
    assert preset_update(trigger, [0, 0]) == (no_update, no_update)
    bad = {"role": "period-preset", "start": "2009-04-01", "end": "x"}
    assert preset_update(bad, [1]) == (no_update, no_update)
    reversed_ = {"role": "period-preset", "start": "2009-04-01", "end": "2009-01-01"}
    assert preset_update(reversed_, [1]) == (no_update, no_update)


def test_the_filter_bar_offers_presets_from_the_data(app_ctx: AppContext) -> None:
    shown = _json(render(app_ctx, PAGES, "/", "?lang=zh"))
    assert "快速选择时期" in shown and "对齐调查期" in shown and "第1季度" in shown
    assert "period-preset" in shown


def _found(component: object, kind: type) -> list:
    """Every component of `kind` in a layout tree."""
    found = [component] if isinstance(component, kind) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _found(child, kind)
    return found


def _dropdowns(component: object) -> list:
    from dash import dcc

    return _found(component, dcc.Dropdown)


def test_every_dropdown_and_the_date_picker_speak_chinese(app_ctx: AppContext) -> None:
    for path in PAGES:
        dropdowns = _dropdowns(render(app_ctx, PAGES, path, "?lang=zh"))
        assert dropdowns, path
        for dropdown in dropdowns:
            assert dropdown.labels["search"] == "搜索", (path, dropdown.id)
            assert dropdown.labels["no_options_found"] == "没有匹配的选项"
    from dash import dcc

    for lang, month in (("zh", "YYYY年M月"), ("en", "MMMM YYYY")):
        (picker,) = _found(render(app_ctx, PAGES, "/", f"?lang={lang}"), dcc.DatePickerRange)
        assert picker.month_format == month and picker.first_day_of_week == 1


def test_the_area_list_indents_by_css_and_shows_the_bare_name(app_ctx: AppContext) -> None:
    from dashboard.app import ids

    region = next(
        d for d in _dropdowns(render(app_ctx, PAGES, "/", "?lang=en")) if d.id == ids.REGION
    )
    assert region.maxHeight >= 400
    labels = [o["label"] for o in region.options]
    assert all("\u2003" not in o["search"] for o in region.options)
    assert {label.className.split()[-1] for label in labels} >= {"cg-depth-0", "cg-depth-1"}
    assert all(o["search"] == o["label"].children for o in region.options)


def test_a_selected_grid_the_list_does_not_show_is_offered_under_its_district(
    app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import cache, data
    from dashboard.app import ids
    from dashboard.views import areas

    monkeypatch.setattr(areas, "MAX_LISTED_REGIONS", 3)  # the city and its districts only
    cache.clear_all()
    try:
        tree = data.region_tree(app_ctx.cursor())
        grid = tree[tree["level"] == "grid"].iloc[0]  # in the first district: not at the end
        for region in (None, grid["region_id"]):
            query = "?lang=en" + (f"&region={region}" if region else "")
            (dropdown,) = [
                d for d in _dropdowns(render(app_ctx, PAGES, "/", query)) if d.id == ids.REGION
            ]
            values = [o["value"] for o in dropdown.options]
            levels = dict(zip(tree["region_id"], tree["level"], strict=True))
            grids = [v for v in values if levels[v] == "grid"]
            assert grids == ([] if region is None else [region])
        at = values.index(grid["region_id"])
        assert values[at - 1] == grid["district_id"]  # after its district, before the next one
        assert values == [v for v in tree["region_id"] if v in set(values)]  # in tree order
    finally:
        cache.clear_all()
