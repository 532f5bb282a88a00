"""Attacks on scoped access (issue 13): an account that may see part of the city tries every
door to the rest — the API's parameters, paths, methods and tokens, sessions that should have
ended, crafted callback POSTs for every callback the app has, the download callback for every
chart, the briefing, the proxy's header, and the caches.

Each test fails if a protection it attacks is removed (checked by switching each off in turn).
The holes this file found were closed with it: a re-added name reviving an old session, a
benchmark (the community a station shares with another) less the caller's own rows giving the
other station's grid, downloads and slides not checking the whole state, a refused slide naming
the area, and a viewer of every area given the stations' figures by the data layer.

The accounts are tests/conftest.py's `deployment`: sam manages the first station (its catchment:
five grids of a community whose sixth grid is a neighbouring station's), vic is a viewer of one
district (not sam's), vera a viewer of every area, pat the planner everything is compared with.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pandas as pd
import pytest

from dashboard import cache, data, disclosure, store
from dashboard.app import api
from dashboard.app.connection import StoreConnection
from dashboard.app.shell import NAV_ITEMS
from dashboard.briefing.records import CHARTS as SLIDE_CHARTS
from dashboard.briefing.slides import build_sequence, slide_for_view
from dashboard.ingest.schema import AGE_GROUPS, LEVELS
from dashboard.scope import OutOfScope, Scope
from dashboard.sql import CachedCursor
from dashboard.views import access, quality
from dashboard.views import map as map_view
from dashboard.views.registry import BY_NAME
from dashboard.views.state import ViewState
from tests.conftest import Deployment, sign_in, signed_in_app

NOT_IN_AREA = "not in your area"
#: Every age group × sex a slice can ask for (None: all).
SLICES = [
    {k: v for k, v in (("age", age), ("sex", sex)) if v}
    for age, sex in itertools.product((None, *AGE_GROUPS), (None, "M", "F"))
]
#: The columns that name one row of each table route.
ROW_KEYS = {
    "gaps": ("region_id", "service_code"),
    "unmet": ("region_id", "service_code", "cell"),
    "stations": ("station_id", "service_code"),
    "stations?monthly": ("station_id", "month", "service_code"),
    "regions": ("region_id",),
}
ROUTES = {route.path.strip("/"): route for route in api.ROUTES}
VIEW_PATHS = [path for path, _ in NAV_ITEMS]


# -- who may see what ----------------------------------------------------------------------------


@dataclass
class World:
    """The demo's regions and stations, each account's scope, and what each must never see."""

    tree: pd.DataFrame
    stations: pd.DataFrame
    scopes: dict[str, Scope]
    root: str
    station: str  # sam's
    district: str  # sam's district
    home: str  # the community sam's station stands in (a benchmark of sam's)
    neighbour_grid: str  # the grid of sam's community that is another station's catchment
    neighbour_station: str  # that station
    other_district: str  # vic's area
    other_station: str  # a station of vic's area
    _memo: dict[tuple[str, str], object] = field(default_factory=dict, repr=False)

    def _memoised(self, what: str, who: str, make: Callable[[], object]):
        if (what, who) not in self._memo:
            self._memo[(what, who)] = make()
        return self._memo[(what, who)]

    def shown(self, who: str) -> set[str] | None:
        """The regions a row may be about for `who` (None: any)."""
        scope = self.scopes[who]
        return None if scope.regions is None else set(scope.regions) | set(scope.benchmarks)

    def forbidden_ids(self, who: str) -> set[str]:
        """Ids of the regions and stations `who` may not see — but the ancestors of those it
        may (a benchmark's parent_id names its street: the tree's shape, no figure)."""
        return self._memoised("ids", who, lambda: self._forbidden_ids(who))  # type: ignore[return-value]

    def own_places(self, who: str) -> set[str]:
        """The regions the caller's own stations stand in (a station's own attribute: its
        page and its report row say where it is)."""
        scope = self.scopes[who]
        if scope.stations is None:
            return set()
        mine = self.stations[self.stations["station_id"].isin(scope.stations)]
        return set(mine["region_id"])

    def _forbidden_ids(self, who: str) -> set[str]:
        scope, shown = self.scopes[who], self.shown(who)
        ids = set() if shown is None else set(self.tree["region_id"]) - shown - self.above(shown)
        ids -= self.own_places(who)
        if scope.stations is not None:
            ids |= set(self.stations["station_id"]) - set(scope.stations)
        return ids

    def above(self, regions: set[str]) -> set[str]:
        parent = dict(zip(self.tree["region_id"], self.tree["parent_id"], strict=True))
        found: set[str] = set()
        for region in regions:
            while isinstance(parent.get(region), str):
                region = parent[region]
                found.add(region)
        return found

    def forbidden_names(self, who: str) -> set[str]:
        """The names of every region and station `who` may not see (ancestors included)."""
        return self._memoised("names", who, lambda: self._forbidden_names(who))  # type: ignore[return-value]

    def _forbidden_names(self, who: str) -> set[str]:
        shown, scope = self.shown(who), self.scopes[who]
        ids = set() if shown is None else set(self.tree["region_id"]) - shown - self.own_places(who)
        if scope.stations is not None:
            ids |= set(self.stations["station_id"]) - set(scope.stations)
        names: set[str] = set()
        for frame, key in ((self.tree, "region_id"), (self.stations, "station_id")):
            for row in frame[frame[key].isin(ids)].itertuples():
                names |= {n for n in (row.name, row.name_en) if isinstance(n, str) and n}
        return names

    def every_name(self) -> list[str]:
        """Every region's and station's name, longest first."""
        return self._memoised("every", "", self._every_name)  # type: ignore[return-value]

    def _every_name(self) -> list[str]:
        names = {
            n
            for frame in (self.tree, self.stations)
            for column in ("name", "name_en")
            for n in frame[column]
            if isinstance(n, str) and n
        }
        return sorted(names, key=len, reverse=True)


@pytest.fixture(scope="module")
def world(demo_db: Path, deployment: Deployment) -> World:
    with store.open_read_only(demo_db) as con:
        tree = data.region_tree(con)
        stations = data.stations(con)
        covers = data.catchment_cover(con)
        scopes = {
            "pat": access.scope_for(con, "planner", "pat"),
            "sam": access.scope_for(con, "station", "sam", (deployment.station,)),
            "vic": access.scope_for(con, "viewer", "vic", (), (deployment.area,)),
            "vera": access.scope_for(con, "viewer", "vera"),
        }
    mine = stations[stations["station_id"] == deployment.station].iloc[0]
    home = str(mine["region_id"])
    sam = scopes["sam"]
    assert sam.regions is not None
    outside = [
        r
        for r in tree[tree["parent_id"] == home]["region_id"]
        if r not in sam.regions and r not in sam.benchmarks
    ]
    if len(outside) != 1:
        pytest.fail("the demo's first community is no longer split between two catchments")
    neighbour = next(s for s, cover in covers.items() if cover and outside[0] in cover)
    in_area = stations[stations["district_id"] == deployment.area]
    return World(
        tree=tree,
        stations=stations,
        scopes=scopes,
        root=str(tree.iloc[0]["region_id"]),
        station=deployment.station,
        district=deployment.district,
        home=home,
        neighbour_grid=outside[0],
        neighbour_station=neighbour,
        other_district=deployment.area,
        other_station=str(in_area["station_id"].iloc[0]),
    )


def _leaks(world: World, who: str, text: str, echo: Iterable[object] = ()) -> list[str]:
    """What `text` names that `who` may not see: region and station ids outside its scope (but
    those the attacker sent itself, `echo`) and their names in either language."""
    found = [
        i
        for i in world.forbidden_ids(who) - {str(e) for e in echo if e}
        if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)
    ]
    forbidden = world.forbidden_names(who)
    # longest first, so that a name inside a longer one (a street in its community's name) is
    # read as the longer one
    for name in world.every_name():
        if name in text:
            text = text.replace(name, "\x00F\x00" if name in forbidden else "\x00A\x00")
    if "\x00F\x00" in text:
        found.append("a forbidden name")
    return sorted(found)


def _text(response) -> str:
    """A response as text, JSON re-written with its characters unescaped (names are found)."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


# -- the app, its clients and cursors ------------------------------------------------------------


@pytest.fixture(scope="module")
def app(demo_db: Path, deployment: Deployment):
    return signed_in_app(demo_db, deployment)


@pytest.fixture(scope="module")
def anonymous(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def browser(app) -> Callable[[str], object]:
    """A signed-in browser per account (a session cookie, as a person has)."""
    made: dict[str, object] = {}

    def get(name: str):
        if name not in made:
            client = app.server.test_client()
            assert sign_in(client, name).status_code == 302
            made[name] = client
        return made[name]

    return get


@pytest.fixture(scope="module")
def raw_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = store.open_read_only(demo_db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def served(demo_db: Path) -> Callable[[Scope], CachedCursor]:
    """A cursor as the server hands one to `who`'s request: on the store's current version,
    so sharing the caches the app's own requests fill (dashboard.cache), carrying its scope."""
    connection = StoreConnection(demo_db)

    def cursor(scope: Scope) -> CachedCursor:
        handed = connection.cursor()
        handed.caller = scope
        return handed

    return cursor


def _cursor(con: duckdb.DuckDBPyConnection, caller: Scope, cache_key: str | None = None):
    """A cursor carrying `caller` with caches of its own (cursors with the same `cache_key`
    share them, as one server's do)."""
    return CachedCursor(con.cursor(), ("attack", cache_key or uuid.uuid4().hex), caller)


def _get(client, path: str, params: object = (), token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    query = urlencode(params) if params else ""
    return client.get(path + ("?" + query if query else ""), headers=headers)


def _records(body: dict) -> list[dict]:
    return [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]


def _same_row(mine: dict, theirs: dict) -> bool:
    """The same row: every value equal, floats to 1e-12 (DuckDB's parallel sums vary in their
    last bits), and the same cells suppressed or withheld."""
    if mine.keys() != theirs.keys():
        return False
    for key, value in mine.items():
        other = theirs[key]
        if isinstance(value, float) and isinstance(other, float):
            if value != pytest.approx(other, rel=1e-12, abs=1e-12):
                return False
        elif value != other or type(value) is not type(other):
            return False
    return True


def _check_rows(world: World, who: str, key: str, mine: list[dict], every: list[dict]) -> None:
    """Each of `who`'s rows is the planner's row with the same values, and about its scope."""
    index = {tuple(r[c] for c in ROW_KEYS[key]): r for r in every}
    shown, scope = world.shown(who), world.scopes[who]
    for row in mine:
        name = tuple(row[c] for c in ROW_KEYS[key])
        assert name in index, (who, key, name, "a row the planner is not given")
        assert _same_row(row, index[name]), (who, key, row, index[name])
        if "region_id" in row and "station_id" not in row and shown is not None:
            # (a station's row names the region it stands in: where the caller's station is)
            assert row["region_id"] in shown, (who, key, row["region_id"])
        if "station_id" in row and scope.stations is not None:
            assert row["station_id"] in scope.stations, (who, key, row["station_id"])


# -- the API: every row a narrower scope gets is the planner's row -------------------------------


def _table_queries(route: str) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(row key, route path, parameters) of every level × age × sex of a table route."""
    if route in ("gaps", "unmet"):
        for level, slice_ in itertools.product(LEVELS, SLICES):
            yield route, route, {"level": level, **slice_}
    else:
        for slice_ in SLICES:
            yield "stations", "stations", slice_
            yield "stations?monthly", "stations", {**slice_, "monthly": "1"}


@pytest.mark.parametrize("route", ["gaps", "unmet", "stations"])
def test_every_row_a_station_or_viewer_gets_is_the_planners_row_inside_its_scope(
    anonymous, deployment: Deployment, world: World, served, route: str
) -> None:
    """At every level and every age × sex: a station token's rows (the API) and a viewer's (the
    same route's answer under its scope: its role may not download tables) are the planner's
    rows with identical values, suppression included, about its regions and benchmarks only."""
    viewer = served(world.scopes["vic"])
    seen = 0
    for key, path, params in _table_queries(route):
        planner = _get(anonymous, f"/api/v1/{path}", params, deployment.tokens["pat"])
        assert planner.status_code == 200, (path, params)
        every = _records(planner.get_json())
        station = _get(anonymous, f"/api/v1/{path}", params, deployment.tokens["sam"])
        assert station.status_code == 200, (path, params, station.get_data(as_text=True))
        assert not _leaks(world, "sam", _text(station)), (path, params)
        mine = _records(station.get_json())
        _check_rows(world, "sam", key, mine, every)
        seen += len(mine)
        args = api.parse_args(ROUTES[path], params)
        answer = ROUTES[path].answer(viewer, args)
        theirs = _records(api.as_table(answer, disclosure.effective_k(args.get("min_n"))))
        _check_rows(world, "vic", key, theirs, every)
        if route == "stations":
            assert theirs == [], "a viewer has no station"
    assert seen, "the station token was given no row at all: nothing was compared"


def test_a_station_tokens_region_list_is_its_scope(anonymous, deployment, world) -> None:
    for who in ("sam", "vic"):
        response = _get(anonymous, "/api/v1/regions", token=deployment.tokens[who])
        assert response.status_code == 200
        rows = _records(response.get_json())
        assert rows and {r["region_id"] for r in rows} <= world.shown(who), who
        assert not _leaks(world, who, _text(response)), who
    meta = _get(anonymous, "/api/v1/meta", token=deployment.tokens["sam"])
    assert meta.get_json()["role"] == "station" and not _leaks(world, "sam", _text(meta))


def test_within_every_region_and_station_of_the_dataset_stays_inside_the_scope(
    anonymous, deployment, world
) -> None:
    """`within=` each region id and station id the dataset has, at the grid level (and a few
    outside the scope at every level): 403 with nothing but the words outside the scope, inside
    it the planner's rows (same values) of the scope only."""
    shown = world.shown("sam")
    assert shown is not None
    answered = 0
    for within in [*world.tree["region_id"], *world.stations["station_id"]]:
        for route in ("gaps", "unmet"):
            params = {"level": "grid", "within": within}
            response = _get(anonymous, f"/api/v1/{route}", params, deployment.tokens["sam"])
            if within not in shown:
                assert response.status_code == 403, (route, within)
                assert response.get_json() == {"error": f"{NOT_IN_AREA}: {within}"}
                continue
            assert response.status_code == 200, (route, within)
            rows = _records(response.get_json())
            planner = _get(anonymous, f"/api/v1/{route}", params, deployment.tokens["pat"])
            _check_rows(world, "sam", route, rows, _records(planner.get_json()))
            assert not _leaks(world, "sam", _text(response)), (route, within)
            answered += len(rows)
    assert answered, "no within inside the scope answered any row"
    outside = (world.other_district, world.neighbour_grid, world.other_station, world.root + " ")
    for level, within in itertools.product(LEVELS, outside):
        for route in ("gaps", "unmet"):
            params = {"level": level, "within": within}
            response = _get(anonymous, f"/api/v1/{route}", params, deployment.tokens["sam"])
            assert response.status_code == 403, (route, level, within)


def _variants(region: str) -> list[str]:
    fullwidth = region.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)})
    return [
        f" {region}",
        f"{region} ",
        f"{region}\t",
        f"{region}\u200b",
        f"\ufeff{region}",
        f"{region}\x00",
        fullwidth,
        region.lower(),
        region.upper(),
        region.swapcase(),
        f"{region}/",
        f"{region}%",
        f"{region}*",
        f"{region},{region}",
        f"{region}' OR '1'='1",
        region[:-1],
        region + "0",
    ]


def test_unicode_whitespace_and_case_variants_of_region_ids_widen_nothing(
    anonymous, deployment, world
) -> None:
    shown = world.shown("sam")
    targets = [world.other_district, world.neighbour_grid, world.district, world.home, world.root]
    for region, variant in ((r, v) for r in targets for v in _variants(r)):
        for level in ("grid", "district"):
            params = {"level": level, "within": variant}
            response = _get(anonymous, "/api/v1/gaps", params, deployment.tokens["sam"])
            assert response.status_code in (200, 403), (variant, response.status_code)
            if response.status_code == 200:
                rows = _records(response.get_json())
                assert {r["region_id"] for r in rows} <= shown, (region, variant)
            assert not _leaks(world, "sam", _text(response), echo=[region]), variant


def test_duplicated_and_unknown_parameters_widen_nothing(anonymous, deployment, world) -> None:
    mine, other = world.district, world.other_district
    shown = world.shown("sam")
    token = deployment.tokens["sam"]
    first_mine = [("level", "grid"), ("within", mine), ("within", other)]
    response = _get(anonymous, "/api/v1/gaps", first_mine, token)
    assert response.status_code == 200
    assert {r["region_id"] for r in _records(response.get_json())} <= shown
    first_other = [("level", "grid"), ("within", other), ("within", mine)]
    assert _get(anonymous, "/api/v1/gaps", first_other, token).status_code == 403
    for params in (
        [("level", "grid"), ("level", "city")],
        [("level", "grid"), ("within", ""), ("within", other)],
        [("level", "grid"), ("WITHIN", other)],
        [("level", "grid"), ("within[]", other)],
        [("level", "grid"), ("region", other)],
        [("level", "grid"), ("station", world.other_station)],
        [("level", "grid"), ("district", other)],
        [("level", "station")],
        [("level", "GRID")],
        [("level", "grid "), ("within", mine)],
        [("monthly", "1"), ("station", world.other_station)],
    ):
        route = "stations" if params[0][0] == "monthly" else "gaps"
        response = _get(anonymous, f"/api/v1/{route}", params, token)
        assert response.status_code in (200, 400, 403), params
        if response.status_code == 200:
            rows = _records(response.get_json())
            assert {r["region_id"] for r in rows} <= shown, params
        assert not _leaks(world, "sam", _text(response), echo=[other, world.other_station])


def test_a_minimum_n_below_the_floor_changes_nothing(anonymous, deployment) -> None:
    token = deployment.tokens["sam"]
    for route, params in (
        ("gaps", {"level": "grid", "sex": "F"}),
        ("unmet", {"level": "grid", "age": "80+"}),
        ("stations", {"age": "70-79"}),
    ):
        floor = _get(anonymous, f"/api/v1/{route}", params, token).get_json()
        for low in ("1", "9", "10"):
            asked = _get(anonymous, f"/api/v1/{route}", {**params, "min_n": low}, token)
            assert asked.status_code == 200
            got = _records(asked.get_json())
            assert len(got) == len(_records(floor))
            assert all(map(_same_row, got, _records(floor))), (route, low)
        for bad in ("0", "-1", " 1", "1.0", "1e1", "０１", "①", "10001"):
            refused = _get(anonymous, f"/api/v1/{route}", {**params, "min_n": bad}, token)
            assert refused.status_code == 400, (route, bad)
            assert "rows" not in refused.get_json()


PATH_TRICKS = [
    "/api/v1/gaps/",
    "/api/v1//gaps",
    "//api/v1/gaps",
    "/api/v1/./gaps",
    "/api/v1/x/../gaps",
    "/api/v1/%67aps",
    "/api/v1/GAPS",
    "/API/v1/gaps",
    "/api/v1/gaps%2F",
    "/api/v1/gaps;within=OTHER",
    "/api/v1/gaps.json",
    "/api/v2/gaps",
]


def test_path_tricks_and_other_methods_get_no_rows_without_a_token_and_no_more_with_one(
    anonymous, deployment, world
) -> None:
    other = world.other_district
    shown = world.shown("sam")
    query = f"?level=grid&within={other}"
    for path in [*PATH_TRICKS, "/api/v1/gaps"]:
        url = path.replace("OTHER", other) + query
        for method in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"):
            nobody = anonymous.open(url, method=method)
            assert nobody.status_code in (401, 302), (url, method)
            if nobody.status_code == 302:  # read as a page: sent to sign in
                assert nobody.headers["Location"].startswith("/login?next="), url
            assert b"demand_rate" not in nobody.get_data(), (url, method)
            sam = anonymous.open(url, method=method, headers=deployment.bearer("sam"))
            body = sam.get_data(as_text=True)
            assert "demand_rate" not in body and "respondents_n" not in body, (url, method)
            if "rows" in (sam.get_json(silent=True) or {}):
                rows = _records(sam.get_json())
                assert {r["region_id"] for r in rows} <= shown, (url, method)
    # followed like a client following redirects, the merged path is the same route and scope
    followed = anonymous.get("/api/v1//gaps" + query, headers=deployment.bearer("sam"))
    assert "rows" not in (followed.get_json(silent=True) or {})
    head = anonymous.head("/api/v1/gaps?level=grid", headers=deployment.bearer("sam"))
    assert head.status_code == 200 and head.get_data() == b""


def test_the_api_and_callbacks_answer_nothing_without_a_sign_in(anonymous, app) -> None:
    for path in (
        "/_dash-layout",
        "/_dash-dependencies",
        "/api/v1/meta",
        "/api/v1/regions",
        "/api/v1/services",
        "/api/v1/openapi.json",
        "/api/v1/gaps?level=grid",
        "/api/v1/stations?monthly=1",
        "/_reload-hash",
    ):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert set(response.get_json()) == {"error"}, path
    for key, spec in app.callback_map.items():
        if "callback" not in spec:
            continue
        response = anonymous.post("/_dash-update-component", json={"output": key})
        assert response.status_code == 401, key


# -- tokens and sessions -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_deployment(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """An accounts file of this module's own: its accounts are removed and added again."""
    return Deployment(tmp_path_factory.mktemp("attack-accounts") / "accounts.sqlite", demo_db)


@pytest.fixture(scope="module")
def own_app(demo_db: Path, own_deployment: Deployment):
    return signed_in_app(demo_db, own_deployment)


def test_tokens_that_are_revoked_removed_altered_or_misplaced_get_401(
    own_app, own_deployment: Deployment, world
) -> None:
    client = own_app.server.test_client()
    accounts = own_deployment.accounts
    token = own_deployment.tokens["sam"]
    ok = "/api/v1/gaps?level=district"
    assert client.get(ok, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # whitespace around the token is the same token, with the same scope
    padded = client.get(ok, headers={"Authorization": f"Bearer   {token}  "})
    assert padded.status_code == 200
    assert {r["region_id"] for r in _records(padded.get_json())} == {world.district}
    for header in (
        f"bearer {token}",
        f"BEARER {token}",
        f"Bearer\t{token}",
        f"Token {token}",
        f"Basic {token}",
        token,
        f"Bearer {token[:-1]}",
        f"Bearer {token}x",
        f"Bearer {token.upper()}",
        f"Bearer {token[4:]}",
        f"Bearer {token[:12]} {token[12:]}",
        f"Bearer {own_deployment.tokens['pat']},{token}",
        "Bearer ",
        "Bearer cgk_",
    ):
        response = client.get(ok, headers={"Authorization": header})
        assert response.status_code == 401, header
    for name in ("token", "access_token", "api_key", "bearer", "Authorization"):
        assert client.get(f"{ok}&{name}={token}").status_code == 401, name
    assert client.get(ok, headers={"Cookie": f"caregap_session={token}"}).status_code == 401
    # revoked
    assert accounts.revoke_tokens("sam") >= 1
    assert client.get(ok, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # of a removed account, and of the same name added again
    accounts.add("tess", "planner", "planner-password-9")
    removed = accounts.new_token("tess")
    accounts.remove("tess")
    assert client.get(ok, headers={"Authorization": f"Bearer {removed}"}).status_code == 401
    accounts.add("tess", "station", "station-password-9", stations=(world.station,))
    assert client.get(ok, headers={"Authorization": f"Bearer {removed}"}).status_code == 401


def test_a_session_ends_when_its_account_is_removed(own_app, own_deployment, world) -> None:
    accounts = own_deployment.accounts
    accounts.add("tom", "planner", "planner-password-9")
    client = own_app.server.test_client()
    assert sign_in(client, "tom", "planner-password-9").status_code == 302
    assert client.get("/api/v1/gaps?level=district").status_code == 200
    accounts.remove("tom")
    assert client.get("/api/v1/gaps?level=district").status_code == 401
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/?lang=en").status_code == 302


def test_a_session_of_a_removed_account_does_not_come_back_with_the_name(
    own_app, own_deployment, world
) -> None:
    accounts = own_deployment.accounts
    accounts.add("una", "planner", "planner-password-9")
    client = own_app.server.test_client()
    assert sign_in(client, "una", "planner-password-9").status_code == 302
    accounts.remove("una")
    assert client.get("/api/v1/meta").status_code == 401
    # the name is given to somebody else (a viewer of another district)
    accounts.add("una", "viewer", "another-password-9", areas=(world.other_district,))
    assert client.get("/api/v1/meta").status_code == 401


# -- the proxy's header --------------------------------------------------------------------------


def test_the_trusted_header_is_ignored_from_anywhere_but_the_proxy(demo_db, deployment, world):
    app = signed_in_app(demo_db, deployment, trust_header="X-Remote-User", proxies=("10.0.0.5",))
    client = app.server.test_client()
    url = "/api/v1/gaps?level=district"
    spoofs = {
        "X-Forwarded-For": "10.0.0.5",
        "X-Real-IP": "10.0.0.5",
        "Forwarded": "for=10.0.0.5",
        "X-Forwarded-Host": "10.0.0.5",
    }
    for peer in ("10.0.0.9", "127.0.0.1", "::1", "10.0.0.50", "10.0.0.5 "):
        for name in ("pat", "ada", " pat", "PAT"):
            response = client.get(
                url, headers={"X-Remote-User": name, **spoofs}, environ_base={"REMOTE_ADDR": peer}
            )
            assert response.status_code == 401, (peer, name)
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    assert client.get(url, headers={"X-Remote-User": "pat"}, environ_base=proxy).status_code == 200
    unknown = client.get(url, headers={"X-Remote-User": "mallory"}, environ_base=proxy)
    assert unknown.status_code == 401
    # from the proxy, the header's account keeps its own scope
    sam = client.get(url, headers={"X-Remote-User": "sam"}, environ_base=proxy)
    assert {r["region_id"] for r in _records(sam.get_json())} == {world.district}
    other = f"/api/v1/gaps?level=grid&within={world.other_district}"
    assert (
        client.get(other, headers={"X-Remote-User": "sam"}, environ_base=proxy).status_code == 403
    )
    # a token still wins over a header naming somebody wider
    both = {"X-Remote-User": "pat", **deployment.bearer("sam")}
    assert client.get(other, headers=both, environ_base=proxy).status_code == 403


# -- crafted callback posts ----------------------------------------------------------------------


def _search(state: dict[str, str | None], **extra: str) -> str:
    return "?" + urlencode({"lang": "en", **{k: v for k, v in state.items() if v}, **extra})


def _briefing_views(state: dict[str, str | None]) -> list[dict[str, str]]:
    """A view of every chart a slide can show, each with `state`."""
    return [
        {"path": path, "query": _search(state, chart=chart, stations_layer="1")}
        for path, charts in SLIDE_CHARTS.items()
        for chart in charts
    ]


def _value(ident: object, prop: str, state: dict[str, str | None], path: str) -> object:
    """What an attacker sends for one input or state of a callback."""
    if isinstance(ident, dict):
        if ident.get("role") == "state":
            return {
                "station": state.get("station"),
                "breakdown": "category",
                "rank_by": "provision_count",
                "measure": "gap_pp",
                "dimension": "age_group",
                "stations_layer": True,
            }.get(str(ident["key"]))
        if ident.get("role") == "state-store":
            return state.get("district")
        return 1
    views = _briefing_views(state)
    upload = json.dumps({"format": 1, "lang": "en", "title": "x", "views": views})
    return {
        ("url", "pathname"): path,
        ("url", "search"): _search(state),
        ("query", "data"): path + _search(state),
        ("filter-region", "value"): state.get("region"),
        ("filter-min-n", "value"): 1,
        ("filter-threshold", "value"): 4,
        ("chart-map", "clickData"): {"points": [{"location": state.get("district")}]},
        ("briefing-store", "data"): {"format": 1, "lang": "en", "views": views},
        ("briefing-views", "data"): {"views": views, "default": False},
        ("briefing-index", "data"): 0,
        ("briefing-upload", "filename"): "x.json",
        ("briefing-upload", "contents"): "data:application/json;base64,"
        + base64.b64encode(upload.encode()).decode(),
    }.get((str(ident), prop), 1 if prop == "n_clicks" else None)


def _patterns(state: dict[str, str | None]) -> dict[str, list[dict[str, object]]]:
    """The concrete components an ALL wildcard stands for."""
    keys = ("station", "breakdown", "rank_by", "item", "measure", "dimension", "stations_layer")
    one = {"i": 0}
    return {
        "state": [{"key": k, "role": "state"} for k in keys],
        "state-store": [{"key": "district", "role": "state-store"}],
        # the header's links: only the views the caller opens (what the page drew)
        "nav": [{"path": p, "role": "nav"} for p in state.get("_nav") or VIEW_PATHS],
        "brief-go": [{**one, "role": "brief-go"}],
        "brief-up": [{**one, "role": "brief-up"}],
        "brief-down": [{**one, "role": "brief-down"}],
        "brief-remove": [{**one, "role": "brief-remove"}],
        "brief-item": [{**one, "role": "brief-item"}],
        "brief-export": [],  # exports need Chromium; they draw the same slides
        "pick-station": [{"role": "pick-station", "station": str(state.get("station"))}],
        "download": [],  # every chart's download is attacked on its own below
        # the filter bar's period presets (issue 14): a click sets two dates, nothing else
        "period-preset": [{"end": "2009-03-31", "role": "period-preset", "start": "2009-01-01"}],
    }


def _concrete(ident: str, state: dict[str, str | None]) -> object:
    if not ident.startswith("{"):
        return ident
    parsed = json.loads(ident)
    if any(v == ["ALL"] for v in parsed.values()):
        return _patterns(state)[parsed["role"]]
    return parsed


def _callback_body(key: str, spec: dict, state: dict[str, str | None], path: str) -> dict:
    """The POST the browser would send for callback `key`, every input and state set by
    `_value` (as `_post` in tests/app/test_access.py, for any callback)."""
    outputs: list[object] = []
    for part in key.strip(".").split("..."):
        ident, _, prop = part.rpartition(".")
        target = _concrete(ident, state)
        prop = prop.split("@")[0]
        if isinstance(target, list):
            outputs.append([{"id": t, "property": prop} for t in target])
        else:
            outputs.append({"id": target, "property": prop})

    def items(specs: list[dict]) -> list[object]:
        out: list[object] = []
        for s in specs:
            target = _concrete(s["id"], state)
            prop = s["property"]
            if isinstance(target, list):
                out.append(
                    [
                        {"id": t, "property": prop, "value": _value(t, prop, state, path)}
                        for t in target
                    ]
                )
            else:
                out.append(
                    {"id": target, "property": prop, "value": _value(target, prop, state, path)}
                )
        return out

    inputs = items(spec["inputs"])
    flat = [i for group in inputs for i in (group if isinstance(group, list) else [group])]
    changed = []
    if flat:
        ident = flat[0]["id"]
        name = json.dumps(ident, separators=(",", ":")) if isinstance(ident, dict) else ident
        changed = [f"{name}.{flat[0]['property']}"]
    return {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": items(spec["state"]),
        "changedPropIds": changed,
    }


def _posts(app, client, state: dict[str, str | None]) -> Iterator[tuple[str, str, object]]:
    """(callback, page path, response) for every server callback of the app, posted with
    `state` (each page's path for callbacks that read the path)."""
    for key, spec in app.callback_map.items():
        if "callback" not in spec:  # a clientside callback: nothing runs on the server
            continue
        reads_path = "pathname" in json.dumps([spec["inputs"], spec["state"]])
        for path in VIEW_PATHS if reads_path else ["/"]:
            body = _callback_body(key, spec, state, path)
            yield key, path, client.post("/_dash-update-component", json=body)


#: The header's links each account is shown (views.access.ROLE_VIEWS, in NAV_ITEMS order).
NAV = {
    "sam": ["/", "/map", "/groups", "/stations", "/briefing"],
    "vic": ["/", "/briefing"],
    "vera": ["/", "/briefing"],
}
#: Callbacks that draw a page's figures from the shared filters.
FIGURE_CALLBACKS = (
    "overview-cards.children",
    "chart-trend.figure",
    "chart-map.figure",
    "map-table.children",
    "map-side-title.children",
    "chart-group_dumbbell.figure",
    "stations-summary.children",
    "chart-profile.figure",
)


def _attacks(world: World) -> dict[str, list[dict[str, str | None]]]:
    """Per account: states naming what lies outside its scope."""
    return {
        "sam": [
            {
                "region": world.other_district,
                "district": world.other_district,
                "station": world.other_station,
            },
            {
                "region": world.neighbour_grid,
                "district": world.other_district,
                "station": world.neighbour_station,
            },
        ],
        "vic": [
            {"region": world.district, "district": world.district, "station": world.station},
            {"region": world.root, "district": world.district, "station": world.other_station},
        ],
        "vera": [{"region": None, "district": None, "station": world.station}],
    }


@pytest.mark.parametrize("who", ["sam", "vic", "vera"])
def test_every_callback_posted_outside_the_scope_answers_nothing_of_it(
    app, browser, world: World, who: str
) -> None:
    """Every server callback of the app (app.callback_map), posted as the browser does with the
    area, the map's district and the station outside the caller's scope: page figures 403, and
    no answer names a region or station outside it (but the ids the attacker sent)."""
    client = browser(who)
    for state in _attacks(world)[who]:
        for key, path, response in _posts(app, client, {**state, "_nav": NAV[who]}):
            assert response.status_code in (200, 204, 403), (key, path, response.status_code)
            text = _text(response)
            leaks = _leaks(world, who, text, echo=state.values())
            assert not leaks, (who, key, path, leaks)
            if key == "root.children":
                assert "Not in your area" in text or "not in your area" in text, (who, path)
            elif who != "vera" and any(f in key for f in FIGURE_CALLBACKS):
                assert response.status_code == 403, (who, key)


@pytest.mark.parametrize("who", ["sam", "vic"])
def test_every_callback_inside_the_scope_names_nothing_outside_it(
    app, browser, world: World, who: str
) -> None:
    """The same posts with the caller's own area, district and station: what comes back
    (figures, lists, maps, slides) names no region or station outside its scope."""
    own = {
        "sam": [
            {"region": None, "district": world.district, "station": world.station},
            {"region": world.home, "district": world.district, "station": world.station},
            {"region": sorted(world.scopes["sam"].regions)[0], "district": None, "station": None},
        ],
        "vic": [
            {"region": world.other_district, "district": world.other_district, "station": None},
        ],
    }[who]
    answered = 0
    for state in own:
        for key, path, response in _posts(app, browser(who), {**state, "_nav": NAV[who]}):
            assert response.status_code in (200, 204, 403), (key, path)
            assert not _leaks(world, who, _text(response)), (who, key, path, state)
            answered += response.status_code == 200
    assert answered


# -- downloads -----------------------------------------------------------------------------------


def _download(client, chart: str, query: str):
    button = {"chart": chart, "fmt": "csv", "role": "download"}
    body = {
        "output": "download.data",
        "outputs": {"id": "download", "property": "data"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "query", "property": "data", "value": query}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", json=body)


def _csv(response) -> tuple[str, str]:
    """(the filters on top, the table) of a download."""
    sent = response.get_json()["response"]["download"]["data"]
    text = base64.b64decode(sent["content"]).decode("utf-8-sig").replace("\r\n", "\n")
    header, _, table = text.partition("\n\n")
    return header, table


def _download_states(world: World) -> dict[str, dict[str, str]]:
    return {
        "other region": {"region": world.other_district, "station": world.station},
        "other grid": {"region": world.neighbour_grid, "station": world.station},
        "other district": {"district": world.other_district, "station": world.station},
        "other station": {"station": world.other_station, "region": world.district},
        "neighbour station": {"station": world.neighbour_station, "region": world.home},
    }


#: The state parameter each view's charts are computed from (the download must refuse it).
USED = {"/": "region", "/groups": "region", "/map": "district", "/quality": "region"}


def test_every_download_holds_no_row_outside_the_scope(browser, world: World) -> None:
    """Every chart of every view (registry.BY_NAME), downloaded by a station manager with its
    own area, none, and each out-of-scope state: no row of the table names a region or station
    outside its scope; a chart computed from the out-of-scope area is refused (403)."""
    client = browser("sam")
    own = {
        "none": {},
        "own grid": {"region": sorted(world.scopes["sam"].regions)[0], "station": world.station},
        "benchmark": {
            "region": world.district,
            "district": world.district,
            "station": world.station,
        },
    }
    for chart, (path, _) in BY_NAME.items():
        for label, state in {**own, **_download_states(world)}.items():
            query = path + _search(state, stations_layer="1")
            response = _download(client, chart, query)
            if path == "/quality":  # not a view the station role opens
                assert response.status_code == 403, chart
                continue
            used = USED.get(path)
            if used and state.get(used) in world.forbidden_ids("sam"):
                assert response.status_code == 403, (chart, label)
                continue
            if response.status_code == 403:  # e.g. no station picked: nothing is sent
                continue
            assert response.status_code == 200, (chart, label)
            header, table = _csv(response)
            assert header.strip() and table.strip(), (chart, label)
            assert not _leaks(world, "sam", table), (chart, label)
            if label in own:
                assert not _leaks(world, "sam", header), (chart, label)
    for who in ("vic", "vera"):  # viewers download no tables, wherever they point
        for chart, (path, _) in BY_NAME.items():
            response = _download(browser(who), chart, path + _search({}))
            assert response.status_code == 403, (who, chart)
            assert "content" not in response.get_data(as_text=True)


def test_a_download_for_a_state_outside_the_scope_is_refused_as_the_page_is(
    browser, world: World
) -> None:
    client = browser("sam")
    for chart, (path, _) in BY_NAME.items():
        for label, state in _download_states(world).items():
            response = _download(client, chart, path + _search(state))
            assert response.status_code == 403, (chart, label)


# -- the briefing --------------------------------------------------------------------------------


def _slide_states(world: World, who: str) -> dict[str, dict[str, str]]:
    if who == "vic":
        return {
            "other region": {"region": world.district},
            "the city": {"region": world.root},
            "other district": {"district": world.district, "region": world.other_district},
            "other station": {"station": world.station, "region": world.other_district},
        }
    return {
        "other region": {"region": world.other_district, "station": world.station},
        "other grid": {"region": world.neighbour_grid, "station": world.station},
        "other district": {"district": world.other_district, "station": world.station},
        "other station": {"station": world.other_station},
        "neighbour station": {"station": world.neighbour_station, "region": world.home},
    }


def _slide_text(slide) -> str:
    return json.dumps(
        [slide.title, slide.finding, slide.n_text, slide.filters, slide.source],
        ensure_ascii=False,
    )


@pytest.mark.parametrize("who", ["sam", "vic"])
def test_a_slide_outside_the_scope_says_not_in_your_area_and_draws_nothing_of_it(
    served, world: World, who: str
) -> None:
    """Every chart a slide can show, for every out-of-scope state: a slide computed from the
    out-of-scope area says "not in your area" and has no figure (a station elsewhere: none
    picked, no figure); no slide's chart, title or finding names anything outside the scope."""
    con = served(world.scopes[who])
    outside = world.forbidden_ids(who)
    refused = 0
    for path, charts in SLIDE_CHARTS.items():
        for chart, (label, state) in itertools.product(charts, _slide_states(world, who).items()):
            slide = slide_for_view(con, path, _search(state, chart=chart, stations_layer="1"), "en")
            where = (path, chart, label)
            text = slide.figure.to_json() + json.dumps([slide.title, slide.finding])
            assert not _leaks(world, who, text, echo=state.values()), where
            used = USED.get(path)
            if used and state.get(used) in outside:
                assert slide.kind == "not_in_area", where
                assert not slide.figure.data and slide.n == 0, where
                assert slide.title.lower().startswith(NOT_IN_AREA), where
                refused += 1
            if path == "/stations" and state.get("station") in outside:
                assert not slide.figure.data, where
    assert refused


@pytest.mark.parametrize("who", ["sam", "vic"])
def test_a_refused_slide_does_not_name_the_area_it_refuses(served, world, who) -> None:
    con = served(world.scopes[who])
    refused = 0
    for label, state in _slide_states(world, who).items():
        slide = slide_for_view(con, "/", _search(state), "en")
        if slide.kind != "not_in_area":
            continue
        refused += 1
        assert not _leaks(world, who, _slide_text(slide)), (label, slide.filters)
    assert refused


def test_a_slide_for_a_view_the_router_refuses_is_refused(served, world) -> None:
    con = served(world.scopes["sam"])
    for path, charts in SLIDE_CHARTS.items():
        for chart, (label, state) in itertools.product(charts, _slide_states(world, "sam").items()):
            slide = slide_for_view(con, path, _search(state, chart=chart), "en")
            assert slide.kind == "not_in_area", (path, chart, label)


def test_the_default_briefing_for_another_area_has_no_slide(served, world: World) -> None:
    for who, state in (
        ("sam", {"region": world.other_district}),
        ("sam", {"region": world.neighbour_grid}),
        ("vic", {"region": world.district}),
        ("vic", {}),  # the city: not vic's
    ):
        con = served(world.scopes[who])
        slides, skipped = build_sequence(con, _search(state), "en")
        assert slides == [], (who, state, [s.kind for s in slides])
        assert any(NOT_IN_AREA in s.reason.lower() for s in skipped)


def test_add_to_briefing_outside_the_scope_stores_a_view_and_no_figure(app, browser, world):
    key = next(k for k in app.callback_map if "add-to-briefing-status" in k)
    spec = app.callback_map[key]
    for who in ("sam", "vic"):
        for label, state in _slide_states(world, who).items():
            for path in SLIDE_CHARTS:
                body = _callback_body(key, spec, state, path)
                # a briefing of no slide (the first add also computes the default sequence:
                # once per account below)
                body["state"][1]["value"] = {"format": 1, "lang": "en", "views": []}
                response = browser(who).post("/_dash-update-component", json=body)
                assert response.status_code == 200, (who, label, path)
                text = _text(response)
                assert not _leaks(world, who, text, echo=state.values()), (who, label, path)
                assert "figure" not in text, (who, label, path)
        state = next(iter(_slide_states(world, who).values()))
        body = _callback_body(key, spec, state, "/")
        body["state"][1]["value"] = None
        response = browser(who).post("/_dash-update-component", json=body)
        assert response.status_code == 200
        views = response.get_json()["response"]["briefing-store"]["data"]["views"]
        assert views == [{"path": "/", "query": _search(state)}], "only the view added"


# -- caches --------------------------------------------------------------------------------------


def _answers(client, deployment, who: str, queries: list[str]) -> list[list[dict]]:
    out = []
    for query in queries:
        response = client.get(f"/api/v1/{query}", headers=deployment.bearer(who))
        assert response.status_code == 200, (who, query)
        out.append(_records(response.get_json()))
    return out


def _same_answers(a: list[list[dict]], b: list[list[dict]]) -> bool:
    return all(len(x) == len(y) and all(map(_same_row, x, y)) for x, y in zip(a, b, strict=True))


def test_an_answer_cached_for_the_planner_is_never_handed_to_a_station_or_back(
    anonymous, deployment, world
) -> None:
    queries = [
        "gaps?level=grid",
        "gaps?level=grid&sex=F",
        "unmet?level=grid",
        "unmet?level=district&age=80%2B",
        "stations",
        "stations?monthly=1",
        f"gaps?level=grid&within={world.district}",
        "gaps?level=district",
    ]
    cache.clear_all()
    alone = {who: _answers(anonymous, deployment, who, queries) for who in ("sam",)}
    cache.clear_all()
    pat_alone = _answers(anonymous, deployment, "pat", queries)
    sam_after = _answers(anonymous, deployment, "sam", queries)
    cache.clear_all()
    _answers(anonymous, deployment, "sam", queries)
    pat_after = _answers(anonymous, deployment, "pat", queries)
    assert _same_answers(sam_after, alone["sam"])
    assert _same_answers(pat_after, pat_alone)
    shown = world.shown("sam")
    for rows in sam_after:
        about = {r["region_id"] for r in rows if "region_id" in r and "station_id" not in r}
        assert about <= shown


def test_a_cached_function_checks_the_scope_of_each_caller(raw_con, world: World) -> None:
    """The caches of answers that look at the caller (dashboard.cache, not shared): what a
    planner has had computed is not handed to a station manager or viewer asking the same."""
    key = uuid.uuid4().hex
    planner = _cursor(raw_con, world.scopes["pat"], key)
    sam = _cursor(raw_con, world.scopes["sam"], key)
    vic = _cursor(raw_con, world.scopes["vic"], key)
    elsewhere = ViewState(lang="en", region=world.other_district)
    quality.modelled(planner, elsewhere)
    with pytest.raises(OutOfScope):
        quality.modelled(sam, elsewhere)
    map_view.catchment_outline(planner, world.other_station)
    with pytest.raises(OutOfScope):
        map_view.catchment_outline(sam, world.other_station)
    # the map's default item: the city's largest gap for the planner, the first service for a
    # viewer who may not be shown the city's figures (a slice where the two differ)
    fresh, slice_ = next(
        (first, s)
        for s in (data.Slice(threshold=t) for t in data.THRESHOLDS)
        for first in [map_view._largest_city_gap(_cursor(raw_con, world.scopes["vic"]), s)]
        if map_view._largest_city_gap(_cursor(raw_con, world.scopes["pat"]), s) != first
    )
    map_view._largest_city_gap(planner, slice_)
    assert map_view._largest_city_gap(vic, slice_) == fresh
    # the data functions' own answers, asked by the planner first
    for fn, args in (
        (data.gaps, ("grid",)),
        (data.unmet_cells, ("grid",)),
        (data.stations_report, ()),
        (data.stations, ()),
    ):
        every = fn(planner, *args)
        mine = fn(sam, *args)
        assert len(mine) < len(every), fn.__name__
        column = "station_id" if "station_id" in mine else "region_id"
        allowed = world.scopes["sam"].stations if column == "station_id" else world.shown("sam")
        assert set(mine[column]) <= set(allowed), fn.__name__


def test_a_map_drawn_for_the_planner_first_shows_a_station_only_its_grids(app, browser, world):
    key = next(k for k in app.callback_map if "chart-map.figure" in k)
    spec = app.callback_map[key]
    state = {"region": None, "district": world.district, "station": world.station}
    cache.clear_all()
    alone = browser("sam").post(
        "/_dash-update-component", json=_callback_body(key, spec, state, "/map")
    )
    cache.clear_all()
    browser("pat").post("/_dash-update-component", json=_callback_body(key, spec, state, "/map"))
    after = browser("sam").post(
        "/_dash-update-component", json=_callback_body(key, spec, state, "/map")
    )
    assert alone.status_code == after.status_code == 200
    assert json.loads(_text(alone)) == json.loads(_text(after))
    figure = after.get_json()["response"]["chart-map"]["figure"]
    located = {loc for trace in figure["data"] for loc in trace.get("locations") or []}
    assert located and located <= world.shown("sam")
    assert not _leaks(world, "sam", _text(after))


# -- holes in what a narrower scope can be given -------------------------------------------------


def test_a_benchmark_minus_the_callers_own_rows_is_no_region_outside_its_scope(
    anonymous, deployment, world: World
) -> None:
    token = deployment.tokens["sam"]
    planner = deployment.tokens["pat"]

    def rows(query: str, who: str) -> list[dict]:
        return _records(
            anonymous.get(f"/api/v1/{query}", headers={"Authorization": f"Bearer {who}"}).get_json()
        )

    community = rows("gaps?level=community", token)
    grids = rows("gaps?level=grid", token)
    truth = {(r["region_id"], r["service_code"]): r for r in rows("gaps?level=grid", planner)}
    derived = []
    for row in community:
        own = [g for g in grids if g["service_code"] == row["service_code"]]
        actual = truth[(world.neighbour_grid, row["service_code"])]
        for column in ("respondents_n", "received_n", "provision_count"):
            values = [row[column], *(g[column] for g in own)]
            numbers = all(isinstance(v, int) for v in [*values, actual[column]])
            if numbers and values[0] - sum(values[1:]) == actual[column]:
                derived.append((row["service_code"], column))
    regions = {r["region_id"]: r for r in rows("regions", token)}
    kids = [r for r in regions.values() if r["parent_id"] == world.home]
    every = {r["region_id"]: r for r in rows("regions", planner)}
    if world.home in regions:  # the community shared with another station: not sam's to see
        home = regions[world.home]["elderly_population"]
        rest = home - sum(k["elderly_population"] for k in kids)
        if rest == every[world.neighbour_grid]["elderly_population"]:
            derived.append(("population", "elderly_population"))
    assert not derived, f"{world.neighbour_grid} derived by subtraction: {derived[:5]} …"


def test_a_viewer_of_every_area_is_given_no_stations_figures(served, world: World) -> None:
    vera = served(world.scopes["vera"])
    assert data.stations(vera).empty
    assert data.gap_table(vera, data.STATION).empty
    assert data.gap_intervals(vera, data.STATION).empty
    assert data.unmet_cells(vera, data.STATION).empty
    assert data.stations_report(vera).empty
