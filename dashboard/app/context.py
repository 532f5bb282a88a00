"""What every page and callback of one app shares: the store connection, who is asking, and
defaults.

`cursor()` is the only way a callback reaches the data, and it hands out a cursor that carries
the caller's scope (dashboard.scope): the data functions refuse and filter by it. A page's
callbacks get a context bound to the page (`for_page`), whose cursors refuse callers that may not
open that view — so a crafted callback POST for a view outside the caller's role gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard import scope
from dashboard.app.auth import Auth, scope_of_request
from dashboard.app.connection import StoreConnection
from dashboard.sql import CachedCursor


@dataclass(frozen=True)
class AppContext:
    store: StoreConnection
    default_lang: str = "zh"
    auth: Auth | None = None  # None: no sign-in at all (tests of the views' callbacks)
    path: str | None = None  # the view whose callbacks this context serves

    def cursor(self) -> CachedCursor:
        """A cursor on the current dataset carrying the current request's caller."""
        cursor = self.store.cursor()
        cursor.caller = scope_of_request(self.auth, cursor)
        if self.path is not None:
            scope.require_view(cursor, self.path)
        return cursor

    def for_page(self, path: str) -> AppContext:
        return replace(self, path=path)
