"""Shell: routing by URL, language switch links, downloads with filters on top."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd

from dashboard.app import shell
from dashboard.app.context import AppContext
from dashboard.app.factory import PAGES
from dashboard.app.pages import overview
from dashboard.app.shell import build_download, render
from dashboard.app.state import from_query


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


def test_csv_download_writes_filters_on_top_and_hides_suppressed_figures(
    app_ctx: AppContext,
) -> None:
    state = from_query("?lang=en&sex=F&min_n=5000")
    payload = build_download(app_ctx, overview.CHARTS, "dumbbell", "csv", state)
    text = base64.b64decode(payload["content"]).decode("utf-8-sig")
    head, _, table = text.partition("\n\n")
    assert "Sex,Women" in head and "Minimum n" in head
    frame = pd.read_csv(io.StringIO(table))
    assert frame["suppressed"].all() and frame["demand_rate"].isna().all()
    assert payload["filename"] == "caregap-dumbbell.csv"


def test_excel_download_opens_with_filters_then_the_table(app_ctx: AppContext) -> None:
    payload = build_download(app_ctx, overview.CHARTS, "top_gaps", "xlsx", from_query("?lang=zh"))
    sheet = pd.read_excel(io.BytesIO(base64.b64decode(payload["content"])), header=None)
    assert sheet.iloc[0, 0] == "地区"
    assert "gap_pp" in list(sheet.iloc[8])


def test_the_area_list_stops_at_the_deepest_level_that_keeps_it_short() -> None:
    rows = [("C", "city", 0)] + [(f"D{i}", "district", 1) for i in range(12)]
    rows += [(f"S{i}", "street", 2) for i in range(1000)]
    rows += [(f"G{i}", "grid", 3) for i in range(20_000)]
    tree = pd.DataFrame(rows, columns=["region_id", "level", "depth"])
    assert shell._listed_levels(tree) == {"city", "district", "street"}
    small = tree[tree["level"] != "street"].head(400)
    assert shell._listed_levels(small) == {"city", "district", "grid"}
