"""Fixtures of the browser tests: one demo server and one headless Debian Chromium per session,
and pages whose console errors and requests to other hosts fail the test that opened them.

Without /usr/bin/chromium (or Playwright) the tests skip, saying what to install; under CI
(CI=true) they fail instead, because .ci/run installs both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import (
    TIMEOUT_MS,
    Guard,
    Server,
    browser_problem,
    demo_server,
    launch,
    unavailable,
)

TIMINGS: list[tuple[str, float]] = []


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    problem = browser_problem()
    if problem:
        unavailable(problem)
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except Error as err:
            unavailable(f"/usr/bin/chromium did not start ({str(err).splitlines()[0]})")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with demo_server(tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="session")
def region_rows(server: Server) -> dict[str, dict[str, Any]]:
    """region_id -> {parent_id, level, name, name_en} of the served store."""
    return server.regions


class Session:
    """Opens guarded pages, each in a fresh browser context (as a person opening a link)."""

    def __init__(self, browser: Any, server: Server, downloads: Path) -> None:
        self.browser = browser
        self.server = server
        self.downloads = downloads
        self.contexts: list[Any] = []
        self.guards: list[Guard] = []

    def new_page(
        self, width: int = 1440, height: int = 1000, state: dict | None = None
    ) -> tuple[Any, Guard]:
        """A guarded page in a new context (`state`: a Playwright storage state to carry, e.g.
        a signed-in session)."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            accept_downloads=True,
            storage_state=state,
        )
        context.set_default_timeout(TIMEOUT_MS)
        guard = Guard(context, self.server.host)
        self.contexts.append(context)
        self.guards.append(guard)
        return context.new_page(), guard

    def url(self, path: str, query: str = "") -> str:
        return self.server.origin + path + query

    def assert_clean(self) -> None:
        for guard in self.guards:
            guard.assert_clean(self.server)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def session(browser: Any, server: Server, tmp_path: Path) -> Iterator[Session]:
    opened = Session(browser, server, tmp_path)
    try:
        yield opened
        opened.assert_clean()
    finally:
        opened.close()


@pytest.fixture
def record_timing() -> Callable[[str, float], None]:
    def record(label: str, ms: float) -> None:
        TIMINGS.append((label, ms))
        print(f"\npage load {label}: {ms:.0f} ms (navigation start -> charts drawn)")

    return record


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.section("browser page load times (navigation start -> charts drawn)")
        for label, ms in TIMINGS:
            terminalreporter.write_line(f"{label:<24} {ms:7.0f} ms")
