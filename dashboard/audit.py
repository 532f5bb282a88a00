"""The report history beside a store: the data custodian's explicit choices, one JSON line each.

Imports record themselves inside the new store (`import_history`); a report cannot (the store is
read-only and may be served), so a report printed below the deployment's floor
(`caregap report … --unsafe-small-cells`) is appended to `<store>.reports.jsonl` beside it: when,
who (the operating-system account), which command, the k asked for and the floor it went below.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path


def history_path(db: Path) -> Path:
    return db.with_name(db.name + ".reports.jsonl")


def record_report(db: Path, entry: dict[str, object]) -> None:
    """Append one entry (with the time and the account) to the store's report history."""
    line = {
        "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "user": _user(),
        **entry,
    }
    path = history_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def report_history(db: Path) -> list[dict[str, object]]:
    """Every recorded entry, oldest first (none when nothing was recorded)."""
    path = history_path(db)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"
