"""Which views each role may open, and the scope an account has in the current dataset.

The regions and stations are the data layer's (data.grant, enforced by every data function);
this adds what is the views': the paths a role opens, whether it downloads tables, and the
region and station its views open on when the URL names none.

- admin: every view, downloads, every region; and the audit log on /data.
- planner: every view, downloads, every region.
- station: overview, map, groups, stations and briefing; downloads; its stations' catchments,
  with the city and its district as benchmark rows only.
- viewer: overview and briefing; no downloads of tables; its areas (every area if none).
"""

from __future__ import annotations

from dashboard import data, scope
from dashboard.scope import OPEN, Scope
from dashboard.views import groups, overview, quality, stations
from dashboard.views import map as map_view
from dashboard.views.state import ViewState

DATA_PATH = "/data"
BRIEFING_PATH = "/briefing"
EVERY_VIEW = (
    overview.PATH,
    map_view.PATH,
    groups.PATH,
    stations.PATH,
    quality.PATH,
    DATA_PATH,
    BRIEFING_PATH,
)
#: role → the views it opens (None: every view).
ROLE_VIEWS: dict[str, frozenset[str] | None] = {
    OPEN: None,
    "admin": None,
    "planner": None,
    "station": frozenset({overview.PATH, map_view.PATH, groups.PATH, stations.PATH, BRIEFING_PATH}),
    "viewer": frozenset({overview.PATH, BRIEFING_PATH}),
}
#: Roles that may download tables (CSV, Excel, the API's tables).
DOWNLOADERS = frozenset({OPEN, "admin", "planner", "station"})
#: Roles that read the audit log.
AUDITORS = frozenset({"admin"})


def scope_for(
    con: object,
    role: str,
    user: str | None = None,
    stations_: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
) -> Scope:
    """The scope of an account (role, stations, areas) in the dataset `con` reads."""
    if role == OPEN:
        return scope.FULL
    if role not in ROLE_VIEWS:
        raise ValueError(f"unknown role {role!r}")
    granted = data.grant(con, role, tuple(stations_), tuple(areas))  # type: ignore[arg-type]
    return Scope(
        role=role,
        user=user,
        regions=granted.regions,
        benchmarks=granted.benchmarks,
        stations=granted.stations,
        views=ROLE_VIEWS[role],
        downloads=role in DOWNLOADERS,
        home=granted.home,
        home_station=granted.home_station,
    )


def reads_audit(con: object) -> bool:
    return scope.of(con).role in AUDITORS


def opening(con: object, state: ViewState) -> ViewState:
    """The state a view opens with for this caller: where the URL names no region (or no
    station), the caller's own (a station manager's catchment, a viewer's first area)."""
    caller = scope.of(con)
    changes: dict[str, object] = {}
    if state.region is None and caller.home is not None:
        changes["region"] = caller.home
    if state.station is None and caller.home_station is not None:
        changes["station"] = caller.home_station
    return state.with_(**changes) if changes else state


def check(con: object, path: str, state: ViewState) -> None:
    """Refuse (OutOfScope) a view the caller may not open, or a state naming a region,
    district or station outside its scope. The data functions refuse these too; checking
    first means a refused view says so at once instead of drawing half a page — and a chart
    whose figures ignore one of the filters (a station's months ignore the area) is refused
    all the same, so no file or slide names a place outside the scope in its filters."""
    scope.require_view(con, path)
    check_state(con, state)


def check_state(con: object, state: ViewState) -> None:
    """Refuse (OutOfScope) a state naming a region, district or station outside the scope
    (a briefing's slides: any view's chart, of the caller's own areas)."""
    root = data.root_region(con)  # type: ignore[arg-type]
    scope.require_region(con, state.region or root)
    if state.district is not None:
        scope.require_region(con, state.district)
    if state.station is not None:
        scope.require_station(con, state.station)
