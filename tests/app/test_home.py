"""The server answers from the store and follows a new import without a restart."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.app.factory import create_app
from dashboard.ingest.importer import import_dataset


def _route(client, path: str) -> str:
    """Ask the router callback for a page, as the browser does after loading the shell."""
    body = {
        "output": "root.children",
        "outputs": {"id": "root", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": path}],
        "state": [{"id": "url", "property": "search", "value": "?lang=en"}],
        "changedPropIds": ["url.pathname"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_server_serves_the_shell_and_every_page(tmp_path: Path, small_dataset) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 321, respondents=40), db)
    client = create_app(db, "en").server.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    assert "Need beside receipt" in _route(client, "/")
    assert "What is loaded" in _route(client, "/data")


def test_server_follows_a_new_import_without_a_restart(tmp_path: Path, small_dataset) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 321), db)
    client = create_app(db, "en").server.test_client()
    assert "321" in _route(client, "/data")
    import_dataset(small_dataset(tmp_path / "two", 4567), db)
    assert "4,567" in _route(client, "/data")
