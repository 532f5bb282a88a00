"""/api/v1 answers exactly what `caregap report … --format json` prints, under the caller's
scope: the planner's rows equal the report's, a station's are a subset, nobody's without a token;
bad parameters are refused in words; the OpenAPI document describes every route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.app import api
from tests.conftest import Deployment, signed_in_app
from tests.contract.builders import run_cli


@pytest.fixture(scope="module")
def client(demo_db: Path, deployment: Deployment):
    return signed_in_app(demo_db, deployment).server.test_client()


def _report(demo_db: Path, *args: str) -> list[dict]:
    proc = run_cli("report", *args, "--format", "json", "--db", demo_db)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _as_records(body: dict) -> list[dict]:
    return [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]


@pytest.mark.parametrize(
    ("route", "args"),
    [
        ("gaps?level=district", ("gaps", "--level", "district")),
        (
            "gaps?level=grid&threshold=3&age=70-79",
            ("gaps", "--level", "grid", "--threshold", "3", "--age", "70-79"),
        ),
        (
            "gaps?level=city&from=2009-04-01&to=2009-09-30&sex=F",
            ("gaps", "--level", "city", "--from", "2009-04-01", "--to", "2009-09-30", "--sex", "F"),
        ),
        ("unmet?level=district&sex=M", ("unmet", "--level", "district", "--sex", "M")),
        ("stations", ("stations",)),
        ("stations?monthly=1&from=2009-01-01", ("stations", "--monthly", "--from", "2009-01-01")),
    ],
)
def test_a_planners_token_gets_exactly_the_reports_rows(
    client, deployment: Deployment, demo_db: Path, route: str, args: tuple[str, ...]
) -> None:
    response = client.get(f"/api/v1/{route}", headers=deployment.bearer("pat"))
    assert response.status_code == 200
    body = response.get_json()
    expected = _report(demo_db, *args)
    assert body["columns"] == list(expected[0])
    got = _as_records(body)
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.keys() == theirs.keys()
        for key, value in theirs.items():
            # the same value; a float to 1e-12 (DuckDB's parallel sums vary in the last bits
            # from one process to the next)
            if isinstance(value, float) and isinstance(mine[key], float):
                assert mine[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key
            else:
                assert mine[key] == value, key


def test_a_station_token_gets_a_subset_of_the_planners_rows(client, deployment) -> None:
    for route in ("gaps?level=district", "gaps?level=grid", "stations", "unmet?level=grid"):
        mine = client.get(f"/api/v1/{route}", headers=deployment.bearer("sam")).get_json()
        every = client.get(f"/api/v1/{route}", headers=deployment.bearer("pat")).get_json()
        assert mine["columns"] == every["columns"]
        rows = [tuple(map(json.dumps, r)) for r in mine["rows"]]
        assert rows and set(rows) < {tuple(map(json.dumps, r)) for r in every["rows"]}, route


def test_a_station_token_sees_its_district_as_a_benchmark_and_no_other(client, deployment) -> None:
    body = client.get("/api/v1/gaps?level=district", headers=deployment.bearer("sam")).get_json()
    assert {r[0] for r in body["rows"]} == {deployment.district}
    stations = client.get("/api/v1/stations", headers=deployment.bearer("sam")).get_json()
    assert {r[0] for r in stations["rows"]} == {deployment.station}


def test_outside_the_scope_is_403_in_words(client, deployment) -> None:
    response = client.get(
        f"/api/v1/gaps?level=grid&within={deployment.other_district}",
        headers=deployment.bearer("sam"),
    )
    assert response.status_code == 403
    assert "not in your area" in response.get_json()["error"]


def test_a_viewer_may_read_the_metadata_but_not_the_tables(client, deployment) -> None:
    assert client.get("/api/v1/meta", headers=deployment.bearer("vera")).status_code == 200
    assert client.get("/api/v1/services", headers=deployment.bearer("vera")).status_code == 200
    for route in ("gaps?level=district", "unmet?level=city", "stations"):
        assert client.get(f"/api/v1/{route}", headers=deployment.bearer("vera")).status_code == 403


def test_without_a_token_or_with_a_revoked_one_it_is_401(demo_db, tmp_path) -> None:
    mine = Deployment(tmp_path / "accounts.sqlite", demo_db)
    client = signed_in_app(demo_db, mine).server.test_client()
    assert client.get("/api/v1/gaps?level=district").status_code == 401
    assert client.get("/api/v1/meta").status_code == 401
    headers = mine.bearer("pat")
    assert client.get("/api/v1/meta", headers=headers).status_code == 200
    mine.accounts.revoke_tokens("pat")
    assert client.get("/api/v1/meta", headers=headers).status_code == 401
    fresh = {"Authorization": f"Bearer {mine.accounts.new_token('pat')}"}
    assert client.get("/api/v1/meta", headers=fresh).status_code == 200


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("gaps", "level is required"),
        ("gaps?level=planet", "level must be one of"),
        ("gaps?level=grid&threshold=9", "threshold must be 1..5"),
        ("gaps?level=grid&threshold=x", "threshold must be a whole number"),
        ("gaps?level=grid&from=2009-13-01", "from must be a date written YYYY-MM-DD"),
        ("gaps?level=grid&from=2009-09-01&to=2009-01-01", "from must not be after to"),
        ("gaps?level=grid&age=99", "age must be one of"),
        ("gaps?level=grid&lvl=grid", "unknown parameter 'lvl'"),
        ("stations?monthly=yes", "monthly must be 1 or 0"),
    ],
)
def test_a_bad_parameter_is_400_with_a_sentence(client, deployment, query: str, words: str) -> None:
    response = client.get(f"/api/v1/{query}", headers=deployment.bearer("pat"))
    assert response.status_code == 400
    assert words in response.get_json()["error"]


def test_meta_names_the_contract_the_periods_and_the_floor(client, deployment) -> None:
    meta = client.get("/api/v1/meta", headers=deployment.bearer("pat")).get_json()
    assert meta["api_version"] == "v1" and meta["k"] == 10
    assert meta["survey_period"][0] and meta["delivery_period"][1]
    assert "source_folder" not in meta["dataset"]  # a path on the server, not for callers


def test_the_openapi_document_describes_every_route_and_parameter(client, deployment) -> None:
    document = client.get("/api/v1/openapi.json", headers=deployment.bearer("pat")).get_json()
    assert document["openapi"].startswith("3.")
    served = {
        rule.rule
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith(api.PREFIX)
    }
    assert set(document["paths"]) == served
    for route in api.ROUTES:
        described = document["paths"][api.PREFIX + route.path]["get"]["parameters"]
        assert [p["name"] for p in described] == [p.name for p in route.params]
