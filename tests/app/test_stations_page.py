"""/stations callbacks as a person uses them: pick a station, read its figures, change the
period, rank the stations, download what is shown."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from dash import html

from dashboard import data
from dashboard.app.context import AppContext
from dashboard.app.factory import PAGES, create_app
from dashboard.app.pages import stations as page
from dashboard.app.shell import render
from dashboard.views.state import from_query
from tests.conftest import post_download


def _json(component: object) -> str:
    return json.dumps(component.to_plotly_json(), default=str, ensure_ascii=False)


@pytest.fixture(scope="module")
def station(app_ctx: AppContext) -> str:
    return str(data.stations(app_ctx.cursor())["station_id"].iloc[0])


def test_stations_is_a_page_in_the_navigation_in_both_languages(app_ctx: AppContext) -> None:
    assert page.PATH in PAGES
    assert "服务站" in _json(render(app_ctx, PAGES, "/stations", "?lang=zh"))
    text = _json(render(app_ctx, PAGES, "/", "?lang=en&sex=F"))
    assert "/stations?lang=en&amp;sex=F" in text or "/stations?lang=en&sex=F" in text


def test_without_a_station_the_page_asks_for_one_and_ranks_them_all(app_ctx: AppContext) -> None:
    out = page.update(app_ctx, from_query("?lang=en"))
    summary, _cards, months, *_rest = out
    picked_hidden, prompt_hidden = out[-2], out[-1]
    assert summary == "" and picked_hidden and not prompt_hidden
    ranking = out[8]
    rows = ranking.children[1].children
    assert len(rows) == len(data.stations(app_ctx.cursor()))
    assert isinstance(months, go.Figure)


def test_a_picked_station_shows_its_months_mix_targets_and_people(
    app_ctx: AppContext, station: str
) -> None:
    out = page.update(app_ctx, from_query(f"?lang=en&station={station}"))
    summary, cards, months, mix, mix_table, targets, _caption, people, *_ = out
    assert summary and not out[-2] and out[-1]
    assert len(cards.children) == 5
    assert months.data and all(trace.type == "bar" for trace in months.data)
    assert {trace.name for trace in mix.data} and len(mix.data) == 2
    assert mix_table.children[1].children  # one row per service
    assert isinstance(targets, go.Figure)
    assert people.children or isinstance(people, html.P)


def test_the_period_filter_changes_the_months_shown(app_ctx: AppContext, station: str) -> None:
    whole = page.update(app_ctx, from_query(f"?lang=en&station={station}"))[2]
    cut = page.update(
        app_ctx, from_query(f"?lang=en&station={station}&start=2008-03-01&end=2008-05-31")
    )[2]
    assert len(cut.data[0].x) == 3 < len(whole.data[0].x)
    assert list(cut.data[0].x) == ["2008-03", "2008-04", "2008-05"]


def test_a_period_without_deliveries_says_so(app_ctx: AppContext, station: str) -> None:
    figure = page.update(
        app_ctx, from_query(f"?lang=en&station={station}&start=2030-01-01&end=2030-02-01")
    )[2]
    assert not figure.data
    assert "deliveries in this period" in json.dumps(figure.to_plotly_json()["layout"], default=str)


def test_the_ranking_follows_the_chosen_measure(app_ctx: AppContext) -> None:
    out = page.update(app_ctx, from_query("?lang=en&rank_by=mix_gap_pp"))
    assert "mix gap" in out[9]


def test_a_click_on_a_ranked_station_picks_it(demo_db, station: str) -> None:
    client = create_app(demo_db, "en").server.test_client()
    button = page.pick_button(station)
    body = {
        "output": '{"key":"station","role":"state"}.value',
        "outputs": {"id": page.STATION, "property": "value"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert station in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "chart", ["station_months", "station_mix_table", "station_people", "stations_ranking"]
)
def test_every_stations_table_downloads(demo_db, station: str, chart: str) -> None:
    client = create_app(demo_db, "en").server.test_client()
    name, content = post_download(client, chart, "csv", f"/stations?lang=en&station={station}")
    assert name == f"caregap-{chart}.csv"
    text = content.decode("utf-8-sig")
    assert station in text or chart == "stations_ranking"
