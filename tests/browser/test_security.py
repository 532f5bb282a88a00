"""The served app (gunicorn, as `caregap serve` runs it): its headers, and a CSP the browser
enforces — an injected inline script does not run — while the pages work (the
other browser tests run every page, the map, the briefing and downloads under the same CSP)."""

from __future__ import annotations

import re
from typing import Any

from .harness import SPECS, wait_drawn

INJECT_JS = """() => {
    window.__cg_injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.__cg_injected = true';
    document.body.appendChild(s);
    return window.__cg_injected;
}"""


def test_the_served_page_sends_the_headers_and_no_version(session: Any) -> None:
    page, _guard = session.new_page()
    response = page.goto(session.url("/", "?lang=en"))
    wait_drawn(page, SPECS["/"])
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert not re.search(r"\d", headers.get("server", "")), headers.get("server")


def test_the_browser_enforces_the_policy(session: Any) -> None:
    page, guard = session.new_page()
    page.goto(session.url("/", "?lang=zh"))
    wait_drawn(page, SPECS["/"])
    seen = len(guard.errors)
    assert page.evaluate(INJECT_JS) is False
    page.wait_for_function("() => true")
    page.wait_for_timeout(500)  # the refusal reaches the console asynchronously
    refused = guard.errors[seen:]
    assert refused and all("Content Security Policy" in e for e in refused), refused
    del guard.errors[seen:]  # the refusals this test provoked are what it expects
