"""The words every view hands its figure builders: axis and legend labels, service and category
names. Written once, so a dumbbell reads the same on the overview, the map and a slide."""

from __future__ import annotations

import duckdb

from dashboard import data
from dashboard.app.i18n import category_name, t

#: Figure-builder label → catalogue key. Builders read the keys they need and ignore the rest.
FIGURE_LABELS = {
    "need": "demand_rate",
    "received": "received_rate",
    "gap": "gap_pp",
    "suppressed": "suppressed",
    "pp": "pp",
    "need_mix": "need_mix",
    "delivery_mix": "delivery_mix",
    "deliveries": "provision_count",
    "mean_score": "mean_score",
    "share": "share_weighted",
}


def figure_labels(lang: str) -> dict[str, str]:
    """The labels the shared figure builders take, in `lang`."""
    return {label: t(key, lang) for label, key in FIGURE_LABELS.items()}


def service_names(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    return data.service_names(con, lang)


def category_names(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    return {c: category_name(c, lang) for c in data.categories(con)}


def item_names(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    """Names of services and categories alike (a download's item_name column, a map's item)."""
    return {**category_names(con, lang), **service_names(con, lang)}


def item_name(con: duckdb.DuckDBPyConnection, item: str, by: str, lang: str) -> str:
    """A service's or a category's name (`by` says which `item` is)."""
    if by == "category":
        return category_name(item, lang)
    return service_names(con, lang).get(item, item)
