"""The frame around every view: header, navigation, language switch, and the router.

The URL is the single source of truth when a page is opened: the router renders the shell and the
page from it. While a person works, controls change the figures through callbacks, and one
callback writes the resulting state back into the address bar (history.pushState for a filter
change, so Back undoes it; replaceState when the page tidies the address it opened with; nothing
reloads) and into the navigation links, so a copied link or a switch of view keeps the filters.
Back (or Forward) to another query draws the page from that address, like opening it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import ModuleType

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from flask_wtf.csrf import generate_csrf

from dashboard import scope
from dashboard.app import ids
from dashboard.app.auth import LOGOUT_PATH
from dashboard.app.components import briefing_store
from dashboard.app.components.download import send
from dashboard.app.components.widgets import localise
from dashboard.app.context import AppContext
from dashboard.app.filters import (
    current_state,
    filter_bar,
    filter_inputs,
    input_notice,
    min_n_note,
    period_notice,
    period_notice_parts,
    preset_id,
)
from dashboard.i18n import t
from dashboard.scope import OPEN, OutOfScope, Scope
from dashboard.store import StoreOutdated
from dashboard.views import access, downloads, inputs, period, registry
from dashboard.views.state import ViewState, from_query

NAV_ITEMS = (
    ("/", "nav_overview"),
    ("/map", "nav_map"),
    ("/groups", "nav_groups"),
    ("/stations", "nav_stations"),
    ("/quality", "nav_quality"),
    ("/data", "nav_data"),
    ("/briefing", "nav_briefing"),
)


def rerender(search: str | None, shown: str | None) -> bool:
    """Whether a new query in the address is one the page does not show: not the one the URL
    sync just wrote for it (a filter change), nor a new view's link (which carries the same
    query; `route` draws it); Back or Forward to earlier filters is."""
    return (search or "") != "?" + (shown or "").partition("?")[2] if shown else False


#: Pages whose view can be added to the briefing: those with a chart that can be a slide.
BRIEFING_SOURCES = tuple(path for path, charts in registry.SLIDE_CHARTS.items() if charts)


def root_layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.QUERY),
            html.Div(id=ids.HISTORY_SINK, hidden=True),
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Store(id=ids.BRIEFING, storage_type="local"),
            html.Div(id=ids.ROOT),
        ]
    )


def _header(state: ViewState, pathname: str, caller: Scope, refused: bool = False) -> dbc.Navbar:
    lang = state.lang
    query = state.to_query()
    other = state.with_(lang="en" if lang == "zh" else "zh").to_query()
    links = [
        dbc.NavItem(
            dcc.Link(
                t(f"ui.{key}", lang),
                href=path + query,
                id={"role": "nav", "path": path},
                className="nav-link" + (" active" if path == pathname else ""),
            )
        )
        for path, key in NAV_ITEMS
        if path in nav_paths(caller)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                html.Div(
                    [
                        html.Span(t("ui.app_title", lang), className="cg-brand"),
                        html.Span(
                            t("ui.tagline", lang), className="cg-tagline d-none d-xxl-inline"
                        ),
                    ]
                ),
                dbc.Nav(links, className="me-auto ms-4", navbar=True),
                *(
                    _add_to_briefing(lang)
                    if pathname in BRIEFING_SOURCES and caller.opens(BRIEFING_PATH) and not refused
                    else []
                ),
                html.A(
                    t("ui.switch_lang", lang),
                    href=pathname + other,
                    id=ids.LANG_LINK,
                    className="btn btn-outline-light",
                    lang="zh" if lang == "en" else "en",
                ),
                *_account(caller, lang),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3 cg-navbar",
    )


BRIEFING_PATH = access.BRIEFING_PATH


def nav_items(caller: Scope) -> list[tuple[str, str]]:
    """(path, label key) of each view this caller opens, in NAV_ITEMS order (the 404 page's
    links: dashboard.app.notfound)."""
    return [(path, key) for path, key in NAV_ITEMS if caller.opens(path)]


def nav_paths(caller: Scope) -> list[str]:
    """The views the header links to for this caller, in NAV_ITEMS order (the URL sync fills
    exactly these links' hrefs)."""
    return [path for path, _ in NAV_ITEMS if caller.opens(path)]


def _account(caller: Scope, lang: str) -> list:
    """Who is signed in, and the sign-out button (a form: POST with its CSRF token). Below
    1200 px only the button shows; its tooltip names the account."""
    if caller.role == OPEN or caller.user is None:
        return []
    who = t(
        "access.signed_in_as", lang, name=caller.user, role=t(f"access.role_{caller.role}", lang)
    )
    return [
        html.Span(
            who, title=who, className="cg-user ms-3 text-light text-nowrap d-none d-xl-inline-block"
        ),
        html.Form(
            [
                dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                dcc.Input(type="hidden", name="lang", value=lang),
                html.Button(
                    t("access.sign_out", lang),
                    type="submit",
                    id=ids.SIGN_OUT,
                    title=who,
                    className="btn btn-outline-light ms-2 text-nowrap",
                ),
            ],
            action=LOGOUT_PATH,
            method="POST",
            className="d-inline m-0",
        ),
    ]


def _refusal(con: object, path: str, state: ViewState) -> dbc.Alert:
    """ "Not in your area", and a link to the caller's own area in a view it opens."""
    caller = scope.of(con)
    own = access.opening(con, state.with_(region=None, district=None, station=None))
    target = path if caller.opens(path) else "/"
    return dbc.Alert(
        [
            html.P(t("access.not_in_area", state.lang), className="mb-2"),
            dcc.Link(t("access.go_to_own_area", state.lang), href=target + own.to_query()),
        ],
        color="warning",
        className="my-4 cg-not-in-area",
    )


def _not_found(pathname: str, state: ViewState, caller: Scope) -> dbc.Alert:
    """An address that is not a page: said so, with a link to each view the caller opens."""
    query = state.to_query()
    return dbc.Alert(
        [
            html.H1(t("ui.not_found_title", state.lang), className="h4"),
            html.P(t("ui.not_found_text", state.lang, path=pathname)),
            html.Ul(
                [
                    html.Li(dcc.Link(t(f"ui.{key}", state.lang), href=path + query))
                    for path, key in NAV_ITEMS
                    if path in nav_paths(caller)
                ],
                className="mb-0",
            ),
        ],
        color="secondary",
        className="my-4 cg-not-found",
    )


def _open_banner(caller: Scope, lang: str) -> list:
    """Says, on every page of a server with no accounts, that anyone here sees everything."""
    if caller.role != OPEN:
        return []
    return [
        dbc.Alert(
            t("access.open_banner", lang), color="warning", className="cg-open-banner py-2 mb-3"
        )
    ]


def _add_to_briefing(lang: str) -> list:
    """The button that appends the current view (with its filters) to the briefing."""
    return [
        html.Span(id=ids.ADD_STATUS, className="cg-add-status me-2", role="status"),
        dbc.Button(
            t("ui.add_to_briefing", lang),
            id=ids.ADD_TO_BRIEFING,
            color="light",
            outline=True,
            className="me-2 text-nowrap",
            title=t("ui.add_to_briefing_title", lang),
        ),
    ]


def render(
    ctx_: AppContext, pages: dict[str, ModuleType], pathname: str | None, search: str | None
) -> html.Div:
    """Shell and page for a URL, as the caller may see it: a view or a region outside the
    caller's scope shows only "not in your area", an unknown path says it is not a page (the
    server answers such a URL with 404 before Dash: dashboard.app.notfound)."""
    path = pathname if pathname in pages else "/"
    con = ctx_.cursor()
    caller = scope.of(con)
    asked, notes = inputs.check(con, from_query(search, ctx_.default_lang))
    state = access.opening(con, asked)
    try:
        access.check(con, path, state)
        if pathname in pages or pathname is None:
            body = [
                filter_bar(ctx_, state, path),
                input_notice(notes),
                localise(pages[path].layout(ctx_, state), state.lang),
            ]
        else:
            body = [_not_found(str(pathname), state, caller)]
        refused = False
    except OutOfScope:
        body = [_refusal(con, path, state)]
        refused = True
    if ctx_.auth is not None:
        ctx_.auth.record("view_refused" if refused else "view", path, state.region or "")
    return html.Div(
        [
            _header(state, path, caller, refused),
            dbc.Container(
                [
                    *_open_banner(caller, state.lang),
                    *body,
                    html.Footer(
                        [
                            html.Span(t("ui.n_note", state.lang)),
                            " ",
                            html.Span(t("ui.credit", state.lang)),
                        ],
                        className="cg-footer text-muted mt-4 mb-3",
                    ),
                ],
                fluid=True,
            ),
        ],
        lang="zh-CN" if state.lang == "zh" else "en",
        className="" if caller.downloads else "cg-no-downloads",
        # a new token per drawing: the URL sync tells the address a page opened with (tidied in
        # place) from a person's later filter changes (history steps)
        **{"data-drawn": uuid.uuid4().hex},
    )


def notice_update(
    ctx_: AppContext,
    pages: dict[str, ModuleType],
    pathname: str | None,
    search: str | None,
    start: str | None,
    end: str | None,
) -> tuple[bool, str, bool, str]:
    """The survey-period notice for the period now in the filter: (hidden, text, button hidden,
    button title)."""
    path = pathname if pathname in pages else "/"
    state = from_query(search, ctx_.default_lang).updated({"start": start, "end": end})
    return period_notice_parts(period_notice(ctx_, state, path), state.lang)


def align_update(ctx_: AppContext, clicks: int | None) -> tuple[object, object]:
    """The align button's click: the period filter set to the survey's window in the records."""
    target = period.aligned(ctx_.cursor()) if clicks else None
    if target is None:
        return no_update, no_update
    return target[0].isoformat(), target[1].isoformat()


def preset_update(trigger: object, clicks: list[int | None]) -> tuple[object, object]:
    """A period preset's click: the period filter set to its days (read from the item's id,
    checked: a crafted id that is not two ordered dates changes nothing)."""
    if not isinstance(trigger, dict) or not any(clicks or []):
        return no_update, no_update
    try:
        start = dt.date.fromisoformat(str(trigger.get("start")))
        end = dt.date.fromisoformat(str(trigger.get("end")))
    except ValueError:
        return no_update, no_update
    if start > end:
        return no_update, no_update
    return start.isoformat(), end.isoformat()


def register(app: Dash, ctx_: AppContext, pages: dict[str, ModuleType]) -> None:
    """The shell's callbacks: routing, settings, URL state, downloads."""

    def draw(pathname: str | None, search: str | None) -> html.Div:
        try:
            return render(ctx_, pages, pathname, search)
        except StoreOutdated:
            lang = from_query(search, ctx_.default_lang).lang
            return dbc.Alert(t("ui.store_outdated", lang), color="warning", className="m-4")

    @app.callback(
        Output(ids.ROOT, "children"), Input(ids.URL, "pathname"), State(ids.URL, "search")
    )
    def route(pathname: str | None, search: str | None) -> html.Div:
        return draw(pathname, search)

    @app.callback(
        Output(ids.ROOT, "children", allow_duplicate=True),
        Input(ids.URL, "search"),
        State(ids.URL, "pathname"),
        State(ids.QUERY, "data"),
        prevent_initial_call=True,
    )
    def route_back(search: str | None, pathname: str | None, shown: str | None) -> object:
        """Back or Forward to other filters on the same view: the page drawn from that address
        (the URL sync's own steps, and a new view's, which `route` draws, are left alone)."""
        if not rerender(search, shown):
            return no_update
        return draw(pathname, search)

    @app.callback(
        Output(ids.SETTINGS, "is_open"),
        Input(ids.SETTINGS_TOGGLE, "n_clicks"),
        State(ids.SETTINGS, "is_open"),
        prevent_initial_call=True,
    )
    def toggle_settings(_clicks: int | None, is_open: bool) -> bool:
        return not is_open

    @app.callback(
        Output(ids.QUERY, "data"),
        Output({"role": "nav", "path": ALL}, "href"),
        Output(ids.LANG_LINK, "href"),
        Output(ids.MIN_N_NOTE, "children"),
        *filter_inputs(),
        Input(ids.state(ALL), "value"),
        Input(ids.state_store(ALL), "data"),
        State(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def sync_url(*args: object) -> tuple[str, list[str], str, str]:
        # what the data does not hold (an unknown district in the link) leaves the address
        state, _notes = inputs.check(ctx_.cursor(), current_state(ctx_, args[-1], args[:-2]))
        pathname = args[-2] if args[-2] in pages else "/"
        query = state.to_query()
        other = state.with_(lang="en" if state.lang == "zh" else "zh").to_query()
        caller = scope.of(ctx_.cursor())
        navs = [path + query for path in nav_paths(caller)]  # the links _header drew
        return pathname + query, navs, pathname + other, min_n_note(state)

    @app.callback(
        Output(ids.PERIOD_NOTICE, "hidden"),
        Output(ids.PERIOD_NOTICE_TEXT, "children"),
        Output(ids.ALIGN_PERIOD, "hidden"),
        Output(ids.ALIGN_PERIOD, "title"),
        Input(ids.PERIOD, "start_date"),
        Input(ids.PERIOD, "end_date"),
        State(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def survey_period_notice(
        start: str | None, end: str | None, pathname: str | None, search: str | None
    ) -> tuple[bool, str, bool, str]:
        return notice_update(ctx_, pages, pathname, search, start, end)

    @app.callback(
        Output(ids.PERIOD, "start_date"),
        Output(ids.PERIOD, "end_date"),
        Input(ids.ALIGN_PERIOD, "n_clicks"),
        prevent_initial_call=True,
    )
    def align_period(clicks: int | None) -> tuple[object, object]:
        return align_update(ctx_, clicks)

    @app.callback(
        Output(ids.PERIOD, "start_date", allow_duplicate=True),
        Output(ids.PERIOD, "end_date", allow_duplicate=True),
        Input(preset_id(ALL, ALL), "n_clicks"),
        prevent_initial_call=True,
    )
    def period_preset(clicks: list[int | None]) -> tuple[object, object]:
        return preset_update(ctx.triggered_id, clicks)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.download(ALL, ALL), "n_clicks"),
        State(ids.QUERY, "data"),
        prevent_initial_call=True,
    )
    def download(clicks: list[int | None], target: str | None) -> dict | None:
        trigger = ctx.triggered_id
        if not trigger or not any(clicks):
            return None
        if trigger["chart"] not in registry.BY_NAME or trigger["fmt"] not in downloads.FORMATS:
            return None  # a crafted button: nothing to send
        state = from_query((target or "").partition("?")[2], ctx_.default_lang)
        con = ctx_.cursor()
        name, content = downloads.download(con, trigger["chart"], trigger["fmt"], state)
        if ctx_.auth is not None:
            ctx_.auth.record("download", f"{trigger['chart']}.{trigger['fmt']}", state.region or "")
        return send(name, content)

    @app.callback(
        Output(ids.BRIEFING, "data", allow_duplicate=True),
        Output(ids.ADD_STATUS, "children"),
        Input(ids.ADD_TO_BRIEFING, "n_clicks"),
        State(ids.QUERY, "data"),
        State(ids.BRIEFING, "data"),
        prevent_initial_call=True,
    )
    def add_to_briefing(clicks: int | None, target: str | None, stored: object):
        if not clicks:
            return no_update, no_update
        lang = from_query((target or "").partition("?")[2], ctx_.default_lang).lang
        added, message = briefing_store.add(ctx_.cursor(), stored, target, lang)
        return (no_update if added is None else added), message

    app.clientside_callback(
        """
        function(target) {
            // the page the router drew last: its first address is the one it opened with
            const shell = document.getElementById("%r");
            const first = shell && shell.firstElementChild;
            const drawn = first ? first.getAttribute("data-drawn") : null;
            const push = !!drawn && window.__cgDrawn === drawn;
            window.__cgDrawn = drawn;
            if (target && window.location.pathname + window.location.search !== target) {
                // a filter change is a step Back undoes; the page opening only tidies its URL
                if (push) {
                    window.history.pushState(null, "", target);
                } else {
                    window.history.replaceState(null, "", target);
                }
                // dcc.Location learns the new URL, so Back to it is a change it sees
                window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
            }
            if (target && !target.startsWith("/briefing")) {
                try { window.sessionStorage.setItem("%s", target); } catch (e) {}
            }
            const lang = new URLSearchParams(window.location.search).get("lang");
            if (lang) {
                document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
            }
            return "";
        }
        """.replace("%s", ids.LAST_VIEW_KEY).replace("%r", ids.ROOT),
        Output(ids.HISTORY_SINK, "children"),
        Input(ids.QUERY, "data"),
    )
