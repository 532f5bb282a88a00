"""The options every `caregap` command shares: the store and the language of its messages."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard import config


def db_option(f):
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="DuckDB store file (default: $CAREGAP_DB or var/caregap.duckdb).",
    )(f)


def lang_option(f):
    return click.option(
        "--lang",
        type=click.Choice(config.LANGUAGES),
        default=None,
        help="Language of messages (default: $CAREGAP_LANG, else from the locale).",
    )(f)
