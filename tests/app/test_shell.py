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
    assert "gap_pp" in content.decode("utf-8-sig")


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
