"""The first page is built from the store: counts and the city's demand beside provision."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.app.factory import create_app
from dashboard.ingest.importer import import_dataset


def test_home_page_shows_the_loaded_counts_and_city_figures(tmp_path: Path, small_dataset) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 321, respondents=40), db)
    client = create_app(db).server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    text = json.dumps(layout.get_json(), ensure_ascii=False)
    assert "321" in text  # delivery records
    assert "40" in text  # respondents
    assert "Demand beside provision" in text


def test_home_page_follows_a_new_import_without_a_restart(tmp_path: Path, small_dataset) -> None:
    db = tmp_path / "store.duckdb"
    import_dataset(small_dataset(tmp_path / "one", 321), db)
    client = create_app(db).server.test_client()
    assert "321" in json.dumps(client.get("/_dash-layout").get_json())
    import_dataset(small_dataset(tmp_path / "two", 4567), db)
    assert "4,567" in json.dumps(client.get("/_dash-layout").get_json())
