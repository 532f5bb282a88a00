"""Briefing exports run as server-side jobs whose progress the page polls.

A PPTX or PDF export takes 15–25 s (Chromium draws one chart after another), far longer than a
click should block without a word. Dash's background callbacks (`progress=`) would do it, but
they need a DiskcacheManager (the `diskcache` package, not installed here) or Celery and a
broker. A thread plus a small status file does the same with nothing new: the export runs in a
thread of the worker that got the click, writing "slide i of n" to a JSON file after each slide;
the page polls it with a dcc.Interval (once a second) and fetches the file when it is done.
Status and result live on disk (a temporary folder), not in the worker's memory, so a poll
answered by another gunicorn worker on the same machine reads the same job.

A job id is 128 random bits: only the browser that started the job knows it. Finished jobs are
removed once fetched, and any older than `MAX_AGE_S` whenever a new one starts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Where jobs keep their status and result (one folder each).
ROOT = Path(tempfile.gettempdir()) / "caregap-export-jobs"
MAX_AGE_S = 3600
JOB_ID = re.compile(r"^[0-9a-f]{32}$")

#: The work of a job: (where to write the file, progress(done, total)) → the file's name.
Work = Callable[[Path, Callable[[int, int], None]], str]


@dataclass(frozen=True)
class Status:
    """A job's state: 'running', 'done' or 'failed'; slides `done` of `total` (0 of 0 while
    the slides are being computed); `name` of the finished file; `error` in plain words."""

    state: str
    done: int = 0
    total: int = 0
    name: str = ""
    error: str = ""
    seconds: float = 0.0


def _folder(job: str) -> Path | None:
    return ROOT / job if JOB_ID.match(job or "") else None


def _write(folder: Path, status: Status) -> None:
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(status.__dict__), encoding="utf-8")
    os.replace(tmp, folder / "status.json")  # a poll never reads half a file


def _sweep(now: float) -> None:
    for old in ROOT.glob("*"):
        try:
            if now - old.stat().st_mtime > MAX_AGE_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def start(work: Work, expected_errors: tuple[type[Exception], ...]) -> str:
    """Run `work` in a thread; its id. An exception of `expected_errors` becomes the job's
    `error` (a message for the person); any other is said as a generic failure."""
    ROOT.mkdir(parents=True, exist_ok=True)
    _sweep(time.time())
    job = uuid.uuid4().hex
    folder = ROOT / job
    folder.mkdir()
    _write(folder, Status("running"))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        _write(folder, Status("running", done, total))

    def run() -> None:
        try:
            name = work(folder / "result", progress)
        except expected_errors as error:
            _write(folder, Status("failed", error=str(error)))
        except Exception as error:  # said to the person, never a traceback
            _write(folder, Status("failed", error=type(error).__name__))
        else:
            seconds = time.perf_counter() - started
            _write(folder, Status("done", name=name, seconds=seconds))

    threading.Thread(target=run, name=f"export-{job[:8]}", daemon=True).start()
    return job


def status(job: str) -> Status | None:
    """The job's status, None for an unknown (or malformed) id."""
    folder = _folder(job)
    if folder is None:
        return None
    try:
        raw = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Status(**raw)


def take(job: str) -> bytes | None:
    """A finished job's file, removed from disk once read."""
    folder = _folder(job)
    if folder is None:
        return None
    try:
        content = (folder / "result").read_bytes()
    except OSError:
        return None
    shutil.rmtree(folder, ignore_errors=True)
    return content
