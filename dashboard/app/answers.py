"""A view's callback answers, kept for the dataset version they were drawn from.

The back button, a presenter stepping between two periods, twenty people in a briefing opening
the same page: most of a dashboard's requests ask for an answer already drawn. Recomputing it
costs the frames' gating, the figures' construction and their validation by Plotly (at tier M
most of a warm overview refresh's 80 ms); keeping it costs a few hundred KB per answer.

The key is everything the answer depends on: the dataset version and the caller
(dashboard.cache: an answer drawn for one account's scope is never handed to another), the
deployment's floor in force (disclosure.floor: a changed floor never serves an answer gated at
the old one), and the callback's own arguments (the view state, which leaves out what is only
said above the page, and anything else it is given; all hashable).

Answers are Dash components and figures that only Dash's serialiser reads afterwards: a caller
must not change them (the exports and slides draw their own from dashboard.views).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from dashboard import cache, disclosure
from dashboard.sql import CachedCursor

P = ParamSpec("P")
R = TypeVar("R")

#: Answers kept per callback: ~0.1-0.5 MB each, so a worker holds at most a few tens of MB.
ANSWERS = 64
#: Answers kept of a callback whose answer may be a whole map (a district's grids: a few MB at
#: a province's scale).
MAP_ANSWERS = 16


def kept(
    fn: Callable[Concatenate[CachedCursor, P], R] | None = None, *, maxsize: int = ANSWERS
) -> Callable:
    """Keep `fn`'s answers per dataset version, caller, floor in force and arguments (at most
    `maxsize` of them: fewer where one answer can hold a district's polygons)."""

    def decorate(
        fn: Callable[Concatenate[CachedCursor, P], R],
    ) -> Callable[Concatenate[CachedCursor, P], R]:
        @cache.per_dataset(maxsize)
        def keyed(con: CachedCursor, _floor: int, *args: P.args, **kwargs: P.kwargs) -> R:
            return fn(con, *args, **kwargs)

        @functools.wraps(fn)
        def answer(con: CachedCursor, *args: P.args, **kwargs: P.kwargs) -> R:
            return keyed(con, disclosure.floor(), *args, **kwargs)

        return answer

    return decorate if fn is None else decorate(fn)
