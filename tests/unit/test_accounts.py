"""The accounts file: Argon2id hashes, tokens kept only as hashes, sessions ended by a new
password, an append-only audit log, and the refusals a clerk reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dashboard.accounts import TOKEN_PREFIX, AccountError, Accounts, default_path


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite")


def _raw(accounts: Accounts, sql: str) -> list[tuple]:
    with sqlite3.connect(accounts.path) as con:
        return con.execute(sql).fetchall()


def test_no_file_means_no_users_and_nothing_is_created(accounts: Accounts) -> None:
    assert not accounts.has_users()
    assert accounts.get("ann") is None and accounts.list() == []
    assert accounts.verify("ann", "whatever-password") is None
    assert not accounts.path.exists()


def test_a_password_is_stored_as_an_argon2id_hash_only(accounts: Accounts) -> None:
    accounts.add("ann", "planner", "correct horse battery")
    [(stored,)] = _raw(accounts, "SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert accounts.path.stat().st_mode & 0o077 == 0  # the owner's only


def test_verify_accepts_the_password_and_refuses_anything_else(accounts: Accounts) -> None:
    accounts.add("ann", "planner", "correct horse battery")
    assert accounts.verify("ann", "correct horse battery").name == "ann"
    assert accounts.verify("ann", "correct horse batterY") is None
    assert accounts.verify("bob", "correct horse battery") is None
    assert accounts.get("ann").last_login is not None


def test_a_new_password_moves_the_generation_on(accounts: Accounts) -> None:
    accounts.add("ann", "planner", "correct horse battery")
    before = accounts.get("ann").generation
    accounts.set_password("ann", "another long password")
    assert accounts.get("ann").generation == before + 1
    assert accounts.verify("ann", "correct horse battery") is None


def test_a_token_is_shown_once_and_kept_as_a_hash(accounts: Accounts) -> None:
    accounts.add("ann", "planner", "correct horse battery")
    token = accounts.new_token("ann")
    assert token.startswith(TOKEN_PREFIX) and len(token) > 40
    stored = _raw(accounts, "SELECT token_hash FROM tokens")
    assert stored and all(token not in row[0] for row in stored)
    assert accounts.token_account(token).name == "ann"
    assert accounts.token_account(token + "x") is None
    assert accounts.revoke_tokens("ann") == 1
    assert accounts.token_account(token) is None
    assert accounts.get("ann").active_tokens == 0


def test_removing_an_account_ends_its_tokens(accounts: Accounts) -> None:
    accounts.add("ann", "planner", "correct horse battery")
    token = accounts.new_token("ann")
    accounts.remove("ann")
    assert accounts.token_account(token) is None
    with pytest.raises(AccountError) as refused:
        accounts.remove("ann")
    assert refused.value.key == "users_unknown"


def test_the_audit_log_is_append_only(accounts: Accounts) -> None:
    accounts.record("view", user="ann", role="planner", target="/map", area="140403")
    accounts.record("download", user="ann", role="planner", target="top_gaps.csv")
    assert [e["action"] for e in accounts.audit()] == ["download", "view"]
    with sqlite3.connect(accounts.path) as con:
        for statement in ("DELETE FROM audit", "UPDATE audit SET user = 'eve'"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(statement)
    assert len(accounts.audit(user="ann")) == 2


def test_the_signing_key_is_made_once_and_kept(accounts: Accounts, monkeypatch) -> None:
    first = accounts.secret_key()
    assert len(first) == 64 and accounts.secret_key() == first
    monkeypatch.setenv("CAREGAP_SECRET_KEY", "from-the-environment")
    assert accounts.secret_key() == "from-the-environment"


@pytest.mark.parametrize(
    ("name", "role", "password", "stations", "areas", "key"),
    [
        ("Ann Lee", "planner", "long enough pw", (), (), "users_bad_name"),
        ("ann", "boss", "long enough pw", (), (), "users_bad_role"),
        ("ann", "planner", "short", (), (), "users_short_password"),
        ("ann", "station", "long enough pw", (), (), "users_station_needs_station"),
        ("ann", "planner", "long enough pw", ("S1",), (), "users_station_only"),
        ("ann", "station", "long enough pw", ("S1",), ("D1",), "users_area_only"),
    ],
)
def test_what_cannot_be_an_account_is_refused_with_its_reason(
    accounts: Accounts, name, role, password, stations, areas, key
) -> None:
    with pytest.raises(AccountError) as refused:
        accounts.add(name, role, password, stations=stations, areas=areas)
    assert refused.value.key == key
    assert not accounts.has_users()


def test_a_name_is_taken_once(accounts: Accounts) -> None:
    accounts.add("ann", "viewer", "long enough pw", areas=("D1",))
    with pytest.raises(AccountError) as refused:
        accounts.add("ann", "planner", "long enough pw")
    assert refused.value.key == "users_exists"
    assert accounts.get("ann").areas == ("D1",)


def test_the_file_lives_beside_the_store_unless_told(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CAREGAP_ACCOUNTS", raising=False)
    assert default_path(tmp_path / "var" / "caregap.duckdb") == (
        tmp_path / "var" / "caregap-accounts.sqlite"
    )
    monkeypatch.setenv("CAREGAP_ACCOUNTS", str(tmp_path / "elsewhere.sqlite"))
    assert default_path(tmp_path / "x.duckdb") == tmp_path / "elsewhere.sqlite"


def test_a_session_is_open_until_signed_out_or_the_password_changes(accounts: Accounts) -> None:
    accounts.add("ann", "planner", "correct horse battery")
    first, second = accounts.start_session("ann"), accounts.start_session("ann")
    assert accounts.session_open(first, "ann") and accounts.session_open(second, "ann")
    assert not accounts.session_open(first, "bob") and not accounts.session_open("", "ann")
    accounts.end_session(first)
    assert not accounts.session_open(first, "ann") and accounts.session_open(second, "ann")
    accounts.set_password("ann", "another long password")
    assert not accounts.session_open(second, "ann")
    stored = _raw(accounts, "SELECT id_hash FROM sessions")
    assert all(first not in row[0] and second not in row[0] for row in stored)
