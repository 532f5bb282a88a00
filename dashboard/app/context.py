"""What every page and callback of one app shares: the store connection and defaults."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dashboard.app.connection import StoreConnection


@dataclass(frozen=True)
class AppContext:
    store: StoreConnection
    default_lang: str = "zh"

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.store.cursor()
