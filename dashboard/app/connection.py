"""One read-only store connection per server process, reopened when an import swaps the file.

Opened lazily on first use, so each gunicorn worker opens its own after the fork; every request
takes its own cursor. A new dataset (a new inode at the path) is noticed on the next request, and
query answers are cached per dataset version (see sql.CachedCursor).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from dashboard import sql, store


class StoreConnection:
    def __init__(self, db: Path) -> None:
        self.db = Path(db)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._token: tuple[int, int] | None = None
        self._pid: int | None = None

    def cursor(self) -> sql.CachedCursor:
        """A cursor on the current dataset (reopening if the file was replaced or we forked)."""
        token = store.version_token(self.db)
        with self._lock:
            if self._con is None or token != self._token or self._pid != os.getpid():
                if self._con is not None and self._pid == os.getpid():
                    self._con.close()
                self._con = store.open_read_only(self.db)
                self._token, self._pid = token, os.getpid()
            return sql.CachedCursor(self._con.cursor(), (str(self.db.resolve()), token))
