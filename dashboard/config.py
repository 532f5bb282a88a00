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
#: The disclosure floor k when the deployment sets none: figures on fewer respondents are hidden.
DEFAULT_MIN_N = 10
MIN_N_ENV = "CAREGAP_MIN_N"


class SettingError(ValueError):
    """A CAREGAP_* setting that cannot be used (the message says which and why)."""


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


def deployment_min_n() -> int:
    """The deployment's disclosure floor k: $CAREGAP_MIN_N, else 10.

    It belongs to whoever runs the server or the command (`caregap serve --min-n`, the
    environment of a cron job), never to a viewer: a viewer may ask for a higher k, not a lower
    one (dashboard.disclosure clamps every request to it).
    """
    raw = os.environ.get(MIN_N_ENV, "").strip()
    if not raw:
        return DEFAULT_MIN_N
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise SettingError(f"{MIN_N_ENV} must be a whole number of at least 1, not {raw!r}")
    return int(raw)
