"""`caregap users`: accounts, API tokens and the audit log (dashboard.accounts), for whoever runs
the server. Nothing here needs the server to be stopped: it reads the accounts file per request.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from dashboard import accounts, config
from dashboard.accounts import AccountError, Accounts
from dashboard.cli_options import db_option, lang_option
from dashboard.i18n import t
from dashboard.report import to_csv
from dashboard.scope import ROLES

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _options(f):
    f = lang_option(f)
    f = click.option(
        "--accounts",
        "accounts_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"Accounts file (default: ${accounts.ACCOUNTS_ENV}, else {accounts.FILE_NAME} "
        "beside the store).",
    )(f)
    return db_option(f)


def _open(db: Path | None, accounts_path: Path | None) -> tuple[Accounts, Path]:
    db = db if db is not None else config.default_db()
    return Accounts(accounts_path or accounts.default_path(db)), db


def _fail(error: AccountError, lang: str) -> None:
    err.print(t(f"access.{error.key}", lang, **error.fields), markup=False)
    sys.exit(1)


def _password(name: str, from_stdin: bool, lang: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    prompt = t("access.users_password_prompt", lang, name=name)
    first = click.prompt(prompt, hide_input=True)
    second = click.prompt(prompt + " (2)", hide_input=True)
    if first != second:
        err.print(t("access.users_password_mismatch", lang), markup=False)
        sys.exit(1)
    return first


def _check_ids(db: Path, stations: tuple[str, ...], areas: tuple[str, ...], lang: str) -> None:
    """Refuse a station or region the served dataset does not hold (when there is one)."""
    if not db.exists() or not (stations or areas):
        return
    from dashboard import data, store

    with store.open_read_only(db) as con:
        known_stations = set(data.stations(con)["station_id"].astype(str))
        known_regions = set(data.region_tree(con)["region_id"].astype(str))
    for station in stations:
        if station not in known_stations:
            err.print(t("access.users_unknown_station", lang, db=db, station=station), markup=False)
            sys.exit(1)
    for region in areas:
        if region not in known_regions:
            err.print(t("access.users_unknown_area", lang, db=db, region=region), markup=False)
            sys.exit(1)


@click.group()
def users() -> None:
    """Accounts who may sign in, their API tokens, and the audit log."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--station", "stations", multiple=True, help="A station account's station (repeat).")
@click.option("--area", "areas", multiple=True, help="A viewer's region (repeat; default: all).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@_options
def add(name, role, stations, areas, password_stdin, db, accounts_path, lang) -> None:
    """Add an account NAME with a role (admin | planner | station | viewer)."""
    lang = lang or config.default_lang()
    store_accounts, db = _open(db, accounts_path)
    try:
        accounts.check_name(name)
        accounts.check_grant(role, tuple(stations), tuple(areas))
        _check_ids(db, tuple(stations), tuple(areas), lang)
        password = _password(name, password_stdin, lang)
        store_accounts.add(name, role, password, stations=tuple(stations), areas=tuple(areas))
    except AccountError as error:
        _fail(error, lang)
    err.print(
        t("access.users_added", lang, name=name, role=role, path=store_accounts.path), markup=False
    )


@users.command("list")
@click.option("--format", "fmt", default="table", type=click.Choice(("table", "json")))
@_options
def list_(fmt, db, accounts_path, lang) -> None:
    """Every account: role, stations or areas, active tokens, last sign-in."""
    lang = lang or config.default_lang()
    store_accounts, _ = _open(db, accounts_path)
    listed = store_accounts.list()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": a.name,
                        "role": a.role,
                        "stations": list(a.stations),
                        "areas": list(a.areas),
                        "active_tokens": a.active_tokens,
                        "created_at": a.created_at,
                        "last_login": a.last_login,
                    }
                    for a in listed
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if not listed:
        err.print(t("access.users_none", lang, path=store_accounts.path), markup=False)
        return
    table = Table("name", "role", "stations / areas", "tokens", "created", "last sign-in")
    for a in listed:
        grant = ", ".join(a.stations or a.areas) or t("access.users_all", lang)
        table.add_row(
            a.name, a.role, grant, str(a.active_tokens), a.created_at, a.last_login or "—"
        )
    out.print(table)


@users.command("remove")
@click.argument("name")
@_options
def remove(name, db, accounts_path, lang) -> None:
    """Remove an account (its sessions and tokens stop working at once)."""
    lang = lang or config.default_lang()
    store_accounts, _ = _open(db, accounts_path)
    try:
        store_accounts.remove(name)
    except AccountError as error:
        _fail(error, lang)
    err.print(t("access.users_removed", lang, name=name), markup=False)


@users.command("password")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@_options
def password(name, password_stdin, db, accounts_path, lang) -> None:
    """Set a new password (the account's open sessions end)."""
    lang = lang or config.default_lang()
    store_accounts, _ = _open(db, accounts_path)
    try:
        if store_accounts.get(name) is None:
            raise AccountError("users_unknown", name=name)
        store_accounts.set_password(name, _password(name, password_stdin, lang))
    except AccountError as error:
        _fail(error, lang)
    err.print(t("access.users_password_set", lang, name=name), markup=False)


@users.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every active token of NAME instead.")
@_options
def token(name, revoke, db, accounts_path, lang) -> None:
    """Print a new API token for NAME (shown once), or revoke its tokens."""
    lang = lang or config.default_lang()
    store_accounts, _ = _open(db, accounts_path)
    try:
        if revoke:
            count = store_accounts.revoke_tokens(name)
            err.print(t("access.users_revoked", lang, name=name, count=count), markup=False)
            return
        new = store_accounts.new_token(name)
    except AccountError as error:
        _fail(error, lang)
    err.print(t("access.users_token", lang, name=name), markup=False)
    click.echo(new)


@users.command("audit")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1))
@click.option("--user", "user", default=None, help="Only this account's entries.")
@click.option("--format", "fmt", default="csv", type=click.Choice(("csv", "json")))
@_options
def audit(limit, user, fmt, db, accounts_path, lang) -> None:
    """Who viewed, downloaded, exported or called the API for which area, and when (newest
    first)."""
    import pandas as pd

    store_accounts, _ = _open(db, accounts_path)
    entries = store_accounts.audit(limit=limit, user=user)
    if fmt == "json":
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    columns = ["seq", "at", "user", "role", "action", "target", "area", "detail"]
    click.echo(to_csv(pd.DataFrame(entries, columns=columns)), nl=False)
