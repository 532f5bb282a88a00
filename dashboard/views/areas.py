"""Which area a view is about, and what to call it: one reading of the region tree for all views.

The area filter may name any region (or nothing: the whole dataset); a URL can also name one that
does not exist (hand-edited, or from another dataset), which falls back to the whole dataset
rather than breaking the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import data, scope
from dashboard.i18n import t


@dataclass(frozen=True)
class Area:
    """A region a view shows: its id, its name in the view's language and its level."""

    region_id: str
    name: str
    level: str


def display_name(name: object, name_en: object, lang: str) -> str:
    """A name from the data in the chosen language, falling back to the other."""
    return str(name_en if lang == "en" and isinstance(name_en, str) and name_en else name)


def row_name(row: pd.Series | object, lang: str) -> str:
    """The display name of a frame row or tuple with region_name / region_name_en."""
    get = row.get if isinstance(row, pd.Series) else lambda key: getattr(row, key, None)
    return display_name(get("region_name"), get("region_name_en"), lang)


def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The region tree indexed by region_id (tree order, with depth, level and district)."""
    return data.region_tree(con).set_index("region_id", drop=False)


def selected(con: duckdb.DuckDBPyConnection, region: str | None, lang: str) -> Area:
    """The area `region` names, the whole dataset when it names none (or an unknown one)."""
    tree = regions(con)
    row = tree.loc[region] if region in tree.index else tree.iloc[0]
    return Area(
        str(row["region_id"]), display_name(row["name"], row["name_en"], lang), row["level"]
    )


def name_of(con: duckdb.DuckDBPyConnection, region: str, lang: str) -> str:
    """The display name of a region known to be in the tree."""
    row = regions(con).loc[region]
    return display_name(row["name"], row["name_en"], lang)


def district_of(con: duckdb.DuckDBPyConnection, region: str | None) -> str | None:
    """The district a region lies in (itself for a district); None for the city or unknown ids."""
    tree = regions(con)
    if not region or region not in tree.index:
        return None
    district = tree.loc[region, "district_id"]
    return district if isinstance(district, str) else None


def is_district(con: duckdb.DuckDBPyConnection, region: object) -> bool:
    tree = regions(con)
    return (
        isinstance(region, str) and region in tree.index and tree.loc[region, "level"] == "district"
    )


#: At most this many regions in the area list: it is sent with every view and drawn by the browser.
MAX_LISTED_REGIONS = 1500
EM_SPACE = "\u2003"


def listed_levels(tree: pd.DataFrame) -> set[str]:
    """The levels the area list shows: from the top down, while the list stays short.

    A province has tens of thousands of grids; its list stops at the deepest level that keeps it
    under MAX_LISTED_REGIONS (the city and its districts always; a grid is reached on the map).
    """
    counts = tree.groupby("level", sort=False).size()
    order = tree.drop_duplicates("level").sort_values("depth")["level"]
    shown: set[str] = set()
    total = 0
    for level in order:
        total += int(counts[level])
        if shown and total > MAX_LISTED_REGIONS and level not in ("city", "district"):
            break
        shown.add(level)
    return shown


def region_label(row: object, lang: str) -> str:
    """A region in the area list: indented by depth, with its level — unless its name already
    says it ("长治市", not "长治市 · 市"; "Huguan S1-C1 Grid 3", not "… Grid 3 · grid")."""
    name = display_name(row.name, row.name_en, lang)  # type: ignore[attr-defined]
    indent = EM_SPACE * int(row.depth)  # type: ignore[attr-defined]
    level = t("ui.level_" + row.level, lang)  # type: ignore[attr-defined]
    if level.casefold() in name.casefold():
        return f"{indent}{name}"
    return f"{indent}{name} · {level}"


def area_options(con: duckdb.DuckDBPyConnection, selected_id: str | None, lang: str) -> list[dict]:
    """The area filter's options: the listed levels, and the selected region whatever its level
    — of the regions the caller may be shown (dashboard.scope)."""
    tree = scope.rows(con, data.region_tree(con))
    shown = listed_levels(tree) if len(tree) else set()
    return [
        {"label": region_label(r, lang), "value": r.region_id}
        for r in tree.itertuples()
        if r.level in shown or r.region_id == selected_id
    ]
