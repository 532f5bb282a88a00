"""One cache for answers computed from a dataset, keyed by the dataset version they came from.

The server's cursors carry a `cache_scope` (the store file and its version token, see
dashboard.sql.CachedCursor): an answer cached under it can never outlive its dataset or be read
from another store. A plain connection (the CLI, tests) has no scope and is never cached, so a
script always sees what the store holds now. Every cache in CareGap is this decorator; there is no
other key scheme to keep in step.

An answer may also depend on who asked: the cursor's `caller` (dashboard.scope) is part of the
key, so an answer computed for one account's scope is never handed to another. Functions that
never look at the caller (the raw query answers, the disclosure pattern of the whole dataset)
are cached with `shared=True` and computed once for all callers.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import cachetools
import pandas as pd
from cachetools.keys import hashkey

P = ParamSpec("P")
R = TypeVar("R")

#: Every per-dataset cache made here, so tests (and a reload) can empty them all at once.
_CACHES: list[tuple[cachetools.LRUCache, threading.Lock]] = []


def _detached(value: R) -> R:
    """A frame handed out or stored is a copy: a caller adding a column cannot change the cache."""
    return value.copy() if isinstance(value, pd.DataFrame) else value  # type: ignore[return-value]


def per_dataset(
    maxsize: int, *, shared: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a function whose first argument is a store cursor, per dataset version.

    The key is the cursor's `cache_scope`, its `caller` (unless `shared`: the function's answer
    is the same whoever asks) and the other arguments (which must be hashable).
    Frames are copied in and out; other results (tuples of fitted tables) must be treated as
    read-only by their callers.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        cache: cachetools.LRUCache = cachetools.LRUCache(maxsize=maxsize)
        lock = threading.Lock()
        _CACHES.append((cache, lock))

        @functools.wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            scope = getattr(args[0], "cache_scope", None) if args else None
            if scope is None:
                return fn(*args, **kwargs)
            caller = None if shared else getattr(args[0], "caller", None)
            key = hashkey(scope, caller, *args[1:], **kwargs)
            with lock:
                hit = cache.get(key, _MISSING)
            if hit is not _MISSING:
                return _detached(hit)
            value = fn(*args, **kwargs)
            with lock:
                cache[key] = _detached(value)
            return value

        return cached

    return decorate


_MISSING = object()


def clear_all() -> None:
    """Forget every cached answer (tests that rebuild a store at the same path use this)."""
    for cache, lock in _CACHES:
        with lock:
            cache.clear()
