"""Import a dataset folder: find files, stage, check every rule, build a new store, swap it in.

Nothing is written where the dashboard reads until every rule has passed and the new file is
complete; a refused or killed import leaves the served dataset exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import CONTRACT_VERSION, __version__, disclosure, store
from dashboard.ingest import build, fits, patterns, rollups
from dashboard.ingest.geo import Boundary, read_boundaries
from dashboard.ingest.problems import DatasetRefused, Problem
from dashboard.ingest.readers import Progress, SourceFile, file_hash, find_table_files, stage
from dashboard.ingest.rules import Staged, check_dataset
from dashboard.ingest.schema import BOUNDARIES_FILE, TABLES_BY_NAME

#: DuckDB's buffer pool during an import; past it, sorts and joins spill to the work folder.
IMPORT_MEMORY_LIMIT = "4GB"

#: Step callback: (step, detail) with step one of "reading", "checking", "building",
#: "fitting" (the study's tables of the whole dataset), "protecting" (the disclosure pattern,
#: detail: its k).
Step = Callable[[str, str], None]


@dataclass
class ImportResult:
    db: Path
    files: list[SourceFile]
    counts: dict[str, int]
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)
    #: what the import changed on its way in (a repaired boundary), for the user to check
    notes: list[Problem] = field(default_factory=list)


def import_dataset(
    folder: Path,
    db: Path,
    *,
    drop_identifying: bool = False,
    cap: int = 50,
    on_step: Step | None = None,
    on_progress: Progress | None = None,
    engine_progress: bool = False,
) -> ImportResult:
    """Validate and import `folder` into `db`; raises DatasetRefused with every problem found."""
    started = time.perf_counter()
    folder = Path(folder)
    db = Path(db)
    if not folder.is_dir():
        raise DatasetRefused([Problem(str(folder), "not_a_folder")])
    db.parent.mkdir(parents=True, exist_ok=True)
    with store.import_lock(db):
        store.finish_interrupted_restore(db)
        store.remove_stale_builds(db)
        build_file, work = store.build_path(db), store.staging_dir(db)
        store.cleanup(build_file)
        store.cleanup(work)
        work.mkdir()
        try:
            result = _import(
                folder,
                db,
                build_file,
                work,
                drop_identifying,
                cap,
                on_step,
                on_progress,
                engine_progress,
            )
            store.install(build_file, db)
        finally:
            store.cleanup(build_file)
            store.cleanup(work)
    result.seconds = time.perf_counter() - started
    return result


def _import(
    folder: Path,
    db: Path,
    build_file: Path,
    work: Path,
    drop_identifying: bool,
    cap: int,
    on_step: Step | None,
    on_progress: Progress | None,
    engine_progress: bool,
) -> ImportResult:
    step = on_step or (lambda _step, _detail: None)
    timings: dict[str, float] = {}
    files, problems = find_table_files(folder)
    if problems:
        raise DatasetRefused(problems)
    history = _previous_history(db)
    con = duckdb.connect(str(build_file))
    try:
        con.execute(f"SET temp_directory = '{work / 'spill'}'")
        # A bounded buffer pool: DuckDB spills to the work folder past it, so a province-size
        # import (100M deliveries) stays within a small server's memory (BENCHMARKS.md).
        con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")
        # DuckDB's own bar for long steps (over 2 s), on an interactive terminal only
        con.execute(f"SET enable_progress_bar = {str(engine_progress).lower()}")
        con.execute(f"ATTACH '{work / 'staging.duckdb'}' AS stg")
        t0 = time.perf_counter()
        staged, read_problems = _stage_all(con, files, work, step, on_progress)
        timings["read"] = time.perf_counter() - t0
        step("checking", "")
        t0 = time.perf_counter()
        unreadable = frozenset(files.keys() - staged.keys())
        findings = check_dataset(con, staged, cap, drop_identifying, unreadable)
        for p in read_problems:
            findings.add(p)
        notes: list[Problem] = []
        boundaries = _boundaries(con, folder, staged, cap, findings, notes)
        timings["validate"] = time.perf_counter() - t0
        if findings.total:
            raise DatasetRefused(_in_file_order(findings.problems, files), findings.total)
        step("building", "")
        t0 = time.perf_counter()
        for src in files.values():
            src.sha256 = file_hash(src.path)
        build.create_typed_tables(con, staged)
        con.execute("DETACH stg")
        build.create_store_tables(con)
        build.add_scores(con)
        build.create_region_closure(con)
        build.create_region_depths(con)
        build.create_delivery_rollup(con)
        rollups.create_rollups(con)
        build.create_boundaries(con, boundaries)
        step("fitting", "")
        t1 = time.perf_counter()
        fits.create_quality_fits(con)
        timings["fit"] = time.perf_counter() - t1
        k = disclosure.effective_k(None)
        step("protecting", str(k))
        t1 = time.perf_counter()
        patterns.create_disclosure_patterns(con, k)
        timings["protect"] = time.perf_counter() - t1
        counts = _counts(con)
        _write_metadata(con, folder, files, counts, history)
        con.execute("CHECKPOINT")
        timings["build"] = time.perf_counter() - t0
    finally:
        con.close()
    return ImportResult(db, list(files.values()), counts, 0.0, timings, notes)


def _stage_all(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, SourceFile],
    work: Path,
    step: Step,
    on_progress: Progress | None,
) -> tuple[dict[str, Staged], list[Problem]]:
    """Stage every file; a file that cannot be read is a problem, the others are still checked."""
    staged: dict[str, Staged] = {}
    problems: list[Problem] = []
    for name, src in files.items():
        step("reading", src.path.name)
        relation = f"stg.t_{name}"
        try:
            columns = stage(con, src, relation, work, on_progress)
        except DatasetRefused as refused:
            problems.extend(refused.problems)
            continue
        src.columns = tuple(columns)
        src.rows = con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0]
        if src.rows == 0 and TABLES_BY_NAME[name].required:
            problems.append(Problem(src.path.name, "no_rows"))
        staged[name] = Staged(TABLES_BY_NAME[name], src.path.name, relation, columns)
    return staged, problems


def _in_file_order(problems: list[Problem], files: dict[str, SourceFile]) -> list[Problem]:
    """Problems grouped by file (in the contract's table order), then by row, for fixing in turn."""
    order = {src.path.name: i for i, src in enumerate(files.values())}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.row or 0))


def _boundaries(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    staged: dict[str, Staged],
    cap: int,
    findings,
    notes: list[Problem],
) -> list[Boundary]:
    path = next((p for p in folder.iterdir() if p.name.lower() == BOUNDARIES_FILE), None)
    if path is None or "regions" not in staged or not staged["regions"].has("region_id"):
        return []
    regions = staged["regions"]
    ids = {
        r[0]
        for r in con.execute(
            f"SELECT region_id FROM {regions.relation} WHERE region_id IS NOT NULL"
        ).fetchall()
    }
    try:
        return read_boundaries(path, ids, regions.file, cap, notes)
    except DatasetRefused as refused:
        findings.add_rows(refused.total, refused.problems)
        return []


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = (
        "regions",
        "services",
        "respondents",
        "needs",
        "stations",
        "deliveries",
        "catchments",
        "targets",
        "boundaries",
    )
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def _previous_history(db: Path) -> pd.DataFrame | None:
    """Import history of the dataset being replaced, carried into the new store."""
    if not db.exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT * FROM import_history").df()
    except duckdb.Error:
        return None  # a store too old to have a history: the new one starts it


def _write_metadata(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    files: dict[str, SourceFile],
    counts: dict[str, int],
    history: pd.DataFrame | None,
) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    meta = pd.DataFrame(
        {
            "key": [
                "contract_version",
                "caregap_version",
                "store_schema",
                "imported_at",
                "source_folder",
            ],
            "value": [
                CONTRACT_VERSION,
                __version__,
                str(store.STORE_SCHEMA),
                now.isoformat() + "Z",
                str(folder.resolve()),
            ],
        }
    )
    sources = pd.DataFrame(
        [
            {
                "table_name": f.table,
                "file_name": f.path.name,
                "format": f.format,
                "encoding": f.encoding,
                "size_bytes": f.size,
                "sha256": f.sha256,
                "rows": f.rows,
            }
            for f in files.values()
        ]
    )
    entry = pd.DataFrame(
        [
            {
                "imported_at": now,
                "source_folder": str(folder.resolve()),
                "contract_version": CONTRACT_VERSION,
                "caregap_version": __version__,
                **{f"{k}_rows": v for k, v in counts.items()},
            }
        ]
    )
    if history is not None and not history.empty:
        entry = pd.concat([history, entry], ignore_index=True)
    con.register("meta_df", meta)
    con.register("sources_df", sources)
    con.register("history_df", entry)
    con.execute("CREATE TABLE dataset_meta AS SELECT * FROM meta_df")
    con.execute("CREATE TABLE source_files AS SELECT * FROM sources_df")
    con.execute("CREATE TABLE import_history AS SELECT * FROM history_df ORDER BY imported_at")
    for name in ("meta_df", "sources_df", "history_df"):
        con.unregister(name)
