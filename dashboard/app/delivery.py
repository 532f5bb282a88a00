"""How responses travel: compressed on the wire, and kept by the browser where they cannot change.

- **Compression** (flask-compress): brotli where the browser takes it (every Chromium, Firefox
  and Safari does), gzip otherwise, for the page, scripts, styles and the callbacks' JSON. The
  scripts Dash and the assets folder serve are files, which Flask streams: they are compressed
  chunk by chunk, at a level that costs milliseconds. A file that has a brotli twin beside it
  (`x.js.br`, written at quality 11 when the file was built: the partial plotly.js bundle) is
  sent as that twin instead, as nginx's `brotli_static` does. A projector laptop on a hotel
  network gets `/map` in a fifth of its bytes.
- **Cache lifetimes**: a URL that names its content's version can be kept for a year
  (`immutable`: the browser does not even revalidate it). Dash names its component scripts that
  way itself (`….v<version>m<mtime>.js`, and gives them a year; here also `immutable`); this
  module does the same for the assets folder, whose URLs Dash gives a `?m=<mtime>` query,
  changed whenever a file is, and for the favicon (`?v=<version>`).
  An asset asked for without its version keeps Flask's revalidation (ETag, Last-Modified).
  Everything else (the page, the layout, the callbacks' answers: per caller and per dataset)
  is `no-store`: a shared computer's browser keeps no copy of a health bureau's figures.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

import flask
from flask_compress import Compress
from werkzeug.security import safe_join

#: A year, and no revalidation: the URL changes when the content does.
IMMUTABLE = "public, max-age=31536000, immutable"
NO_STORE = "no-store"
#: Files are compressed per request, streamed: brotli 5 costs milliseconds where 11 costs seconds
#: (the partial plotly.js: q5 804 KB, q11 692 KB, which is why it has a quality-11 twin).
SETTINGS = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,
}
#: Dash's favicon, asked for as `?v=<version>` (again on every change of address, seen in
#: Chromium: it must not be fetched each time).
FAVICON = "/_favicon.ico"
#: Where Dash serves its own scripts, fingerprinted or not.
COMPONENT_SUITES = "/_dash-component-suites/"


def install(server: flask.Flask, assets: Path, assets_url_path: str = "/assets/") -> None:
    """Compress `server`'s responses and give each a cache lifetime; `assets` is the folder
    served at `assets_url_path`."""
    server.config.update(SETTINGS)
    Compress(server)
    server.before_request(lambda: _brotli_twin(assets, assets_url_path))
    server.after_request(lambda response: _cache_lifetime(response, assets_url_path))


def settle(server: flask.Flask) -> None:
    """Answer one request before the server takes any: Dash registers the scripts it may serve
    on a process's first request, and only the first request waits for it (its flag is set
    before the work is done), so under threads a script asked for at the same moment gets a 500
    "not a registered library" (seen with gthread workers). Call once the app is complete."""
    server.test_client().get("/_favicon.ico")


def _brotli_twin(assets: Path, assets_url_path: str) -> flask.Response | None:
    """The precompressed `<file>.br` for an asset, when it exists and the browser takes br."""
    request = flask.request
    if request.method != "GET" or not request.path.startswith(assets_url_path):
        return None
    if "br" not in request.accept_encodings:
        return None
    name = request.path.removeprefix(assets_url_path)
    source = safe_join(str(assets), name)
    twin = safe_join(str(assets), name + ".br")
    if source is None or twin is None or not Path(twin).is_file() or not Path(source).is_file():
        return None
    response = flask.send_file(twin, mimetype=_mimetype(name), conditional=True)
    response.headers["Content-Encoding"] = "br"
    response.headers["Vary"] = "Accept-Encoding"
    return response


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _cache_lifetime(response: flask.Response, assets_url_path: str) -> flask.Response:
    request = flask.request
    if response.status_code != 200:
        return response
    if request.path.startswith(COMPONENT_SUITES):
        if response.cache_control.max_age:  # fingerprinted: Dash gave it a year
            response.headers["Cache-Control"] = IMMUTABLE
    elif request.path.startswith(assets_url_path):
        if request.args.get("m"):
            response.headers["Cache-Control"] = IMMUTABLE
    elif request.path == FAVICON and request.args.get("v"):
        response.headers["Cache-Control"] = IMMUTABLE
    elif "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = NO_STORE
    return response
