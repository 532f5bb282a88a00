"""The contract's validation rules, checked over staged text tables.

Cell rules run as one SQL query each over the whole column (so 10M rows are checked in seconds),
returning the first offending rows and the total. The region tree is small, so its structural
rules (one root, no loops, level order, a district above every grid) are checked in Python where
they read plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from dashboard.ingest.identifying import header_findings, value_findings
from dashboard.ingest.problems import Problem, control_character, control_pattern
from dashboard.ingest.readers import quote_ident
from dashboard.ingest.schema import (
    ADL_ITEMS,
    FALSE_WORDS,
    FEMALE_WORDS,
    LEVELS,
    MALE_WORDS,
    MAX_NAME_CHARS,
    STATION_TABLES,
    TRUE_WORDS,
    Column,
    Table,
)

INT_LIMIT = 2_147_483_647


@dataclass
class Staged:
    """A staged table: its source file name, staged relation and the columns it has."""

    table: Table
    file: str
    relation: str
    columns: list[str]
    #: identifying columns found (by header or by values), left out of the store
    identifying: list[str] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.columns


@dataclass
class Findings:
    """Problems found so far, with the true total even where only the first few are kept."""

    cap: int
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.problems) < self.cap:
            self.problems.append(problem)

    def add_rows(self, total: int, problems: list[Problem]) -> None:
        self.total += total
        room = self.cap - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])


def _words(words: tuple[str, ...]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in words)


def cell_violation(col: Column) -> tuple[str, str, dict[str, object]] | None:
    """SQL predicate (on the quoted column) for a bad non-empty cell, the rule and its params."""
    c = quote_ident(col.name)
    num = f"TRY_CAST({c} AS DOUBLE)"
    if col.kind == "int":
        lo = col.lo if col.lo is not None else -INT_LIMIT
        hi = col.hi if col.hi is not None else INT_LIMIT
        bad = (
            f"({num} IS NULL OR NOT isfinite({num}) OR {num} <> floor({num}) "
            f"OR {num} < {lo} OR {num} > {hi})"
        )
        if col.hi is not None:
            return bad, "int_range", {"lo": int(lo), "hi": int(hi)}
        if col.lo is not None:
            return bad, "int_min", {"lo": int(lo)}
        return bad, "int", {}
    if col.kind == "number":
        lo_op = "<=" if col.lo_open else "<"
        checks = [f"{num} IS NULL", f"NOT isfinite({num})"]
        if col.lo is not None:
            checks.append(f"{num} {lo_op} {col.lo}")
        if col.hi is not None:
            checks.append(f"{num} > {col.hi}")
        if col.lo_open and col.hi is None:
            return "(" + " OR ".join(checks) + ")", "number_positive", {}
        return "(" + " OR ".join(checks) + ")", "number_range", {"lo": col.lo, "hi": col.hi}
    if col.kind == "date":
        return (
            f"(NOT regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"OR TRY_CAST({c} AS DATE) IS NULL)",
            "date",
            {},
        )
    if col.kind == "bool":
        return f"lower({c}) NOT IN ({_words(TRUE_WORDS + FALSE_WORDS)})", "bool", {}
    if col.kind == "sex":
        return f"lower({c}) NOT IN ({_words(MALE_WORDS + FEMALE_WORDS)})", "sex", {}
    if col.kind == "enum":
        return (
            f"lower({c}) NOT IN ({_words(col.choices)})",
            "enum",
            {"choices": ", ".join(col.choices)},
        )
    if col.kind == "code" and col.pattern:
        return f"NOT regexp_full_match({c}, '{col.pattern}')", "pattern", {}
    return None


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, cap: int, params: list[object] | None = None
) -> tuple[int, list[tuple]]:
    """Run a violation query returning (_row, value, extra...) rows; total and the first `cap`."""
    wrapped = f"SELECT *, count(*) OVER () AS _total FROM ({sql}) ORDER BY 1 LIMIT {int(cap)}"
    rows = con.execute(wrapped, params or []).fetchall()
    total = rows[0][-1] if rows else 0
    return total, [r[:-1] for r in rows]


def check_columns_present(staged: Staged, findings: Findings, drop_identifying: bool) -> None:
    """Required columns exist; ADL columns come as a set; identifying headers are refused."""
    for col in staged.table.columns:
        if col.required and not staged.has(col.name):
            findings.add(
                Problem(
                    staged.file,
                    "missing_column",
                    column=col.name,
                    params={"found": ", ".join(staged.columns)},
                )
            )
    if staged.table.name == "respondents":
        present = [c for c in ADL_ITEMS if staged.has(c)]
        if present and len(present) < len(ADL_ITEMS):
            missing = ", ".join(c for c in ADL_ITEMS if not staged.has(c))
            findings.add(Problem(staged.file, "adl_columns", params={"missing": missing}))
    for column, kind in header_findings(staged.table, staged.columns):
        staged.identifying.append(column)
        if not drop_identifying:
            findings.add(Problem(staged.file, f"identifying_{kind}", column=column))


def check_identifying_values(
    con: duckdb.DuckDBPyConnection, staged: Staged, findings: Findings, drop_identifying: bool
) -> None:
    """Columns whose values look like resident ID or mobile numbers, whatever their header.

    Refused, or left out with --drop-identifying; a required key (respondent_id) cannot be left
    out, so it is refused either way.
    """
    found = value_findings(
        con, staged.table, staged.relation, staged.columns, set(staged.identifying)
    )
    for f in found:
        col = staged.table.column(f.column)
        required = col is not None and col.required
        if not required:
            staged.identifying.append(f.column)
        if drop_identifying and not required:
            continue
        rule = f"identifying_key_{f.kind}" if required else f"identifying_values_{f.kind}"
        findings.add(
            Problem(
                staged.file,
                rule,
                row=f.row,
                column=f.column,
                value=f.value,
                params={"matched": f.matched, "checked": f.checked},
            )
        )


def check_labels(con: duckdb.DuckDBPyConnection, staged: Staged, findings: Findings) -> None:
    """Display names: at most MAX_NAME_CHARS characters, no control characters."""
    for col in staged.table.columns:
        if not col.label or not staged.has(col.name):
            continue
        c = quote_ident(col.name)
        total, rows = _rows(
            con,
            f"SELECT _row, {c}, length({c}) FROM {staged.relation} "
            f"WHERE length({c}) > {MAX_NAME_CHARS}",
            findings.cap,
        )
        findings.add_rows(
            total,
            [
                Problem(
                    staged.file,
                    "name_too_long",
                    row=r[0],
                    column=col.name,
                    value=r[1],
                    params={"length": r[2], "limit": MAX_NAME_CHARS},
                )
                for r in rows
            ],
        )
        total, rows = _rows(
            con,
            f"SELECT _row, {c} FROM {staged.relation} WHERE regexp_matches({c}, ?)",
            findings.cap,
            [control_pattern()],
        )
        problems = []
        for row, value in rows:
            position, code = control_character(value)
            params = {"position": position, "code": code}
            problems.append(
                Problem(
                    staged.file,
                    "name_control",
                    row=row,
                    column=col.name,
                    value=value,
                    params=params,
                )
            )
        findings.add_rows(total, problems)


def check_cells(con: duckdb.DuckDBPyConnection, staged: Staged, findings: Findings) -> None:
    """Required cells filled, and every filled cell of the right kind and range."""
    for col in staged.table.columns:
        if not staged.has(col.name):
            continue
        c = quote_ident(col.name)
        if col.required:
            total, rows = _rows(
                con, f"SELECT _row, NULL FROM {staged.relation} WHERE {c} IS NULL", findings.cap
            )
            findings.add_rows(
                total, [Problem(staged.file, "required", row=r[0], column=col.name) for r in rows]
            )
        violation = cell_violation(col)
        if violation is None:
            continue
        predicate, rule, params = violation
        total, rows = _rows(
            con,
            f"SELECT _row, {c} FROM {staged.relation} WHERE {c} IS NOT NULL AND {predicate}",
            findings.cap,
        )
        findings.add_rows(
            total,
            [
                Problem(staged.file, rule, row=r[0], column=col.name, value=r[1], params=params)
                for r in rows
            ],
        )


def check_unique(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    findings: Findings,
    columns: tuple[str, ...],
    rule: str = "unique",
    numbers: tuple[str, ...] = (),
) -> None:
    """Each value (or combination) appears once; later copies point at the first.

    Columns in `numbers` are compared as numbers (`2009` and `2009.0` are the same year).
    """
    if not all(staged.has(c) for c in columns):
        return
    exprs = [
        f"TRY_CAST({quote_ident(c)} AS DOUBLE)" if c in numbers else quote_ident(c) for c in columns
    ]
    keys = ", ".join(exprs)
    not_null = " AND ".join(f"{e} IS NOT NULL" for e in exprs)
    sql = (
        f"SELECT _row, {quote_ident(columns[-1])}, _first FROM ("
        f"SELECT _row, {quote_ident(columns[-1])}, min(_row) OVER (PARTITION BY {keys}) AS _first "
        f"FROM {staged.relation} WHERE {not_null}) WHERE _row <> _first"
    )
    total, rows = _rows(con, sql, findings.cap)
    findings.add_rows(
        total,
        [
            Problem(
                staged.file,
                rule,
                row=r[0],
                column=columns[-1],
                value=r[1],
                params={"first": r[2]},
            )
            for r in rows
        ],
    )


def check_reference(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    findings: Findings,
    column: str,
    target: Staged | None,
    target_column: str,
    target_table: str,
    unreadable: frozenset[str] = frozenset(),
) -> None:
    """Every filled `column` names an existing row of the target table."""
    if not staged.has(column) or target_table in unreadable:
        return
    c = quote_ident(column)
    if target is None or not target.has(target_column):
        source = f"(SELECT NULL::VARCHAR AS {quote_ident(target_column)} WHERE false)"
        ref_file = f"{target_table}.*"
    else:
        source = target.relation
        ref_file = target.file
    t = quote_ident(target_column)
    sql = (
        f"SELECT s._row, s.{c} FROM {staged.relation} s "
        f"WHERE s.{c} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {source} t WHERE t.{t} = s.{c})"
    )
    total, rows = _rows(con, sql, findings.cap)
    params = {"ref_file": ref_file, "ref_column": target_column}
    findings.add_rows(
        total,
        [
            Problem(staged.file, "reference", row=r[0], column=column, value=r[1], params=params)
            for r in rows
        ],
    )


def check_adl_rows(con: duckdb.DuckDBPyConnection, staged: Staged, findings: Findings) -> None:
    """ADL answers come all 14 or none per respondent: a partial total would be meaningless."""
    if not all(staged.has(c) for c in ADL_ITEMS):
        return
    filled = " + ".join(f"({quote_ident(c)} IS NOT NULL)::INT" for c in ADL_ITEMS)
    sql = (
        f"SELECT _row, NULL, {filled} AS n FROM {staged.relation} WHERE ({filled}) BETWEEN 1 AND 13"
    )
    total, rows = _rows(con, sql, findings.cap)
    findings.add_rows(
        total,
        [
            Problem(staged.file, "adl_partial", row=r[0], column="adl_01", params={"count": r[2]})
            for r in rows
        ],
    )


def check_region_tree(con: duckdb.DuckDBPyConnection, staged: Staged, findings: Findings) -> None:
    """One root, no loops, each level below its parent's, a district above every grid."""
    if not all(staged.has(c) for c in ("region_id", "parent_id", "level")):
        return
    rows = con.execute(
        f"SELECT _row, region_id, parent_id, lower(level) FROM {staged.relation} "
        "WHERE region_id IS NOT NULL ORDER BY _row"
    ).fetchall()
    first_row: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    level: dict[str, str] = {}
    for row, rid, pid, lvl in rows:
        if rid in first_row:
            continue  # reported by the uniqueness rule
        first_row[rid] = row
        parent[rid] = pid
        level[rid] = lvl
    add = findings.add
    file = staged.file
    roots = [rid for rid, pid in parent.items() if pid is None]
    if not roots:
        add(Problem(file, "no_root", column="parent_id"))
    elif len(roots) > 1:
        for rid in roots:
            add(
                Problem(
                    file,
                    "many_roots",
                    row=first_row[rid],
                    column="parent_id",
                    value=rid,
                    params={"count": len(roots)},
                )
            )
    for rid in _in_cycles(parent):
        add(Problem(file, "cycle", row=first_row[rid], column="parent_id", value=parent[rid] or ""))
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    for rid, pid in parent.items():
        lv, plv = level.get(rid), level.get(pid) if pid else None
        if pid and lv in rank and plv in rank and rank[lv] <= rank[plv]:
            add(
                Problem(
                    file,
                    "level_order",
                    row=first_row[rid],
                    column="level",
                    value=lv,
                    params={"level": lv, "parent_level": plv},
                )
            )
    for rid in _grids_without_district(parent, level):
        add(
            Problem(
                file,
                "grid_without_district",
                row=first_row[rid],
                column="level",
                value="grid",
                params={"region": rid},
            )
        )


def _in_cycles(parent: dict[str, str | None]) -> list[str]:
    """Regions on a loop of parent links (each reported once, in input order)."""
    state: dict[str, int] = {}  # 1 = on current path, 2 = done
    on_cycle: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            on_cycle.update(path[path.index(node) :])
        for n in path:
            state[n] = 2
    return [rid for rid in parent if rid in on_cycle]


def _grids_without_district(parent: dict[str, str | None], level: dict[str, str]) -> list[str]:
    """Grids whose chain of parents holds no district (stopping at loops and unknown parents)."""
    missing = []
    for rid, lv in level.items():
        if lv != "grid":
            continue
        seen = {rid}
        node = parent.get(rid)
        found = False
        while node is not None and node in parent and node not in seen:
            if level.get(node) == "district":
                found = True
                break
            seen.add(node)
            node = parent[node]
        if not found:
            missing.append(rid)
    return missing


def _check_station_tables(
    con: duckdb.DuckDBPyConnection,
    staged: dict[str, Staged],
    findings: Findings,
    unreadable: frozenset[str],
) -> None:
    """catchments and targets (contract v1.1): their stations, regions and services exist, a
    region lies in one station's catchment only, one target per station, service and year.

    Without a stations file the table is refused once, naming it, rather than row by row.
    """
    stations, regions, services = (
        staged.get("stations"),
        staged.get("regions"),
        staged.get("services"),
    )
    for name in STATION_TABLES:
        table = staged.get(name)
        if table is None:
            continue
        if stations is None and "stations" not in unreadable:
            findings.add(Problem(table.file, "requires_stations", params={"table": name}))
        else:
            check_reference(
                con,
                table,
                findings,
                "station_id",
                stations,
                "station_id",
                "stations",
                unreadable=unreadable,
            )
    if catchments := staged.get("catchments"):
        check_reference(
            con,
            catchments,
            findings,
            "region_id",
            regions,
            "region_id",
            "regions",
            unreadable=unreadable,
        )
        check_unique(con, catchments, findings, ("region_id",), rule="catchment_unique")
    if targets := staged.get("targets"):
        check_reference(
            con,
            targets,
            findings,
            "service_code",
            services,
            "service_code",
            "services",
            unreadable=unreadable,
        )
        check_unique(
            con,
            targets,
            findings,
            ("station_id", "service_code", "year"),
            rule="target_unique",
            numbers=("year",),
        )


def check_dataset(
    con: duckdb.DuckDBPyConnection,
    staged: dict[str, Staged],
    cap: int,
    drop_identifying: bool,
    unreadable: frozenset[str] = frozenset(),
) -> Findings:
    """Every rule of the contract over every staged table; all problems in one pass.

    References into a table whose file could not be read are not checked: every row would fail,
    burying the one real problem (the unreadable file) under hundreds of echoes.
    """
    findings = Findings(cap)
    for s in staged.values():
        check_columns_present(s, findings, drop_identifying)
    for s in staged.values():
        check_identifying_values(con, s, findings, drop_identifying)
    for s in staged.values():
        check_cells(con, s, findings)
        check_labels(con, s, findings)
    get = staged.get
    if regions := get("regions"):
        check_unique(con, regions, findings, ("region_id",))
        check_reference(
            con,
            regions,
            findings,
            "parent_id",
            regions,
            "region_id",
            "regions",
            unreadable=unreadable,
        )
        check_region_tree(con, regions, findings)
    if services := get("services"):
        check_unique(con, services, findings, ("service_code",))
    if respondents := get("respondents"):
        check_unique(con, respondents, findings, ("respondent_id",))
        check_reference(
            con,
            respondents,
            findings,
            "region_id",
            regions,
            "region_id",
            "regions",
            unreadable=unreadable,
        )
        check_adl_rows(con, respondents, findings)
    if needs := get("needs"):
        check_reference(
            con,
            needs,
            findings,
            "respondent_id",
            respondents,
            "respondent_id",
            "respondents",
            unreadable=unreadable,
        )
        check_reference(
            con,
            needs,
            findings,
            "service_code",
            services,
            "service_code",
            "services",
            unreadable=unreadable,
        )
        check_unique(con, needs, findings, ("respondent_id", "service_code"), rule="pair_unique")
    if stations := get("stations"):
        check_unique(con, stations, findings, ("station_id",))
        check_reference(
            con,
            stations,
            findings,
            "region_id",
            regions,
            "region_id",
            "regions",
            unreadable=unreadable,
        )
    _check_station_tables(con, staged, findings, unreadable)
    if deliveries := get("deliveries"):
        check_reference(
            con,
            deliveries,
            findings,
            "station_id",
            stations,
            "station_id",
            "stations",
            unreadable=unreadable,
        )
        check_reference(
            con,
            deliveries,
            findings,
            "region_id",
            regions,
            "region_id",
            "regions",
            unreadable=unreadable,
        )
        check_reference(
            con,
            deliveries,
            findings,
            "service_code",
            services,
            "service_code",
            "services",
            unreadable=unreadable,
        )
    return findings
