"""Every role against every view, as a person signs in and as an attacker posts: pages, callbacks,
downloads and the audit log, with accounts configured (dashboard.app.auth, dashboard.scope)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.app import ids
from dashboard.app.components.switch import GAP_RANK
from dashboard.app.filters import FILTER_INPUTS
from dashboard.app.pages import overview as overview_page
from dashboard.app.pages import stations as stations_page
from dashboard.app.shell import NAV_ITEMS
from tests.conftest import (
    Deployment,
    download_response,
    post_callback,
    sign_in,
    signed_in_app,
)

NOT_IN_AREA = "Not in your area"
PATHS = [path for path, _ in NAV_ITEMS]
#: role's account → the views it may open (views.access.ROLE_VIEWS)
OPENS = {
    "ada": set(PATHS),
    "pat": set(PATHS),
    "sam": {"/", "/map", "/groups", "/stations", "/briefing"},
    "vic": {"/", "/briefing"},
    "vera": {"/", "/briefing"},
}


@pytest.fixture(scope="module")
def app(demo_db: Path, deployment: Deployment):
    return signed_in_app(demo_db, deployment)


def _client(app, name: str | None):
    client = app.server.test_client()
    client.dash_app = app
    if name is not None:
        assert sign_in(client, name).status_code == 302
    return client


def _prop(component: object, prop: str, value: object) -> dict[str, object]:
    return {"id": component, "property": prop, "value": value}


def _post(client, wanted: str, inputs: list, state: list, changed: str):
    return post_callback(client, client.dash_app.callback_map, wanted, inputs, state, changed)


def _route(client, path: str, search: str = "?lang=en") -> str:
    """The router's answer for a URL, as text (what the page shows)."""
    response = _post(
        client,
        f"{ids.ROOT}.children",
        [_prop(ids.URL, "pathname", path)],
        [_prop(ids.URL, "search", search)],
        f"{ids.URL}.pathname",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _ids(tree: object) -> list[object]:
    """Every component id in a rendered layout (JSON)."""
    found: list[object] = []
    if isinstance(tree, dict):
        if "id" in tree:
            found.append(tree["id"])
        for value in tree.values():
            found += _ids(value)
    elif isinstance(tree, list):
        for value in tree:
            found += _ids(value)
    return found


def _props(tree: object) -> list[dict]:
    """Every component's props in a rendered layout (JSON)."""
    found: list[dict] = []
    if isinstance(tree, dict):
        if isinstance(tree.get("props"), dict):
            found.append(tree["props"])
        for value in tree.values():
            found += _props(value)
    elif isinstance(tree, list):
        for value in tree:
            found += _props(value)
    return found


def _overview(client, region: str | None):
    """The overview's main callback, with the area filter set to `region`."""
    inputs = [_prop(i, p, region if i == ids.REGION else None) for i, p in FILTER_INPUTS]
    inputs.append(_prop(GAP_RANK, "value", "sure"))
    return _post(
        client,
        f"{overview_page.CARDS}.children",
        inputs,
        [_prop(ids.URL, "search", "?lang=en")],
        f"{ids.REGION}.value",
    )


def _download(client, chart: str, query: str):
    return download_response(client, chart, "csv", query)


# -- nobody signed in ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_without_sign_in_a_page_sends_the_browser_to_login(app, path: str) -> None:
    response = _client(app, None).get(path + "?lang=zh")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_without_sign_in_callbacks_layout_and_api_answer_401_with_nothing(app) -> None:
    client = _client(app, None)
    for response in (
        _overview(client, None),
        client.get("/_dash-layout"),
        client.get("/_dash-dependencies"),
        client.get("/api/v1/gaps?level=district"),
        _download(client, "top_gaps", "/?lang=en"),
    ):
        assert response.status_code == 401
        assert "demand_rate" not in response.get_data(as_text=True)


def test_the_login_page_and_assets_need_no_sign_in(app) -> None:
    client = _client(app, None)
    page = client.get("/login?lang=zh")
    assert page.status_code == 200 and "登录" in page.get_data(as_text=True)
    assert 'name="username"' in page.get_data(as_text=True)
    assert 'name="password"' in page.get_data(as_text=True)
    assert client.get("/assets/caregap.css").status_code == 200


# -- each role, each view ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPENS))
def test_each_role_opens_exactly_its_views(app, name: str) -> None:
    client = _client(app, name)
    for path in PATHS:
        shown = _route(client, path)
        refused = NOT_IN_AREA in shown
        assert refused is (path not in OPENS[name]), (name, path)


@pytest.mark.parametrize("name", sorted(OPENS))
def test_the_navigation_lists_only_the_views_a_role_opens(app, name: str) -> None:
    shown = json.loads(_route(_client(app, name), "/"))
    links = {i["path"] for i in _ids(shown) if isinstance(i, dict) and i.get("role") == "nav"}
    assert links == OPENS[name]


def test_a_station_manager_opens_on_its_catchment_and_station(app, deployment) -> None:
    client = _client(app, "sam")
    shown = _route(client, "/stations")
    assert deployment.station in shown
    assert NOT_IN_AREA not in shown


def test_a_station_manager_is_refused_another_district_by_url(app, deployment) -> None:
    client = _client(app, "sam")
    for path in ("/", "/map", "/groups", "/stations"):
        shown = _route(client, path, f"?lang=en&region={deployment.other_district}")
        assert NOT_IN_AREA in shown, path
    shown = _route(client, "/map", f"?lang=en&district={deployment.other_district}")
    assert NOT_IN_AREA in shown


def test_a_station_manager_is_refused_another_station_by_url(app, demo_db) -> None:
    from dashboard import data, store

    with store.open_read_only(demo_db) as con:
        other = str(data.stations(con)["station_id"].iloc[-1])
    shown = _route(_client(app, "sam"), "/stations", f"?lang=en&station={other}")
    assert NOT_IN_AREA in shown


def test_the_area_list_of_a_station_manager_holds_its_catchment_and_benchmarks_only(
    app, deployment
) -> None:
    shown = _route(_client(app, "sam"), "/")
    values = set(__import__("re").findall(r'"value":\s*"([^"]+)"', shown))
    assert deployment.district in values
    assert deployment.other_district not in values


# -- crafted callback posts ----------------------------------------------------------------------


def test_a_crafted_overview_post_outside_the_scope_gets_403_and_no_figures(app, deployment) -> None:
    for name in ("sam", "vic"):
        other = deployment.district if name == "vic" else deployment.other_district
        response = _overview(_client(app, name), other)
        assert response.status_code == 403, name
        body = response.get_data(as_text=True)
        assert NOT_IN_AREA in body and "demand" not in body


def test_the_same_post_inside_the_scope_answers(app, deployment) -> None:
    assert _overview(_client(app, "vic"), deployment.area).status_code == 200
    assert _overview(_client(app, "pat"), deployment.other_district).status_code == 200


def test_a_crafted_post_to_a_view_the_role_does_not_open_gets_403(app, deployment) -> None:
    # a viewer posting the stations page's callback (its role opens the overview only)
    inputs = [
        *(_prop(i, p, None) for i, p in FILTER_INPUTS),
        _prop(stations_page.STATION, "value", deployment.station),
        _prop(stations_page.BREAKDOWN, "value", "category"),
        _prop(stations_page.RANK_BY, "value", "provision_count"),
        _prop(stations_page.ITEM, "value", None),
    ]
    for name, code in (("vera", 403), ("vic", 403), ("sam", 200), ("pat", 200)):
        response = _post(
            _client(app, name),
            f"{stations_page.SUMMARY}.children",
            inputs,
            [_prop(ids.URL, "search", "?lang=en")],
            f"{ids.REGION}.value",
        )
        assert response.status_code == code, name


def test_downloads_follow_the_role(app, deployment) -> None:
    assert _download(_client(app, "pat"), "top_gaps", "/?lang=en").status_code == 200
    assert _download(_client(app, "vera"), "top_gaps", "/?lang=en").status_code == 403
    query = f"/?lang=en&region={deployment.other_district}"
    assert _download(_client(app, "sam"), "top_gaps", query).status_code == 403
    ok = _download(_client(app, "sam"), "top_gaps", f"/?lang=en&region={deployment.district}")
    assert ok.status_code == 200


def test_a_station_managers_download_holds_only_its_rows(app, deployment, demo_db) -> None:
    import base64

    from dashboard import data, store
    from dashboard.views import access

    query = f"/?lang=en&region={deployment.district}"
    sent = _download(_client(app, "sam"), "top_gaps", query).get_json()
    text = base64.b64decode(sent["response"]["download"]["data"]["content"]).decode("utf-8-sig")
    with store.open_read_only(demo_db) as con:
        granted = access.scope_for(con, "station", "sam", (deployment.station,))
        every = set(data.region_tree(con)["region_id"])
    shown = {cell for line in text.splitlines() for cell in line.split(",") if cell in every}
    assert shown and shown <= set(granted.regions) | set(granted.benchmarks)


# -- sessions ------------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_and_recorded(app, deployment) -> None:
    client = _client(app, None)
    response = sign_in(client, "pat", "not-the-password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert _client(app, None).get("/").status_code == 302
    entries = deployment.accounts.audit(limit=20)
    assert any(e["action"] == "login_failed" and e["user"] == "pat" for e in entries)


def test_the_session_cookie_is_httponly_and_samesite_lax(app) -> None:
    response = sign_in(_client(app, None), "pat")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_behind_https_from_the_proxy_the_cookie_is_secure(app) -> None:
    client = _client(app, None)
    page = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    token = __import__("re").search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    response = client.post(
        "/login",
        data={"username": "pat", "password": "planner-password-1", "csrf_token": token},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_sign_out_ends_the_session(app) -> None:
    client = _client(app, "pat")
    page = json.loads(_route(client, "/"))
    token = [p["value"] for p in _props(page) if p.get("name") == "csrf_token"]
    assert token, "the sign-out form carries its CSRF token"
    response = client.post("/logout", data={"csrf_token": token[0], "lang": "en"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


def test_a_sign_in_without_the_forms_token_is_refused(app) -> None:
    client = _client(app, None)
    client.get("/login")
    response = client.post("/login", data={"username": "pat", "password": "planner-password-1"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_a_session_ends_when_the_password_changes(demo_db, tmp_path) -> None:
    from tests.conftest import Deployment

    mine = Deployment(tmp_path / "accounts.sqlite", demo_db)
    app = signed_in_app(demo_db, mine)
    client = _client(app, "pat")
    assert client.get("/?lang=en").status_code == 200
    mine.accounts.set_password("pat", "a-new-password-2")
    assert client.get("/?lang=en").status_code == 302


def test_a_session_ends_after_its_hours_whatever_happens(demo_db, deployment, monkeypatch) -> None:
    import time

    app = signed_in_app(demo_db, deployment, session_hours=1.0)
    client = _client(app, "pat")
    assert client.get("/?lang=en").status_code == 200
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/?lang=en").status_code == 302


def test_failed_sign_ins_are_rate_limited(demo_db, deployment) -> None:
    app = signed_in_app(demo_db, deployment)  # its own limiter: a fresh count
    client = _client(app, None)
    codes = [sign_in(client, "vera", "wrong-password-x").status_code for _ in range(7)]
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429, 429]
    limited = sign_in(client, "vera")  # even the right password waits now
    assert limited.status_code == 429
    assert "Too many failed sign-ins" in limited.get_data(as_text=True)
    assert sign_in(_client(app, None), "pat").status_code == 302  # another name is not held


# -- the proxy's single sign-on ------------------------------------------------------------------


def test_the_proxy_header_signs_in_only_from_the_proxy(demo_db, deployment) -> None:
    app = signed_in_app(demo_db, deployment, trust_header="X-Remote-User", proxies=("10.0.0.5",))
    client = _client(app, None)
    header = {"X-Remote-User": "pat"}
    from_proxy = client.get("/?lang=en", headers=header, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert from_proxy.status_code == 200
    elsewhere = client.get("/?lang=en", headers=header, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 302
    unknown = client.get(
        "/?lang=en", headers={"X-Remote-User": "mallory"}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert unknown.status_code == 302


def test_without_a_trusted_header_configured_the_header_is_ignored(app) -> None:
    response = _client(app, None).get("/?lang=en", headers={"X-Remote-User": "ada"})
    assert response.status_code == 302


# -- open mode -----------------------------------------------------------------------------------


def test_with_no_accounts_on_loopback_the_dashboard_is_open_with_a_banner(demo_db) -> None:
    from dashboard.app.factory import create_app

    client = create_app(demo_db, "en").server.test_client()
    client.dash_app = None
    assert client.get("/?lang=en").status_code == 200


def test_with_no_accounts_and_not_allowed_open_the_server_answers_503(demo_db, tmp_path) -> None:
    from dashboard.app.auth import AuthConfig
    from dashboard.app.factory import create_app

    config = AuthConfig(accounts=tmp_path / "none.sqlite", open_allowed=False)
    response = create_app(demo_db, "en", config).server.test_client().get("/")
    assert response.status_code == 503
    assert "caregap users add" in response.get_data(as_text=True)


# -- the audit log -------------------------------------------------------------------------------


def test_views_and_downloads_are_recorded_and_admins_read_them(app, deployment) -> None:
    client = _client(app, "pat")
    _route(client, "/map", f"?lang=en&region={deployment.district}")
    _download(client, "top_gaps", "/?lang=en")
    entries = deployment.accounts.audit(limit=50, user="pat")
    assert any(e["action"] == "view" and e["target"] == "/map" for e in entries)
    assert any(e["action"] == "download" and e["target"] == "top_gaps.csv" for e in entries)
    assert "Audit log" in _route(_client(app, "ada"), "/data")
    assert "Audit log" not in _route(_client(app, "pat"), "/data")


def test_a_copy_of_the_cookie_is_dead_after_sign_out(app) -> None:
    client = _client(app, "pat")
    copy = client.get_cookie("caregap_session").value
    page = json.loads(_route(client, "/"))
    token = next(p["value"] for p in _props(page) if p.get("name") == "csrf_token")
    client.post("/logout", data={"csrf_token": token, "lang": "en"})
    thief = app.server.test_client()
    thief.set_cookie("caregap_session", copy)
    assert thief.get("/?lang=en").status_code == 302


@pytest.mark.parametrize("name", sorted(OPENS))
def test_the_url_sync_fills_exactly_the_links_the_header_drew(app, name: str) -> None:
    client = _client(app, name)
    rendered = json.loads(_route(client, "/"))
    drawn = [i["path"] for i in _ids(rendered) if isinstance(i, dict) and i.get("role") == "nav"]
    key = next(k for k in app.callback_map if k.startswith(f"..{ids.QUERY}.data..."))
    outputs = []
    for part in key.strip(".").split("..."):
        ident, _, prop = part.rpartition(".")
        outputs.append(
            {"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop}
        )
    outputs[1] = [{"id": {"role": "nav", "path": p}, "property": "href"} for p in drawn]
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [
            *(_prop(i, p, None) for i, p in FILTER_INPUTS),
            [],
            [],
        ],
        "state": [_prop(ids.URL, "pathname", "/"), _prop(ids.URL, "search", "?lang=en")],
        "changedPropIds": [f"{ids.REGION}.value"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answered = response.get_json()["response"]
    navs = {json.loads(k)["path"]: v["href"] for k, v in answered.items() if k.startswith("{")}
    assert list(navs) == drawn and all(navs[p].startswith(p + "?") for p in drawn)
