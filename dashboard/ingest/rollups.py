"""Per-area rollups, built once at import, so that no click reads the raw survey or deliveries.

Every view asks for figures of the areas at one level inside one subtree. These tables hold the
answers already summed per area (every region, through region_closure, at every level), so a
query sums a few thousand cells instead of joining millions of respondents and answers:

- region_order: each region's pre-order number and the last number in its subtree, so "areas
  inside W" is a range; every rollup is sorted by (area_level, area_pre) and DuckDB's zone maps
  skip the rest of the table;
- survey_cells: answers per area × service × age group × sex, with their counts and weight sums
  at every need threshold (a list per sum, indexed by the threshold: DuckDB lists are 1-based, as
  T = 1..5, so a query reads `dw[$threshold]` and the cells stay few); group_name '' is
  every respondent, other group_names (the covariates of GROUP_COLUMNS) repeat the cells per
  covariate value at the levels in GROUP_LEVELS;
- category_people: respondents per area × category × age × sex (× group) × whether any of the
  category's answers has `received` × the highest need among those answers: the person counts
  of category figures (n, received_n, unmet_n at any threshold);
- survey_psu_cells: survey_cells split by stratum and PSU, with sums of w², for the variance;
  respondents who are their own PSU (no psu, or a single-PSU stratum) share psu_key NULL;
- survey_strata / survey_design: the design's strata and whether any respondent is its own PSU;
- provision_cells: delivered quantity per area × service × month × recipient age group;
- catchment_regions: every region of each station's catchment (the `catchments` table resolved:
  each listed region with its subtree, the most specific listing winning; a station with no row
  there has its own region's subtree);
- station rows (area_level 'station', area_id the station_id, area_pre its region's) in
  survey_cells, category_people, survey_psu_cells (the answers of the catchment's respondents,
  no group breakdowns) and provision_cells (the station's own deliveries, by
  deliveries.station_id), so a station is an area like any other to the queries;
- station_elderly: each catchment's residents aged 60+ (no double counting; a region the
  catchment splits counts through its parts);
- station_recipients: distinct recipients per station × service × calendar year × the month
  of their first delivery in that year, for all ages and per recipient age group;
- respondent_flags: per respondent, how many services they answered, need (at every threshold,
  a list indexed by it) and received, and which (a bit per service): the inputs of the study's
  T1/T4/T5.

The queries keep joining the exact area set, so these pruning ranges are only a speed-up.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

#: The contract's need scale (Likert 1–5): every threshold a user can choose.
THRESHOLDS = (1, 2, 3, 4, 5)

#: The sums that depend on the threshold (see _answer_sums): stored as one list per sum.
THRESHOLD_SUMS = ("dw", "un", "uxw", "yn", "uyw")
_PER_THRESHOLD = re.compile(rf"(?P<stem>{'|'.join(THRESHOLD_SUMS)})(?P<t>[1-5])(?P<sq>_sq)?")

#: Levels whose areas carry group breakdowns (city and district: the areas the groups view is
#: usually asked about; smaller areas are answered from the respondents directly).
GROUP_LEVELS = ("city", "district")

#: Covariates that groups break figures down by, as text (the same list as schema.GROUP_COLUMNS).
GROUP_SQL = {
    "age_group": "age_group",
    "sex": "sex",
    "adl_level": "adl_level",
    "qol_grade": "qol_grade",
    "education": "education",
    "income_band": "income_band",
    "payment_form": "payment_form",
    "living_arrangement": "living_arrangement",
    "occupation": "occupation",
    "has_spouse": "CAST(has_spouse AS VARCHAR)",
    "chronic_disease": "CAST(chronic_disease AS VARCHAR)",
    "psych_problem": "CAST(psych_problem AS VARCHAR)",
}


def create_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Build every rollup (after the typed tables, scores and region_closure exist)."""
    create_region_order(con)
    create_catchment_regions(con)
    create_survey_design(con)
    _create_leaf_answers(con)
    create_survey_cells(con)
    create_category_people(con)
    create_survey_psu_cells(con)
    create_provision_cells(con)
    create_station_tables(con)
    create_respondent_flags(con)
    con.execute("DROP VIEW leaf_answers")


def _preorder(parents: dict[str, str | None]) -> dict[str, tuple[int, int]]:
    """(pre, post) per region: its depth-first number and the largest number in its subtree."""
    children: dict[str | None, list[str]] = {}
    for region, parent in sorted(parents.items()):
        children.setdefault(parent, []).append(region)
    order: dict[str, tuple[int, int]] = {}
    counter = 0
    stack: list[tuple[str, bool]] = [(root, False) for root in reversed(children.get(None, []))]
    while stack:
        region, done = stack.pop()
        if done:
            order[region] = (order[region][0], counter - 1)
            continue
        order[region] = (counter, counter)
        counter += 1
        stack.append((region, True))
        stack.extend((child, False) for child in reversed(children.get(region, [])))
    return order


def create_region_order(con: duckdb.DuckDBPyConnection) -> None:
    """region_order(region_id, level, pre, post): a subtree is the range pre..post."""
    rows = con.execute("SELECT region_id, parent_id, level FROM regions").fetchall()
    order = _preorder({region: parent for region, parent, _ in rows})
    levels = {region: level for region, _, level in rows}
    ids = sorted(order, key=lambda region: order[region][0])
    table = pa.table(
        {
            "region_id": ids,
            "level": [levels[r] for r in ids],
            "pre": pa.array([order[r][0] for r in ids], pa.int32()),
            "post": pa.array([order[r][1] for r in ids], pa.int32()),
        }
    )
    con.register("region_order_arrow", table)
    con.execute("CREATE TABLE region_order AS SELECT * FROM region_order_arrow")
    con.unregister("region_order_arrow")


def create_survey_design(con: duckdb.DuckDBPyConnection) -> None:
    """The design of the whole dataset: strata with their PSU counts, and the design flags.

    A stratum's PSUs count each respondent without a psu as a PSU of its own ('' is the
    stratum of respondents without one); a stratum with a single PSU takes it with certainty,
    its respondents becoming the PSUs (see queries/gap_variance_people.sql).
    """
    con.execute(
        """
        CREATE TABLE survey_strata AS
        SELECT COALESCE(stratum, '') AS stratum_key,
               count(DISTINCT psu) + count(*) FILTER (WHERE psu IS NULL) AS psus,
               count(*) AS respondents
        FROM respondents
        GROUP BY stratum_key
        ORDER BY stratum_key;

        CREATE TABLE survey_design AS
        SELECT COALESCE(bool_or(p.stratum IS NOT NULL OR p.psu IS NOT NULL), false) AS has_design,
               count(*) FILTER (WHERE s.psus = 1 OR p.psu IS NULL) AS unit_respondents
        FROM respondents p
        JOIN survey_strata s ON s.stratum_key = COALESCE(p.stratum, '');
        """
    )


def _create_leaf_answers(con: duckdb.DuckDBPyConnection) -> None:
    """Every answer with its respondent's region, slice keys and design keys."""
    con.execute(
        """
        CREATE TEMP VIEW leaf_answers AS
        SELECT p.region_id, p.respondent_id, p.weight AS w, p.age_group, p.sex,
               s.stratum_key, CASE WHEN s.psus > 1 THEN p.psu END AS psu_key,
               n.service_code, v.category, n.need, n.received
        FROM respondents p
        JOIN survey_strata s ON s.stratum_key = COALESCE(p.stratum, '')
        JOIN needs n ON n.respondent_id = p.respondent_id AND n.need IS NOT NULL
        JOIN services v ON v.service_code = n.service_code
        """
    )


def _group_values() -> str:
    """SELECT of (respondent_id, group_name, group_value) for every covariate, nulls kept."""
    parts = [
        f"SELECT respondent_id, '{name}' AS group_name, {expr} AS group_value FROM respondents"
        for name, expr in GROUP_SQL.items()
    ]
    return " UNION ALL ".join(parts)


#: Where a leaf cell's sums go: every region above it (itself included), and every station whose
#: catchment holds its region. takes_groups: group rows reach only the areas at GROUP_LEVELS.
_AREA_MAP = """
    SELECT c.descendant_id AS region_id, o.level AS area_level, o.pre AS area_pre,
           o.region_id AS area_id, o.level IN ({levels}) AS takes_groups
    FROM region_closure c JOIN region_order o ON o.region_id = c.ancestor_id
"""
_CATCHMENT_MAP = """
    UNION ALL
    SELECT m.region_id, 'station', o.pre, m.station_id, false
    FROM catchment_regions m
    JOIN stations s ON s.station_id = m.station_id
    JOIN region_order o ON o.region_id = s.region_id
"""


def _roll_up(
    con: duckdb.DuckDBPyConnection,
    table: str,
    leaf_sql: str,
    keys: tuple[str, ...],
    sums: tuple[str, ...],
    order: str,
    *,
    catchments: bool = True,
) -> None:
    """Sum leaf cells (one row per region and keys) into every enclosing area and, with
    `catchments`, every station's catchment that holds them (survey answers: a station's
    figures are its residents'; deliveries are a station's by their own station_id instead).

    Leaf cells are summed first so the expansion over the region tree multiplies cells, not
    answers. Rows with a group_name other than '' reach only the areas at GROUP_LEVELS. A sum
    named NAME{T} for every T in THRESHOLDS is stored as one list NAME (NAME_sq for NAME{T}_sq).
    """
    levels = ", ".join(f"'{level}'" for level in GROUP_LEVELS)
    key_list = ", ".join(f"l.{k}" for k in keys)
    sum_list = ", ".join(f"sum(l.{s})::{_sum_type(s)} AS {s}" for s in sums)
    group_filter = "AND (l.group_name = '' OR a.takes_groups)" if "group_name" in keys else ""
    stored = ", ".join(["area_level", "area_pre", "area_id", *keys, *_threshold_lists(sums)])
    con.execute(
        f"""
        CREATE TABLE {table} AS
        WITH leaf AS ({leaf_sql}),
        area_map AS ({_AREA_MAP.format(levels=levels)}{_CATCHMENT_MAP if catchments else ""}),
        rolled AS (
            SELECT a.area_level, a.area_pre, a.area_id, {key_list}, {sum_list}
            FROM leaf l
            JOIN area_map a ON a.region_id = l.region_id {group_filter}
            GROUP BY ALL
        )
        SELECT {stored}
        FROM rolled
        ORDER BY {order}
        """
    )


def _threshold_lists(sums: tuple[str, ...]) -> list[str]:
    """The stored columns: each sum, but NAME1..NAME5 (or NAME1_sq..) as one list NAME(_sq)."""
    out: list[str] = []
    for name in sums:
        found = _PER_THRESHOLD.fullmatch(name)
        if found is None:
            out.append(name)
        elif found["t"] == str(THRESHOLDS[0]):
            stem, square = found["stem"], found["sq"] or ""
            items = ", ".join(f"{stem}{t}{square}" for t in THRESHOLDS)
            out.append(f"[{items}] AS {stem}{square}")
    return out


def _sum_type(column: str) -> str:
    """Counts and quantities stay integers; weight sums are doubles."""
    counts = ("n", "rn", "gn", *(f"{c}{t}" for c in ("un", "yn") for t in THRESHOLDS))
    return "BIGINT" if column in counts or column == "quantity" else "DOUBLE"


def _answer_sums(squares: bool) -> dict[str, str]:
    """The sums a cell of answers carries, each at every need threshold where it depends on one.

    n/sw: answers and Σw; rn/rsw: with `received` present; gn/rw: received; dw{T}: Σw of
    needs (need >= T); un{T}/uxw{T}: needing it with received present; yn{T}/uyw{T}: needing it
    and not receiving it. With `squares`, the same weight sums of w²
    (suffix _sq), for the variance.
    """
    sums = {
        "n": "count(*)",
        "rn": "count(*) FILTER (WHERE received IS NOT NULL)",
        "gn": "count(*) FILTER (WHERE received)",
        "sw": "{w}",
        "rsw": "{w} FILTER (WHERE received IS NOT NULL)",
        "rw": "{w} FILTER (WHERE received)",
    }
    for t in THRESHOLDS:
        sums[f"dw{t}"] = f"{{w}} FILTER (WHERE need >= {t})"
        sums[f"un{t}"] = f"count(*) FILTER (WHERE need >= {t} AND received IS NOT NULL)"
        sums[f"uxw{t}"] = f"{{w}} FILTER (WHERE need >= {t} AND received IS NOT NULL)"
        sums[f"yn{t}"] = f"count(*) FILTER (WHERE need >= {t} AND NOT received)"
        sums[f"uyw{t}"] = f"{{w}} FILTER (WHERE need >= {t} AND NOT received)"
    out = {}
    for name, expr in sums.items():
        if "{w}" not in expr:
            out[name] = expr
            continue
        out[name] = "COALESCE(" + expr.format(w="sum(w)") + ", 0)"
        if squares:
            out[name + "_sq"] = "COALESCE(" + expr.format(w="sum(w * w)") + ", 0)"
    return out


def _aggregates(sums: dict[str, str]) -> str:
    return ", ".join(f"{expr} AS {name}" for name, expr in sums.items())


def create_survey_cells(con: duckdb.DuckDBPyConnection) -> None:
    """Answers per area × service × age × sex × group: their sums at every need threshold."""
    sums = _answer_sums(squares=False)
    leaf = f"""
        SELECT region_id, service_code, age_group, sex, '' AS group_name,
               NULL::VARCHAR AS group_value, {_aggregates(sums)}
        FROM leaf_answers GROUP BY ALL
        UNION ALL
        SELECT a.anchor_id, a.service_code, a.age_group, a.sex, g.group_name, g.group_value,
               {_aggregates(sums)}
        FROM ({_anchored("leaf_answers")}) a
        JOIN ({_group_values()}) g ON g.respondent_id = a.respondent_id
        GROUP BY ALL
    """
    keys = ("service_code", "age_group", "sex", "group_name", "group_value")
    order = "area_level, group_name, area_pre, service_code"
    _roll_up(con, "survey_cells", leaf, keys, tuple(sums), order)


def _anchored(source: str) -> str:
    """`source` rows with anchor_id: the nearest region at or above theirs at a GROUP_LEVEL.

    Group rows are summed there first (one row per answer and covariate), not at the grid, so
    the ×12 of the covariates is paid once, on the smallest number of cells.
    """
    levels = ", ".join(f"'{level}'" for level in GROUP_LEVELS)
    return f"""
        SELECT s.*, a.anchor_id
        FROM {source} s
        JOIN (SELECT descendant_id, arg_min(ancestor_id, depth) AS anchor_id
              FROM region_closure WHERE ancestor_level IN ({levels})
              GROUP BY descendant_id) a ON a.descendant_id = s.region_id
    """


def create_category_people(con: duckdb.DuckDBPyConnection) -> None:
    """Respondents per area × category × age × sex × group × rec_base × max_need_rec.

    rec_base: any of the person's answers in the category has `received`; max_need_rec: the
    highest need among those answers, so "needs some service of the category and has received
    recorded for it" at threshold T is max_need_rec >= T.
    """
    leaf = f"""
        WITH people AS (
            SELECT region_id, respondent_id, category, age_group, sex,
                   bool_or(received IS NOT NULL) AS rec_base,
                   max(need) FILTER (WHERE received IS NOT NULL) AS max_need_rec
            FROM leaf_answers
            GROUP BY ALL
        )
        SELECT region_id, category, age_group, sex, '' AS group_name,
               NULL::VARCHAR AS group_value, rec_base, max_need_rec, count(*) AS n
        FROM people GROUP BY ALL
        UNION ALL
        SELECT p.anchor_id, p.category, p.age_group, p.sex, g.group_name, g.group_value,
               p.rec_base, p.max_need_rec, count(*) AS n
        FROM ({_anchored("people")}) p
        JOIN ({_group_values()}) g ON g.respondent_id = p.respondent_id
        GROUP BY ALL
    """
    keys = ("category", "age_group", "sex", "group_name", "group_value", "rec_base")
    keys = (*keys, "max_need_rec")
    order = "area_level, group_name, area_pre, category"
    _roll_up(con, "category_people", leaf, keys, ("n",), order)


def create_survey_psu_cells(con: duckdb.DuckDBPyConnection) -> None:
    """survey_cells (no groups) per stratum and PSU, with the w² sums, for the variance.

    Respondents who are their own PSU share psu_key NULL: their cells' Σw and Σw² are all the
    variance needs of one-answer-per-person figures (queries/gap_variance.sql).
    """
    sums = _answer_sums(squares=True)
    leaf = f"""
        SELECT region_id, service_code, age_group, sex, stratum_key, psu_key,
               {_aggregates(sums)}
        FROM leaf_answers GROUP BY ALL
    """
    keys = ("service_code", "age_group", "sex", "stratum_key", "psu_key")
    _roll_up(con, "survey_psu_cells", leaf, keys, tuple(sums), "area_level, area_pre")


def create_provision_cells(con: duckdb.DuckDBPyConnection) -> None:
    """Delivered quantity per area × service × month × recipient age group."""
    leaf = "SELECT region_id, service_code, month, age_group, quantity FROM delivery_rollup"
    keys = ("service_code", "month", "age_group")
    order = "area_level, area_pre, service_code, month"
    _roll_up(con, "provision_cells", leaf, keys, ("quantity",), order, catchments=False)
    # a station's own deliveries, whoever they served
    con.execute(
        """
        INSERT INTO provision_cells
        SELECT 'station', o.pre, d.station_id, d.service_code, d.month, d.age_group,
               sum(d.quantity)::BIGINT
        FROM deliveries d
        JOIN stations s ON s.station_id = d.station_id
        JOIN region_order o ON o.region_id = s.region_id
        GROUP BY ALL
        ORDER BY 2, 3, 4, 5
        """
    )


def create_catchment_regions(con: duckdb.DuckDBPyConnection) -> None:
    """Every region of every station's catchment (contract v1.1, `catchments`).

    A listed region brings its subtree; a region under several listed ones belongs to the
    station of the nearest (the most specific listing wins). A station with no row in
    `catchments` has its own region's subtree less what a listing gives another station (a
    listing always wins over the default); two such stations may overlap.
    """
    con.execute(
        """
        CREATE TABLE catchment_regions AS
        WITH listed AS (
            SELECT c.descendant_id AS region_id, arg_min(l.station_id, c.depth) AS station_id
            FROM catchments l
            JOIN region_closure c ON c.ancestor_id = l.region_id
            GROUP BY c.descendant_id
        ),
        defaulted AS (
            SELECT s.station_id, c.descendant_id AS region_id
            FROM stations s
            JOIN region_closure c ON c.ancestor_id = s.region_id
            WHERE s.station_id NOT IN (SELECT station_id FROM catchments)
              AND c.descendant_id NOT IN (SELECT region_id FROM listed)
        )
        SELECT station_id, region_id FROM listed
        UNION ALL
        SELECT station_id, region_id FROM defaulted
        ORDER BY station_id, region_id
        """
    )


def create_station_tables(con: duckdb.DuckDBPyConnection) -> None:
    """station_elderly and station_recipients (see the module docstring)."""
    con.execute(
        """
        CREATE TABLE station_elderly AS
        -- a catchment's residents aged 60+: each region whose whole subtree is in the
        -- catchment and that has the figure, unless a region above it that is also wholly in
        -- the catchment has it already (no double counting; a region the catchment splits
        -- counts through its parts)
        WITH whole AS (
            SELECT m.station_id, m.region_id
            FROM catchment_regions m
            JOIN region_closure c ON c.ancestor_id = m.region_id
            LEFT JOIN catchment_regions d
              ON d.station_id = m.station_id AND d.region_id = c.descendant_id
            GROUP BY m.station_id, m.region_id
            HAVING count(*) = count(d.region_id)
        ),
        counted AS (
            SELECT w.station_id, w.region_id, r.elderly_population
            FROM whole w
            JOIN regions r ON r.region_id = w.region_id AND r.elderly_population IS NOT NULL
        )
        SELECT k.station_id, sum(k.elderly_population)::BIGINT AS elderly_population
        FROM counted k
        WHERE NOT EXISTS (
            SELECT 1
            FROM region_closure c
            JOIN counted up ON up.region_id = c.ancestor_id AND up.station_id = k.station_id
            WHERE c.descendant_id = k.region_id AND c.depth > 0
        )
        GROUP BY k.station_id
        ORDER BY k.station_id
        """
    )
    con.execute(
        """
        CREATE TABLE station_recipients AS
        WITH served AS (
            SELECT station_id, service_code, year(month) AS year, recipient_key, age_group,
                   month
            FROM deliveries
            WHERE station_id IS NOT NULL AND recipient_key IS NOT NULL
        ),
        firsts AS (
            -- each recipient's first month of the year, over all ages and per age group (a
            -- birthday may move someone into the next group during the year)
            SELECT station_id, service_code, year, recipient_key, age_group,
                   GROUPING(age_group) = 1 AS all_ages, min(month) AS first_month
            FROM served
            GROUP BY GROUPING SETS (
                (station_id, service_code, year, recipient_key, age_group),
                (station_id, service_code, year, recipient_key)
            )
        )
        SELECT station_id, service_code, year, all_ages, age_group, first_month,
               count(*)::BIGINT AS new_recipients
        FROM firsts
        GROUP BY ALL
        ORDER BY ALL
        """
    )


def create_respondent_flags(con: duckdb.DuckDBPyConnection) -> None:
    """Per respondent: answer counts and per-service bits (queries/quality_inputs.sql).

    A service's bit is its position in catalog order (queries/service_bits.sql), the first 62
    services; need counts and bits are lists indexed by the threshold.
    """
    need_count = ", ".join(f"count(*) FILTER (WHERE n.need >= {t})" for t in THRESHOLDS)
    need_bits = ", ".join(
        f"COALESCE(bit_or(1::BIGINT << s.bit) FILTER (WHERE n.need >= {t} AND s.bit < 62), 0)"
        for t in THRESHOLDS
    )
    per_threshold = f"[{need_count}] AS need_count, [{need_bits}] AS need_bits"
    con.execute(
        f"""
        CREATE TABLE respondent_flags AS
        WITH svc AS (
            SELECT service_code,
                   row_number() OVER (ORDER BY sort_order NULLS LAST, service_code) - 1 AS bit
            FROM services
        )
        SELECT n.respondent_id,
               count(n.need) AS need_answered,
               count(n.received) AS received_answered,
               count(*) FILTER (WHERE n.received) AS received_count,
               COALESCE(bit_or(1::BIGINT << s.bit)
                        FILTER (WHERE n.need IS NOT NULL AND s.bit < 62), 0) AS need_answered_bits,
               COALESCE(bit_or(1::BIGINT << s.bit)
                        FILTER (WHERE n.received IS NOT NULL AND s.bit < 62), 0)
                   AS received_answered_bits,
               COALESCE(bit_or(1::BIGINT << s.bit) FILTER (WHERE n.received AND s.bit < 62), 0)
                   AS received_bits,
               {per_threshold}
        FROM needs n
        JOIN svc s ON s.service_code = n.service_code
        GROUP BY n.respondent_id
        ORDER BY n.respondent_id
        """
    )
