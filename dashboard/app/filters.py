"""The filter bar every view shares (area, delivery period, age group, sex; under Settings the
need threshold and the minimum n), and reading a view's state from its controls.

Pages import this module for their callbacks' inputs; the shell places the bar above each page.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, ctx, dcc, html

from dashboard import data, disclosure
from dashboard.app import ids
from dashboard.app.context import AppContext
from dashboard.i18n import t
from dashboard.ingest.schema import AGE_GROUPS
from dashboard.views import areas, period
from dashboard.views.state import ViewState, from_query

#: Filters every view shares, as (component id, property).
FILTER_INPUTS = (
    (ids.REGION, "value"),
    (ids.PERIOD, "start_date"),
    (ids.PERIOD, "end_date"),
    (ids.AGE, "value"),
    (ids.SEX, "value"),
    (ids.THRESHOLD, "value"),
    (ids.MIN_N, "value"),
)

#: The URL parameter each shared filter sets, in FILTER_INPUTS order.
FILTER_KEYS = ("region", "start", "end", "age", "sex", "threshold", "min_n")


def filter_inputs() -> list[Input]:
    return [Input(i, p) for i, p in FILTER_INPUTS]


def filter_bar(ctx_: AppContext, state: ViewState, path: str | None = None) -> dbc.Card:
    """The bar as the page at `path` opens with `state`."""
    con = ctx_.cursor()
    first, last = data.delivery_period(con)
    lang = state.lang
    region_options = areas.area_options(con, state.region, lang)
    age_options = [{"label": t("ui.all", lang), "value": ""}] + [
        {"label": g, "value": g} for g in AGE_GROUPS
    ]
    sex_options = [
        {"label": t("ui.all", lang), "value": ""},
        {"label": t("ui.sex_M", lang), "value": "M"},
        {"label": t("ui.sex_F", lang), "value": "F"},
    ]
    root = data.root_region(con)
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(t("ui.region", lang), html_for=ids.REGION),
                                dcc.Dropdown(
                                    id=ids.REGION,
                                    options=region_options,
                                    value=state.region or root,
                                    clearable=False,
                                    searchable=True,
                                ),
                            ],
                            lg=3,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(t("ui.period", lang), html_for=ids.PERIOD),
                                dcc.DatePickerRange(
                                    id=ids.PERIOD,
                                    min_date_allowed=first,
                                    max_date_allowed=last,
                                    start_date=state.start or first,
                                    end_date=state.end or last,
                                    display_format="YYYY-MM-DD",
                                    first_day_of_week=1,
                                ),
                            ],
                            lg=3,
                        ),
                        _choice(t("ui.age_group", lang), ids.AGE, age_options, state.age),
                        _choice(t("ui.sex", lang), ids.SEX, sex_options, state.sex),
                        dbc.Col(
                            dbc.Button(
                                t("ui.settings", lang),
                                id=ids.SETTINGS_TOGGLE,
                                color="secondary",
                                outline=True,
                                className="mt-4 w-100 text-nowrap",
                            ),
                            lg=2,
                        ),
                    ],
                    className="g-3 align-items-start",
                ),
                dbc.Collapse(_settings(state), id=ids.SETTINGS, is_open=False),
                html.Div(
                    min_n_note(state),
                    id=ids.MIN_N_NOTE,
                    role="status",
                    className="cg-min-n-note small mt-2",
                ),
                _period_notice(period_notice(ctx_, state, path), lang),
            ]
        ),
        className="cg-filters mb-3",
    )


def _choice(label: str, id_: str, options: list[dict], value: str | None) -> dbc.Col:
    """A small fixed-choice filter ("all" is the empty value)."""
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_),
            dcc.Dropdown(
                id=id_, options=options, value=value or "", clearable=False, searchable=False
            ),
        ],
        lg=2,
    )


def _settings(state: ViewState) -> dbc.Row:
    lang = state.lang
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("ui.threshold", lang), html_for=ids.THRESHOLD),
                    dcc.Slider(
                        id=ids.THRESHOLD,
                        min=1,
                        max=5,
                        step=1,
                        value=state.threshold,
                        marks={i: str(i) for i in range(1, 6)},
                    ),
                ],
                lg=5,
            ),
            dbc.Col(
                [
                    dbc.Label(t("ui.min_n", lang), html_for=ids.MIN_N),
                    dbc.Input(
                        id=ids.MIN_N,
                        type="number",
                        min=disclosure.floor(),
                        step=1,
                        value=state.min_n,
                        debounce=True,
                    ),
                ],
                lg=3,
            ),
        ],
        className="g-3 mt-2",
    )


def min_n_note(state: ViewState) -> str:
    """What the page says when it was asked for a minimum n below the deployment's floor."""
    if not state.min_n_raised:
        return ""
    return t("ui.min_n_raised", state.lang, k=state.min_n, asked=state.asked_min_n)


def period_notice(ctx_: AppContext, state: ViewState, path: str | None) -> period.Notice | None:
    """The survey-period notice for a view (only views setting survey figures beside delivery
    figures: views.period.PATHS)."""
    if path not in period.PATHS:
        return None
    return period.notice(ctx_.cursor(), state)


def _period_notice(notice: period.Notice | None, lang: str) -> html.Div:
    """The notice's line and its align button (hidden when there is nothing to say)."""
    hidden, text, button_hidden, title = period_notice_parts(notice, lang)
    return html.Div(
        [
            html.Span(text, id=ids.PERIOD_NOTICE_TEXT),
            html.Button(
                t("ui.align_period", lang),
                id=ids.ALIGN_PERIOD,
                type="button",
                n_clicks=0,
                hidden=button_hidden,
                title=title,
                className="btn btn-outline-primary btn-sm text-nowrap",
            ),
        ],
        id=ids.PERIOD_NOTICE,
        role="status",
        hidden=hidden,
        className="cg-period-note small mt-2",
    )


def period_notice_parts(notice: period.Notice | None, lang: str) -> tuple[bool, str, bool, str]:
    """(notice hidden, its text, button hidden, button title): what the notice's callback sets."""
    if notice is None:
        return True, "", True, ""
    if notice.aligned is None:
        return False, notice.message, True, ""
    title = t(
        "ui.align_period_title",
        lang,
        period=period.dates_text(notice.aligned),
        months=period.RECALL_MONTHS,
    )
    return False, notice.message, False, title


def state_from_inputs(
    ctx_: AppContext, search: str | None, values: tuple[object, ...]
) -> ViewState:
    """The state of the URL a page was opened with, under the shared filters' current values."""
    changes = dict(zip(FILTER_KEYS, values, strict=True))
    return from_query(search, ctx_.default_lang).updated(changes)


def current_state(ctx_: AppContext, search: str | None, values: tuple[object, ...]) -> ViewState:
    """The state from the URL the page was opened with, updated by the controls' current values.

    `values` are the filter values in FILTER_INPUTS order, then the list of page-control values
    and the list of page-store data (their keys are read from the callback context).
    """
    changes: dict[str, object] = dict(zip(FILTER_KEYS, values[: len(FILTER_INPUTS)], strict=True))
    for group in ctx.inputs_list[len(FILTER_INPUTS) : len(FILTER_INPUTS) + 2]:
        for item in group:
            changes[item["id"]["key"]] = item.get("value", item.get("data"))
    return from_query(search, ctx_.default_lang).updated(changes)
