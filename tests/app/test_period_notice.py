"""The survey-period notice in the filter bar and its align button, posted as the browser posts
them: the click sets the period filter, the URL follows, and the notice goes."""

from __future__ import annotations

import json

import pytest

from dashboard import data
from dashboard.app import ids
from dashboard.app.context import AppContext
from dashboard.app.factory import PAGES
from dashboard.app.filters import FILTER_INPUTS
from dashboard.app.shell import align_update, notice_update, render
from dashboard.i18n import t
from dashboard.views import period

SHORT = "?lang=en&start=2008-01-01&end=2008-03-31"


@pytest.fixture(scope="module")
def window(app_ctx: AppContext) -> tuple[str, str]:
    first, last = data.survey_period(app_ctx.cursor())
    return period.months_back(first, 12).isoformat(), last.isoformat()


def _post(client, fragment: str, outputs: list[tuple[object, str]], inputs, state, changed):
    key = next(k for k in client.dash_app.callback_map if fragment in k)
    body = {
        "output": key,
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _json(component: object) -> str:
    return json.dumps(component.to_plotly_json(), default=str, ensure_ascii=False)


def test_the_notice_shows_on_views_with_deliveries_beside_the_survey(app_ctx) -> None:
    message = "cover only part of the 12 months"
    for path in ("/", "/map"):
        page = _json(render(app_ctx, PAGES, path, SHORT))
        assert message in page and t("ui.align_period", "en") in page
        hidden, text, button_hidden, title = notice_update(
            app_ctx, PAGES, path, SHORT, "2008-01-01", "2008-03-31"
        )
        assert not hidden and message in text and not button_hidden and "Set the" in title
    for path in ("/groups", "/quality", "/data", "/briefing"):
        assert notice_update(app_ctx, PAGES, path, SHORT, "2008-01-01", "2008-03-31")[0]
        assert message not in _json(render(app_ctx, PAGES, path, SHORT))
    # the whole data period covers the window: nothing to say
    assert notice_update(app_ctx, PAGES, "/", "?lang=en", None, None) == (True, "", True, "")
    assert "/stations" in period.PATHS


def test_the_align_click_sets_the_period_filter(client, app_ctx, window) -> None:
    answer = _post(
        client,
        f"{ids.PERIOD}.start_date",
        [(ids.PERIOD, "start_date"), (ids.PERIOD, "end_date")],
        [{"id": ids.ALIGN_PERIOD, "property": "n_clicks", "value": 1}],
        [],
        [f"{ids.ALIGN_PERIOD}.n_clicks"],
    )
    assert answer[ids.PERIOD] == {"start_date": window[0], "end_date": window[1]}
    assert align_update(app_ctx, 0) == align_update(app_ctx, None)  # no click: nothing changes


def test_after_the_click_the_url_has_the_dates_and_the_notice_goes(client, window) -> None:
    # the period filter's new values reach the shell's URL callback …
    values = {
        (ids.REGION, "value"): None,
        (ids.PERIOD, "start_date"): window[0],
        (ids.PERIOD, "end_date"): window[1],
        (ids.AGE, "value"): "",
        (ids.SEX, "value"): "",
        (ids.THRESHOLD, "value"): 4,
        (ids.MIN_N, "value"): 10,
    }
    nav = [{"id": {"role": "nav", "path": p}, "property": "href"} for p in PAGES]
    key = next(k for k in client.dash_app.callback_map if f"{ids.QUERY}.data" in k)
    body = {
        "output": key,
        "outputs": [
            {"id": ids.QUERY, "property": "data"},
            nav,
            {"id": ids.LANG_LINK, "property": "href"},
            {"id": ids.MIN_N_NOTE, "property": "children"},
        ],
        "inputs": [
            *({"id": i, "property": p, "value": values[(i, p)]} for i, p in FILTER_INPUTS),
            [{"id": ids.state("breakdown"), "property": "value", "value": "category"}],
            [],
        ],
        "state": [
            {"id": ids.URL, "property": "pathname", "value": "/"},
            {"id": ids.URL, "property": "search", "value": SHORT},
        ],
        "changedPropIds": [f"{ids.PERIOD}.start_date", f"{ids.PERIOD}.end_date"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    query = response.get_json()["response"][ids.QUERY]["data"]
    assert query == f"/?lang=en&start={window[0]}&end={window[1]}"
    # … and the notice's callback hides it
    answer = _post(
        client,
        f"{ids.PERIOD_NOTICE}.hidden",
        [
            (ids.PERIOD_NOTICE, "hidden"),
            (ids.PERIOD_NOTICE_TEXT, "children"),
            (ids.ALIGN_PERIOD, "hidden"),
            (ids.ALIGN_PERIOD, "title"),
        ],
        [
            {"id": ids.PERIOD, "property": "start_date", "value": window[0]},
            {"id": ids.PERIOD, "property": "end_date", "value": window[1]},
        ],
        [
            {"id": ids.URL, "property": "pathname", "value": "/"},
            {"id": ids.URL, "property": "search", "value": SHORT},
        ],
        [f"{ids.PERIOD}.start_date"],
    )
    assert answer[ids.PERIOD_NOTICE]["hidden"] is True
    assert answer[ids.PERIOD_NOTICE_TEXT]["children"] == ""
