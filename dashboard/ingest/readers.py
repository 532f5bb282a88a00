"""Read dataset files (CSV in UTF-8/GBK, .xlsx, .parquet) into text staging tables in DuckDB.

Every table is staged the same way — all columns as trimmed text, empty cells as NULL, plus the
row number a person sees when opening the file — so that one set of SQL rules validates every
format and every problem can point at a row. Encodings are decided by strict decoding, not by
guessing: a file that decodes as UTF-8 is UTF-8; otherwise one that decodes as GB18030 (a superset
of GBK, which Chinese Excel writes) is GB18030; anything else is refused.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from dashboard.ingest.problems import DatasetRefused, Problem
from dashboard.ingest.schema import READABLE_SUFFIXES, TABLES

CHUNK = 1 << 20
#: Progress callback: (bytes or rows done, total, label).
Progress = Callable[[int, int, str], None]


@dataclass
class SourceFile:
    """A dataset file as found, and what reading it taught us (kept in the store's metadata)."""

    table: str
    path: Path
    format: str
    size: int
    sha256: str = ""
    encoding: str | None = None
    rows: int = 0
    columns: tuple[str, ...] = ()


def find_table_files(folder: Path) -> tuple[dict[str, SourceFile], list[Problem]]:
    """Match files to contract tables by name, case-insensitively; report missing/ambiguous ones."""
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in READABLE_SUFFIXES:
            found.setdefault(path.stem.strip().lower(), []).append(path)
    files: dict[str, SourceFile] = {}
    problems: list[Problem] = []
    for table in TABLES:
        paths = found.get(table.name, [])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(
                Problem(
                    paths[0].name, "ambiguous_table", params={"table": table.name, "files": names}
                )
            )
        elif not paths:
            if table.required:
                problems.append(
                    Problem(f"{table.name}.*", "missing_table", params={"table": table.name})
                )
        else:
            path = paths[0]
            fmt = path.suffix.lower().lstrip(".")
            files[table.name] = SourceFile(table.name, path, fmt, path.stat().st_size)
    return files, problems


def file_hash(path: Path) -> str:
    """SHA-256 of the file, recorded so an import can be traced to the exact files it read."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path, progress: Progress | None = None) -> str:
    """Return 'utf-8' or 'gb18030' for a CSV, or refuse it as empty, UTF-16, binary or unreadable.

    A file that neither decodes as UTF-8 nor as GB18030 is refused naming the row of its first
    bad bytes, in the encoding it most likely is: the one that reads further into the file.
    """
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise DatasetRefused([Problem(name, "empty_file")])
    with path.open("rb") as fh:
        head = fh.read(8192)
    if looks_like_utf16(head):
        raise DatasetRefused([Problem(name, "utf16_file")])
    if b"\x00" in head:
        raise DatasetRefused([Problem(name, "binary_file")])
    bad_at = _first_undecodable(path, "utf-8", size, progress)
    if bad_at is None:
        return "utf-8"
    gbk_bad_at = _first_undecodable(path, "gb18030", size, progress)
    if gbk_bad_at is None:
        return "gb18030"
    encoding, offset = ("gb18030", gbk_bad_at) if gbk_bad_at > bad_at else ("utf-8", bad_at)
    label = "GBK" if encoding == "gb18030" else "UTF-8"
    row = row_at_offset(path, encoding, offset)
    raise DatasetRefused(
        [Problem(name, "bad_encoding_row", row=row, params={"offset": offset, "encoding": label})]
    )


def looks_like_utf16(head: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or NUL bytes on one side of every character pair.

    Without a mark, the header row (ASCII column names, commas) puts a NUL beside nearly every
    other byte; the head must then also decode to text with no other control characters.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return not head.startswith(codecs.BOM_UTF32_LE)
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if max(even, odd) < max(4, len(head) // 8) or min(even, odd) > max(even, odd) // 10:
        return False
    encoding = "utf-16-be" if even > odd else "utf-16-le"
    text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    return controls == 0 and ("," in text or "\n" in text)


def row_at_offset(path: Path, encoding: str, offset: int) -> int:
    """The row (header = 1) holding byte `offset`; quoted line breaks stay inside their row."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")

    def lines() -> Iterator[str]:
        pending = ""
        done = 0
        with path.open("rb") as fh:
            while done < offset:
                chunk = fh.read(min(CHUNK, offset - done))
                if not chunk:
                    break
                done += len(chunk)
                parts = (pending + decoder.decode(chunk)).split("\n")
                pending = parts.pop()
                for part in parts:
                    yield part + "\n"
        yield pending + "\ufffd"  # the row holding the bad byte, never empty

    rows = 0
    try:
        for _ in csv.reader(lines()):
            rows += 1
    except csv.Error:
        rows += 1
    return max(rows, 1)


def _first_undecodable(
    path: Path, encoding: str, size: int, progress: Progress | None
) -> int | None:
    """Byte offset of the first chunk that does not decode, or None when the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    done = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                return done + err.start
            done += len(chunk)
            if progress:
                progress(done, size, f"{path.name} ({encoding})")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return done
    return None


def transcode_to_utf8(src: Path, dest: Path, encoding: str) -> None:
    """Write a UTF-8 copy for DuckDB's reader; the user's file is never modified."""
    with (
        src.open("r", encoding=encoding, newline="") as fin,
        dest.open("w", encoding="utf-8", newline="") as fout,
    ):
        for chunk in iter(lambda: fin.read(CHUNK), ""):
            fout.write(chunk)


def normalise_header(names: list[str], file: str) -> list[str]:
    """Trim and lower-case column names; refuse blank or repeated names (they are ambiguous)."""
    normal = [str(n).strip().lower() if n is not None else "" for n in names]
    problems = []
    if any(n == "" for n in normal):
        problems.append(Problem(file, "blank_column"))
    seen: set[str] = set()
    for n in normal:
        if n and n in seen:
            problems.append(Problem(file, "duplicate_column", column=n))
        seen.add(n)
    if problems:
        raise DatasetRefused(problems)
    return normal


def quote_ident(name: str) -> str:
    """Quote an identifier taken from a file header (the only names not written by us)."""
    return '"' + name.replace('"', '""') + '"'


def _staged_select(source: str, columns: list[str], row_expr: str) -> str:
    """SELECT that renames positional columns to normalised names, as trimmed text or NULL."""
    cells = ", ".join(
        f"NULLIF(TRIM(CAST(c{i} AS VARCHAR)), '') AS {quote_ident(col)}"
        for i, col in enumerate(columns)
    )
    return f"SELECT CAST({row_expr} AS BIGINT) AS _row, {cells} FROM {source}"


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    target: str,
    workdir: Path,
    progress: Progress | None = None,
) -> list[str]:
    """Stage a CSV file; returns its normalised column names."""
    src.encoding = detect_encoding(src.path, progress)
    path = src.path
    if src.encoding != "utf-8":
        path = workdir / f"{src.table}.utf8.csv"
        transcode_to_utf8(src.path, path, src.encoding)
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), None)
    if not header:
        raise DatasetRefused([Problem(src.path.name, "empty_file")])
    columns = normalise_header(header, src.path.name)
    types = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(columns))) + "}"
    reader = (
        f"read_csv('{_sql_path(path)}', header = true, auto_detect = false, columns = {types}, "
        "delim = ',', quote = '\"', escape = '\"', strict_mode = true, null_padding = false)"
    )
    try:
        con.execute(f"CREATE TABLE {target}_raw AS SELECT * FROM {reader}")
        con.execute(
            f"CREATE TABLE {target} AS "
            + _staged_select(f"{target}_raw", columns, f"{target}_raw.rowid + 2")
        )
        con.execute(f"DROP TABLE {target}_raw")
    except duckdb.Error as err:
        raise DatasetRefused(
            [Problem(src.path.name, "malformed_csv", params={"detail": _csv_error(err)})]
        ) from None
    return columns


def _csv_error(err: Exception) -> str:
    """Boil DuckDB's CSV error down to the line and what was wrong with it."""
    text = str(err)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and counts:
        return (
            f"line {line.group(1)} has {counts.group(2)} cells where the header has "
            f"{counts.group(1)} (a comma inside a value must be in double quotes)"
        )
    first = text.splitlines()[0] if text else "unknown error"
    return (f"near line {line.group(1)}: " if line else "") + first[:200]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def stage_parquet(con: duckdb.DuckDBPyConnection, src: SourceFile, target: str) -> list[str]:
    """Stage a Parquet file as a view: it is already typed and columnar, so no copy is needed."""
    reader = f"read_parquet('{_sql_path(src.path)}', file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except duckdb.Error as err:
        raise DatasetRefused(
            [
                Problem(
                    src.path.name,
                    "unreadable_file",
                    params={"format": "Parquet", "detail": str(err).splitlines()[0][:200]},
                )
            ]
        ) from None
    names = [d[0] for d in described if d[0] != "file_row_number"]
    columns = normalise_header(names, src.path.name)
    renamed = ", ".join(
        f"{_parquet_cell(quote_ident(n), t)} AS c{i}"
        for i, (n, t) in enumerate((d[0], d[1]) for d in described if d[0] != "file_row_number")
    )
    con.execute(
        f"CREATE VIEW {target} AS "
        + _staged_select(
            f"(SELECT file_row_number, {renamed} FROM {reader})", columns, "file_row_number + 1"
        )
    )
    return columns


def _parquet_cell(ident: str, sql_type: str) -> str:
    """Typed Parquet values as the text a person would type (a timestamp at midnight is a date)."""
    if sql_type.startswith("TIMESTAMP"):
        return (
            f"CASE WHEN CAST({ident} AS TIME) = TIME '00:00:00' "
            f"THEN CAST(CAST({ident} AS DATE) AS VARCHAR) ELSE CAST({ident} AS VARCHAR) END"
        )
    return ident


def stage_xlsx(con: duckdb.DuckDBPyConnection, src: SourceFile, target: str) -> list[str]:
    """Stage the first sheet of a workbook; row numbers are the sheet's own."""
    try:
        rows = _xlsx_rows(src.path)
        header_row, header = next(rows, (1, []))
        header = _trim_trailing_empty(header)
        if not header:
            raise DatasetRefused([Problem(src.path.name, "empty_file")])
        columns = normalise_header(header, src.path.name)
        numbers: list[int] = []
        cells: list[list[str | None]] = [[] for _ in columns]
        for number, values in rows:
            if all(v is None for v in values):
                continue
            numbers.append(number)
            for i in range(len(columns)):
                cells[i].append(values[i] if i < len(values) else None)
    except DatasetRefused:
        raise
    except Exception as err:  # openpyxl raises many kinds for a file that is not a workbook
        raise DatasetRefused(
            [
                Problem(
                    src.path.name,
                    "unreadable_file",
                    params={
                        "format": "Excel (.xlsx)",
                        "detail": str(err)[:200] or type(err).__name__,
                    },
                )
            ]
        ) from None
    del header_row
    arrow = pa.table(
        {"_sheet_row": pa.array(numbers, pa.int64())}
        | {f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(cells)}
    )
    view = target.replace(".", "_") + "_arrow"
    con.register(view, arrow)
    con.execute(f"CREATE TABLE {target} AS " + _staged_select(view, columns, "_sheet_row"))
    con.unregister(view)
    return columns


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_text(v) for v in values]
    finally:
        book.close()


def _xlsx_text(value: object) -> str | None:
    """A cell as the text the user sees: 3.0 → '3', dates → ISO, booleans → true/false."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _trim_trailing_empty(values: list[str | None]) -> list[str | None]:
    end = len(values)
    while end and values[end - 1] in (None, ""):
        end -= 1
    return values[:end]


def stage(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    target: str,
    workdir: Path,
    progress: Progress | None = None,
) -> list[str]:
    """Stage one source file into `target`, whatever its format; refuses unreadable files."""
    if src.size == 0:
        raise DatasetRefused([Problem(src.path.name, "empty_file")])
    if src.format == "csv":
        return stage_csv(con, src, target, workdir, progress)
    if src.format == "xlsx":
        return stage_xlsx(con, src, target)
    return stage_parquet(con, src, target)
