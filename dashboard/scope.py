"""Who is asking, and what they may be shown: the caller's scope, carried by the store cursor.

A scope travels with the cursor every view and data function already receives (the server sets
it on each request's cursor from the login or token; the CLI, which has the store file itself,
gets `FULL`). The data functions check the regions and stations they are asked about against it
and drop the rows it does not cover (dashboard/data.py), after the disclosure gate has run on
the whole dataset, so what one account is shown is always a subset of what any other with a
wider scope is shown: a narrower scope never changes which cells are suppressed.

- `regions`: the regions (and station areas) the caller may look at and be shown rows of;
  None: every one.
- `benchmarks`: regions whose own figures the caller may be shown as comparison rows (a
  station manager's city and district), but not as lists of what lies inside them.
- `stations`: the stations the caller may look at; None: every one.
- `views`: the dashboard views (paths) the caller may open; None: every one.
- `downloads`: whether tables may be downloaded (CSV, Excel, the API's tables).

Pure: no store, no Dash. Resolving an account into a scope needs the store and lives in
dashboard/data.py (`caller_scope`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ROLES = ("admin", "planner", "station", "viewer")
#: The role of a server that has no accounts (the demo on loopback, or `caregap serve --open`).
OPEN = "open"


class OutOfScope(PermissionError):
    """Something outside the caller's scope was asked for. The message is for people: it names
    what was asked, never any figure."""

    def __init__(self, what: str = "") -> None:
        super().__init__(f"not in your area{': ' + what if what else ''}")
        self.what = what


@dataclass(frozen=True)
class Scope:
    """What one caller may be shown (see the module docstring)."""

    role: str = OPEN
    user: str | None = None
    regions: frozenset[str] | None = None
    benchmarks: frozenset[str] = frozenset()
    stations: frozenset[str] | None = None
    views: frozenset[str] | None = None
    downloads: bool = True
    home: str | None = None  # the region a view opens on when the URL names none
    home_station: str | None = None  # the station the stations view opens on

    @property
    def everything(self) -> bool:
        """The caller may see every region and station (a planner, an admin, open mode)."""
        return self.regions is None and self.stations is None

    def sees(self, region: object) -> bool:
        """The caller may look at `region` as a subject (its figures and what lies inside)."""
        return self.regions is None or region in self.regions

    def shows(self, region: object) -> bool:
        """A row about `region` may be shown to the caller (a subject or a benchmark)."""
        return self.sees(region) or region in self.benchmarks

    def sees_station(self, station: object) -> bool:
        return self.stations is None or station in self.stations

    def opens(self, path: str) -> bool:
        """The caller may open the view at `path`."""
        return self.views is None or path in self.views


#: The scope of whoever holds the store file (the CLI, tests, exports run by the custodian).
FULL = Scope()


def of(con: object) -> Scope:
    """The scope of the caller `con` was handed to (FULL for a plain connection)."""
    scope = getattr(con, "caller", None)
    return scope if isinstance(scope, Scope) else FULL


def require_region(con: object, region: object, *, benchmark: bool = True) -> None:
    """Refuse (OutOfScope) a region the caller may not be shown (`benchmark`: as a
    comparison row is enough)."""
    scope = of(con)
    allowed = scope.shows(region) if benchmark else scope.sees(region)
    if not allowed:
        raise OutOfScope(str(region))


def require_station(con: object, station: object) -> None:
    if not of(con).sees_station(station):
        raise OutOfScope(str(station))


def require_view(con: object, path: str) -> None:
    if not of(con).opens(path):
        raise OutOfScope(path)


def require_downloads(con: object) -> None:
    if not of(con).downloads:
        raise OutOfScope("downloads")


def rows(con: object, frame: pd.DataFrame, column: str = "region_id") -> pd.DataFrame:
    """`frame` without the rows about regions the caller may not be shown."""
    scope = of(con)
    if scope.regions is None or column not in frame:
        return frame
    keep = frame[column].isin(scope.regions | scope.benchmarks).to_numpy(dtype=bool)
    return frame if keep.all() else frame[keep].reset_index(drop=True)


def station_rows(con: object, frame: pd.DataFrame, column: str = "station_id") -> pd.DataFrame:
    """`frame` without the rows about stations the caller may not look at."""
    scope = of(con)
    if scope.stations is None or column not in frame:
        return frame
    keep = frame[column].isin(scope.stations).to_numpy(dtype=bool)
    return frame if keep.all() else frame[keep].reset_index(drop=True)
