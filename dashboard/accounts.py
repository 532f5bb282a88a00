"""Accounts, API tokens and the audit log: one SQLite file kept beside the store, never in it.

An import replaces the store file; the accounts file is another file, so accounts, tokens and
the audit log survive every import. `$CAREGAP_ACCOUNTS` names it; by default it is
`caregap-accounts.sqlite` in the store's folder.

- Passwords are hashed with Argon2id (argon2-cffi, its default parameters: RFC 9106's second
  recommended option); a hash made with older parameters is rehashed at the next login.
- API tokens are 256-bit random strings shown once; only their SHA-256 is stored (a token has
  far too much entropy for a slow hash to matter, and it is checked on every API call).
- Sessions are kept here too (a random id in the signed cookie, its hash here): signing out
  ends the session on the server, so a copy of the cookie is dead; a new password or a removal
  ends every open session of the account.
- The audit log is append-only: triggers refuse UPDATE and DELETE on it.
- A signing key for session cookies is generated once and kept here, so every server worker
  and every restart agrees on it (`$CAREGAP_SECRET_KEY` overrides it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.scope import ROLES

ACCOUNTS_ENV = "CAREGAP_ACCOUNTS"
SECRET_ENV = "CAREGAP_SECRET_KEY"
FILE_NAME = "caregap-accounts.sqlite"
TOKEN_PREFIX = "cgk_"
MIN_PASSWORD = 10
#: Names people type: letters, digits and . _ - @ (no spaces, nothing a header could split on).
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")
MAX_NAME = 64

_HASHER = PasswordHasher()
#: Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    stations TEXT NOT NULL DEFAULT '[]',
    areas TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT,
    generation INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_login TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT,
    role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    area TEXT,
    detail TEXT
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class AccountError(ValueError):
    """A request about accounts that cannot be done; `key` names the message (cli.toml
    `users_*`), `fields` fill it."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    stations: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    generation: int = 0
    created_at: str = ""
    last_login: str | None = None
    active_tokens: int = 0


def default_path(db: Path) -> Path:
    """$CAREGAP_ACCOUNTS, else caregap-accounts.sqlite beside the store."""
    explicit = os.environ.get(ACCOUNTS_ENV, "").strip()
    return Path(explicit) if explicit else Path(db).parent / FILE_NAME


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Accounts:
    """The accounts file. Each call opens its own short connection: safe across server threads
    and processes (SQLite's locking, WAL journal), nothing held between requests."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready: tuple[int, int] | None = None  # the file (inode, device) the schema is in

    @contextmanager
    def _db(self, *, create: bool = False) -> Iterator[sqlite3.Connection]:
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            stat = self.path.stat()
            if self._ready != (stat.st_ino, stat.st_dev):
                # once per file per process: the schema, WAL, and the owner-only mode
                con.execute("PRAGMA journal_mode = WAL")
                con.executescript(SCHEMA)
                os.chmod(self.path, 0o600)  # hashes and the signing key: the owner's only
                self._ready = (stat.st_ino, stat.st_dev)
            yield con
        finally:
            con.close()

    # -- reading ----------------------------------------------------------------------------

    def has_users(self) -> bool:
        """Whether any account exists (none: the server runs open, if it may)."""
        if not self.path.exists():
            return False
        with self._db() as con:
            return con.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def get(self, name: str) -> Account | None:
        if not self.path.exists():
            return None
        with self._db() as con:
            row = con.execute(_ACCOUNT_SQL + " WHERE u.name = ?", (name,)).fetchone()
        return _account(row) if row else None

    def list(self) -> list[Account]:
        if not self.path.exists():
            return []
        with self._db() as con:
            rows = con.execute(_ACCOUNT_SQL + " ORDER BY u.name").fetchall()
        return [_account(r) for r in rows]

    # -- changing ---------------------------------------------------------------------------

    def add(
        self,
        name: str,
        role: str,
        password: str,
        *,
        stations: tuple[str, ...] = (),
        areas: tuple[str, ...] = (),
    ) -> Account:
        check_name(name)
        check_grant(role, stations, areas)
        check_password(password)
        with self._db(create=True) as con:
            try:
                con.execute(
                    "INSERT INTO users"
                    " (name, role, stations, areas, password_hash, generation, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        name,
                        role,
                        json.dumps(list(stations)),
                        json.dumps(list(areas)),
                        _HASHER.hash(password),
                        # a name removed and added again is another account: no old session
                        # of the name matches its generation
                        secrets.randbits(48),
                        _now(),
                    ),
                )
            except sqlite3.IntegrityError:
                raise AccountError("users_exists", name=name) from None
        return self.get(name)  # type: ignore[return-value]

    def remove(self, name: str) -> None:
        with self._db(create=True) as con:
            if con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
                raise AccountError("users_unknown", name=name)

    def set_password(self, name: str, password: str) -> None:
        """A new password; the account's open sessions end (its generation moves on)."""
        check_password(password)
        with self._db(create=True) as con:
            changed = con.execute(
                "UPDATE users SET password_hash = ?, generation = generation + 1 WHERE name = ?",
                (_HASHER.hash(password), name),
            ).rowcount
            con.execute(
                "UPDATE sessions SET ended_at = ? WHERE user = ? AND ended_at IS NULL",
                (_now(), name),
            )
        if not changed:
            raise AccountError("users_unknown", name=name)

    def verify(self, name: str, password: str) -> Account | None:
        """The account if `password` is its password (None otherwise, in the same time)."""
        account_hash = None
        if self.path.exists():
            with self._db() as con:
                row = con.execute(
                    "SELECT password_hash FROM users WHERE name = ?", (name,)
                ).fetchone()
            account_hash = row[0] if row else None
        try:
            _HASHER.verify(account_hash or _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account_hash is None:
            return None
        with self._db() as con:
            if _HASHER.check_needs_rehash(account_hash):
                con.execute(
                    "UPDATE users SET password_hash = ? WHERE name = ?",
                    (_HASHER.hash(password), name),
                )
            con.execute("UPDATE users SET last_login = ? WHERE name = ?", (_now(), name))
        return self.get(name)

    # -- tokens -----------------------------------------------------------------------------

    def new_token(self, name: str) -> str:
        """A new API token for `name`, returned once (only its hash is kept)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._db(create=True) as con:
            if not con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError("users_unknown", name=name)
            con.execute(
                "INSERT INTO tokens (token_hash, user, created_at) VALUES (?, ?, ?)",
                (_token_hash(token), name, _now()),
            )
        return token

    def revoke_tokens(self, name: str) -> int:
        """Revoke every active token of `name`; how many were revoked."""
        with self._db(create=True) as con:
            if not con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError("users_unknown", name=name)
            return con.execute(
                "UPDATE tokens SET revoked_at = ? WHERE user = ? AND revoked_at IS NULL",
                (_now(), name),
            ).rowcount

    def token_account(self, token: str) -> Account | None:
        """The account an active token belongs to (None: unknown or revoked)."""
        if not token.startswith(TOKEN_PREFIX) or not self.path.exists():
            return None
        with self._db() as con:
            row = con.execute(
                "SELECT user FROM tokens WHERE token_hash = ? AND revoked_at IS NULL",
                (_token_hash(token),),
            ).fetchone()
        return self.get(row[0]) if row else None

    # -- sessions ---------------------------------------------------------------------------

    def start_session(self, name: str) -> str:
        """A new session of `name`: its id, for the signed cookie (only its hash is kept)."""
        session_id = secrets.token_urlsafe(32)
        with self._db(create=True) as con:
            con.execute(
                "INSERT INTO sessions (id_hash, user, started_at) VALUES (?, ?, ?)",
                (_token_hash(session_id), name, _now()),
            )
        return session_id

    def session_open(self, session_id: str, name: str) -> bool:
        """Whether the session is `name`'s and has not ended."""
        if not session_id or not self.path.exists():
            return False
        with self._db() as con:
            row = con.execute(
                "SELECT 1 FROM sessions WHERE id_hash = ? AND user = ? AND ended_at IS NULL",
                (_token_hash(session_id), name),
            ).fetchone()
        return row is not None

    def end_session(self, session_id: str) -> None:
        with self._db(create=True) as con:
            con.execute(
                "UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
                (_now(), _token_hash(session_id)),
            )

    # -- audit ------------------------------------------------------------------------------

    def record(
        self,
        action: str,
        *,
        user: str | None,
        role: str | None,
        target: str = "",
        area: str = "",
        detail: str = "",
    ) -> None:
        """Append one entry to the audit log."""
        with self._db(create=True) as con:
            con.execute(
                "INSERT INTO audit (at, user, role, action, target, area, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_now(), user, role, action, target, area, detail),
            )

    def audit(self, *, limit: int = 200, user: str | None = None) -> list[dict[str, object]]:
        """The latest entries, newest first."""
        if not self.path.exists():
            return []
        where, args = ("WHERE user = ?", [user]) if user else ("", [])
        with self._db() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute(
                f"SELECT seq, at, user, role, action, target, area, detail FROM audit {where}"
                " ORDER BY seq DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        return [dict(r) for r in rows]

    # -- the session signing key ------------------------------------------------------------

    def secret_key(self) -> str:
        """$CAREGAP_SECRET_KEY, else the key kept in this file (made on first use)."""
        explicit = os.environ.get(SECRET_ENV, "").strip()
        if explicit:
            return explicit
        with self._db(create=True) as con:
            con.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('secret_key', ?)",
                (secrets.token_hex(32),),
            )
            return con.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()[0]


_ACCOUNT_SQL = """
SELECT u.name, u.role, u.stations, u.areas, u.generation, u.created_at, u.last_login,
       (SELECT count(*) FROM tokens t WHERE t.user = u.name AND t.revoked_at IS NULL)
FROM users u
"""


def _account(row: tuple) -> Account:
    name, role, stations, areas, generation, created, last, tokens = row
    return Account(
        name=name,
        role=role,
        stations=tuple(json.loads(stations)),
        areas=tuple(json.loads(areas)),
        generation=int(generation),
        created_at=created,
        last_login=last,
        active_tokens=int(tokens),
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> None:
    if not name or len(name) > MAX_NAME or not set(name) <= NAME_CHARS:
        raise AccountError("users_bad_name", name=name, most=MAX_NAME)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("users_short_password", least=MIN_PASSWORD)


def check_grant(role: str, stations: tuple[str, ...], areas: tuple[str, ...]) -> None:
    """A station account names its stations; only a viewer is limited to areas."""
    if role not in ROLES:
        raise AccountError("users_bad_role", role=role, roles=", ".join(ROLES))
    if role == "station" and not stations:
        raise AccountError("users_station_needs_station")
    if stations and role != "station":
        raise AccountError("users_station_only", role=role)
    if areas and role != "viewer":
        raise AccountError("users_area_only", role=role)
