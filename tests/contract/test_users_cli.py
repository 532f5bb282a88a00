"""`caregap users` as a custodian types it, and `caregap serve`'s open-mode rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import is_loopback
from tests.contract.builders import REPO, cli_env, flat, run_cli


def _users(accounts: Path, db: Path, *args: str, stdin: str | None = None, lang: str = "en"):
    command = [sys.executable, "-m", "dashboard", "users", *args]
    command += ["--accounts", str(accounts), "--db", str(db)]
    return subprocess.run(
        command,
        cwd=REPO,
        env=cli_env(lang),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    return tmp_path / "accounts.sqlite"


def test_add_list_token_revoke_remove(accounts: Path, demo_db: Path) -> None:
    from dashboard import data, store

    with store.open_read_only(demo_db) as con:
        station = str(data.stations(con)["station_id"].iloc[0])
    added = _users(
        accounts,
        demo_db,
        "add",
        "sam",
        "--role",
        "station",
        "--station",
        station,
        "--password-stdin",
        stdin="a long password\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Added sam (station)" in added.stderr
    listed = json.loads(_users(accounts, demo_db, "list", "--format", "json").stdout)
    assert listed[0]["name"] == "sam" and listed[0]["stations"] == [station]
    token = _users(accounts, demo_db, "token", "sam")
    assert token.returncode == 0 and token.stdout.strip().startswith("cgk_")
    assert "shown once" in token.stderr
    revoked = _users(accounts, demo_db, "token", "sam", "--revoke")
    assert "Revoked 1 token(s) of sam" in revoked.stderr
    changed = _users(
        accounts, demo_db, "password", "sam", "--password-stdin", stdin="another pw 12\n"
    )
    assert changed.returncode == 0 and "open sessions have ended" in changed.stderr
    removed = _users(accounts, demo_db, "remove", "sam")
    assert removed.returncode == 0
    assert json.loads(_users(accounts, demo_db, "list", "--format", "json").stdout) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "sam", "--role", "station", "--password-stdin"), "needs at least one station"),
        (
            ("add", "sam", "--role", "station", "--station", "NOPE", "--password-stdin"),
            "has no station NOPE",
        ),
        (
            ("add", "vic", "--role", "viewer", "--area", "NOWHERE", "--password-stdin"),
            "has no region NOWHERE",
        ),
        (
            ("add", "pat", "--role", "planner", "--area", "X", "--password-stdin"),
            "--area is for viewer accounts only",
        ),
        (("add", "Pat Lee", "--role", "planner", "--password-stdin"), "cannot be a user name"),
        (("remove", "ghost"), "There is no account called ghost"),
        (("token", "ghost"), "There is no account called ghost"),
    ],
)
def test_refusals_say_what_to_do_and_change_nothing(
    accounts: Path, demo_db: Path, args: tuple[str, ...], words: str
) -> None:
    proc = _users(accounts, demo_db, *args, stdin="a long password\n")
    assert proc.returncode == 1, proc.stderr
    assert words in flat(proc) and "Traceback" not in proc.stderr
    assert json.loads(_users(accounts, demo_db, "list", "--format", "json").stdout) == []


def test_a_short_password_is_refused_in_chinese_too(accounts: Path, demo_db: Path) -> None:
    proc = _users(
        accounts,
        demo_db,
        "add",
        "pat",
        "--role",
        "planner",
        "--password-stdin",
        stdin="short\n",
        lang="zh",
    )
    assert proc.returncode == 1 and "密码太短" in proc.stderr


def test_the_audit_command_prints_the_log_newest_first(accounts: Path, demo_db: Path) -> None:
    from dashboard.accounts import Accounts

    log = Accounts(accounts)
    log.record("view", user="pat", role="planner", target="/", area="140400")
    log.record("api", user="pat", role="planner", target="/api/v1/gaps?level=grid")
    printed = _users(accounts, demo_db, "audit", "--format", "json")
    entries = json.loads(printed.stdout)
    assert [e["action"] for e in entries] == ["api", "view"]
    csv = _users(accounts, demo_db, "audit").stdout.splitlines()
    assert csv[0].startswith("seq,at,user,role,action")


def test_serve_refuses_a_public_address_without_accounts(demo_db: Path, tmp_path: Path) -> None:
    proc = run_cli(
        "serve", "--db", demo_db, "--host", "0.0.0.0", "--accounts", tmp_path / "none.sqlite"
    )
    assert proc.returncode == 2
    assert "Refusing to serve on 0.0.0.0 with no accounts" in flat(proc)
    assert "--open" in flat(proc)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_loopback_is_this_machine_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
