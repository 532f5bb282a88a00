"""Which area a view is about, and what to call it: one reading of the region tree for all views.

The area filter may name any region (or nothing: the whole dataset); a URL can also name one that
does not exist (hand-edited, or from another dataset), which falls back to the whole dataset
rather than breaking the page.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import duckdb
import pandas as pd

from dashboard import cache, data, scope
from dashboard.i18n import t

T = TypeVar("T")


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


@dataclass(frozen=True)
class AreaList:
    """The area filter's list for one caller and language, built once per dataset version.

    `options` are the listed levels' regions (label, value) in tree order; a region of a deeper
    level is listed only while it is the selected one, at its place in the tree (`place`).
    """

    options: tuple[dict, ...]
    listed_at: tuple[int, ...]  # the tree position of each option
    position: dict[str, int]  # every region's tree position (of those the caller may see)

    def place(self, region: str | None) -> int | None:
        """Where `region` goes in `options` when it is selected but not listed (None: it is
        listed already, or not a region the caller may see)."""
        at = self.position.get(region) if region else None
        if at is None:
            return None
        index = bisect.bisect_left(self.listed_at, at)
        listed = index < len(self.listed_at) and self.listed_at[index] == at
        return None if listed else index

    def including(self, items: Sequence[T], region: str | None, extra: Callable[[], T]) -> list[T]:
        """`items` (one per option) with `extra()`, the selected region's, at its place when
        the list does not show it."""
        out = list(items)
        at = self.place(region)
        if at is not None:
            out.insert(at, extra())
        return out


@cache.per_dataset(maxsize=16)
def area_list(con: duckdb.DuckDBPyConnection, lang: str) -> AreaList:
    """The list every route sends, of the regions the caller may be shown (dashboard.scope;
    cached: at a province's ~1,500 listed areas, building it was most of a route's time)."""
    tree = scope.rows(con, data.region_tree(con))
    shown = listed_levels(tree) if len(tree) else set()
    ids = tree["region_id"].tolist()
    listed = [i for i, level in enumerate(tree["level"].tolist()) if level in shown]
    rows = list(tree.iloc[listed].itertuples()) if listed else []
    return AreaList(
        options=tuple({"label": region_label(r, lang), "value": r.region_id} for r in rows),
        listed_at=tuple(listed),
        position={region: i for i, region in enumerate(ids)},
    )


def selected_option(con: duckdb.DuckDBPyConnection, region: str, lang: str) -> dict:
    """The option of a region the list shows only while it is selected."""
    tree = regions(con)
    row = next(tree.loc[[region]].itertuples())
    return {"label": region_label(row, lang), "value": region}
