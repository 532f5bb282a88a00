"""Every response carries the security headers; requests are size-limited; no version leaks."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from importlib import metadata

import pytest

from dashboard.app import security
from dashboard.app.components.briefing_store import MAX_UPLOAD_BYTES

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _policy(response) -> dict[str, list[str]]:
    csp = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}


def _download_body() -> dict:
    button = {"chart": "top_gaps", "fmt": "csv", "role": "download"}
    return {
        "output": "download.data",
        "outputs": {"id": "download", "property": "data"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "query", "property": "data", "value": "/?lang=en"}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
    }


def _check(response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "Server" not in response.headers or not re.search(r"\d", response.headers["Server"])


def test_the_page_has_the_headers(client) -> None:
    response = client.get("/?lang=zh")
    assert response.status_code == 200
    _check(response)


def test_an_asset_and_a_script_have_the_headers(client, index: str) -> None:
    _check(client.get("/assets/caregap.css"))
    script = re.search(r'src="(/_dash-component-suites/dash/dcc/[^"]+)"', index)[1]
    response = client.get(script)
    assert response.status_code == 200
    _check(response)


def test_a_callback_has_the_headers(client) -> None:
    response = client.post("/_dash-update-component", json=_download_body())
    assert response.status_code == 200
    _check(response)


def test_a_missing_page_has_the_headers(client) -> None:
    response = client.get("/_dash-component-suites/dash/nope.js")
    assert response.status_code == 404
    _check(response)


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client, index: str) -> None:
    allowed = set(_policy(client.get("/"))["script-src"][1:])
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", index, re.S)
    executed = [body for attrs, body in inline if "application/json" not in attrs and body.strip()]
    assert executed  # the renderer's start and the clientside callbacks
    for body in executed:
        if "Internet Explorer" in body:
            continue  # inside an <!--[if IE]> comment: never run
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]


def test_an_oversized_post_gets_413_not_500(client) -> None:
    big = b'{"x": "' + b"a" * security.MAX_REQUEST_BYTES + b'"}'
    response = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert response.status_code == 413
    _check(response)


def test_the_limit_admits_the_largest_briefing_upload(client) -> None:
    """dcc.Upload lets a file of up to 4 × MAX_UPLOAD_BYTES through (the page refuses it in
    words); sent base64-encoded in the callback's JSON it must reach the page, not get 413."""
    content = base64.b64encode(b" " * (4 * MAX_UPLOAD_BYTES)).decode()
    body = {"x": "data:application/json;base64," + content, "views": [{"path": "/"}] * 60}
    assert len(json.dumps(body)) < security.MAX_REQUEST_BYTES
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code != 413


def test_a_request_nested_too_deep_gets_400_not_500(client) -> None:
    body = '{"output":"x","inputs":' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    _check(response)


def _router(**overrides: object) -> dict:
    body = {
        "output": "root.children",
        "outputs": {"id": "root", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
        "state": [{"id": "url", "property": "search", "value": "?lang=en"}],
        "changedPropIds": ["url.pathname"],
    }
    return {**body, **overrides}


MALFORMED_CALLBACKS = {
    "too few inputs": (_router(inputs=[]), "0 inputs sent, the callback takes 1"),
    "too many states": (_router(state=[{}, {}]), "2 state sent, the callback takes 1"),
    "no state": ({k: v for k, v in _router().items() if k != "state"}, "0 state sent"),
    "inputs a string": (_router(inputs="x"), "inputs is not a list of values"),
    "an input a number": (_router(inputs=[5]), "inputs is not a list of values"),
    "an unknown output": (_router(output="nope.children"), "no callback has this output"),
    "output a number": (_router(output=5), "no callback has this output"),
    "a list, not an object": ([1, 2], "the request is not a JSON object"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_CALLBACKS))
def test_a_callback_request_that_matches_no_callback_gets_400_not_500(client, case) -> None:
    body, reason = MALFORMED_CALLBACKS[case]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed callback request"
    assert response.get_json()["reason"].startswith(reason)
    _check(response)


def test_the_well_formed_router_request_still_answers(client) -> None:
    assert client.post("/_dash-update-component", json=_router()).status_code == 200
    assert client.post("/_dash-update-component", json=_download_body()).status_code == 200


def test_the_page_names_no_version(index: str) -> None:
    versions = {
        metadata.version(p)
        for p in ("dash", "plotly", "dash-bootstrap-components", "flask", "werkzeug")
    }
    for version in versions:
        assert version not in index, version
        assert version.replace(".", "_") not in index, version
    assert sys.version.split()[0] not in index
    for key in security.HIDDEN_CONFIG:
        assert f'"{key}"' not in index


def test_hashed_fingerprints_still_serve_and_cache(client, index: str) -> None:
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', index)
    assert scripts
    for src in scripts:
        response = client.get(src)
        assert response.status_code == 200, src
        assert "max-age" in response.headers.get("Cache-Control", ""), src
    favicon = re.search(r'href="(/_favicon\.ico\?v=[^"]+)"', index)[1]
    assert client.get(favicon).status_code == 200
