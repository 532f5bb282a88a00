"""The data page shows what is loaded, from the store's metadata."""

from __future__ import annotations

import json

from dashboard.app.context import AppContext
from dashboard.app.pages import data_page
from dashboard.views.state import from_query


def test_data_page_lists_versions_counts_files_dictionary_and_history(app_ctx: AppContext) -> None:
    text = json.dumps(
        data_page.layout(app_ctx, from_query("?lang=en")).to_plotly_json(),
        default=str,
        ensure_ascii=False,
    )
    for expected in ("deliveries.parquet", "30,000", "Import history", "respondent_id", "grid"):
        assert expected in text


def test_data_page_in_chinese_translates_the_dictionary(app_ctx: AppContext) -> None:
    text = json.dumps(
        data_page.layout(app_ctx, from_query("?lang=zh")).to_plotly_json(),
        default=str,
        ensure_ascii=False,
    )
    assert "数据字典" in text and "受访者编号" in text
