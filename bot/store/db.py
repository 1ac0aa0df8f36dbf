"""Engine creation (and, re-exported, the shared table metadata).

``DATABASE_URL`` picks the database; without it a SQLite file in the user's data
directory is used. Heroku-style ``postgres://`` URLs are rewritten to
``postgresql+psycopg://`` (SQLAlchemy 2 dropped the ``postgres`` name).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from bot.domain.errors import ConfigError
from bot.store.metadata import metadata as metadata  # noqa: PLC0414 (re-export)
from bot.store.paths import default_sqlite_path as default_sqlite_path  # noqa: PLC0414 (re-export)
from bot.store.schema import ensure_schema

# Seconds to wait for a PostgreSQL connection before giving up (libpq ``connect_timeout``);
# a URL that sets its own ``connect_timeout`` keeps it.
PG_CONNECT_TIMEOUT = 10

# Pool: 5 kept open, up to 40 more while many threads need one at once (the daily post's
# senders, at most 32, each hold one at a time). The extra ones are closed when returned.
POOL_SIZE = 5
POOL_OVERFLOW = 40

EXAMPLE_URL = "postgresql://user:password@host:5432/dbname"


def normalise_database_url(url: str | None) -> str:
    """The SQLAlchemy URL to use, with ``postgres://`` accepted for PostgreSQL.

    >>> normalise_database_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalise_database_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    if not url:
        return f"sqlite:///{default_sqlite_path()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def parse_database_url(full: str) -> URL:
    """The parsed URL, or :class:`ConfigError` naming the problem (never echoing the URL,
    which holds the password)."""
    try:
        parsed = make_url(full)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL is not a database URL: use {EXAMPLE_URL}, or leave it unset for SQLite."
        ) from None
    try:
        parsed.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise ConfigError(
            f"DATABASE_URL names a database streakbot cannot use ({parsed.drivername}): "
            f"use {EXAMPLE_URL}, or leave it unset for SQLite."
        ) from None
    return parsed


def describe_url(url: str | None) -> str:
    """``DATABASE_URL`` (or the default SQLite file) for messages, password hidden."""
    try:
        return make_url(normalise_database_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "DATABASE_URL"


def pg_connect_args(parsed: URL) -> dict[str, Any]:
    """Connect arguments for PostgreSQL: a connect timeout unless the URL sets one."""
    return {} if "connect_timeout" in parsed.query else {"connect_timeout": PG_CONNECT_TIMEOUT}


def open_engine(url: str | None) -> Engine:
    """An engine on the store, its schema left as it is (``streakbot db current``).

    SQLite gets WAL and a busy timeout so a web process and a clock process can share
    one file; PostgreSQL a connect timeout."""
    full = normalise_database_url(url)
    parsed = parse_database_url(full)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(full, pool_pre_ping=True, connect_args=pg_connect_args(parsed),
                             pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    pool: dict[str, int] = {} if parsed.database in (None, "", ":memory:") else {
        "pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW,
    }
    engine = create_engine(full, connect_args={"timeout": 30}, **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        _use_wal(cur)
        cur.close()

    return engine


def _use_wal(cur: sqlite3.Cursor, attempts: int = 100, pause: float = 0.05) -> None:
    """Switch the file to WAL (persistent, so usually already done).

    Switching needs an exclusive lock and SQLite does not wait on the busy timeout for
    it: two processes opening a new store at once (web + clock) get "database is
    locked" at once. The switch is retried briefly; the file is WAL after the first.
    """
    for attempt in range(attempts):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(pause)


def make_engine(url: str | None) -> Engine:
    """An engine on the store with its schema at the latest migration (an empty store
    is created, one made before migrations existed is adopted; see :mod:`bot.store.schema`)."""
    engine = open_engine(url)
    ensure_schema(engine)
    return engine
