"""The filter bar every view shares (area, delivery period, age group, sex; under Settings the
need threshold and the minimum n), and reading a view's state from its controls.

Pages import this module for their callbacks' inputs; the shell places the bar above each page.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, ctx, dcc, html

from dashboard import cache, data, disclosure
from dashboard.app import ids
from dashboard.app.components.widgets import dropdown_labels, month_format
from dashboard.app.context import AppContext
from dashboard.i18n import t
from dashboard.ingest.schema import AGE_GROUPS
from dashboard.sql import CachedCursor
from dashboard.views import areas, period
from dashboard.views.areas import EM_SPACE
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


#: The area list's height in px: ~14 rows of ~1,000 areas to browse, not 4.
AREA_LIST_HEIGHT = 460
#: The id of each period preset's menu item (its first and last day in the id).
PRESET = "period-preset"


def preset_id(start: str, end: str) -> dict[str, str]:
    return {"role": PRESET, "start": start, "end": end}


def area_option(option: dict) -> dict:
    """An area list option whose depth is drawn as a left indent by CSS (cg-depth-N) instead of
    leading EM spaces: the list keeps the tree's shape, and the chosen value shows the bare name
    (a scoped name is not pushed out of the box by its indent). Searching reads `search`."""
    label = str(option["label"])
    name = label.lstrip(EM_SPACE)
    depth = len(label) - len(name)
    return {
        "label": html.Span(name, className=f"cg-area-option cg-depth-{depth}"),
        "value": option["value"],
        "search": name,
    }


@cache.per_dataset(maxsize=16)
def _listed_choices(con: CachedCursor, lang: str) -> tuple[dict, ...]:
    """The area list's options as the dropdown draws them, built once per dataset version
    (they are most of a route's work and of its answer)."""
    return tuple(area_option(o) for o in areas.area_list(con, lang).options)


def region_options(con: CachedCursor, selected: str | None, lang: str) -> list[dict]:
    """The area dropdown's options with `selected` among them whatever its level."""
    return areas.area_list(con, lang).including(
        _listed_choices(con, lang),
        selected,
        lambda: area_option(areas.selected_option(con, str(selected), lang)),
    )


def filter_bar(ctx_: AppContext, state: ViewState, path: str | None = None) -> dbc.Card:
    """The bar as the page at `path` opens with `state` (sticky at the top of the window: it is
    a direct child of the page's container, so it stays in view down the whole page)."""
    con = ctx_.cursor()
    first, last = data.delivery_period(con)
    lang = state.lang
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
                                    options=region_options(con, state.region, lang),
                                    value=state.region or root,
                                    clearable=False,
                                    searchable=True,
                                    maxHeight=AREA_LIST_HEIGHT,
                                    search_order="original",
                                    labels=dropdown_labels(lang),
                                    className="cg-area-picker",
                                ),
                            ],
                            lg=3,
                        ),
                        dbc.Col(
                            [
                                html.Div(
                                    [
                                        dbc.Label(t("ui.period", lang), html_for=ids.PERIOD),
                                        _presets(ctx_, lang),
                                    ],
                                    className="cg-period-head",
                                ),
                                dcc.DatePickerRange(
                                    id=ids.PERIOD,
                                    min_date_allowed=first,
                                    max_date_allowed=last,
                                    start_date=state.start or first,
                                    end_date=state.end or last,
                                    display_format="YYYY-MM-DD",
                                    month_format=month_format(lang),
                                    first_day_of_week=1,
                                ),
                            ],
                            lg=3,
                        ),
                        _choice(t("ui.age_group", lang), ids.AGE, age_options, state.age, lang),
                        _choice(t("ui.sex", lang), ids.SEX, sex_options, state.sex, lang),
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


def input_notice(notes: list[str]) -> html.Div:
    """What the link asked for that the page does not show, and what it shows instead: one
    line each (views.inputs), under the filter bar; nothing when the link was fine."""
    return html.Div(
        [html.P(note, className="mb-0") for note in notes],
        id=INPUT_NOTICE,
        role="status",
        hidden=not notes,
        className="cg-input-note small mb-3",
    )


#: The id of the line(s) saying what of the link is not shown.
INPUT_NOTICE = "filter-input-notice"


def _presets(ctx_: AppContext, lang: str) -> dbc.DropdownMenu:
    """Ready-made periods (views.period.presets: from the data's own dates), one click each."""
    con = ctx_.cursor()
    items = [
        dbc.DropdownMenuItem(
            [p.label, html.Span(period.dates_text(p.period), className="cg-preset-dates")],
            id=preset_id(p.period[0].isoformat(), p.period[1].isoformat()),
            n_clicks=0,
        )
        for p in period.presets(data.delivery_period(con), data.survey_period(con), lang)
    ]
    return dbc.DropdownMenu(
        items,
        label=t("ui.preset_label", lang),
        size="sm",
        color="link",
        align_end=True,
        className="cg-presets",
        toggle_class_name="p-0 cg-presets-toggle",
    )


def _choice(label: str, id_: str, options: list[dict], value: str | None, lang: str) -> dbc.Col:
    """A small fixed-choice filter ("all" is the empty value)."""
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_),
            dcc.Dropdown(
                id=id_,
                options=options,
                value=value or "",
                clearable=False,
                searchable=False,
                labels=dropdown_labels(lang),
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
