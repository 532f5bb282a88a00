"""What signing in and the caller's scope cost per request, beside the same request in open mode.

    .venv/bin/python -m benchmarks.access --db var/caregap.duckdb [--reps 30]

Each request goes through the whole Flask/Dash stack in process (werkzeug's test client, no
network): the overview's main callback posted as the browser posts it, and one API call. The
floor is the same request to the same store in open mode (no accounts), measured in the same
run, interleaved, with every answer cache emptied before each request (cold) and again kept
(warm). Reported: medians and p90 in ms, and the ratio to the open-mode median. Not a test:
nothing fails on a number.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from dashboard import cache, data, store
from dashboard.accounts import Accounts
from dashboard.app import ids
from dashboard.app.auth import AuthConfig
from dashboard.app.factory import create_app
from dashboard.app.filters import FILTER_INPUTS
from dashboard.app.pages import overview

PASSWORD = "benchmark-password"


def _overview_body(app, region: str | None) -> dict:
    wanted = f"{overview.CARDS}.children"
    key = next(k for k in app.callback_map if wanted in k.strip(".").split("..."))
    outputs = [
        {"id": part.rpartition(".")[0], "property": part.rpartition(".")[2]}
        for part in key.strip(".").split("...")
    ]
    inputs = [
        {"id": i, "property": p, "value": region if i == ids.REGION else None}
        for i, p in FILTER_INPUTS
    ]
    return {
        "output": key,
        "outputs": outputs,
        "inputs": inputs,
        "state": [{"id": ids.URL, "property": "search", "value": "?lang=en"}],
        "changedPropIds": [f"{ids.REGION}.value"],
    }


def _signed_in(app, name: str):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    return client


def run(db: Path, reps: int) -> list[dict[str, object]]:
    with store.open_read_only(db) as con:
        station = data.stations(con).iloc[0]
    folder = Path(tempfile.mkdtemp(prefix="caregap-bench-access-"))
    accounts = Accounts(folder / "accounts.sqlite")
    accounts.add("pat", "planner", PASSWORD)
    accounts.add("sam", "station", PASSWORD, stations=(str(station["station_id"]),))
    token = accounts.new_token("pat")
    open_app = create_app(db, "en", AuthConfig(accounts=folder / "none.sqlite"))
    signed = create_app(db, "en", AuthConfig(accounts=accounts.path, open_allowed=False))
    region = str(station["district_id"])
    cases = {
        "overview callback · open mode (floor)": (open_app.server.test_client(), open_app, None),
        "overview callback · planner session": (_signed_in(signed, "pat"), signed, None),
        "overview callback · station session": (_signed_in(signed, "sam"), signed, None),
        "API gaps district · open mode (floor)": (open_app.server.test_client(), None, None),
        "API gaps district · planner token": (
            signed.server.test_client(),
            None,
            {"Authorization": f"Bearer {token}"},
        ),
    }
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(reps):
        for warmth in ("cold", "warm"):
            for name, (client, app, headers) in cases.items():

                def request(client=client, app=app, headers=headers):
                    if app is not None:
                        body = _overview_body(app, region)
                        return client.post("/_dash-update-component", json=body)
                    return client.get("/api/v1/gaps?level=district", headers=headers)

                if warmth == "cold":
                    cache.clear_all()
                else:
                    request()  # the same request just answered: every cache holds it
                started = time.perf_counter()
                response = request()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: {response.status_code}")
                times.setdefault((name, warmth), []).append(elapsed)
    rows = []
    for (name, warmth), values in times.items():
        floor_name = name.split(" · ")[0] + " · open mode (floor)"
        floor = statistics.median(times[(floor_name, warmth)])
        median = statistics.median(values)
        rows.append(
            {
                "case": name,
                "cache": warmth,
                "median_ms": round(median, 1),
                "p90_ms": round(sorted(values)[int(0.9 * (len(values) - 1))], 1),
                "ratio_to_open": round(median / floor, 2),
                "reps": len(values),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    rows = run(args.db, args.reps)
    print("| request | cache | median ms | p90 ms | × open mode |")
    print("|---|---|---|---|---|")
    for r in sorted(rows, key=lambda r: (r["cache"], r["case"])):
        print(
            f"| {r['case']} | {r['cache']} | {r['median_ms']} | {r['p90_ms']} "
            f"| {r['ratio_to_open']} |"
        )
    out = Path(__file__).parent / "results" / "access.json"
    out.write_text(json.dumps({"db": str(args.db), "reps": args.reps, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
