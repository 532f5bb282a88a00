"""Exports as jobs: the page polls their progress (slides done of all) and fetches the file."""

from __future__ import annotations

import threading
from pathlib import Path

from dashboard.app.components import export_jobs
from dashboard.app.pages import briefing as page
from dashboard.i18n import t


def _wait(job: str, state: str) -> export_jobs.Status:
    """Poll as the page does, until the job reaches `state` (no clock: the work is gated)."""
    while True:
        status = export_jobs.status(job)
        assert status is not None
        if status.state == state and (state != "running" or status.total):
            return status


def test_a_job_reports_each_slide_then_hands_over_its_file_once() -> None:
    go_on = threading.Event()

    def work(out: Path, progress) -> str:
        progress(1, 3)
        go_on.wait()
        progress(3, 3)
        out.write_bytes(b"deck")
        return "caregap-briefing-2026-12-01.pptx"

    job = export_jobs.start(work, (OSError,))
    running = _wait(job, "running")
    assert (running.done, running.total) == (1, 3)
    _sent, shown, finished = page.poll_export(job, "en")
    assert not finished and t("ui.brief_export_progress", "en", done=1, total=3) in str(shown)
    go_on.set()
    _wait(job, "done")
    sent, message, finished = page.poll_export(job, "en")
    assert finished and sent is not None and sent["filename"] == "caregap-briefing-2026-12-01.pptx"
    assert "2026\u201112\u201101" in message  # the date never breaks as "2026-12-" / "01"
    assert export_jobs.take(job) is None  # fetched once, then gone


def test_a_failed_job_says_why_in_words() -> None:
    def work(out: Path, progress) -> str:
        raise OSError("disk full")

    job = export_jobs.start(work, (OSError,))
    _wait(job, "failed")
    sent, message, finished = page.poll_export(job, "zh")
    assert finished and sent is None and "disk full" in message


def test_an_unknown_or_crafted_job_id_is_nothing() -> None:
    assert export_jobs.status("../../etc/passwd") is None
    assert export_jobs.take("0" * 31) is None
    assert page.poll_export("nope", "en") == (None, "", True)
