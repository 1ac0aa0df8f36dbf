"""``streakbot db upgrade|current`` on SQLite and PostgreSQL, and a pre-migrations store
adopted by the first ordinary command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import NOW, FakeFetcher, sqlite_url
from store_before_migrations import ROWS, create_legacy_store, rows

from bot.adapters.calendar import NyseCalendar
from bot.adapters.sources import DataSourceError
from bot.bootstrap import Services, bootstrap
from bot.cli import main
from bot.settings import Settings
from bot.store.db import open_engine
from bot.store.schema import HEAD_REVISION, current_revision

HEAD_LINE = f"{HEAD_REVISION} (head)\n"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return sqlite_url(tmp_path / "store.sqlite3")


def run(capsys: pytest.CaptureFixture[str], *argv: str, services: Services | None = None) -> tuple[int, str, str]:
    code = main(list(argv), services=services)
    out, err = capsys.readouterr()
    return code, out, err


def tables_of(url: str) -> set[str]:
    engine = open_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_current_then_upgrade_then_current_from_database_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", store_url)

    code, out, err = run(capsys, "db", "current")
    assert (code, out) == (1, "")
    assert err.startswith("streakbot: the store at ")
    assert err.endswith(" is not initialised (no revision): `streakbot db upgrade` creates its tables.\n")
    assert tables_of(store_url) == set()  # `current` only looks

    assert run(capsys, "db", "upgrade") == (0, HEAD_LINE, "")
    assert "subscriptions" in tables_of(store_url)
    assert run(capsys, "db", "current") == (0, HEAD_LINE, "")
    assert run(capsys, "db", "upgrade") == (0, HEAD_LINE, "")  # at head: nothing to do


def test_upgrade_adopts_a_store_made_before_migrations(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, store_url: str
) -> None:
    engine = open_engine(store_url)
    try:
        create_legacy_store(engine)
        monkeypatch.setenv("DATABASE_URL", store_url)

        code, out, err = run(capsys, "db", "current")
        assert (code, out) == (1, "")
        assert err.endswith(
            " was made before schema migrations (tables, no revision): "
            "`streakbot db upgrade` adopts it, keeping its data.\n"
        )
        assert current_revision(engine) is None

        assert run(capsys, "db", "upgrade") == (0, HEAD_LINE, "")
        assert rows(engine) == ROWS
    finally:
        engine.dispose()


def test_db_uses_the_injected_store(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    calendar: NyseCalendar) -> None:
    url = sqlite_url(tmp_path / "injected.sqlite3")
    engine = open_engine(url)
    services = bootstrap(Settings(_env_file=None), calendar=calendar, engine=engine)
    try:
        assert run(capsys, "db", "current", services=services)[0] == 1
        assert run(capsys, "db", "upgrade", services=services) == (0, HEAD_LINE, "")
        assert current_revision(engine) == HEAD_REVISION
    finally:
        engine.dispose()


def test_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    code, out, err = run(capsys, "db", "current")
    assert (code, out) == (1, "")
    assert err.startswith("streakbot: cannot use the store at postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert err.count("\n") == 1


def test_malformed_database_url_is_one_line(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "not a url")
    assert run(capsys, "db", "upgrade") == (
        2, "", "streakbot: DATABASE_URL is not a database URL: "
               "use postgresql://user:password@host:5432/dbname, or leave it unset for SQLite.\n",
    )


def test_db_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "db")
    assert (code, out) == (2, "")
    assert err == "streakbot: the following arguments are required: ACTION\n"


def test_records_on_a_seeded_store_from_before_migrations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeded_sqlite_template: Path,
    calendar: NyseCalendar,
) -> None:
    """The bundled data stored by the release before migrations: the first `records`
    adopts the store and answers from the same rows."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(seeded_sqlite_template, path)
    url = sqlite_url(path)
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
        # and what the migrations after the baseline added: the schema of that release
        conn.execute(sa.text("DROP INDEX ix_seen_events_seen_at"))
        conn.execute(sa.text("ALTER TABLE seen_events DROP COLUMN answered_at"))
        conn.execute(sa.text("DROP TABLE instruments"))
        for table in ("slack_installations", "slack_bots", "slack_oauth_states"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.text("DROP TABLE alert_channels"))
        conn.execute(sa.text("DROP TABLE alert_posts"))
        before = conn.execute(sa.text("SELECT count(*), sum(close) FROM bars")).one()
    services = bootstrap(
        Settings(_env_file=None, database_url=url),
        calendar=calendar, clock=lambda: NOW,
        fetcher_factory=lambda: FakeFetcher(error=DataSourceError("no network in tests")),
    )
    try:
        assert current_revision(engine) is None
        code, out, err = run(capsys, "records", "RUT", "--as-of", "2025-09-18", "--json", services=services)
        assert (code, err) == (0, "")
        got = json.loads(out)
        assert (got["symbol"], got["is_record"], got["close"]) == ("^RUT", True, 2467.7)
        assert got["previous_record"] == {"date": "2021-11-08", "close": 2442.74}
        assert current_revision(engine) == HEAD_REVISION
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*), sum(close) FROM bars")).one() == before
    finally:
        services.engine.dispose()
        engine.dispose()
