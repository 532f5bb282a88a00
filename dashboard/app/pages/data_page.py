"""Data (/data): what is loaded — versions, counts, periods, regions, source files, the data
dictionary and the import history. It reads the store's metadata, not the filters."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, html

from dashboard import data, disclosure
from dashboard.app.context import AppContext
from dashboard.i18n import column_description, t
from dashboard.i18n.numbers import count
from dashboard.ingest.schema import TABLES
from dashboard.views import access
from dashboard.views.state import ViewState

PATH = "/data"


def _table(header: list[str] | None, rows: list[list[object]], small: bool = True) -> dbc.Table:
    head = [html.Thead(html.Tr([html.Th(h) for h in header]))] if header else []
    return dbc.Table(
        [*head, html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows])],
        striped=True,
        size="sm" if small else None,
        className="cg-table",
        responsive=True,
    )


def _section(title: str, body: object) -> dbc.Card:
    return dbc.Card(
        [dbc.CardHeader(html.H2(title, className="h5 mb-0")), dbc.CardBody(body)], className="mb-3"
    )


def _history_rows(history: pd.DataFrame) -> list[list[object]]:
    return [
        [
            str(r["imported_at"])[:19],
            r["source_folder"],
            r["contract_version"],
            count(r.get("respondents_rows")),
            count(r.get("deliveries_rows")),
        ]
        for _, r in history.iterrows()
    ]


def layout(ctx: AppContext, state: ViewState) -> html.Div:
    lang = state.lang
    con = ctx.cursor()
    meta = data.dataset_meta(con)
    counts = data.table_counts(con)
    survey = data.survey_period(con)
    deliveries = data.delivery_period(con)
    levels = data.regions_by_level(con)
    files = data.source_files(con)
    history = data.import_history(con)
    summary = _table(
        [t("ui.table", lang), t("ui.rows", lang)],
        [
            [name, count(counts[name])]
            for name in (
                "regions",
                "services",
                "respondents",
                "needs",
                "stations",
                "catchments",
                "targets",
                "deliveries",
                "boundaries",
            )
        ],
    )
    facts = _table(
        None,
        [
            [t("ui.contract_version", lang), meta.get("contract_version", "—")],
            [t("ui.imported_at", lang), meta.get("imported_at", "—")],
            [t("ui.source_folder", lang), meta.get("source_folder", "—")],
            [t("ui.survey", lang), f"{survey[0] or '—'} – {survey[1] or '—'}"],
            [t("ui.deliveries", lang), f"{deliveries[0] or '—'} – {deliveries[1] or '—'}"],
            [t("ui.floor_row", lang), count(disclosure.floor())],
        ],
    )
    level_rows = [
        [
            t("ui.level_" + r.level, lang),
            count(r.regions),
            count(r.with_boundary),
            count(r.with_respondents),
        ]
        for r in levels.itertuples()
    ]
    file_rows = [
        [
            r.table_name,
            r.file_name,
            r.format,
            r.encoding if isinstance(r.encoding, str) else "—",
            count(r.size_bytes),
            count(r.rows),
            r.sha256[:12],
        ]
        for r in files.itertuples()
    ]
    dictionary = [
        html.Div(
            [
                html.H3(table.name, className="h6 mt-3"),
                _table(
                    [
                        t("ui.column", lang),
                        t("ui.kind", lang),
                        t("ui.required", lang),
                        t("ui.description", lang),
                    ],
                    [
                        [
                            html.Code(c.name),
                            c.kind,
                            t("ui.yes", lang) if c.required else "",
                            column_description(c.name, c.description, lang),
                        ]
                        for c in table.columns
                        if not (
                            c.name.startswith(("adl_", "sf36_"))
                            and c.name not in ("adl_01", "sf36_01")
                        )
                    ],
                ),
            ]
        )
        for table in TABLES
    ]
    return html.Div(
        [
            html.H1(t("ui.data_title", lang), className="h3 mb-3"),
            dbc.Row(
                [
                    dbc.Col(_section(t("ui.dataset", lang), facts), lg=6),
                    dbc.Col(_section(t("ui.rows_per_table", lang), summary), lg=6),
                ]
            ),
            _section(
                t("ui.regions_by_level", lang),
                _table(
                    [
                        t("ui.level", lang),
                        t("ui.rows", lang),
                        t("ui.with_boundary", lang),
                        t("ui.with_respondents", lang),
                    ],
                    level_rows,
                ),
            ),
            _section(
                t("ui.source_files", lang),
                _table(
                    [
                        t("ui.table", lang),
                        t("ui.file", lang),
                        t("ui.format", lang),
                        t("ui.encoding", lang),
                        t("ui.size", lang),
                        t("ui.rows", lang),
                        "SHA-256",
                    ],
                    file_rows,
                ),
            ),
            _section(
                t("ui.history", lang),
                _table(
                    [
                        t("ui.imported_at", lang),
                        t("ui.source_folder", lang),
                        t("ui.contract_version", lang),
                        t("ui.card_respondents", lang),
                        t("ui.deliveries", lang),
                    ],
                    _history_rows(history),
                ),
            ),
            _section(
                t("ui.dictionary", lang), [html.P(t("ui.data_dictionary_note", lang)), *dictionary]
            ),
            *_audit(ctx, con, lang),
        ]
    )


#: Entries of the audit log the page shows (all of them: `caregap users audit`).
AUDIT_ROWS = 200


def _audit(ctx: AppContext, con: object, lang: str) -> list[dbc.Card]:
    """The latest entries of the audit log, for admins only."""
    if ctx.auth is None or not access.reads_audit(con):
        return []
    entries = ctx.auth.accounts.audit(limit=AUDIT_ROWS)
    keys = ("at", "user", "role", "action", "target", "area")
    body: object = (
        _table(
            [t(f"access.audit_{k}", lang) for k in keys], [[e[k] for k in keys] for e in entries]
        )
        if entries
        else html.P(t("access.audit_empty", lang), className="text-muted")
    )
    title = t("access.audit_title", lang, n=AUDIT_ROWS)
    return [_section(title, [html.P(t("access.audit_caption", lang)), body])]


def register(app: Dash, ctx: AppContext) -> None:
    """The data page has no callbacks: it is rendered whole from the store's metadata."""
