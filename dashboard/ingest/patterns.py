"""The disclosure pattern of the whole dataset, computed once at import (issue 15).

Every survey figure is looked up in the pattern of publishable cells (dashboard.disclosure,
`pattern`) before it leaves the server. The pattern depends only on the dataset, the floor k and
the covariate a breakdown is by; computed per server process on first use, the first person to
open a view after a restart would wait for it (100,000 respondents: ~0.6 s without a covariate,
~1.6 s with one, on two cores; ten times that at a million). The import computes it at the
deployment's floor (k from $CAREGAP_MIN_N, as `caregap serve` reads it) for no covariate and
each recorded one, and stores it: `pattern_cells` lists each pattern's cells in order,
`pattern_open` holds, per base, which of them are open as packed bits. A server whose k differs
(or a viewer who raises it) computes that pattern as before, once per process.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from dashboard import disclosure, sql
from dashboard.ingest.schema import GROUP_COLUMNS, SLICE_DIMENSIONS

#: The covariates that have a pattern of their own (age group and sex are cells of every one).
COVARIATES = tuple(c for c in GROUP_COLUMNS if c not in SLICE_DIMENSIONS)


def create_disclosure_patterns(con: duckdb.DuckDBPyConnection, k: int) -> None:
    """Store the patterns at floor `k` for no covariate ("") and each recorded covariate."""
    con.execute(
        "CREATE TABLE pattern_cells (k INTEGER, grp VARCHAR, i INTEGER, region_id VARCHAR, "
        "age_group VARCHAR, sex VARCHAR, group_value VARCHAR)"
    )
    con.execute(
        "CREATE TABLE pattern_open (k INTEGER, grp VARCHAR, b INTEGER, base VARCHAR, bits BLOB)"
    )
    recorded = sql.run(con, "group_coverage").iloc[0]
    parents = sql.run(con, "region_parents")
    for group in ["", *(c for c in COVARIATES if int(recorded[c]) > 0)]:
        atoms = sql.run(con, "disclosure_atoms", {"group": group or None}, cached=False)
        _store(con, k, group, disclosure.pattern(atoms, parents, k))


def _store(con: duckdb.DuckDBPyConnection, k: int, group: str, pattern: disclosure.Pattern) -> None:
    keys = sorted(pattern.cells.items(), key=lambda item: item[1])
    cells = pd.DataFrame(
        {
            "k": k,
            "grp": group,
            "i": [i for _, i in keys],
            "region_id": [key[0] for key, _ in keys],
            "age_group": [key[2] for key, _ in keys],
            "sex": [key[3] for key, _ in keys],
            "group_value": [key[4] for key, _ in keys],
        }
    )
    con.register("pattern_cells_frame", cells)
    con.execute("INSERT INTO pattern_cells SELECT * FROM pattern_cells_frame")
    con.unregister("pattern_cells_frame")
    rows = [
        (k, group, b, base, np.packbits(pattern.open[:, b]).tobytes())
        for base, b in sorted(pattern.bases.items(), key=lambda item: item[1])
    ]
    con.executemany("INSERT INTO pattern_open VALUES (?, ?, ?, ?, ?)", rows)


def unpack(cells: pd.DataFrame, bases: pd.DataFrame) -> disclosure.Pattern:
    """A stored pattern back (the rows of queries/pattern_cells.sql and pattern_open.sql)."""
    region, age, sex, value = (
        cells[c].to_numpy(dtype=object) for c in ("region_id", "age_group", "sex", "group_value")
    )
    keys = zip(region, [False] * len(cells), age, sex, value, strict=True)  # own: never stored
    index = {key: i for i, key in enumerate(keys)}
    n = len(index)
    open_ = np.ones((n, len(bases)), dtype=bool)
    for b, bits in enumerate(bases["bits"]):
        open_[:, b] = np.unpackbits(np.frombuffer(bytes(bits), dtype=np.uint8), count=n)
    return disclosure.Pattern(
        cells=index, bases={str(base): b for b, base in enumerate(bases["base"])}, open=open_
    )
