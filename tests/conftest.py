"""Fixtures shared by the unit, view, briefing and app tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REGIONS = """region_id,parent_id,level,name
C,,city,City
D1,C,district,D1
G1,D1,grid,G1
G2,D1,grid,G2
"""
SERVICES = "service_code,category,name\na,edu,A\nb,care,B\n"


def write_small_dataset(folder: Path, deliveries: int, respondents: int = 40) -> Path:
    """A small valid dataset whose deliveries file can be made large enough to import slowly."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "regions.csv").write_text(REGIONS)
    (folder / "services.csv").write_text(SERVICES)
    rows = [f"r{i},G{1 + i % 2},{'MF'[i % 2]},{60 + i % 30}" for i in range(respondents)]
    (folder / "respondents.csv").write_text("respondent_id,region_id,sex,age\n" + "\n".join(rows))
    answers = [
        f"r{i},{s},{1 + (i * 7 + len(s)) % 5},{'true' if i % 3 else 'false'}"
        for i in range(respondents)
        for s in "ab"
    ]
    (folder / "needs.csv").write_text(
        "respondent_id,service_code,need,received\n" + "\n".join(answers)
    )
    rng = np.random.default_rng(deliveries)
    days = rng.integers(0, 365, deliveries)
    table = pa.table(
        {
            "region_id": pa.array(np.where(days % 2 == 0, "G1", "G2")),
            "service_code": pa.array(np.where(days % 3 == 0, "a", "b")),
            "delivered_on": pa.array(
                (np.datetime64("2009-01-01") + days).astype("datetime64[D]"), pa.date32()
            ),
            "quantity": pa.array(1 + days % 2),
        }
    )
    pq.write_table(table, folder / "deliveries.parquet")
    return folder


@pytest.fixture
def small_dataset() -> Callable[..., Path]:
    """Writes a small valid dataset: (folder, deliveries, respondents=40) -> folder."""
    return write_small_dataset


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo store (boundaries, grids, covariates, SF-36 scores), built once per session
    through the normal import path."""
    from dashboard.demo.generate import write_demo_dataset
    from dashboard.ingest.importer import import_dataset

    folder = tmp_path_factory.mktemp("demo-dataset")
    write_demo_dataset(folder, respondents=3_000, deliveries=30_000, grids=120, seed=7)
    db = tmp_path_factory.mktemp("demo-store") / "caregap.duckdb"
    import_dataset(folder, db)
    return db


@pytest.fixture(scope="session")
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection on the demo store, caching its answers as a command's does
    (sql.scoped)."""
    from dashboard import sql, store

    con = store.open_read_only(demo_db)
    yield sql.scoped(con, "tests")
    con.close()


@pytest.fixture
def floor_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment whose custodian set the disclosure floor to 1 ($CAREGAP_MIN_N): for tests of
    metric definitions on tiny hand-made datasets, where every cell is smaller than 10."""
    monkeypatch.setenv("CAREGAP_MIN_N", "1")


def download_response(client: object, chart: str, fmt: str, query: str):
    """Click a chart's download button as the browser posts it (the shell's download callback,
    with `query` the view's 'path?query'): the server's response, whatever its status."""
    import json

    button = {"chart": chart, "fmt": fmt, "role": "download"}
    body = {
        "output": "download.data",
        "outputs": {"id": "download", "property": "data"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "query", "property": "data", "value": query}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", json=body)  # type: ignore[attr-defined]


def download_frame(content: bytes, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """(the filters on top, the table) of a CSV download, its people's headers turned back into
    the column names (dashboard.views.downloads.column_header) so a test can read it by name."""
    import io

    from dashboard.i18n import CATALOGUE
    from dashboard.views.downloads import column_header

    head, _, table = content.decode("utf-8-sig").replace("\r\n", "\n").partition("\n\n")
    names = {column_header(c, lang): c for c in CATALOGUE["headers"]}
    frame = pd.read_csv(io.StringIO(table))
    return head, frame.rename(columns=names)


def post_callback(client: object, callback_map: dict, wanted: str, inputs, state, changed: str):
    """Post the callback whose outputs include `wanted` ('id.property') as the browser does
    (`callback_map`: the Dash app's): the server's response, whatever its status."""
    import json

    key = next(k for k in callback_map if wanted in k.strip(".").split("..."))
    outputs = []
    for part in key.strip(".").split("..."):
        ident, _, prop = part.rpartition(".")
        outputs.append(
            {"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop}
        )
    body = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [changed],
    }
    return client.post("/_dash-update-component", json=body)  # type: ignore[attr-defined]


def post_download(client: object, chart: str, fmt: str, query: str) -> tuple[str, bytes]:
    """Click a chart's download button as the browser posts it (the shell's download callback,
    with `query` the view's 'path?query'): (file name, content). Fails on any error status."""
    import base64

    response = download_response(client, chart, fmt, query)
    assert response.status_code == 200, response.get_data(as_text=True)
    sent = response.get_json()["response"]["download"]["data"]
    return sent["filename"], base64.b64decode(sent["content"])


# -- accounts: one of each role on the demo store ------------------------------------------------

PASSWORDS = {
    "ada": "admin-password-1",
    "pat": "planner-password-1",
    "sam": "station-password-1",
    "vic": "viewer-password-1",
    "vera": "viewer-password-2",
}


class Deployment:
    """An accounts file beside nothing (its own folder) with one account per role and a token
    each: `station` is sam's station, `district` its district, `other_district` one it is not
    in, `area` vic's region (a district)."""

    def __init__(self, path: Path, db: Path) -> None:
        from dashboard import data, store
        from dashboard.accounts import Accounts

        self.path = path
        self.accounts = Accounts(path)
        with store.open_read_only(db) as con:
            stations = data.stations(con)
            districts = list(data.region_tree(con).query("level == 'district'")["region_id"])
        first = stations.iloc[0]
        self.station = str(first["station_id"])
        self.district = str(first["district_id"])
        self.other_district = next(d for d in districts if d != self.district)
        self.area = self.other_district
        self.accounts.add("ada", "admin", PASSWORDS["ada"])
        self.accounts.add("pat", "planner", PASSWORDS["pat"])
        self.accounts.add("sam", "station", PASSWORDS["sam"], stations=(self.station,))
        self.accounts.add("vic", "viewer", PASSWORDS["vic"], areas=(self.area,))
        self.accounts.add("vera", "viewer", PASSWORDS["vera"])
        self.tokens = {name: self.accounts.new_token(name) for name in PASSWORDS}

    def bearer(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Deployment:
    return Deployment(tmp_path_factory.mktemp("accounts") / "accounts.sqlite", demo_db)


def signed_in_app(demo_db: Path, deployment: Deployment, **options: object):
    """The app on the demo store with `deployment`'s accounts (not open: sign-in required)."""
    from dashboard.app.auth import AuthConfig
    from dashboard.app.factory import create_app

    config = AuthConfig(accounts=deployment.path, open_allowed=False, default_lang="en", **options)
    return create_app(demo_db, "en", config)


def sign_in(client: object, name: str, password: str | None = None, lang: str = "en"):
    """Sign `name` in through /login as a browser does (the form's CSRF token included)."""
    import re

    page = client.get(f"/login?lang={lang}").get_data(as_text=True)  # type: ignore[attr-defined]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    return client.post(  # type: ignore[attr-defined]
        "/login",
        data={
            "username": name,
            "password": PASSWORDS.get(name, "") if password is None else password,
            "csrf_token": token,
            "lang": lang,
        },
    )
