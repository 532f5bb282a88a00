"""The store: one DuckDB file per dataset version, swapped in atomically, opened read-only to serve.

An import builds `.NAME.building-PID` beside the served file and, only when it is complete, renames
it over the served path (rename is atomic on one filesystem). Before the swap the served file is
hard-linked to `NAME.previous`, so the last dataset stays restorable and a kill at any moment
leaves either the old or the new dataset in place — never a mix, never nothing. A restore swaps
the two through a stable-named hard link (`.NAME.restoring`), so a restore killed between its
renames loses neither dataset and is finished by the next restore or import.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

#: Layout of the store's tables; bumped whenever an import builds tables the queries now need.
STORE_SCHEMA = 9


class StoreMissing(Exception):
    """There is no dataset at the given path yet."""


class StoreOutdated(Exception):
    """The store was built by an older CareGap: its dataset must be imported again."""


def previous_path(db: Path) -> Path:
    return db.with_name(db.name + ".previous")


def build_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.building-{os.getpid()}")


def staging_dir(db: Path) -> Path:
    return db.with_name(f".{db.name}.staging-{os.getpid()}")


def open_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; the server and reports never write."""
    if not db.exists():
        raise StoreMissing(str(db))
    con = duckdb.connect(str(db), read_only=True)
    if _schema(con) != str(STORE_SCHEMA):
        con.close()
        raise StoreOutdated(str(db))
    return con


def _schema(con: duckdb.DuckDBPyConnection) -> str | None:
    """The store_schema an import wrote (None for stores older than the marker)."""
    has_meta = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'dataset_meta'"
    ).fetchall()[0][0]
    if not has_meta:
        return None
    rows = con.execute("SELECT value FROM dataset_meta WHERE key = 'store_schema'").fetchall()
    return rows[0][0] if rows else None


def version_token(db: Path) -> tuple[int, int]:
    """Changes whenever a new dataset is swapped in (a new inode), so servers know to reopen."""
    st = db.stat()
    return (st.st_ino, st.st_mtime_ns)


@contextlib.contextmanager
def import_lock(db: Path) -> Iterator[None]:
    """One import at a time per store; a second waits rather than racing the swap."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with db.with_name(db.name + ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_stale_builds(db: Path) -> None:
    """Delete half-built files left by killed imports (their process is gone)."""
    for path in db.parent.glob(f".{db.name}.*-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir():
        for child in path.iterdir():
            _remove(child)
        path.rmdir()
    else:
        path.unlink(missing_ok=True)
    wal = path.with_name(path.name + ".wal")
    wal.unlink(missing_ok=True)


def install(build: Path, db: Path) -> None:
    """Make `build` the served dataset; keep the one it replaces as the previous version."""
    if db.exists():
        prev = previous_path(db)
        tmp = db.with_name(f".{db.name}.previous-{os.getpid()}")
        _remove(tmp)
        os.link(db, tmp)
        os.replace(tmp, prev)
    os.replace(build, db)
    _fsync_dir(db.parent)


def restoring_path(db: Path) -> Path:
    """A hard link to the dataset a restore is swapping out, kept until the swap is complete."""
    return db.with_name(f".{db.name}.restoring")


def restore_previous(db: Path) -> bool:
    """Swap the served and the previous dataset (restoring twice returns to where you were).

    Crash-safe: the served dataset is first hard-linked to `.NAME.restoring`, then the previous
    one is renamed over the served path, then the link is renamed to `NAME.previous`. At every
    moment both datasets exist under names this function understands, and the served path is
    never missing. A restore killed part-way is finished by the next restore (which then counts
    as that one: the dataset is swapped once, as asked) or by the next import.
    """
    if finish_interrupted_restore(db):
        return True
    prev = previous_path(db)
    if not prev.exists():
        return False
    if not db.exists():
        os.replace(prev, db)
        _fsync_dir(db.parent)
        return True
    journal = restoring_path(db)
    os.link(db, journal)  # 1: the served dataset also under a stable name
    _fsync_dir(db.parent)
    os.replace(prev, db)  # 2: the previous dataset is served
    _fsync_dir(db.parent)
    os.replace(journal, prev)  # 3: the swapped-out one becomes the previous
    _fsync_dir(db.parent)
    return True


def finish_interrupted_restore(db: Path) -> bool:
    """Complete a restore that was killed part-way; True when one had got past its step 2.

    A journal link beside a still-present previous dataset means the restore was killed before it
    changed anything served (step 1 done): the link is a second name for the served dataset and
    is removed. Without a previous dataset, step 2 was done: step 3 is finished now.
    """
    journal = restoring_path(db)
    if not journal.exists():
        return False
    prev = previous_path(db)
    if prev.exists():
        if db.exists() and (os.path.samefile(journal, db) or os.path.samefile(journal, prev)):
            journal.unlink()
            _fsync_dir(db.parent)
            return False
        # a third dataset (never written by CareGap): keep it rather than guess
        raise RuntimeError(f"{journal} is neither {db.name} nor {prev.name}; move it away")
    os.replace(journal, prev)
    _fsync_dir(db.parent)
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def cleanup(path: Path) -> None:
    """Remove a build file or staging folder (and DuckDB's WAL beside it) if present."""
    if path.exists():
        _remove(path)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
