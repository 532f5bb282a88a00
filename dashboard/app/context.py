"""What every page and callback of one app shares: the store connection and defaults."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.app.connection import StoreConnection
from dashboard.sql import CachedCursor


@dataclass(frozen=True)
class AppContext:
    store: StoreConnection
    default_lang: str = "zh"

    def cursor(self) -> CachedCursor:
        return self.store.cursor()
