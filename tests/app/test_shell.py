"""Shell: routing by URL, language switch links, and the download callback's wiring."""

from __future__ import annotations

import json

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


def test_unknown_paths_show_the_overview(app_ctx: AppContext) -> None:
    assert _json(render(app_ctx, PAGES, "/nope", "?lang=en")) == _json(
        render(app_ctx, PAGES, "/", "?lang=en")
    )


def test_language_link_keeps_the_filters(app_ctx: AppContext) -> None:
    text = _json(render(app_ctx, PAGES, "/groups", "?lang=en&sex=F&threshold=3"))
    assert "/groups?lang=zh&sex=F&threshold=3" in text


def test_the_download_button_sends_the_charts_file(demo_db) -> None:
    """A click on a chart's CSV button, posted as the browser posts it, returns that file."""
    client = create_app(demo_db, "en").server.test_client()
    name, content = post_download(client, "top_gaps", "csv", "/?lang=en")
    assert name == "caregap-top_gaps.csv"
    assert "gap_pp" in content.decode("utf-8-sig")
