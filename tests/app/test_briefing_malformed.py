"""A malformed briefing — a file anyone can write, or browser storage anyone can edit — gets the
plain message (or the default sequence), never an error: deep nesting, wrong types, huge numbers."""

from __future__ import annotations

import base64
import json

import pytest

from dashboard.app import ids
from dashboard.app.components import briefing_store as store
from dashboard.app.context import AppContext
from dashboard.app.pages import briefing as page
from dashboard.i18n import t
from dashboard.views.state import from_query

DEEP = "[" * 100_000 + "]" * 100_000


def _doc(**fields: object) -> dict[str, object]:
    return {"format": 1, "lang": "en", "views": [{"path": "/"}], **fields}


def _upload(text: str) -> str:
    return "data:application/json;base64," + base64.b64encode(text.encode()).decode("ascii")


def _deep_python(depth: int = 100_000) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


BAD_FILES = {
    "nested 100,000 deep": (DEEP, "brief_err_json"),
    "views nested deep": ('{"format":1,"lang":"en","views":' + DEEP + "}", "brief_err_json"),
    "an unknown field nested deep": (
        '{"format":1,"lang":"en","x":' + DEEP + ',"views":[]}',
        "brief_err_json",
    ),
    "views a string": (json.dumps(_doc(views="/map")), "brief_err_format"),
    "views a number": (json.dumps(_doc(views=5)), "brief_err_format"),
    "views an object": (json.dumps(_doc(views={"path": "/"})), "brief_err_format"),
    "a view a number": (json.dumps(_doc(views=[3])), "brief_err_format"),
    "a view's path a list": (json.dumps(_doc(views=[{"path": ["/"]}])), "brief_err_format"),
    "a view's query a list": (
        json.dumps(_doc(views=[{"path": "/", "query": ["a"]}])),
        "brief_err_format",
    ),
    "a view's query an object": (
        json.dumps(_doc(views=[{"path": "/", "query": {"a": 1}}])),
        "brief_err_format",
    ),
    "format the text 1": (json.dumps(_doc(format="1")), "brief_err_format"),
    "format true": (json.dumps(_doc(format=True)), "brief_err_format"),
    "format 1.0": (json.dumps(_doc(format=1.0)), "brief_err_format"),
    "lang a list": (json.dumps(_doc(lang=["en"])), "brief_err_format"),
    "title an object": (json.dumps(_doc(title={"a": 1})), "brief_err_format"),
    "format a 5,000-digit number": (
        '{"format":1' + "0" * 5000 + ',"lang":"en","views":[]}',
        "brief_err_json",
    ),
    "format 1e999": ('{"format":1e999,"lang":"en","views":[]}', "brief_err_format"),
    "format NaN": ('{"format":NaN,"lang":"en","views":[]}', "brief_err_format"),
    "a 100,000-character query": (
        json.dumps(_doc(views=[{"path": "/", "query": "?x=" + "9" * 100_000}])),
        "brief_err_format",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_malformed_file_is_refused_in_plain_words(case: str) -> None:
    text, reason = BAD_FILES[case]
    for lang in ("en", "zh"):
        opened, message = store.open_file(_upload(text), "slides.json", lang)
        assert opened is None
        assert message == t(
            "ui.brief_not_opened", lang, name="slides.json", reason=t(f"ui.{reason}", lang)
        )


def _post_upload(client, contents: str, stored: object = None) -> dict:
    """The briefing page's upload, posted to the server as the browser posts it."""
    app_outputs = [
        (ids.BRIEFING, "data"),
        ("briefing-index", "data"),
        (page.MESSAGE, "children"),
        (page.UPLOAD, "contents"),
    ]
    key = next(k for k in client.dash_app.callback_map if f"{page.MESSAGE}." in k)
    body = {
        "output": key,
        "outputs": [
            {"id": i, "property": part.split(".", 1)[1]}
            for (i, _), part in zip(app_outputs, key.strip(".").split("..."), strict=True)
        ],
        "inputs": [
            [],
            [],
            [],
            {"id": page.RESET, "property": "n_clicks", "value": None},
            {"id": page.UPLOAD, "property": "contents", "value": contents},
        ],
        "state": [
            {"id": page.UPLOAD, "property": "filename", "value": "slides.json"},
            {"id": page.VIEWS, "property": "data", "value": stored},
            {"id": "url", "property": "search", "value": "?lang=en"},
        ],
        "changedPropIds": [f"{page.UPLOAD}.contents"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_malformed_file_uploaded_to_the_page_gets_the_message(client, case: str) -> None:
    text, reason = BAD_FILES[case]
    answer = _post_upload(client, _upload(text))
    message = t("ui.brief_not_opened", "en", name="slides.json", reason=t(f"ui.{reason}", "en"))
    assert answer[page.MESSAGE]["children"] == message
    assert ids.BRIEFING not in answer  # the stored briefing is left as it was


def test_a_good_file_uploaded_to_the_page_opens(client) -> None:
    answer = _post_upload(client, _upload(json.dumps(_doc(views=[{"path": "/map"}]))))
    assert answer[ids.BRIEFING]["data"]["views"] == [{"path": "/map", "query": ""}]


def test_the_pages_list_data_sent_back_malformed_is_no_error(client) -> None:
    answer = _post_upload(client, _upload("{}"), stored={"views": [3, {"path": ["x"]}]})
    assert page.MESSAGE in answer


HOSTILE_STORES = {
    "nested 100,000 deep": _deep_python(),
    "views nested deep": {"format": 1, "lang": "en", "views": _deep_python()},
    "an unknown field nested deep": {
        "format": 1,
        "lang": "en",
        "x": _deep_python(),
        "views": [{"path": "/"}],
    },
    "views a string": _doc(views="/map"),
    "views a number": _doc(views=5),
    "a view a number": _doc(views=[3]),
    "a view's query a list": _doc(views=[{"path": "/", "query": ["a"]}]),
    "a view's path a list": _doc(views=[{"path": ["/"]}]),
    "format the text 1": _doc(format="1"),
    "format true": _doc(format=True),
    "format huge": _doc(format=10**300),
    "format a float": _doc(format=1e308),
    "a string": "briefing",
    "a number": 12,
    "too many views": _doc(views=[{"path": "/"}] * (store.MAX_VIEWS + 1)),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_STORES))
def test_a_malformed_store_falls_back_to_the_default(app_ctx: AppContext, case: str) -> None:
    stored = HOSTILE_STORES[case]
    data, items, note = page.update_views(app_ctx, stored, from_query("?lang=en"))
    assert items and note
    if case == "an unknown field nested deep":  # ignored: the views are read
        assert [v.path for v in store.views_of(stored)] == ["/"] and data["default"] is False
    else:
        assert store.views_of(stored) is None and data["default"] is True


def test_huge_numbers_in_a_views_query_still_give_slides(app_ctx: AppContext) -> None:
    stored = _doc(
        views=[
            {"path": "/", "query": "?threshold=1e308&min_n=99999999999999999999&start=9999-99"},
            {"path": "/map", "query": "?district=1e400&item=%00&measure=<a>"},
            {"path": "/groups", "query": "?by=zzz&item=" + "9" * 400},
            {"path": "/quality", "query": "?chart=t9&threshold=-1"},
        ]
    )
    slides, default = store.slides(app_ctx.cursor(), stored, from_query("?lang=en"))
    assert len(slides) == 4 and not default


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"views": 5},
        {"views": "abc"},
        {"views": [3, None]},
        {"views": [{"query": "?a"}]},
        {"views": [{"path": ["/"]}]},
        {"views": [{"path": "/data"}]},
        {"views": _deep_python()},
        [1, 2],
    ],
)
def test_the_pages_own_list_data_sent_back_malformed_gives_no_views(data: object) -> None:
    assert page.views_from(data) == []


def test_the_pages_own_list_data_round_trips() -> None:
    views = page.views_from({"views": [{"path": "/map", "query": "?lang=en"}], "default": False})
    assert [v.url for v in views] == ["/map?lang=en"]
