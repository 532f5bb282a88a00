"""Names from the data every view hands its figure builders: services, categories, items (the
builders' own words are dashboard.i18n.figure_labels)."""

from __future__ import annotations

import duckdb

from dashboard import data
from dashboard.i18n import category_name


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
