"""The `caregap` command: demo | import | restore | report | serve | export | users.

Exit codes follow the contract: 0 success, 1 input refused (problems printed, nothing changed),
2 wrong usage (click's own code for bad flags).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from dashboard import config
from dashboard.cli_options import db_option, lang_option
from dashboard.cli_users import users
from dashboard.data import DEFAULT_MIN_N, DEFAULT_THRESHOLD, MIN_N_RANGE, SEXES, THRESHOLDS
from dashboard.i18n import t
from dashboard.ingest.problems import DatasetRefused, render_notes
from dashboard.ingest.schema import AGE_GROUPS, LEVELS

err = Console(stderr=True, highlight=False, soft_wrap=True)


def _range_option(name: str, default: int, allowed: range, help_: str):
    """An integer option whose bounds are the data layer's own (dashboard.data)."""
    return click.option(
        name,
        default=default,
        show_default=True,
        type=click.IntRange(allowed.start, allowed.stop - 1),
        help=help_,
    )


threshold_option = _range_option(
    "--threshold",
    DEFAULT_THRESHOLD,
    THRESHOLDS,
    "Need threshold T: an answer of T or more counts as needing the service.",
)
min_n_option = click.option(
    "--min-n",
    default=None,
    type=click.IntRange(MIN_N_RANGE.start, MIN_N_RANGE.stop - 1),
    help=(
        "Figures resting on fewer respondents are suppressed. Default: the deployment's floor "
        f"(${config.MIN_N_ENV}, else {DEFAULT_MIN_N}); a higher value is allowed, a lower one "
        "only with --unsafe-small-cells."
    ),
)
unsafe_option = click.option(
    "--unsafe-small-cells",
    "unsafe",
    is_flag=True,
    help=(
        "The data custodian's explicit choice to print figures below the deployment's floor "
        "(recorded in the store's report history)."
    ),
)
age_option = click.option(
    "--age", type=click.Choice(AGE_GROUPS), default=None, help="Only respondents of this age group."
)
sex_option = click.option(
    "--sex", type=click.Choice(SEXES), default=None, help="Only respondents of this sex."
)


def report_k(db: Path, command: str, min_n: int | None, unsafe: bool, lang: str) -> int:
    """The k a report runs with: the deployment's floor unless a higher one is asked for.

    Below the floor is a usage error (exit 2) unless --unsafe-small-cells: then it is this run's
    floor, and the choice is appended to the store's report history.
    """
    try:
        floor = config.deployment_min_n()
    except config.SettingError as error:
        err.print(t("cli.bad_setting", lang, reason=error), markup=False)
        sys.exit(2)
    if min_n is None or min_n >= floor:
        return min_n or floor
    if not unsafe:
        err.print(t("cli.below_floor", lang, k=min_n, floor=floor), markup=False)
        sys.exit(2)
    os.environ[config.MIN_N_ENV] = str(min_n)
    from dashboard import audit

    audit.record_report(db, {"command": command, "min_n": min_n, "floor": floor})
    err.print(t("cli.unsafe_recorded", lang, k=min_n, floor=floor), markup=False)
    return min_n


def _db(db: Path | None) -> Path:
    return db if db is not None else config.default_db()


def _lang(lang: str | None) -> str:
    return lang or config.default_lang()


class CareGapGroup(click.Group):
    """Turns an unexpected failure into one plain line (the traceback with CAREGAP_DEBUG=1)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as error:
            if os.environ.get("CAREGAP_DEBUG"):
                raise
            err.print(
                f"caregap: unexpected error: {type(error).__name__}: {error} "
                "(set CAREGAP_DEBUG=1 for details, and please report it)",
                markup=False,
            )
            sys.exit(3)


@click.group(cls=CareGapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="caregap")
def main() -> None:
    """CareGap: where does community care fall short of need?"""


main.add_command(users)


class StepPrinter:
    """Prints each import step with its time, and a byte progress bar on a terminal."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.started = time.perf_counter()
        self.progress: Progress | None = None
        self.task = None

    def __call__(self, step: str, detail: str) -> None:
        self._stop_bar()
        label = t(f"cli.step_{step}", self.lang, detail=detail)
        err.print(f"{time.perf_counter() - self.started:7.1f} s  {label}", markup=False)

    def bytes(self, done: int, total: int, label: str) -> None:
        if not err.is_terminal or total < 50_000_000:
            return
        if self.progress is None:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task(label, total=total)
        self.progress.update(self.task, completed=done, description=label)

    def _stop_bar(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def close(self) -> None:
        self._stop_bar()


def run_import(folder: Path, db: Path, lang: str, drop_identifying: bool, cap: int) -> None:
    """Import with progress; a refusal prints every problem and exits 1."""
    from dashboard.ingest.importer import import_dataset

    printer = StepPrinter(lang)
    try:
        result = import_dataset(
            folder,
            db,
            drop_identifying=drop_identifying,
            cap=cap,
            on_step=printer,
            on_progress=printer.bytes,
            engine_progress=err.is_terminal,
        )
    except DatasetRefused as refused:
        printer.close()
        err.print(refused.render(lang, cap), markup=False)
        sys.exit(1)
    printer.close()
    counts = ", ".join(f"{k} {v:,}" for k, v in result.counts.items())
    err.print(t("cli.imported", lang, folder=folder, db=db, seconds=result.seconds, counts=counts))
    if result.notes:
        err.print(render_notes(result.notes, lang, cap), markup=False)


@main.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@db_option
@lang_option
@click.option(
    "--drop-identifying",
    is_flag=True,
    help=(
        "Leave out identifying columns (name, id_number, phone, address, in any spelling, "
        "or columns of ID card or mobile numbers) instead of refusing."
    ),
)
@click.option(
    "--max-problems", default=50, show_default=True, type=click.IntRange(1), help="Problems listed."
)
def import_cmd(
    folder: Path, db: Path | None, lang: str | None, drop_identifying: bool, max_problems: int
) -> None:
    """Validate and import a dataset FOLDER (see DATA_CONTRACT.md)."""
    run_import(folder, _db(db), _lang(lang), drop_identifying, max_problems)


@main.command()
@db_option
@lang_option
@click.option("--respondents", default=24_000, show_default=True, type=click.IntRange(10))
@click.option("--deliveries", default=500_000, show_default=True, type=click.IntRange(1))
@click.option("--grids", default=800, show_default=True, type=click.IntRange(12))
@click.option("--seed", default=2009, show_default=True, type=int)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the generated dataset folder here (default: a temporary folder).",
)
def demo(
    db: Path | None,
    lang: str | None,
    respondents: int,
    deliveries: int,
    grids: int,
    seed: int,
    out: Path | None,
) -> None:
    """Generate the Changzhi demo dataset and import it through the normal import path."""
    from dashboard.demo.generate import write_demo_dataset

    lang = _lang(lang)
    with tempfile.TemporaryDirectory(prefix="caregap-demo-") as tmp:
        folder = out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_demo_dataset(
            folder, respondents=respondents, deliveries=deliveries, grids=grids, seed=seed
        )
        err.print(f"generated {folder} in {time.perf_counter() - started:.1f} s")
        run_import(folder, _db(db), lang, False, 50)


@main.command()
@db_option
@lang_option
def restore(db: Path | None, lang: str | None) -> None:
    """Swap the served dataset with the previous one."""
    from dashboard import store

    db, lang = _db(db), _lang(lang)
    with store.import_lock(db):
        if not store.restore_previous(db):
            err.print(t("cli.no_previous", lang, db=db))
            sys.exit(1)
    err.print(t("cli.restored", lang, db=db))


@main.group()
def report() -> None:
    """Print the contract's figures."""


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written as YYYY-MM-DD") from None


@report.command("gaps")
@click.option("--level", required=True, type=click.Choice(LEVELS))
@click.option("--from", "start", callback=_date, help="First delivery date (YYYY-MM-DD).")
@click.option("--to", "end", callback=_date, help="Last delivery date (YYYY-MM-DD), inclusive.")
@age_option
@sex_option
@threshold_option
@min_n_option
@unsafe_option
@click.option("--format", "fmt", default="csv", type=click.Choice(("csv", "json")))
@db_option
@lang_option
def report_gaps(
    level: str,
    start: dt.date | None,
    end: dt.date | None,
    age: str | None,
    sex: str | None,
    threshold: int,
    min_n: int | None,
    unsafe: bool,
    fmt: str,
    db: Path | None,
    lang: str | None,
) -> None:
    """Demand beside provision for every region at LEVEL × service (the screen's gate)."""
    from dashboard import data

    _print_report(
        "report gaps",
        db,
        lang,
        min_n,
        unsafe,
        fmt,
        lambda con, k: data.gaps(con, level, data.Slice(start, end, threshold, k, age, sex)),
    )


@report.command("unmet")
@click.option("--level", required=True, type=click.Choice(LEVELS))
@age_option
@sex_option
@threshold_option
@min_n_option
@unsafe_option
@click.option("--format", "fmt", default="csv", type=click.Choice(("csv", "json")))
@db_option
@lang_option
def report_unmet(
    level: str,
    age: str | None,
    sex: str | None,
    threshold: int,
    min_n: int | None,
    unsafe: bool,
    fmt: str,
    db: Path | None,
    lang: str | None,
) -> None:
    """Need × receipt per person: the four cells of the 2×2 per region at LEVEL × service."""
    from dashboard import data

    _print_report(
        "report unmet",
        db,
        lang,
        min_n,
        unsafe,
        fmt,
        lambda con, k: data.unmet_cells(
            con, level, data.Slice(threshold=threshold, min_n=k, age_group=age, sex=sex)
        ),
    )


@report.command("stations")
@click.option("--from", "start", callback=_date, help="First delivery date (YYYY-MM-DD).")
@click.option("--to", "end", callback=_date, help="Last delivery date (YYYY-MM-DD), inclusive.")
@age_option
@sex_option
@threshold_option
@min_n_option
@unsafe_option
@click.option(
    "--monthly",
    is_flag=True,
    help="One row per station × month × service: its deliveries, every month of the period.",
)
@click.option("--format", "fmt", default="csv", type=click.Choice(("csv", "json")))
@db_option
@lang_option
def report_stations(
    start: dt.date | None,
    end: dt.date | None,
    age: str | None,
    sex: str | None,
    threshold: int,
    min_n: int | None,
    unsafe: bool,
    monthly: bool,
    fmt: str,
    db: Path | None,
    lang: str | None,
) -> None:
    """Each station × service: its deliveries beside its catchment's needs (the screen's gate)."""
    from dashboard import data

    def compute(con, k):
        slice_ = data.Slice(start, end, threshold, k, age, sex)
        return data.stations_monthly(con, slice_) if monthly else data.stations_report(con, slice_)

    _print_report("report stations", db, lang, min_n, unsafe, fmt, compute)


def _print_report(command, db, lang, min_n, unsafe, fmt, compute) -> None:
    """The k the report may use (report_k), the frame `compute(con, k)` from the store, printed
    as CSV or JSON."""
    from dashboard import sql
    from dashboard.report import to_csv, to_json, withheld_as_text

    db, lang = _db(db), _lang(lang)
    k = report_k(db, command, min_n, unsafe, lang)
    with _open_store(db, lang) as con:
        frame = withheld_as_text(compute(sql.scoped(con, "report"), k), k)
    click.echo(to_json(frame) if fmt == "json" else to_csv(frame), nl=fmt == "json")


def _open_store(db: Path, lang: str):
    """The store read-only, or a plain message and exit 1 when there is none."""
    from dashboard import store

    try:
        return store.open_read_only(db)
    except store.StoreMissing:
        err.print(t("cli.no_store", lang, db=db))
    except store.StoreOutdated:
        err.print(t("cli.outdated", lang, db=db))
    sys.exit(1)


@report.command("tables")
@click.option("--format", "fmt", default="json", type=click.Choice(("json", "xlsx")))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (required for xlsx; json goes to stdout without it).",
)
@threshold_option
@min_n_option
@unsafe_option
@db_option
@lang_option
def report_tables(
    fmt: str,
    out: Path | None,
    threshold: int,
    min_n: int | None,
    unsafe: bool,
    db: Path | None,
    lang: str | None,
) -> None:
    """The study's five tables (and the QoL grade, ADL level and SF-36 profile distributions),
    regenerated from the whole dataset: json (one object per table: name, title, caption, note,
    columns, rows) or an Excel workbook with one sheet per table. Aggregates only."""
    import json
    from dataclasses import replace

    from dashboard import sql, store
    from dashboard.report import records, withheld_as_text
    from dashboard.views.quality import study_tables
    from dashboard.views.state import ViewState

    db, lang = _db(db), _lang(lang)
    k = report_k(db, "report tables", min_n, unsafe, lang)
    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx needs --out FILE.xlsx")
    try:
        con = store.open_read_only(db)
    except store.StoreMissing:
        err.print(t("cli.no_store", lang, db=db))
        sys.exit(1)
    with con:
        state = ViewState(lang=lang, threshold=threshold, min_n=k)
        tables = [
            replace(tb, frame=withheld_as_text(tb.frame, state.min_n))
            for tb in study_tables(sql.scoped(con, "report"), state)
        ]
    if fmt == "json":
        text = json.dumps(
            [
                {
                    "name": tb.name,
                    "title": tb.title,
                    "caption": tb.caption,
                    "note": tb.note,
                    "columns": list(tb.frame.columns),
                    "rows": records(tb.frame),
                }
                for tb in tables
            ],
            ensure_ascii=False,
            indent=1,
            allow_nan=False,
        )
        if out is None:
            click.echo(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
        return
    _write_tables_xlsx(tables, out)


#: Excel sheet names (at most 31 characters) of the report's tables.
SHEETS = {
    "t1": "T1 regression",
    "t2": "T2 demand",
    "t3": "T3 received",
    "t4": "T4 demand x QoL",
    "t5": "T5 received x QoL",
    "qol_grades": "QoL grades",
    "adl_levels": "ADL levels",
    "profile": "SF-36 profile",
}


def _write_tables_xlsx(tables: list, out: Path) -> None:
    """One sheet per table: title, caption and note, a blank row, then the table. Written cell by
    cell as the downloads are (dashboard.report.write_rows): no text ever becomes a formula."""
    from openpyxl import Workbook

    from dashboard.report import records, write_rows

    book = Workbook()
    book.remove(book.active)
    for tb in tables:
        sheet = book.create_sheet(SHEETS.get(tb.name, tb.name[:31]))
        write_rows(sheet, [[tb.title], [tb.caption], [tb.note]])
        write_rows(sheet, [list(tb.frame.columns)], start=5, bold=True)
        write_rows(sheet, (r.values() for r in records(tb.frame)), start=6)
    book.save(out)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1))
@click.option(
    "--threads",
    default=1,  # dashboard.app.serve.THREADS
    show_default=True,
    type=click.IntRange(1, 64),
    help="Requests each worker answers at once (more: a slow answer does not hold up the quick "
    "ones; see dashboard/app/serve.py for why 1 is the default).",
)
@click.option("--debug", is_flag=True, help="Dash's development server with reloading.")
@click.option(
    "--min-n",
    default=None,
    type=click.IntRange(MIN_N_RANGE.start, MIN_N_RANGE.stop - 1),
    help=(
        f"This server's disclosure floor k (default ${config.MIN_N_ENV}, else {DEFAULT_MIN_N}): "
        "viewers may raise it, never lower it."
    ),
)
@click.option(
    "--open",
    "open_",
    is_flag=True,
    help="Serve with no accounts on a non-loopback address on purpose: anyone who reaches it "
    "sees every figure.",
)
@click.option(
    "--accounts",
    "accounts_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Accounts file (default: $CAREGAP_ACCOUNTS, else caregap-accounts.sqlite beside the "
    "store).",
)
@click.option(
    "--trust-header",
    default=None,
    metavar="HEADER",
    help="Behind a single sign-on proxy: the header naming the signed-in account "
    "(e.g. X-Remote-User), honoured only from --proxy addresses.",
)
@click.option(
    "--proxy",
    "proxies",
    multiple=True,
    metavar="ADDR",
    help="Address of the reverse proxy in front (repeat; default 127.0.0.1 and ::1): only its "
    "X-Forwarded-* and --trust-header are believed.",
)
@click.option(
    "--session-hours",
    default=8.0,
    show_default=True,
    type=click.FloatRange(0.1, 24 * 14),
    help="A sign-in lasts this long, however active.",
)
@lang_option
def serve(
    db: Path | None,
    host: str,
    port: int,
    workers: int,
    threads: int,
    debug: bool,
    min_n: int | None,
    open_: bool,
    accounts_path: Path | None,
    trust_header: str | None,
    proxies: tuple[str, ...],
    session_hours: float,
    lang: str | None,
) -> None:
    """Serve the dashboard (gunicorn, several workers; the store is opened read-only).

    With accounts (caregap users add) everything needs a sign-in or a token; with none, only on
    loopback (or with --open)."""
    from dashboard.accounts import Accounts, default_path
    from dashboard.app.auth import AuthConfig
    from dashboard.app.serve import run_server

    db = _db(db)
    if not db.exists():
        err.print(t("cli.no_store", _lang(lang), db=db))
        sys.exit(1)
    accounts_file = (accounts_path or default_path(db)).resolve()
    loopback = is_loopback(host)
    if not loopback and not open_ and not Accounts(accounts_file).has_users():
        err.print(t("access.serve_needs_accounts", _lang(lang), host=host), markup=False)
        sys.exit(2)
    auth = AuthConfig(
        accounts=accounts_file,
        open_allowed=loopback or open_,
        trust_header=trust_header,
        proxies=tuple(proxies) or AuthConfig.__dataclass_fields__["proxies"].default,
        session_hours=session_hours,
        limiter_storage=os.environ.get("CAREGAP_RATELIMIT_STORAGE") or "memory://",
        default_lang=_lang(lang),
    )
    if min_n is not None:
        os.environ[config.MIN_N_ENV] = str(min_n)  # the workers inherit the deployment's floor
    try:
        config.deployment_min_n()
    except config.SettingError as error:
        err.print(t("cli.bad_setting", _lang(lang), reason=error), markup=False)
        sys.exit(2)
    run_server(
        db.resolve(),
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        debug=debug,
        lang=lang,
        auth=auth,
    )


def is_loopback(host: str) -> bool:
    """Whether `host` (a bind address) is reachable from this machine only."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- export: the briefing as slides, a chart as a picture ------------------------------------------


def slides_lang_option(f):
    return click.option(
        "--lang",
        type=click.Choice(config.LANGUAGES),
        default=None,
        help="Language of the slides and messages (default: $CAREGAP_LANG, else from the locale).",
    )(f)


@main.group()
def export() -> None:
    """Export the briefing as slides (PPTX, PDF) or one view's chart as a picture (PNG, SVG)."""


def _default_out(stem: str, ext: str) -> Path:
    return Path.cwd() / f"caregap-{stem}-{dt.date.today().isoformat()}.{ext}"


def _exporting(lang: str, out: Path, work):
    """Run an export, turning every foreseeable failure into one plain line and exit 1."""
    from dashboard.export.images import ExportError, cjk_font_installed

    if lang == "zh" and not cjk_font_installed():
        err.print(t("cli.no_cjk_font", lang), markup=False)
    try:
        return work()
    except ExportError as error:
        err.print(str(error), markup=False)
    except OSError as error:
        err.print(
            t("cli.cannot_write", lang, path=out, reason=error.strerror or error), markup=False
        )
    sys.exit(1)


@export.command("briefing")
@click.option(
    "--format", "fmt", default="pptx", show_default=True, type=click.Choice(("pptx", "pdf"))
)
@slides_lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: caregap-briefing-DATE.EXT in the current folder).",
)
@click.option(
    "--filters",
    default=None,
    metavar="QUERY",
    help="Filters as in the app's address bar, e.g. 'region=140427&age=70-79&min_n=20'.",
)
@db_option
def export_briefing_cmd(
    fmt: str, lang: str | None, out: Path | None, filters: str | None, db: Path | None
) -> None:
    """The default briefing (a title slide, then up to six views, one finding each) as
    PowerPoint or PDF."""
    from dashboard.export.deck import export_briefing

    lang = _lang(lang)
    out = out or _default_out("briefing", fmt)
    with _open_store(_db(db), lang) as con:
        result = _exporting(
            lang, out, lambda: export_briefing(con, fmt, out, lang=lang, filters=filters)
        )
    if result.skipped:
        sep = t("ui.sep_list", lang)
        err.print(t("cli.left_out", lang, reasons=sep.join(result.skipped)), markup=False)
    seconds = result.seconds["total"]
    message = t(
        "cli.exported_pages",
        lang,
        path=out,
        pages=result.pages,
        views=result.slides,
        seconds=seconds,
    )
    err.print(message, markup=False)


@export.command("chart")
@click.option(
    "--view",
    "view",
    required=True,
    metavar="PATH?QUERY",
    help="A view of the app as in its address bar, e.g. '/map?item=edu_disease&district=140427'.",
)
@click.option(
    "--format", "fmt", default="png", show_default=True, type=click.Choice(("png", "svg"))
)
@slides_lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: caregap-chart-DATE.EXT in the current folder).",
)
@db_option
def export_chart_cmd(
    view: str, fmt: str, lang: str | None, out: Path | None, db: Path | None
) -> None:
    """One view's chart as PNG or SVG (the view's main chart, with the filters in the URL)."""
    from dashboard.briefing.slides import slide_for_view
    from dashboard.export.deck import slide_picture

    lang = _lang(lang)
    out = out or _default_out("chart", fmt)
    path, _, query = view.partition("?")
    started = time.perf_counter()
    with _open_store(_db(db), lang) as con:
        try:
            slide = slide_for_view(con, path or "/", "?" + query if query else "", lang)
        except ValueError as error:
            err.print(t("cli.bad_view", lang, reason=error), markup=False)
            sys.exit(1)

    def work() -> None:
        picture = slide_picture(slide, fmt, lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(picture)

    _exporting(lang, out, work)
    seconds = time.perf_counter() - started
    err.print(t("cli.chart_written", lang, path=out, seconds=seconds), markup=False)
