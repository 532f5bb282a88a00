"""Stations (/stations): a station's catchment — what it delivered month by month, its
delivered mix beside its residents' needs, year to date against its targets, people served —
and every station of the area ranked by a chosen measure, for a planner comparing them."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import data
from dashboard.views import areas
from dashboard.views.state import ViewState

PATH = "/stations"


def station_list(con: duckdb.DuckDBPyConnection, state: ViewState) -> pd.DataFrame:
    """The stations inside the area filter (data.stations), with where to draw each."""
    area = areas.selected(con, state.region, state.lang)
    return data.stations(con, area.region_id)


def station_label(row: pd.Series | object, lang: str) -> str:
    """A station's name as shown (its id where it has none)."""
    get = row.get if isinstance(row, pd.Series) else lambda key: getattr(row, key, None)
    name = get("name")
    return str(name) if isinstance(name, str) and name else str(get("station_id"))


def station_options(con: duckdb.DuckDBPyConnection, state: ViewState) -> list[dict[str, str]]:
    """The station picker's options: the name shown, searchable by name, id and region."""
    frame = station_list(con, state)
    return [
        {
            "label": station_label(row, state.lang),
            "value": str(row.station_id),
            "search": " ".join(
                str(part)
                for part in (row.name, row.station_id, row.region_name, row.region_name_en)
                if isinstance(part, str)
            ),
        }
        for row in frame.itertuples()
    ]
