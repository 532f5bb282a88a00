"""Run the named queries in queries/*.sql with bound parameters.

This is the only door from Python to the metrics: callers name a question and pass values; no SQL
text is ever assembled from what a user typed.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Hashable, Mapping

import duckdb
import pandas as pd

from dashboard.cache import per_dataset
from dashboard.config import QUERIES_DIR

_NAME = re.compile(r"[a-z0-9_]+")
CACHE_SIZE = 512


class CachedCursor:
    """A cursor whose query answers may be reused while its dataset version stays the same.

    The server hands these out: many views ask the same question (the city's figures, the
    largest gap), and the scope names the dataset file and version, so a cached answer can never
    outlive its dataset or be read from another store. Plain cursors (the CLI) are not cached.

    `caller` is who the server handed it to (a dashboard.scope.Scope; None: whoever holds the
    store file): the data functions refuse and filter by it.
    """

    def __init__(
        self, cursor: duckdb.DuckDBPyConnection, scope: Hashable, caller: object = None
    ) -> None:
        self.cursor = cursor
        self.cache_scope = scope
        self.caller = caller

    def __getattr__(self, name: str) -> object:
        return getattr(self.cursor, name)


def scoped(con: duckdb.DuckDBPyConnection, owner: str) -> duckdb.DuckDBPyConnection:
    """`con`, caching its answers for as long as this handle lives (one command, one briefing).

    The server's cursors already carry a dataset-version scope; a plain connection gets a scope
    of its own, so answers are shared inside one piece of work and never outside it.
    """
    if getattr(con, "cache_scope", None) is not None:
        return con
    return CachedCursor(con, (owner, uuid.uuid4().hex))  # type: ignore[return-value]


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


#: A line `@include _fragment` stands for the text of queries/_fragment.sql: the fixed pieces
#: two queries share (e.g. one final step for the rollup route and the per-person route, so a
#: metric is defined once). Resolved when a query is loaded, from files under queries/ only.
_INCLUDE = re.compile(r"^[ \t]*@include[ \t]+(_[a-z0-9_]+)[ \t]*$", re.MULTILINE)


@functools.cache
def query_text(name: str) -> str:
    """The SQL of queries/NAME.sql, its @include lines replaced (read once per process).

    Names starting with `_` are fragments: they are included, never run on their own.
    """
    if not _NAME.fullmatch(name) or name.startswith("_"):
        raise ValueError(f"not a query name: {name!r}")
    return _resolve(name, ())


def _resolve(name: str, seen: tuple[str, ...]) -> str:
    if name in seen:
        raise ValueError(f"queries include each other: {' -> '.join((*seen, name))}")
    text = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: _resolve(m.group(1), (*seen, name)).rstrip("\n"), text)


@functools.cache
def query_params(name: str) -> frozenset[str]:
    """The $names a query uses, so a call can pass exactly those (DuckDB refuses extras)."""
    text = "\n".join(line.split("--", 1)[0] for line in query_text(name).splitlines())
    return frozenset(_PARAM.findall(text))


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, object] | None = None,
    *,
    cached: bool = True,
) -> pd.DataFrame:
    """Execute a named query; `params` must provide every $name the query uses.

    `cached=False` for a large answer its caller keeps in a form of its own (the stored
    disclosure pattern): the query cache would hold a second copy of it."""
    wanted = query_params(name)
    given = dict(params or {})
    missing = wanted - given.keys()
    if missing:
        raise KeyError(f"query {name} needs parameters {sorted(missing)}")
    bound = tuple(sorted((k, v) for k, v in given.items() if k in wanted))
    if not cached:
        return con.execute(query_text(name), dict(bound)).df()
    return _execute(con, name, bound)


@per_dataset(CACHE_SIZE, shared=True)
def _execute(
    con: duckdb.DuckDBPyConnection, name: str, bound: tuple[tuple[str, object], ...]
) -> pd.DataFrame:
    return con.execute(query_text(name), dict(bound)).df()
