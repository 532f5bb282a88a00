"""What every response of the server says about itself: security headers, a request-size limit,
and no version strings.

- **Content-Security-Policy**: everything from the app's own origin only. Scripts from 'self'
  plus the SHA-256 hashes of Dash's inline scripts (the renderer's start and the clientside
  callbacks, `Dash.csp_hashes()`), so no 'unsafe-inline' and no 'unsafe-eval' for scripts.
  Images also from data: and blob: (Plotly.toImage draws PNG/SVG downloads in the browser),
  workers from blob: (the map: Plotly's maplibre starts its worker from a blob: URL). Styles
  need 'unsafe-inline' (see STYLE_SRC). Nothing may frame the app (`frame-ancestors 'none'`,
  and X-Frame-Options for older browsers); no plugins, no <base>, forms post only here.
- **X-Content-Type-Options: nosniff**, **Referrer-Policy: no-referrer** (the URL holds the
  filters: it is not sent on to anyone).
- **MAX_CONTENT_LENGTH**: the largest legitimate request is the briefing page's upload: a file
  of at most `MAX_UPLOAD_BYTES` × 4 (dcc.Upload's max_size; larger ones are refused in words by
  the page), sent base64-encoded (× 4/3) inside the callback's JSON with the page's other
  state. Anything larger gets 413 before Dash reads it.
- **No versions**: Dash writes its, Plotly's and Python's versions into the page's config
  (`dash_version`, `plotly_version`, `python_version`, …; only its dev tools read them, and
  they are off): they are left out. The cache-busting fingerprints of Dash's scripts
  (`.v4_4_1m<mtime>.js`) and its favicon (`?v=4.4.1`) name the package versions: the version
  is replaced by a hash of it, so a new version still busts the cache (Dash strips any
  fingerprint of that shape when it serves the file). gunicorn's `Server` header says
  "gunicorn", without a version. What still shows: the third-party file names Dash serves
  (`react@18.….3.1.min.js`: the path is the file's name, so it cannot change) and the vendored
  `assets/_vendor/bootstrap-5.3.9.min.css`; the debug server (`--debug`, Werkzeug) names
  itself and Python, and is not for deployment.
- **Errors**: a request body nested too deep for Flask's JSON parser is 400, a callback request
  that does not match a callback of the app (an unknown output, too few or too many inputs or
  states: a crafted or stale request) is 400, and a script path Dash does not serve is 404 —
  not 500 with a traceback in the log.
"""

from __future__ import annotations

import hashlib
import json
import re

import flask
from dash import Dash
from dash.exceptions import DependencyException

from dashboard.app.components.briefing_store import MAX_UPLOAD_BYTES

#: The briefing upload (dcc.Upload max_size = 4 × MAX_UPLOAD_BYTES) base64-encoded, plus room
#: for the rest of the callback's JSON (the stored briefing, the URL, the filters).
MAX_REQUEST_BYTES = (MAX_UPLOAD_BYTES * 4) * 4 // 3 + 512 * 1024

#: Dash config keys that only Dash's dev tools read and that name versions.
HIDDEN_CONFIG = (
    "dash_version",
    "dash_version_url",
    "python_version",
    "plotly_version",
    "ddk_version",
)

#: Styles: Dash's renderer and dcc (dash_renderer.min.js, dash_core_components.js) insert
#: <style> elements with generated rules at run time (seen in Chromium as dozens of different
#: hashes per page, so hashes cannot list them), and React and Plotly.js set style attributes.
#: Styles therefore need 'unsafe-inline'; an injected style cannot run script.
STYLE_SRC = "'self' 'unsafe-inline'"

_FINGERPRINT = re.compile(r"\.v([\w-]+)m(\d+)\.")
_FAVICON_VERSION = re.compile(r"(_favicon\.ico)\?v=([\w.+-]+)")


def _hidden_version(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:12]


def hide_versions(html: str) -> str:
    """The index page with the versions in its script fingerprints and favicon URL hashed."""
    html = _FINGERPRINT.sub(lambda m: f".v{_hidden_version(m[1])}m{m[2]}.", html)
    return _FAVICON_VERSION.sub(lambda m: f"{m[1]}?v={_hidden_version(m[2])}", html)


class QuietDash(Dash):
    """Dash whose page names no version of Dash, Plotly or Python."""

    def _config(self) -> dict:
        config = super()._config()
        for key in HIDDEN_CONFIG:
            config.pop(key, None)
        return config

    def interpolate_index(self, **kwargs: str) -> str:
        return hide_versions(super().interpolate_index(**kwargs))


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": STYLE_SRC,
        "img-src": "'self' data: blob:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",  # maplibre's worker (refused without: seen in Chromium)
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def install(app: Dash) -> None:
    """Headers on every response of `app.server`, and the request-size limit.

    Call after every callback is registered: the inline scripts' hashes are read once, on the
    first response, from the app as it is then.
    """
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    policy: list[str] = []

    def headers(response: flask.Response) -> flask.Response:
        if not policy:
            policy.append(content_security_policy(list(app.csp_hashes())))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    server.after_request(headers)
    server.before_request(lambda: _malformed_callback(app))
    server.register_error_handler(413, _too_large)
    server.register_error_handler(RecursionError, _too_deep)
    server.register_error_handler(DependencyException, _not_found)


def _malformed_callback(app: Dash) -> tuple[str, int, dict[str, str]] | None:
    """400 for a callback request Dash would fail on (IndexError, KeyError: a 500 with a
    traceback): one whose output is not a callback of the app, or whose inputs or states are
    not as many as the callback's."""
    request = flask.request
    if request.method != "POST" or not request.path.endswith("_dash-update-component"):
        return None
    why = _callback_mismatch(app.callback_map, request.get_json(silent=True))
    if why is None:
        return None
    body = json.dumps({"error": "malformed callback request", "reason": why})
    return body, 400, {"Content-Type": "application/json"}


def _callback_mismatch(callbacks: dict, body: object) -> str | None:
    """Why `body` cannot be the request of one of `callbacks`, or None if it can."""
    if not isinstance(body, dict):
        return "the request is not a JSON object"
    callback = callbacks.get(body.get("output")) if isinstance(body.get("output"), str) else None
    if callback is None:
        return "no callback has this output"
    for part in ("inputs", "state"):
        sent = body.get(part, [])
        if not isinstance(sent, list) or not all(isinstance(x, dict | list) for x in sent):
            return f"{part} is not a list of values"
        if len(sent) != len(callback.get(part, [])):
            return f"{len(sent)} {part} sent, the callback takes {len(callback.get(part, []))}"
    return None


def _too_large(error: Exception) -> tuple[str, int, dict[str, str]]:
    body = json.dumps({"error": "request too large", "limit_bytes": MAX_REQUEST_BYTES})
    return body, 413, {"Content-Type": "application/json"}


def _not_found(error: Exception) -> tuple[str, int]:
    """A script path Dash does not serve (a probe, a stale page): 404, not 500 with a log."""
    return "Not Found", 404


def _too_deep(error: RecursionError) -> tuple[str, int, dict[str, str]]:
    """A request body nested too deep to read (Flask's JSON parser recurses): 400, not 500."""
    return (
        json.dumps({"error": "request nested too deep"}),
        400,
        {"Content-Type": "application/json"},
    )
