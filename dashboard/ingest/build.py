"""Build the store's typed tables from validated staging tables, then the derived tables.

Runs only after every rule has passed, so each cast here is known to succeed. Derived tables make
every dashboard question a join rather than a recursion or a raw scan:
- region_closure: every (ancestor, descendant) pair with levels, itself included;
- delivery_rollup: quantity by region × service × month × recipient age group;
- respondents.age_group and deliveries.age_group: the contract's age bands, computed once;
- respondents' SF-36 domains, QoL total and grade, ADL total and level, scored once at import.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from dashboard.ingest.geo import Boundary
from dashboard.ingest.readers import quote_ident
from dashboard.ingest.rules import Staged
from dashboard.ingest.schema import (
    FALSE_WORDS,
    LEVELS,
    MALE_WORDS,
    TABLES,
    TRUE_WORDS,
    Column,
    Table,
)

AGE_GROUP_SQL = (
    "CASE WHEN {age} IS NULL THEN NULL WHEN {age} < 60 THEN '<60' WHEN {age} < 70 THEN '60-69' "
    "WHEN {age} < 80 THEN '70-79' ELSE '80+' END"
)
LEVEL_RANK_SQL = (
    "CASE level " + " ".join(f"WHEN '{lv}' THEN {i}" for i, lv in enumerate(LEVELS)) + " END"
)


def _words(words: tuple[str, ...]) -> str:
    return ", ".join("'" + w + "'" for w in words)


def typed_expr(col: Column) -> str:
    """Text cell → the stored type (the cell has passed its rule)."""
    c = quote_ident(col.name)
    if col.kind == "int":
        return f"CAST(CAST({c} AS DOUBLE) AS INTEGER)"
    if col.kind == "number":
        return f"CAST({c} AS DOUBLE)"
    if col.kind == "date":
        return f"CAST({c} AS DATE)"
    if col.kind == "bool":
        return (
            f"CASE WHEN lower({c}) IN ({_words(TRUE_WORDS)}) THEN true "
            f"WHEN lower({c}) IN ({_words(FALSE_WORDS)}) THEN false END"
        )
    if col.kind == "sex":
        male = _words(MALE_WORDS)
        return f"CASE WHEN {c} IS NULL THEN NULL WHEN lower({c}) IN ({male}) THEN 'M' ELSE 'F' END"
    if col.kind == "enum":
        return f"lower({c})"
    return c


def _column_list(table: Table, staged: Staged | None) -> list[str]:
    """Contract columns (NULL when absent from the file), then the file's extra columns."""
    # identifying columns (by header in any spelling, or by their values) are never stored
    present = set(staged.columns) - set(staged.identifying) if staged else set()
    exprs = []
    for col in table.columns:
        value = typed_expr(col) if col.name in present else "NULL"
        exprs.append(f"CAST({value} AS {col.sql_type}) AS {quote_ident(col.name)}")
    if staged:
        known = set(table.column_names) | set(staged.identifying)
        exprs += [f"{quote_ident(c)}" for c in staged.columns if c not in known]
    return exprs


def create_typed_tables(con: duckdb.DuckDBPyConnection, staged: dict[str, Staged]) -> None:
    """One typed table per contract table (an absent optional table is created empty)."""
    for table in TABLES:
        s = staged.get(table.name)
        cols = ", ".join(_column_list(table, s))
        source = s.relation if s else "(SELECT 1 WHERE false)"
        order = " ORDER BY _row" if s else ""
        con.execute(f"CREATE TABLE raw_{table.name} AS SELECT {cols} FROM {source}{order}")


def create_store_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The tables the queries read, with defaults applied and derived columns added."""
    con.execute(
        f"""
        CREATE TABLE regions AS
        SELECT *, {LEVEL_RANK_SQL} AS level_rank FROM raw_regions;

        CREATE TABLE services AS
        SELECT * FROM raw_services ORDER BY sort_order NULLS LAST, service_code;

        CREATE TABLE respondents AS
        SELECT * REPLACE (COALESCE(weight, 1.0) AS weight),
               {AGE_GROUP_SQL.format(age="age")} AS age_group
        FROM raw_respondents;

        CREATE TABLE needs AS SELECT * FROM raw_needs ORDER BY respondent_id, service_code;

        CREATE TABLE stations AS SELECT * FROM raw_stations;

        CREATE TABLE deliveries AS
        SELECT * REPLACE (COALESCE(quantity, 1) AS quantity),
               CAST(date_trunc('month', delivered_on) AS DATE) AS month,
               {AGE_GROUP_SQL.format(age="recipient_age")} AS age_group
        FROM raw_deliveries ORDER BY delivered_on;

        CREATE TABLE catchments AS SELECT * FROM raw_catchments;

        CREATE TABLE targets AS
        SELECT * REPLACE (COALESCE(unit, 'services') AS unit) FROM raw_targets;
        """
    )
    for table in TABLES:
        con.execute(f"DROP TABLE raw_{table.name}")


def create_region_closure(con: duckdb.DuckDBPyConnection) -> None:
    """Every ancestor/descendant pair (depth 0 = itself), so a subtree is one equi-join."""
    con.execute(
        """
        CREATE TABLE region_closure AS
        WITH RECURSIVE up(descendant_id, ancestor_id, depth) AS (
            SELECT region_id, region_id, 0 FROM regions
            UNION ALL
            SELECT up.descendant_id, r.parent_id, up.depth + 1
            FROM up JOIN regions r ON r.region_id = up.ancestor_id
            WHERE r.parent_id IS NOT NULL
        )
        SELECT up.ancestor_id, up.descendant_id, a.level AS ancestor_level,
               d.level AS descendant_level, up.depth
        FROM up
        JOIN regions a ON a.region_id = up.ancestor_id
        JOIN regions d ON d.region_id = up.descendant_id
        ORDER BY up.ancestor_id, up.descendant_id
        """
    )


def create_region_depths(con: duckdb.DuckDBPyConnection) -> None:
    """Each region's depth, and the depth of its nearest ancestor that has an elderly population.

    An area's elderly population sums the regions of its subtree that have one unless a region
    above them inside the area has one: with these two depths that is a filter, not a search.
    """
    con.execute(
        """
        CREATE TABLE region_depths AS
        SELECT c.descendant_id AS region_id,
               max(c.depth) AS depth,
               max(CASE WHEN c.depth > 0 AND a.elderly_population IS NOT NULL
                        THEN root.depth - c.depth END) AS elderly_cover_depth
        FROM region_closure c
        JOIN regions a ON a.region_id = c.ancestor_id
        JOIN (SELECT descendant_id, max(depth) AS depth FROM region_closure GROUP BY 1) root
          ON root.descendant_id = c.descendant_id
        GROUP BY c.descendant_id
        ORDER BY region_id
        """
    )


def create_delivery_rollup(con: duckdb.DuckDBPyConnection) -> None:
    """Deliveries summed per region × service × month × age group: what every view reads."""
    con.execute(
        """
        CREATE TABLE delivery_rollup AS
        SELECT region_id, service_code, month, age_group,
               sum(quantity)::BIGINT AS quantity, count(*)::BIGINT AS records
        FROM deliveries
        GROUP BY ALL
        ORDER BY region_id, service_code, month
        """
    )


def create_boundaries(con: duckdb.DuckDBPyConnection, boundaries: list[Boundary]) -> None:
    """Geometry as GeoJSON text with its bounding box, and its simplified copy for maps."""
    arrow = pa.table(
        {
            "region_id": pa.array([b.region_id for b in boundaries], pa.string()),
            "geometry": pa.array([b.geometry for b in boundaries], pa.string()),
            "min_lon": pa.array([b.min_lon for b in boundaries], pa.float64()),
            "min_lat": pa.array([b.min_lat for b in boundaries], pa.float64()),
            "max_lon": pa.array([b.max_lon for b in boundaries], pa.float64()),
            "max_lat": pa.array([b.max_lat for b in boundaries], pa.float64()),
            "geometry_simplified": pa.array(
                [b.geometry_simplified or b.geometry for b in boundaries], pa.string()
            ),
        }
    )
    con.register("boundaries_arrow", arrow)
    con.execute("CREATE TABLE boundaries AS SELECT * FROM boundaries_arrow ORDER BY region_id")
    con.unregister("boundaries_arrow")


#: Columns scoring adds to `respondents`, with their stored types (NULL when items are absent).
SCORE_COLUMNS: tuple[tuple[str, str], ...] = (
    *((d, "DOUBLE") for d in ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh")),
    ("qol_total", "DOUBLE"),
    ("qol_grade", "VARCHAR"),
    ("adl_total", "INTEGER"),
    ("adl_level", "VARCHAR"),
)


def _score_frame(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The SF-36 and ADL scores of every respondent, in table order (``_pos`` = its rowid).

    Uses the array-level core of :mod:`dashboard.stats.scoring` (the same steps as `score_sf36`
    and `score_adl`, without building an item frame) so that a million respondents take seconds.
    """
    import numpy as np

    from dashboard.stats import scoring

    names = scoring.SF36_ITEMS + scoring.ADL_ITEMS
    items = ", ".join(f"CAST({quote_ident(c)} AS DOUBLE) AS {c}" for c in names)
    raw = con.execute(f"SELECT rowid AS _pos, {items} FROM respondents ORDER BY rowid").fetchnumpy()

    def matrix(columns: tuple[str, ...]) -> np.ndarray:
        out = np.empty((len(raw["_pos"]), len(columns)))
        for k, c in enumerate(columns):
            out[:, k] = np.ma.filled(np.ma.asarray(raw[c], dtype=float), np.nan)
        return out

    scales = scoring.sf36_raw_scales(matrix(scoring.SF36_ITEMS))
    total = np.round(scales.sum(axis=1), 9)  # as score_sf36: NaN when any domain is missing
    adl = scoring.adl_totals(matrix(scoring.ADL_ITEMS))
    columns: dict[str, pa.Array] = {"_pos": pa.array(np.asarray(raw["_pos"]), pa.int64())}
    for k, d in enumerate(scoring.DOMAINS):
        value = (scales[:, k] - scoring.DOMAIN_MIN[d]) / scoring.DOMAIN_RANGE[d] * 100.0
        columns[d] = pa.array(value, pa.float64(), from_pandas=True)
    columns["qol_total"] = pa.array(total, pa.float64(), from_pandas=True)
    columns["qol_grade"] = pa.array(scoring.qol_grade_of(total), pa.string())
    columns["adl_total"] = pa.array(adl, pa.float64(), from_pandas=True).cast(pa.int32())
    columns["adl_level"] = pa.array(scoring.adl_level_of(adl), pa.string())
    return pa.table(columns)


def add_scores(con: duckdb.DuckDBPyConnection) -> None:
    """Add the SF-36 domains (0–100), QoL total and grade, ADL total and level to `respondents`.

    Scored with :mod:`dashboard.stats.scoring` when any respondent has SF-36 or ADL answers; the
    columns exist (NULL) when none has. A column of the same name brought by the file is replaced.
    Row order is kept.
    """
    from dashboard.stats.scoring import ADL_ITEMS, SF36_ITEMS

    present = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'respondents'"
        ).fetchall()
    }
    items = [c for c in SF36_ITEMS + ADL_ITEMS if c in present]
    answered = (
        con.execute(
            "SELECT count(*) FROM respondents WHERE "
            + " OR ".join(f"{quote_ident(c)} IS NOT NULL" for c in items)
        ).fetchall()[0][0]
        if items
        else 0
    )
    clash = [name for name, _ in SCORE_COLUMNS if name in present]
    keep = f"r.* EXCLUDE ({', '.join(quote_ident(c) for c in clash)})" if clash else "r.*"
    if not answered or len(items) < len(SF36_ITEMS + ADL_ITEMS):
        # the typed table always has every contract column; without answers there is no score
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {n}" for n, t in SCORE_COLUMNS)
        con.execute(
            f"CREATE TABLE respondents_scored AS SELECT {keep}, {nulls} "
            "FROM respondents r ORDER BY r.rowid"
        )
        _swap_respondents(con)
        return
    scores = _score_frame(con)
    con.register("respondent_scores_arrow", scores)
    try:
        con.execute(
            f"CREATE TABLE respondents_scored AS SELECT {keep}, s.* EXCLUDE (_pos) "
            "FROM respondents r JOIN respondent_scores_arrow s ON s._pos = r.rowid "
            "ORDER BY r.rowid"
        )
    finally:
        con.unregister("respondent_scores_arrow")
    _swap_respondents(con)


def _swap_respondents(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE respondents")
    con.execute("ALTER TABLE respondents_scored RENAME TO respondents")
