"""Briefing (/briefing): the views of a briefing shown one at a time, full width, in large type.

Each slide is a view of the app (page path + URL query, so it keeps its filters) computed from
the data by dashboard.briefing: its title, its chart, one sentence of finding, its n, the
filters in force and the source line. The list of views lives in the browser
(components.briefing_store); with none stored, the page shows the default sequence generated
from the data for the filters in force.

Keyboard (assets/briefing.js): → / space / PageDown next, ← / PageUp previous, Home / End first
and last, F present full screen (the app's chrome hidden), Esc leaves full screen, then goes back
to the view the person came from. The keys click the page's own buttons, so the keyboard and
the mouse take the same path through the callbacks below.

Below the slide: the list of slides (jump, move up or down, remove), reset to the default,
save as a file and open one, and exports (PowerPoint, PDF, the slide's chart as PNG or SVG)
drawn by dashboard.export.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.app import ids
from dashboard.app.components import briefing_store as store
from dashboard.app.components import export_jobs
from dashboard.app.context import AppContext
from dashboard.app.filters import FILTER_INPUTS, filter_inputs, state_from_inputs
from dashboard.briefing.records import Briefing, Slide, View
from dashboard.briefing.slides import slide_for_view
from dashboard.export import deck, fit
from dashboard.export.deck import Box
from dashboard.figures.theme import empty_figure
from dashboard.i18n import t
from dashboard.views.state import ViewState, from_query

PATH = "/briefing"
ROOT = "briefing-root"
VIEWS = "briefing-views"  # the views shown: {"views": [{path, query}, …], "default": bool}
INDEX = "briefing-index"
SLIDE = "briefing-slide"
STAGE = "briefing-stage"  # the room the slide canvas is scaled into
TITLE = "briefing-title"
GRAPH = ids.chart("briefing")
FINDING = "briefing-finding"
N = "briefing-n"
FILTERS = "briefing-filters"
SOURCE = "briefing-source"
COUNTER = "briefing-counter"
PREV = "briefing-prev"
NEXT = "briefing-next"
FIRST = "briefing-first"
LAST = "briefing-last"
PRESENT = "briefing-present"
BACK = "briefing-back"
LIST = "briefing-list"
NOTE = "briefing-note"
APPLIES = "briefing-applies"  # what the filter bar above applies to (the default sequence)
RESET = "briefing-reset"
SAVE = "briefing-save"
UPLOAD = "briefing-upload"
MESSAGE = "briefing-message"
DOWNLOAD = "briefing-download"
EXPORT_STATUS = "briefing-export-status"
EXPORT_JOB = "briefing-export-job"  # the running export's job id
EXPORT_POLL = "briefing-export-poll"  # asks for the job's progress once a second
EXPORTS = ("pptx", "pdf", "png", "svg")
#: An ISO date, kept on one line (a line break after its hyphen reads as a minus sign).
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NB_HYPHEN = "\u2011"
RANGE = re.compile(r"(?<=\d) – (?=\d)")


def go_to(i: int) -> dict[str, object]:
    return {"role": "brief-go", "i": i}


def item(i: int) -> dict[str, object]:
    return {"role": "brief-item", "i": i}


def move_up(i: int) -> dict[str, object]:
    return {"role": "brief-up", "i": i}


def move_down(i: int) -> dict[str, object]:
    return {"role": "brief-down", "i": i}


def remove(i: int) -> dict[str, object]:
    return {"role": "brief-remove", "i": i}


def export(fmt: str) -> dict[str, str]:
    return {"role": "brief-export", "fmt": fmt}


# -- layout ---------------------------------------------------------------------------------------


def layout(ctx_: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    return html.Div(
        [
            html.H1(t("ui.briefing_title", lang), className="visually-hidden"),
            dcc.Store(id=VIEWS),
            dcc.Store(id=INDEX, data=0),
            dcc.Download(id=DOWNLOAD),
            html.P(id=APPLIES, className="cg-brief-applies", role="note"),
            _slide_frame(),
            _controls(lang, state),
            _manager(lang),
        ],
        id=ROOT,
        className="cg-briefing",
    )


def _box(box: Box) -> dict[str, str]:
    """A deck box (inches) placed on the canvas in design pixels: the screen's slide has the
    exported slide's layout."""
    px = fit.PX_PER_INCH
    return {
        "left": f"{box.left * px:.0f}px",
        "top": f"{box.top * px:.0f}px",
        "width": f"{box.width * px:.0f}px",
        "height": f"{box.height * px:.0f}px",
    }


def _slide_frame() -> html.Div:
    """The slide: a fixed 1920 × 1080 canvas (the deck's layout, dashboard.export.deck's boxes
    at 144 px an inch) that assets/slide_canvas.js scales as a whole to the room it has, so the
    slide looks the same on any screen, full screen or not. Type on the canvas is ≥ 24 px."""
    width, height = fit.CHART_PX
    canvas = html.Section(
        [
            html.H2(
                id=TITLE,
                className="cg-canvas-title",
                style=_box(deck.TITLE),
                **{"data-fit": "60", "data-fit-min": "40"},
            ),
            html.Div(
                dcc.Graph(
                    id=GRAPH,
                    figure=empty_figure(""),
                    config={"displaylogo": False, "displayModeBar": False},
                    responsive=False,
                    style={"width": f"{width}px", "height": f"{height}px"},
                    className="cg-slide-graph",
                ),
                className="cg-canvas-chart",
                style=_box(deck.CHART),
            ),
            html.Div(
                [
                    html.P(id=FINDING, className="cg-finding"),
                    html.P(id=N, className="cg-slide-n"),
                    html.P(id=FILTERS, className="cg-slide-filters"),
                ],
                className="cg-canvas-text",
                style=_box(deck.TEXT),
                **{"data-fit": "56", "data-fit-min": "36"},
            ),
            html.P(id=SOURCE, className="cg-canvas-source", style=_box(deck.FOOTER)),
            html.Span(
                id=COUNTER,
                className="cg-canvas-counter",
                style=_box(deck.PAGE_NO),
                **{"aria-live": "polite"},
            ),
        ],
        id=SLIDE,
        className="cg-canvas",
        **{"aria-roledescription": "slide"},
    )
    return html.Div(canvas, id=STAGE, className="cg-stage")


def _controls(lang: str, state: ViewState) -> html.Div:
    return html.Div(
        [
            dbc.Button(t("ui.brief_prev", lang), id=PREV, color="dark", outline=True),
            dbc.Button(t("ui.brief_next", lang), id=NEXT, color="dark", className="ms-2"),
            # reached by Home and End only
            html.Button(id=FIRST, hidden=True, tabIndex="-1"),
            html.Button(id=LAST, hidden=True, tabIndex="-1"),
            html.Span(t("ui.brief_keys", lang), className="cg-brief-keys ms-3 me-auto"),
            dbc.Button(t("ui.brief_present", lang), id=PRESENT, color="primary", className="ms-2"),
            dcc.Link(
                t("ui.brief_leave", lang),
                id=BACK,
                href="/" + state.to_query(),
                className="btn btn-outline-dark ms-2",
            ),
        ],
        className="cg-brief-controls d-flex flex-wrap align-items-center gap-1 my-3",
    )


def _manager(lang: str) -> dbc.Row:
    slides_card = dbc.Card(
        [
            dbc.CardHeader(html.H2(t("ui.brief_slides", lang), className="h5 mb-0")),
            dbc.CardBody(
                [
                    html.P(id=NOTE, className="text-muted mb-2"),
                    dcc.Loading(html.Ol(id=LIST, className="cg-brief-list"), type="dot"),
                    html.Div(
                        [
                            dbc.Button(
                                t("ui.brief_reset", lang), id=RESET, color="secondary", outline=True
                            ),
                            dbc.Button(t("ui.brief_save", lang), id=SAVE, color="secondary"),
                            dcc.Upload(
                                dbc.Button(
                                    t("ui.brief_open", lang), color="secondary", outline=True
                                ),
                                id=UPLOAD,
                                accept=".json,application/json",
                                max_size=store.MAX_UPLOAD_BYTES * 4,  # larger: refused in words
                                multiple=False,
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 mt-3",
                    ),
                    html.P(id=MESSAGE, className="cg-brief-message mt-2 mb-0", role="status"),
                ]
            ),
        ],
        className="h-100",
    )
    export_card = dbc.Card(
        [
            dbc.CardHeader(html.H2(t("ui.brief_export", lang), className="h5 mb-0")),
            dbc.CardBody(
                [
                    html.Div(
                        [
                            dbc.Button(
                                t(f"ui.brief_{fmt}", lang), id=export(fmt), color="secondary"
                            )
                            for fmt in EXPORTS
                        ],
                        className="d-flex flex-wrap gap-2",
                    ),
                    html.P(
                        t("ui.brief_export_note_progress", lang), className="text-muted mt-2 mb-1"
                    ),
                    html.Div(id=EXPORT_STATUS, className="mb-0", role="status"),
                    dcc.Store(id=EXPORT_JOB),
                    dcc.Interval(id=EXPORT_POLL, interval=1000, disabled=True),
                ]
            ),
        ],
        className="h-100",
    )
    return dbc.Row(
        [dbc.Col(slides_card, lg=8), dbc.Col(export_card, lg=4)],
        className="cg-brief-manage g-3 mb-3",
    )


# -- the views shown ------------------------------------------------------------------------------


def views_data(views: list[View], default: bool, head: int | None = None) -> dict:
    """VIEWS' data: the views shown, whether they are the default sequence, and how many of
    the first follow the filter bar (`head`)."""
    head = len(views) if default and head is None else head or 0
    return {"views": [v.to_dict() for v in views], "default": default, "head": head}


def views_from(data_: object) -> list[View]:
    """The views of VIEWS' data (the page's own store, sent back by the browser: checked)."""
    return store.shown_views(data_)


def slide_list(slides: list[Slide], lang: str) -> list[html.Li]:
    """One line per slide: its title (a click shows it), move up, move down, remove."""
    last = len(slides) - 1

    def small(label: str, key: str, id_: dict, disabled: bool = False) -> html.Button:
        return html.Button(
            label,
            id=id_,
            className="btn btn-sm btn-outline-dark",
            disabled=disabled,
            title=t(f"ui.{key}", lang),
            **{"aria-label": t(f"ui.{key}", lang)},
        )

    return [
        html.Li(
            [
                html.Button(s.title, id=go_to(i), className="btn btn-link cg-brief-go"),
                html.Small(keep_dates(s.filters), className="cg-brief-item-filters"),
                html.Span(
                    [
                        small("↑", "brief_up", move_up(i), disabled=i == 0),
                        small("↓", "brief_down", move_down(i), disabled=i == last),
                        small("✕", "brief_remove", remove(i)),
                    ],
                    className="cg-brief-item-buttons",
                ),
            ],
            id=item(i),
            className="cg-brief-item",
        )
        for i, s in enumerate(slides)
    ]


def update_views(ctx_: AppContext, stored: object, state: ViewState) -> tuple[dict, list, str]:
    """The views shown (store data or the default sequence), the slide list and the note."""
    shown = store.listed(ctx_.cursor(), stored, state)
    note = t("ui.brief_default_note" if shown.default else "ui.brief_custom_note", state.lang)
    data = views_data([s.view for s in shown.slides], shown.default, shown.head)
    return data, slide_list(shown.slides, state.lang), note


def applies_text(head: int, total: int, lang: str) -> str:
    """What the filter bar above applies to: the default sequence's slides, not added ones."""
    if total and head >= total:
        return t("ui.brief_applies_all", lang, n=total)
    if head:
        return t("ui.brief_applies_head", lang, last=head, first_added=head + 1, n=total)
    return t("ui.brief_applies_none", lang)


# -- one slide ------------------------------------------------------------------------------------


def target_index(trigger: object, value: object, index: int | None, total: int) -> int:
    """The index a click asks for: previous, next, first, last, a slide of the list, or the
    current one kept in range (when the list changed)."""
    if trigger == PREV:
        return store.step(index, -1, total)
    if trigger == NEXT:
        return store.step(index, 1, total)
    if trigger == FIRST:
        return store.step(0, 0, total)
    if trigger == LAST:
        return store.step(total - 1, 0, total)
    if isinstance(trigger, dict) and trigger.get("role") == "brief-go" and value:
        return store.step(int(trigger["i"]), 0, total)  # type: ignore[arg-type]
    return store.step(index, 0, total)


def screen_figure(slide: Slide, lang: str) -> go.Figure:
    """The slide's chart for the screen: the very figure the exports draw (dashboard.export.fit:
    one size on the canvas, labels measured), at a fixed size the canvas scales."""
    fig = fit.chart_for_slide(slide.figure, lang)
    fig.update_layout(autosize=False, paper_bgcolor="white")
    return fig


def keep_dates(text: str) -> str:
    """Dates with non-breaking hyphens, and a period's dash held to its dates, so that a line
    never breaks inside a date or a period."""
    text = DATE.sub(lambda m: NB_HYPHEN.join(m.groups()), text)
    return RANGE.sub("\u00a0–\u00a0", text)


@dataclass(frozen=True)
class Shown:
    """What the slide frame shows (the outputs of the slide callback)."""

    index: int
    title: str
    figure: go.Figure
    finding: str
    n: str
    filters: str
    source: str
    counter: str
    first: bool
    last: bool

    def outputs(self) -> tuple[object, ...]:
        return (
            self.index,
            self.title,
            self.figure,
            self.finding,
            self.n,
            self.filters,
            self.source,
            self.counter,
            self.first,
            self.last,
        )


def show(ctx_: AppContext, views: list[View], index: int, lang: str) -> Shown:
    """Slide `index` of `views`, computed from the data in `lang` (the empty briefing says so)."""
    if not views:
        message = t("ui.brief_empty", lang)
        title = t("ui.brief_empty_title", lang)
        return Shown(0, title, empty_figure(""), message, "", "", "", "0 / 0", True, True)
    index = store.step(index, 0, len(views))
    view = views[index]
    slide = slide_for_view(ctx_.cursor(), view.path, view.query, lang)
    return Shown(
        index=index,
        title=slide.title,
        figure=screen_figure(slide, lang),
        finding=slide.finding,
        n=slide.n_text,
        filters=keep_dates(slide.filters),
        source=keep_dates(slide.source),
        counter=t("briefing.slide_of", lang, i=index + 1, n=len(views)),
        first=index == 0,
        last=index == len(views) - 1,
    )


# -- files ----------------------------------------------------------------------------------------


def _stamp() -> str:
    return dt.date.today().isoformat()


def save(views: list[View], lang: str) -> dict:
    """The briefing as a JSON file (what "open briefing" reads back)."""
    title = t("briefing.deck_subtitle", lang)
    text = Briefing(title, lang, tuple(views)).to_json()
    return dcc.send_string(text, f"caregap-briefing-{_stamp()}.json")


def export_file(
    ctx_: AppContext, views: list[View], index: int, fmt: str, state: ViewState
) -> tuple[dict | None, str]:
    """The briefing as PPTX or PDF, or the shown slide's chart as PNG or SVG: (download, message).

    A failure a person can act on (no Chromium, say) is a message, not a traceback.
    """
    from dashboard.export.deck import export_views, slide_picture
    from dashboard.export.images import ExportError

    lang = state.lang
    started = time.perf_counter()
    con = ctx_.cursor()
    try:
        if fmt in ("pptx", "pdf"):
            name = f"caregap-briefing-{_stamp()}.{fmt}"
            with tempfile.TemporaryDirectory(prefix="caregap-export-") as tmp:
                out = Path(tmp) / name
                briefing = Briefing(t("briefing.deck_subtitle", lang), lang, tuple(views))
                export_views(con, briefing, fmt, out, filters=state.to_query())
                content = out.read_bytes()
        else:
            view = views[store.step(index, 0, len(views))]
            slide = slide_for_view(con, view.path, view.query, lang)
            name = f"caregap-{slide.kind}-{_stamp()}.{fmt}"
            content = slide_picture(slide, fmt, lang)
    except ExportError as error:
        return None, t("ui.brief_export_failed", lang, reason=error)
    if ctx_.auth is not None:
        ctx_.auth.record("export", name, state.region or "", detail=f"{len(views)} views")
    seconds = f"{time.perf_counter() - started:.1f}"
    message = keep_dates(t("ui.brief_exported", lang, name=name, seconds=seconds))
    return dcc.send_bytes(content, name), message


def start_export(ctx_: AppContext, views: list[View], fmt: str, state: ViewState) -> str:
    """Start the briefing's PPTX or PDF export as a job (components.export_jobs); its id.

    The cursor (with the caller's scope) is taken here, in the request; the job only draws."""
    from dashboard.export.deck import export_views
    from dashboard.export.images import ExportError

    lang = state.lang
    con = ctx_.cursor()
    name = f"caregap-briefing-{_stamp()}.{fmt}"
    briefing = Briefing(t("briefing.deck_subtitle", lang), lang, tuple(views))

    def work(out: Path, progress) -> str:
        target = out.with_suffix(f".{fmt}")
        export_views(con, briefing, fmt, target, filters=state.to_query(), progress=progress)
        target.replace(out)
        return name

    if ctx_.auth is not None:
        ctx_.auth.record("export", name, state.region or "", detail=f"{len(views)} views")
    return export_jobs.start(work, (ExportError, OSError))


def progress_view(status: export_jobs.Status, lang: str) -> list:
    """The export's progress in words and as a bar: slides drawn of all."""
    if status.total:
        text = t("ui.brief_export_progress", lang, done=status.done, total=status.total)
        value = round(100 * status.done / status.total)
    else:
        text, value = t("ui.brief_export_starting", lang), 0
    if status.total and status.done >= status.total:
        text = t("ui.brief_export_writing", lang)
    bar = dbc.Progress(value=value, className="cg-export-progress mt-1", label="")
    return [html.Span(keep_dates(text)), bar]


def poll_export(job: object, lang: str) -> tuple[dict | None, object, bool]:
    """(the download once done, what the status line shows, whether polling stops)."""
    status = export_jobs.status(str(job or ""))
    if status is None:
        return None, "", True
    if status.state == "running":
        return None, progress_view(status, lang), False
    if status.state == "failed":
        return None, t("ui.brief_export_failed", lang, reason=status.error), True
    content = export_jobs.take(str(job))
    if content is None:
        return None, "", True
    seconds = f"{status.seconds:.1f}"
    message = keep_dates(t("ui.brief_exported", lang, name=status.name, seconds=seconds))
    return dcc.send_bytes(content, status.name), message, True


# -- callbacks ------------------------------------------------------------------------------------


def _lang(ctx_: AppContext, search: str | None) -> str:
    return from_query(search, ctx_.default_lang).lang


def register(app: Dash, ctx_: AppContext) -> None:
    n_filters = len(FILTER_INPUTS)

    @app.callback(
        Output(VIEWS, "data"),
        Output(LIST, "children"),
        Output(NOTE, "children"),
        Output(APPLIES, "children"),
        Input(ids.BRIEFING, "data"),
        *filter_inputs(),
        State(ids.URL, "search"),
    )
    def views(stored: object, *args: object) -> tuple[dict, list, str, str]:
        state = state_from_inputs(ctx_, args[-1], args[:n_filters])  # type: ignore[arg-type]
        data, items, note = update_views(ctx_, stored, state)
        return data, items, note, applies_text(data["head"], len(data["views"]), state.lang)

    @app.callback(
        Output(INDEX, "data"),
        Output(TITLE, "children"),
        Output(GRAPH, "figure"),
        Output(FINDING, "children"),
        Output(N, "children"),
        Output(FILTERS, "children"),
        Output(SOURCE, "children"),
        Output(COUNTER, "children"),
        Output(PREV, "disabled"),
        Output(NEXT, "disabled"),
        Input(PREV, "n_clicks"),
        Input(NEXT, "n_clicks"),
        Input(FIRST, "n_clicks"),
        Input(LAST, "n_clicks"),
        Input(go_to(ALL), "n_clicks"),  # type: ignore[arg-type]
        Input(VIEWS, "data"),
        State(INDEX, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def slide(*args: object) -> tuple[object, ...]:
        shown_views, index, search = args[-3], args[-2], args[-1]
        listed = views_from(shown_views)
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        target = target_index(ctx.triggered_id, value, index, len(listed))  # type: ignore[arg-type]
        return show(ctx_, listed, target, _lang(ctx_, search)).outputs()  # type: ignore[arg-type]

    @app.callback(
        Output(ids.BRIEFING, "data", allow_duplicate=True),
        Output(INDEX, "data", allow_duplicate=True),
        Output(MESSAGE, "children"),
        Output(UPLOAD, "contents"),
        Input(move_up(ALL), "n_clicks"),  # type: ignore[arg-type]
        Input(move_down(ALL), "n_clicks"),  # type: ignore[arg-type]
        Input(remove(ALL), "n_clicks"),  # type: ignore[arg-type]
        Input(RESET, "n_clicks"),
        Input(UPLOAD, "contents"),
        State(UPLOAD, "filename"),
        State(VIEWS, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def change(*args: object) -> tuple[object, ...]:
        contents, filename, shown_views, search = args[4], args[5], args[6], args[7]
        lang = _lang(ctx_, search)  # type: ignore[arg-type]
        trigger = ctx.triggered_id
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        if not value:  # a button drawn anew, or the upload cleared
            return no_update, no_update, no_update, no_update
        if trigger == RESET:
            return None, 0, "", no_update
        if trigger == UPLOAD:
            opened, message = store.open_file(contents, filename, lang)  # type: ignore[arg-type]
            return (no_update if opened is None else opened), 0, message, None
        action = str(trigger["role"]).removeprefix("brief-")  # type: ignore[index]
        stored, index = store.edit(views_from(shown_views), action, int(trigger["i"]), lang)  # type: ignore[index]
        return stored, index, "", no_update

    @app.callback(
        Output(DOWNLOAD, "data"),
        Output(EXPORT_STATUS, "children"),
        Output(EXPORT_JOB, "data"),
        Output(EXPORT_POLL, "disabled"),
        Input(SAVE, "n_clicks"),
        Input(export(ALL), "n_clicks"),  # type: ignore[arg-type]
        State(VIEWS, "data"),
        State(INDEX, "data"),
        State(EXPORT_JOB, "data"),
        *[State(i, p) for i, p in FILTER_INPUTS],
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def download(*args: object) -> tuple[object, object, object, object]:
        shown_views, index, running = args[2], args[3], args[4]
        state = state_from_inputs(ctx_, args[-1], args[5 : 5 + n_filters])  # type: ignore[arg-type]
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        listed = views_from(shown_views)
        if not value or not listed:
            return no_update, no_update, no_update, no_update
        if ctx.triggered_id == SAVE:
            name = f"caregap-briefing-{_stamp()}.json"
            saved = keep_dates(t("ui.brief_saved", state.lang, name=name))  # "2026-12-01" whole
            return save(listed, state.lang), saved, no_update, no_update
        fmt = ctx.triggered_id["fmt"]  # type: ignore[index]
        if fmt in ("pptx", "pdf"):
            current = export_jobs.status(str(running or ""))
            if current is not None and current.state == "running":
                return no_update, t("ui.brief_export_busy", state.lang), no_update, no_update
            job = start_export(ctx_, listed, fmt, state)
            shown = progress_view(export_jobs.Status("running"), state.lang)
            return no_update, shown, job, False
        sent, message = export_file(ctx_, listed, int(index or 0), fmt, state)  # type: ignore[arg-type]
        return sent, message, no_update, no_update

    @app.callback(
        Output(DOWNLOAD, "data", allow_duplicate=True),
        Output(EXPORT_STATUS, "children", allow_duplicate=True),
        Output(EXPORT_POLL, "disabled", allow_duplicate=True),
        Input(EXPORT_POLL, "n_intervals"),
        State(EXPORT_JOB, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def poll(_ticks: int | None, job: object, search: str | None) -> tuple[object, object, bool]:
        sent, shown, finished = poll_export(job, _lang(ctx_, search))
        return (sent if sent is not None else no_update), shown, finished

    app.clientside_callback(
        """
        function(target) {
            // "leave" goes back to the last view shown, in this page's language
            const here = new URLSearchParams((target || "").split("?")[1] || "");
            let last = null;
            try { last = window.sessionStorage.getItem("%s"); } catch (e) {}
            if (!last) { return "/" + (here.toString() ? "?" + here.toString() : ""); }
            const [path, query] = last.split("?");
            const params = new URLSearchParams(query || "");
            if (here.get("lang")) { params.set("lang", here.get("lang")); }
            return path + "?" + params.toString();
        }
        """.replace("%s", ids.LAST_VIEW_KEY),
        Output(BACK, "href"),
        Input(ids.QUERY, "data"),
    )
    app.clientside_callback(
        """
        function(index, items) {
            const shown = (i) => i === index ? "cg-brief-item active" : "cg-brief-item";
            return (items || []).map((_, i) => shown(i));
        }
        """,
        Output(item(ALL), "className"),  # type: ignore[arg-type]
        Input(INDEX, "data"),
        State(item(ALL), "id"),  # type: ignore[arg-type]
    )
