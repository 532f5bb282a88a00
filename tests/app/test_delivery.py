"""What travels: the partial plotly.js bundle instead of the full one, compressed responses, and
cache lifetimes that let a browser keep versioned files and nothing with figures in it."""

from __future__ import annotations

import ast
import gzip
import re

import brotli
from plotly.offline import get_plotlyjs_version

from dashboard.app.delivery import IMMUTABLE, NO_STORE
from dashboard.app.factory import ASSETS
from dashboard.config import REPO_ROOT

BUNDLE = ASSETS / "_vendor" / f"plotly-caregap-{get_plotlyjs_version()}.min.js"
ASSET_URL = re.compile(r'src="(/assets/[^"?]+\?m=[0-9.]+)"')


def _bundle_traces() -> set[str]:
    banner = BUNDLE.read_text(encoding="utf-8", errors="replace")[:400]
    found = re.search(r"CareGap partial bundle: ([a-z, ]+)\)", banner)
    assert found, f"{BUNDLE.name} has no CareGap banner: rebuild it (tools/plotly-bundle)"
    return {name.strip() for name in found[1].split(",")}


def _traces_drawn() -> set[str]:
    """Every `go.<Trace>(…)` the package constructs, as plotly.js trace type names."""
    names = set()
    for path in (REPO_ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == "go":
                names.add(func.attr.lower())
    return names - {"figure"}


def test_the_partial_bundle_is_the_plotly_js_the_installed_plotly_names():
    assert BUNDLE.exists(), f"no {BUNDLE.name}: build it with tools/plotly-bundle for this plotly"
    head = BUNDLE.read_text(encoding="utf-8", errors="replace")[:200]
    assert f"plotly.js v{get_plotlyjs_version()} " in head
    assert len(list(BUNDLE.parent.glob("plotly-caregap-*.min.js"))) == 1  # no stale version


def test_every_trace_type_the_figures_draw_is_in_the_partial_bundle():
    drawn = _traces_drawn()
    assert {"bar", "scatter", "choroplethmap"} <= drawn  # the scan sees the figures
    assert drawn <= _bundle_traces(), f"not in the bundle: {sorted(drawn - _bundle_traces())}"


def test_the_page_loads_the_partial_bundle_and_never_the_full_plotly_js(index):
    assert f"/assets/_vendor/{BUNDLE.name}?m=" in index
    assert "plotly.min.js" not in index


def test_a_script_is_sent_brotli_compressed_to_a_browser_that_takes_it(client, index):
    url = next(u for u in ASSET_URL.findall(index) if "/map.js" in u)
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"
    body = brotli.decompress(response.get_data())
    assert body == (ASSETS / "map.js").read_bytes()
    assert len(response.get_data()) < len(body) / 2


def test_a_callback_answer_is_gzipped_for_a_client_without_brotli(client):
    response = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()).startswith(b"{")


def test_nothing_is_compressed_for_a_client_that_asks_for_identity(client):
    response = client.get("/_dash-layout")
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"{")


def test_versioned_assets_are_kept_a_year_and_pages_with_figures_are_not_stored(client, index):
    urls = ASSET_URL.findall(index)
    assert urls
    for url in urls:
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, url
    favicon = re.search(r'href="(/_favicon\.ico\?v=[^"]+)"', index)[1]
    assert client.get(favicon).headers["Cache-Control"] == IMMUTABLE
    unversioned = client.get(f"/assets/_vendor/{BUNDLE.name}")
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")
    for path in ("/", "/map", "/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).headers["Cache-Control"] == NO_STORE, path


def test_every_fingerprinted_dash_script_is_kept_a_year(client, index):
    urls = re.findall(r'src="(/_dash-component-suites/[^"]+\.js)"', index)
    assert len(urls) > 5
    for url in urls:
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, url


def test_the_bundle_goes_as_its_quality_11_brotli_twin_which_is_the_same_file(client, index):
    url = next(u for u in ASSET_URL.findall(index) if BUNDLE.name in u)
    twin = BUNDLE.with_name(BUNDLE.name + ".br").read_bytes()
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.mimetype == client.get(url).mimetype  # as the plain file is served
    assert response.get_data() == twin
    assert brotli.decompress(twin) == BUNDLE.read_bytes()  # the twin is not stale


def test_a_path_outside_the_assets_folder_is_not_served_as_a_twin(client):
    for probe in ("/assets/%2e%2e/pyproject.toml", "/assets/..%2fpyproject.toml"):
        assert b"[project]" not in client.get(probe, headers={"Accept-Encoding": "br"}).data
