"""Briefing (/briefing) callbacks as plain functions on the shared demo store: the default
sequence, moving through it, adding, removing and reordering, saving and opening a file, and the
exports (PPTX, PDF, PNG, SVG: these start Chromium, so they are few)."""

from __future__ import annotations

import base64
import json

import pytest

from dashboard.app.components import briefing_store as store
from dashboard.app.context import AppContext
from dashboard.app.factory import PAGES
from dashboard.app.pages import briefing as page
from dashboard.app.shell import BRIEFING_SOURCES, render
from dashboard.briefing.records import View
from dashboard.export import fit
from dashboard.i18n import t
from dashboard.views.state import from_query

PINGSHUN = "140425"


def _json(component: object) -> str:
    return json.dumps(component.to_plotly_json(), default=str, ensure_ascii=False)


def _default(app_ctx: AppContext, lang: str = "en") -> list[View]:
    data, _items, _note = page.update_views(app_ctx, None, from_query(f"?lang={lang}"))
    assert data["default"] is True
    return page.views_from(data)


def _upload(text: str | bytes) -> str:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return "data:application/json;base64," + base64.b64encode(raw).decode("ascii")


def _bytes(payload: dict) -> bytes:
    content = payload["content"]
    return base64.b64decode(content) if payload.get("base64") else content.encode("utf-8")


# -- the page -------------------------------------------------------------------------------------


def test_the_page_renders_in_both_languages_with_its_nav_entry(app_ctx: AppContext) -> None:
    zh = _json(render(app_ctx, PAGES, "/briefing", "?lang=zh"))
    en = _json(render(app_ctx, PAGES, "/briefing", "?lang=en"))
    assert "简报" in zh and "全屏演示（F）" in zh
    assert "Briefing" in en and "Present full screen (F)" in en
    assert "id='briefing-root'" in en and "cg-briefing" in en


def test_add_to_briefing_is_offered_on_the_views_a_slide_can_show(app_ctx: AppContext) -> None:
    assert set(BRIEFING_SOURCES) == set(store.SOURCES)
    for path in PAGES:
        text = _json(render(app_ctx, PAGES, path, "?lang=en"))
        assert ("id='add-to-briefing'" in text) == (path in BRIEFING_SOURCES), path


def test_the_default_sequence_is_generated_from_the_data(app_ctx: AppContext) -> None:
    data, items, note = page.update_views(app_ctx, None, from_query("?lang=en"))
    views = page.views_from(data)
    assert data["default"] is True and note == t("ui.brief_default_note", "en")
    assert [v.path for v in views] == ["/", "/", "/map", "/map", "/groups", "/quality"]
    assert len(items) == len(views)
    shown = page.show(app_ctx, views, 0, "en")
    assert shown.counter == "1 / 6" and shown.first and not shown.last
    assert shown.title == "Need beside receipt in Changzhi"
    assert "most needed service" in shown.finding
    assert shown.n.replace("\xa0", " ").startswith("n = ") and "men and women" in shown.filters
    assert shown.source.startswith("Source: CareGap")
    assert "\u2011" in shown.filters  # dates never break across lines
    assert len(shown.figure.data) > 0
    assert shown.figure.layout.font.size >= 24  # the exports' large type, in canvas pixels
    # one fixed size on the slide canvas (scaled as a whole): the exports' very figure
    assert (shown.figure.layout.width, shown.figure.layout.height) == fit.CHART_PX
    assert shown.figure.layout.yaxis.tickfont.size >= fit.MIN_FONT_PX


def test_the_default_sequence_follows_the_filters_and_the_language(app_ctx: AppContext) -> None:
    data, _items, _note = page.update_views(app_ctx, None, from_query("?lang=zh&sex=F"))
    views = page.views_from(data)
    assert all("sex=F" in v.query for v in views)
    shown = page.show(app_ctx, views, 5, "zh")
    assert shown.counter == "6 / 6" and shown.last
    assert shown.title == "护理需求、获得与生活质量"
    assert "女" in shown.filters


def test_moving_through_the_slides_stops_at_either_end(app_ctx: AppContext) -> None:
    assert store.step(0, 1, 6) == 1
    assert store.step(5, 1, 6) == 5  # → on the last slide stays there
    assert store.step(0, -1, 6) == 0
    assert store.step(None, 1, 6) == 1
    assert store.step(9, 0, 6) == 5  # a list that shrank under the index
    assert store.step(3, 1, 0) == 0
    assert page.target_index(page.NEXT, 1, 2, 6) == 3
    assert page.target_index(page.PREV, 1, 2, 6) == 1
    assert page.target_index(page.FIRST, 1, 4, 6) == 0
    assert page.target_index(page.LAST, 1, 1, 6) == 5
    assert page.target_index(page.go_to(4), 1, 0, 6) == 4
    assert page.target_index(page.go_to(4), None, 2, 6) == 2  # a list item drawn anew
    assert page.target_index(page.VIEWS, {"views": []}, 7, 3) == 2


def test_an_empty_briefing_says_how_to_fill_it(app_ctx: AppContext) -> None:
    data, items, note = page.update_views(app_ctx, store.to_store([], "en"), from_query("?lang=en"))
    assert data == {"views": [], "default": False, "head": 0} and items == []
    assert note == t("ui.brief_custom_note", "en")
    shown = page.show(app_ctx, [], 0, "en")
    assert shown.counter == "0 / 0" and shown.finding == t("ui.brief_empty", "en")


def test_an_unreadable_store_falls_back_to_the_default(app_ctx: AppContext) -> None:
    assert store.views_of(None) is None
    assert store.views_of({"format": 99, "views": []}) is None
    assert store.views_of({"format": 1, "lang": "en", "views": [{"path": "/data"}]}) is None
    assert store.views_of(["not", "a", "briefing"]) is None


# -- editing --------------------------------------------------------------------------------------


def test_add_captures_the_view_with_its_filters_after_the_default(app_ctx: AppContext) -> None:
    con = app_ctx.cursor()
    url = f"/map?lang=en&sex=F&district={PINGSHUN}"
    added, message = store.add(con, None, url, "en")
    assert message == "Added — 7 slides"  # the default sequence for these filters, then the view
    views, default_first = store.read(added)
    assert default_first and views is not None and len(views) == 1
    last = views[-1]
    assert last.path == "/map" and f"district={PINGSHUN}" in last.query and "sex=F" in last.query
    shown = page.show(app_ctx, list(views), 0, "en")
    assert "Pingshun County" in shown.title and "women" in shown.filters

    again, message = store.add(con, added, "/groups?lang=zh&dimension=sex", "zh")
    assert message == "已加入，共 8 页"
    assert store.views_of(again)[-1].path == "/groups"  # type: ignore[index]


def test_adding_a_view_changes_no_other_slide(app_ctx: AppContext) -> None:
    """Adding an 80+ map view used to rebuild slides 1–5 for 80+ (and drop the grid slide)
    while the filter bar still said "all ages"."""
    before = _default(app_ctx)
    added, _message = store.add(app_ctx.cursor(), None, "/map?lang=en&age=80%2B", "en")
    data, items, _note = page.update_views(app_ctx, added, from_query("?lang=en"))
    shown = page.views_from(data)
    assert shown[: len(before)] == before  # the default slides as they were: all ages
    assert len(shown) == len(before) + 1 and "age=80" in shown[-1].query
    assert data["head"] == len(before)
    assert all("age=80" not in v.query for v in shown[:-1])
    # the list says each slide's own filters; the line above the slide what the bar applies to
    assert "aged 80+" in _json(items[-1]) and "aged 80+" not in _json(items[0])
    applies = page.applies_text(data["head"], len(shown), "en")
    assert f"slides 1–{len(before)}" in applies and f"{len(before) + 1}–{len(shown)}" in applies


def test_the_filter_bar_says_what_it_applies_to() -> None:
    assert "all 6 slides" in page.applies_text(6, 6, "en")
    assert "do not change" in page.applies_text(0, 3, "en")
    for lang in ("en", "zh"):
        assert page.applies_text(5, 7, lang) != page.applies_text(0, 7, lang)


def test_reordering_after_an_add_keeps_every_slide_as_shown(app_ctx: AppContext) -> None:
    added, _ = store.add(app_ctx.cursor(), None, "/map?lang=en&age=80%2B", "en")
    data, _items, _note = page.update_views(app_ctx, added, from_query("?lang=en"))
    shown = page.views_from(data)
    stored, _index = store.edit(shown, "up", len(shown) - 1, "en")
    views, default_first = store.read(stored)
    assert not default_first and sorted(map(str, views)) == sorted(map(str, shown))  # type: ignore[arg-type]


def test_add_refuses_a_view_that_cannot_be_a_slide(app_ctx: AppContext) -> None:
    added, message = store.add(app_ctx.cursor(), None, "/data?lang=en", "en")
    assert added is None and message == t("ui.add_failed", "en")
    full = store.to_store([View("/", "?lang=en")] * store.MAX_VIEWS, "en")
    added, message = store.add(app_ctx.cursor(), full, "/?lang=en", "en")
    assert added is None and str(store.MAX_VIEWS) in message


def test_slides_move_up_and_down_and_are_removed(app_ctx: AppContext) -> None:
    views = _default(app_ctx)
    stored, index = store.edit(views, "up", 2, "en")
    moved = list(store.views_of(stored))  # type: ignore[arg-type]
    assert moved[1] == views[2] and moved[2] == views[1] and index == 1
    stored, index = store.edit(views, "down", 5, "en")  # the last cannot go further down
    assert list(store.views_of(stored)) == views and index == 5  # type: ignore[arg-type]
    stored, index = store.edit(views, "up", 0, "en")
    assert list(store.views_of(stored)) == views and index == 0  # type: ignore[arg-type]
    stored, index = store.edit(views, "remove", 5, "en")
    left = list(store.views_of(stored))  # type: ignore[arg-type]
    assert left == views[:5] and index == 4
    _data, items, _note = page.update_views(app_ctx, stored, from_query("?lang=en"))
    assert len(items) == 5


def test_a_saved_briefing_opens_again(app_ctx: AppContext) -> None:
    views = _default(app_ctx, "zh")[::-1]
    payload = page.save(views, "zh")
    assert payload["filename"].startswith("caregap-briefing-")
    assert payload["filename"].endswith(".json")
    opened, message = store.open_file(_upload(_bytes(payload)), payload["filename"], "zh")
    assert opened is not None and message.startswith("已打开")
    assert list(store.views_of(opened)) == views  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "brief_err_json"),
        (b"{not json", "brief_err_json"),
        (json.dumps({"format": 2, "lang": "en", "views": []}).encode(), "brief_err_format"),
        (json.dumps(["a", "list"]).encode(), "brief_err_format"),
        (
            json.dumps({"format": 1, "lang": "en", "views": [{"path": "/data"}]}).encode(),
            "brief_err_view",
        ),
        (
            json.dumps(
                {"format": 1, "lang": "en", "views": [{"path": "/"}] * (store.MAX_VIEWS + 1)}
            ).encode(),
            "brief_err_size",
        ),
        (b" " * (store.MAX_UPLOAD_BYTES + 1), "brief_err_large"),
    ],
)
def test_a_bad_file_is_refused_in_plain_words(content: bytes, reason: str) -> None:
    for lang in ("en", "zh"):
        opened, message = store.open_file(_upload(content), "slides.json", lang)
        assert opened is None
        assert message.startswith("slides.json")
        why = t(
            f"ui.{reason}", lang, path="/data", n=store.MAX_VIEWS, kb=store.MAX_UPLOAD_BYTES // 1024
        )
        assert why in message
        assert "Traceback" not in message and "Error" not in message


def test_a_broken_upload_is_refused_too() -> None:
    opened, message = store.open_file("data:application/json;base64,@@@", None, "en")
    assert opened is None and t("ui.brief_err_json", "en") in message


# -- exports --------------------------------------------------------------------------------------


def test_the_briefing_exports_as_powerpoint_and_pdf(app_ctx: AppContext) -> None:
    views = _default(app_ctx)[:2]
    payload, message = page.export_file(app_ctx, views, 0, "pptx", from_query("?lang=en"))
    assert payload is not None, message
    assert payload["filename"].endswith(".pptx") and _bytes(payload)[:2] == b"PK"
    # the message keeps the file's date on one line (non-breaking hyphens); the name is plain
    assert message.replace("\u2011", "-").startswith(payload["filename"] + " is ready")
    payload, message = page.export_file(app_ctx, views, 0, "pdf", from_query("?lang=zh"))
    assert payload is not None, message
    assert payload["filename"].endswith(".pdf") and _bytes(payload)[:5] == b"%PDF-"
    assert "已生成" in message


def test_the_shown_chart_exports_as_png_and_svg(app_ctx: AppContext) -> None:
    views = _default(app_ctx)
    payload, message = page.export_file(app_ctx, views, 2, "png", from_query("?lang=en"))
    assert payload is not None, message
    assert payload["filename"].startswith("caregap-map-")
    assert _bytes(payload)[:8] == b"\x89PNG\r\n\x1a\n"
    payload, message = page.export_file(app_ctx, views, 0, "svg", from_query("?lang=en"))
    assert payload is not None, message
    assert b"<svg" in _bytes(payload)[:200]


def test_an_export_without_a_browser_says_so(app_ctx: AppContext, monkeypatch) -> None:
    monkeypatch.setenv("CAREGAP_CHROMIUM", "/nonexistent/chromium")
    views = _default(app_ctx)[:1]
    payload, message = page.export_file(app_ctx, views, 0, "png", from_query("?lang=en"))
    assert payload is None
    assert message.startswith("The export failed: ") and "/nonexistent/chromium" in message
