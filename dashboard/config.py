"""Settings shared by the CLI and the server: where the store lives, which language to speak.

Everything can be set by a flag; the CAREGAP_* environment variables give the defaults so that a
deployment (gunicorn workers, cron imports) agrees on one store without repeating flags.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
QUERIES_DIR = REPO_ROOT / "queries"

DEFAULT_DB = Path("var") / "caregap.duckdb"
LANGUAGES = ("en", "zh")


def default_db() -> Path:
    """The served store: $CAREGAP_DB, else var/caregap.duckdb under the working directory."""
    return Path(os.environ.get("CAREGAP_DB") or DEFAULT_DB)


def default_lang() -> str:
    """Message language: $CAREGAP_LANG, else Chinese for a Chinese locale, else English."""
    explicit = os.environ.get("CAREGAP_LANG", "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    locale = (os.environ.get("LC_ALL") or os.environ.get("LANG") or "").lower()
    return "zh" if locale.startswith("zh") else "en"
