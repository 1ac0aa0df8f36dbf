"""Start-up and configuration failures: one line on stderr, the right exit status, no secret.

Exit status 2 for configuration or usage, 1 when an outside service or the machine failed;
the traceback only with ``-v``. Each case runs through :func:`bot.cli.main` with the
settings read from the environment (as in production); two also run the installed
``streakbot`` console script in a clean environment.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from fakeslack import FakeSlack
from isolation import PROXY_VARS, console_script
from pydantic import ValidationError
from slack_harness import BOT_TOKEN, SIGNING_SECRET
from slack_stack import free_port

from bot.adapters.calendar import NyseCalendar
from bot.bootstrap import bootstrap
from bot.cli import main
from bot.failures import explain
from bot.settings import Settings, validation_message
from bot.store.db import PG_CONNECT_TIMEOUT, make_engine, pg_connect_args

SECRET = "hunter2-do-not-print"
EXAMPLE = "use postgresql://user:password@host:5432/dbname, or leave it unset for SQLite."


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No .env from the working directory, no Slack or port settings from the shell, and
    the default SQLite store under tmp_path."""
    monkeypatch.chdir(tmp_path)
    for name in (*PROXY_VARS, "PORT", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
                 "SLACK_API_URL", "STREAKBOT_LOG_LEVEL", "STREAKBOT_DAILY_RETRY_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str) -> str:
    """The single stderr line (asserts there is exactly one, and no traceback)."""
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    return lines[0]


# --------------------------------------------------------------------------- DATABASE_URL
@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"not a url {SECRET}", f"DATABASE_URL is not a database URL: {EXAMPLE}"),
        (f"mysql://u:{SECRET}@db.example/prices",
         f"DATABASE_URL names a database streakbot cannot use (mysql): {EXAMPLE}"),
        (f"oracle+nosuchdriver://u:{SECRET}@h/db",
         f"DATABASE_URL names a database streakbot cannot use (oracle+nosuchdriver): {EXAMPLE}"),
    ],
)
def test_malformed_database_url_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    status, out, err = run(["streak", "RUT", "SPX"], capsys)
    assert (status, out) == (2, "")
    assert one_line(err) == f"streakbot: {message}"
    assert SECRET not in err


def test_unreachable_database_exits_1_naming_it_without_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there: the connection is refused at once
    monkeypatch.setenv("DATABASE_URL", f"postgres://trader:{SECRET}@127.0.0.1:{port}/prices")
    status, out, err = run(["records", "SPX"], capsys)
    assert (status, out) == (1, "")
    assert one_line(err) == (
        f"streakbot: cannot use the database postgresql+psycopg://trader:***@127.0.0.1:{port}/prices: "
        f'connection failed: connection to server at "127.0.0.1", port {port} failed: Connection refused'
    )
    assert SECRET not in err


def test_bad_connection_option_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:{SECRET}@127.0.0.1:{free_port()}/db?colour=blue")
    status, _, err = run(["streak", "SPX"], capsys)
    assert status == 2
    line = one_line(err)
    assert line.endswith('refused the connection settings: invalid connection option "colour"'), line
    assert SECRET not in err


def test_postgres_connect_timeout_is_set_unless_the_url_sets_one() -> None:
    assert PG_CONNECT_TIMEOUT == 10
    assert pg_connect_args(sa.make_url("postgresql+psycopg://u@h/db")) == {"connect_timeout": 10}
    assert pg_connect_args(sa.make_url("postgresql+psycopg://u@h/db?connect_timeout=2")) == {}


# --------------------------------------------------------------------------- settings
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "abc"}, "PORT must be a whole number from 1 to 65535, got 'abc'."),
        ({"PORT": "70000"}, "PORT must be a whole number from 1 to 65535, got '70000'."),
        ({"STREAKBOT_OFFLINE": "maybe"}, "STREAKBOT_OFFLINE must be true or false, got 'maybe'."),
        ({"STREAKBOT_DAILY_RETRY_MINUTES": "-5"}, "STREAKBOT_DAILY_RETRY_MINUTES must be at least 0, got '-5'."),
        ({"PORT": "x", "STREAKBOT_DAILY_RETRY_MINUTES": "1.5"},
         "PORT must be a whole number from 1 to 65535, got 'x'; "
         "STREAKBOT_DAILY_RETRY_MINUTES must be a whole number, got '1.5'."),
    ],
)
def test_bad_settings_exit_2_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    status, out, err = run(["leaders"], capsys)
    assert (status, out) == (2, "")
    assert one_line(err) == f"streakbot: {message}"


def test_a_secret_setting_is_named_but_never_echoed() -> None:
    with pytest.raises(ValidationError) as err:
        Settings(_env_file=None, SLACK_SIGNING_SECRET=12345678, PORT="nope")
    message = validation_message(err.value)
    assert message == (
        "SLACK_SIGNING_SECRET must be text (the value is secret, so it is not shown); "
        "PORT must be a whole number from 1 to 65535, got 'nope'."
    )
    assert "12345678" not in message


def test_bad_port_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["serve", "--port", "abc"], capsys)
    assert status == 2
    assert one_line(err) == (
        "streakbot: argument --port: 'abc' is not a port: use a whole number from 1 to 65535."
    )


# --------------------------------------------------------------------------- Slack tokens
def test_serve_with_a_token_slack_rejects_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeSlack(valid_tokens={"xoxb-the-real-one"}) as fk:
        monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
        monkeypatch.setenv("SLACK_API_URL", fk.base_url)
        status, _, err = run(["serve"], capsys)
        assert [c.method for c in fk.calls()] == ["auth.test"]  # checked before any worker starts
    assert status == 2
    assert one_line(err) == "streakbot: Slack rejected SLACK_BOT_TOKEN (invalid_auth); check the token."
    assert BOT_TOKEN not in err and SIGNING_SECRET not in err


def test_serve_when_slack_cannot_be_reached_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    api = f"http://127.0.0.1:{free_port()}/api/"
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", api)
    status, _, err = run(["serve"], capsys)
    assert status == 1
    assert one_line(err) == f"streakbot: cannot reach Slack at {api}: [Errno 111] Connection refused"


# --------------------------------------------------------------------------- data and disk
def test_corrupt_data_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "closes"
    folder.mkdir()
    (folder / "GSPC.csv").write_bytes(b"\x1f\x8b not a csv \x00\x01\x02")
    (folder / "RUT.csv").write_text("date,close\n2025-12-30,2500.0\n2025-12-31,2510.0\n")
    status, out, err = run(["--data-dir", str(folder), "streak", "RUT", "SPX"], capsys)
    assert (status, out) == (1, "")
    line = one_line(err)
    assert line == (f"streakbot: data folder {folder} refused: "
                    "GSPC.csv: not UTF-8 text (byte 1: invalid start byte)"), line


def test_a_full_disk_under_the_store_exits_1_naming_the_folder(
    tmp_path: Path, calendar: NyseCalendar, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's page limit stands in for the disk: the same SQLITE_FULL error a full disk
    gives ("database or disk is full") while the store is seeded."""
    path = tmp_path / "store" / "prices.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _small(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA max_page_count=40")

    engine.dispose()  # new connections get the limit
    monkeypatch.setenv("DATABASE_URL", url)
    services = bootstrap(Settings(), calendar=calendar, engine=engine)
    status = main(["streak", "RUT", "SPX"], services)
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert one_line(err) == f"streakbot: the disk is full at {path.parent}: free some space and try again."


def test_no_space_left_on_device_names_the_folder(tmp_path: Path) -> None:
    exc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "store" / "x.sqlite3"))
    failure = explain(exc, database_url=None)
    assert failure is not None
    assert (failure.status, failure.message) == (
        1, f"the disk is full at {tmp_path / 'store'}: free some space and try again."
    )


# --------------------------------------------------------------------------- -v
def test_verbose_adds_the_traceback_before_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:{SECRET}@127.0.0.1:{free_port()}/db")
    status, _, err = run(["-v", "streak", "SPX"], capsys)
    assert status == 1
    assert err.startswith("Traceback (most recent call last):")
    assert "sqlalchemy.exc.OperationalError" in err
    assert err.splitlines()[-1].startswith("streakbot: cannot use the database postgresql+psycopg://u:***@")
    assert SECRET not in err


# --------------------------------------------------------------------------- console script
@pytest.mark.parametrize(
    ("env", "argv", "status", "line"),
    [
        ({"DATABASE_URL": f"postgres//u:{SECRET}@host/db"}, ["streak", "RUT", "SPX"], 2,
         f"streakbot: DATABASE_URL is not a database URL: {EXAMPLE}"),
        ({"PORT": "abc", "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}, ["serve"], 2,
         "streakbot: PORT must be a whole number from 1 to 65535, got 'abc'."),
    ],
)
@pytest.mark.e2e
def test_console_script_prints_one_line(
    tmp_path: Path, env: dict[str, str], argv: list[str], status: int, line: str
) -> None:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8", **env}
    proc = subprocess.run(
        [str(console_script()), *argv], env=clean, cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert (proc.returncode, proc.stdout) == (status, ""), proc.stderr
    assert proc.stderr == line + "\n"
    assert SECRET not in proc.stderr
