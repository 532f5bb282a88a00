"""Figures as PNG and SVG, drawn by the system Chromium through kaleido; PDF printing too.

kaleido 1.x drives a Chrome-family browser over the DevTools protocol (choreographer). It is
pointed at Debian's /usr/bin/chromium (or $CAREGAP_CHROMIUM / $BROWSER_PATH); its own browser
download (`kaleido.get_chrome`) is never used, and MathJax (which kaleido would fetch from a
CDN) is switched off, so plotly.js is the only script and it comes from the installed plotly
package. One `Renderer` keeps one browser open for a whole deck — starting Chromium costs
seconds, a chart well under one — and prints the PDF in the same browser.

Exported figures are restyled for a slide (`presentation`): larger type in the CJK font stack
(Noto Sans CJK SC first, so Chinese never falls back to boxes), and maps re-fitted to the
picture's size.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import os
import shutil
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import plotly.graph_objects as go

from dashboard.figures import theme
from dashboard.figures.choropleth import map_view
from dashboard.figures.text import plain

T = TypeVar("T")

#: The font stack of Chinese exports: Noto Sans CJK (Debian's fonts-noto-cjk) draws Chinese and
#: Latin, with Chinese (full-width) punctuation.
FONT = theme.FONT
#: English exports put a Latin face first, so that ’ · “ ” keep their Latin widths; Chinese
#: names in an English deck still fall back to Noto Sans CJK.
FONT_LATIN = '"Noto Sans", "Liberation Sans", Arial, ' + theme.FONT
CJK_FAMILY = "Noto Sans CJK SC"
#: A line plotly does not trim (a blank one it does): room between a colour bar's title and bar.
GAP_LINE = "<br><span style='color:rgba(0,0,0,0)'>.</span>"


def font_stack(lang: str) -> str:
    return FONT if lang == "zh" else FONT_LATIN


#: Where a Chromium is looked for, after $CAREGAP_CHROMIUM and $BROWSER_PATH.
BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
#: URL schemes a render may load: everything else would leave the machine.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class ExportError(Exception):
    """An export failed for a reason a person can act on (said in plain words, no traceback)."""


class BrowserMissing(ExportError):
    """No Chromium to draw with."""


def find_browser() -> str:
    """The Chromium to draw with: $CAREGAP_CHROMIUM, $BROWSER_PATH, then the usual places."""
    for name in ("CAREGAP_CHROMIUM", "BROWSER_PATH"):
        path = os.environ.get(name)
        if path:
            if os.access(path, os.X_OK):
                return path
            raise BrowserMissing(f"${name} names {path}, which is not an executable browser.")
    for candidate in BROWSER_CANDIDATES:
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.access(path, os.X_OK):
            return path
    raise BrowserMissing(
        "No Chromium found to draw the charts with (looked for /usr/bin/chromium, chromium, "
        "chromium-browser, google-chrome). Install Debian's chromium package "
        "(apt-get install chromium), or set CAREGAP_CHROMIUM to a Chrome-family browser."
    )


def cjk_font_installed() -> bool:
    """Whether fontconfig knows Noto Sans CJK SC (without it Chinese text draws as boxes)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    import subprocess

    result = subprocess.run(
        [fc_list, f":family={CJK_FAMILY}", "family"], capture_output=True, text=True, check=False
    )
    return CJK_FAMILY in result.stdout


# -- restyling for a slide ------------------------------------------------------------------------


def presentation(
    fig: go.Figure, *, width: int, height: int, font_size: int = 22, lang: str = "zh"
) -> go.Figure:
    """A copy of `fig` for a picture of width × height px, with type large enough for a room.

    Every explicit font size of the builders (axes, legend, colour bar, cell text) is raised to
    at least `font_size`; the family is the CJK stack; a map's centre and zoom are fitted again.
    """
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    small = max(font_size - 2, 12)
    out.update_layout(
        width=width,
        height=height,
        font={"family": font_stack(lang), "size": font_size},
        legend={"font": {"size": small}},
        hoverlabel=None,
    )
    out.update_xaxes(tickfont={"size": small}, title_font={"size": small})
    out.update_yaxes(tickfont={"size": small}, title_font={"size": small})
    for trace in out.data:
        if "colorbar" in trace and trace.colorbar is not None:
            trace.colorbar.tickfont = {"size": small}
            trace.colorbar.title.font = {"size": small}
            if trace.colorbar.title.text:  # an invisible line keeps the title off the top tick
                trace.colorbar.title.text += GAP_LINE
        if trace.type == "heatmap":
            trace.textfont = {"size": small}
    for note in out.layout.annotations or ():
        note.font.size = max(note.font.size or 0, font_size)
    _fit_map(out, width, height)
    return out


def _fit_map(fig: go.Figure, width: int, height: int) -> None:
    """Centre and zoom a `map` subplot on its polygons for this picture size."""
    maps = [tr for tr in fig.data if tr.type == "choroplethmap" and tr.geojson]
    if not maps:
        return
    bbox = maps[0].geojson.get("bbox") if isinstance(maps[0].geojson, dict) else None
    if not bbox:
        return
    domain = fig.layout.map.domain.x or (0, 1)
    margin = fig.layout.margin
    inner_w = (width - (margin.l or 0) - (margin.r or 0)) * (domain[1] - domain[0])
    inner_h = height - (margin.t or 0) - (margin.b or 0)
    center, zoom = map_view(bbox, width=int(inner_w), height=int(inner_h))
    fig.update_layout(map={"center": center, "zoom": zoom})


# -- one browser for many pictures ----------------------------------------------------------------


#: kaleido 1.x can call its drawing script in the execution context of the page a tab showed
#: before its own loaded (seen on a loaded machine, once in a few hundred charts); the tab is
#: reloaded when it is handed back, so the next call finds the script. Only this error is retried.
STARTUP_RACE = "kaleido_scopes is not defined"
STARTUP_RACE_ATTEMPTS = 3


class Renderer:
    """One Chromium (through kaleido) for every chart of a deck, and for printing its PDF.

    Use as a context manager. The browser lives in an event loop on a thread of its own, so
    callers stay synchronous (the CLI, a Dash callback). `watch_requests` records every URL the
    browser loads (`requests`), for the tests that prove nothing leaves the machine.
    """

    def __init__(
        self,
        browser: str | None = None,
        *,
        timeout: float = 120,
        watch_requests: bool = False,
    ) -> None:
        self.browser = browser or find_browser()
        self.timeout = timeout
        self.watch_requests = watch_requests
        self.requests: list[str] = []
        self.seconds: dict[str, float] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    # lifecycle

    def __enter__(self) -> Renderer:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        started = time.perf_counter()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        try:
            self._run(self._open())
        except Exception as error:
            self.close()
            raise ExportError(
                f"Chromium at {self.browser} could not be started to draw the charts: {error}"
            ) from None
        self.seconds["browser_start"] = time.perf_counter() - started

    async def _open(self) -> None:
        import kaleido

        self._kaleido = kaleido.Kaleido(path=self.browser, mathjax=False, timeout=self.timeout)
        await self._kaleido.open()
        if self.watch_requests:
            for tab in list(self._kaleido.tabs.values()):
                await self._watch(tab)

    async def _watch(self, tab: Any) -> None:
        async def record(event: dict) -> None:
            self.requests.append(event["params"]["request"]["url"])

        tab.subscribe("Network.requestWillBeSent", record)
        await tab.send_command("Network.enable")

    def close(self) -> None:
        if self._loop is None:
            return
        if self._kaleido is not None:
            # closing a browser that has died is not an error
            with contextlib.suppress(Exception):
                self._run(self._kaleido.close(), timeout=30)
            self._kaleido = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._loop.close()
        self._loop = None

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        assert self._loop is not None, "Renderer is not open"
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=timeout or self.timeout + 30)

    # pictures

    def image(
        self, fig: go.Figure, fmt: str, *, width: int, height: int, scale: float = 1
    ) -> bytes:
        """`fig` as PNG or SVG bytes at width × height px (PNG pixels × `scale`)."""
        if fmt not in ("png", "svg"):
            raise ValueError("format must be png or svg")
        started = time.perf_counter()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        for attempt in range(1, STARTUP_RACE_ATTEMPTS + 1):
            try:
                out = self._run(self._kaleido.calc_fig(fig, opts=opts))
                break
            except Exception as error:
                if STARTUP_RACE in str(error) and attempt < STARTUP_RACE_ATTEMPTS:
                    continue  # the tab was reloaded when kaleido took it back: ask again
                raise ExportError(f"Chromium could not draw a chart: {error}") from None
        self.seconds[f"last_{fmt}"] = time.perf_counter() - started
        return out

    def png(self, fig: go.Figure, *, width: int, height: int, scale: float = 2) -> bytes:
        return self.image(fig, "png", width=width, height=height, scale=scale)

    def svg(self, fig: go.Figure, *, width: int, height: int) -> bytes:
        return self.image(fig, "svg", width=width, height=height)

    # printing

    def print_pdf(self, html: Path) -> bytes:
        """The PDF of a local HTML file, pages sized by its CSS @page rule."""
        started = time.perf_counter()
        try:
            out = self._run(self._print(html.resolve().as_uri()))
        except Exception as error:
            raise ExportError(f"Chromium could not print the PDF: {error}") from None
        self.seconds["pdf"] = time.perf_counter() - started
        return out

    async def _print(self, url: str) -> bytes:
        browser = self._kaleido
        tab = await browser.create_tab("")
        try:
            if self.watch_requests:
                await self._watch(tab)
            await tab.send_command("Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.navigate", {"url": url})
            await asyncio.wait_for(loaded, self.timeout)
            # wait for the fonts and every picture to be decoded before printing
            await tab.send_command(
                "Runtime.evaluate",
                {
                    "expression": "Promise.all([document.fonts.ready, ...Array.from("
                    "document.images, i => i.decode().catch(() => null))]).then(() => true)",
                    "awaitPromise": True,
                },
            )
            answer = await tab.send_command(
                "Page.printToPDF",
                {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
            )
        finally:
            await browser.close_tab(tab.target_id)
        if "error" in answer:
            raise ExportError(str(answer["error"].get("message", answer["error"])))
        return base64.b64decode(answer["result"]["data"])

    def outside_requests(self) -> list[str]:
        """Recorded URLs that would leave the machine (empty when all were local)."""
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]


def captioned(fig: go.Figure, title: str, lines: list[str], *, font_size: int = 22) -> go.Figure:
    """A restyled figure with a title above and caption lines below (n, filters, source and the
    boundary credit): what a chart exported on its own must carry."""
    out = go.Figure(fig)
    title, lines = plain(title), [plain(line) for line in lines]  # names from the data: text
    small = max(font_size - 6, 12)
    margin = out.layout.margin
    top = (margin.t or 0) + font_size * 3
    bottom = (margin.b or 0) + int(small * 1.5 * len(lines)) + 10
    out.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.99, "yanchor": "top"},
        title_font={"size": font_size + 4},
        margin={"t": top, "b": bottom, "l": max(margin.l or 0, 20), "r": max(margin.r or 0, 20)},
    )
    out.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom - 10),
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": small, "color": theme.MUTED},
    )
    if out.layout.width and out.layout.height:  # the map's room changed with the margins
        _fit_map(out, int(out.layout.width), int(out.layout.height))
    return out


def figure_image(
    fig: go.Figure,
    fmt: str,
    *,
    width: int = 1200,
    height: int = 750,
    scale: float = 2,
    lang: str = "zh",
) -> bytes:
    """One chart as PNG or SVG, in a browser started for it (a deck uses one `Renderer`)."""
    styled = presentation(fig, width=width, height=height, lang=lang)
    with Renderer() as renderer:
        return renderer.image(styled, fmt, width=width, height=height, scale=scale)
