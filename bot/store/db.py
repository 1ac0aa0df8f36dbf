"""Engine creation and the shared table metadata.

``DATABASE_URL`` picks the database; without it a SQLite file in the user's data
directory is used. Heroku-style ``postgres://`` URLs are rewritten to
``postgresql+psycopg://`` (SQLAlchemy 2 dropped the ``postgres`` name).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url

metadata = MetaData()


def default_sqlite_path() -> Path:
    """``<user data dir>/streakbot/streakbot.sqlite3``."""
    return Path(user_data_dir("streakbot", appauthor=False)) / "streakbot.sqlite3"


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


def open_engine(url: str | None) -> Engine:
    """An engine on the store, its schema left as it is (``streakbot db current``).

    SQLite gets WAL and a busy timeout so a web process and a clock process can share
    one file."""
    full = normalise_database_url(url)
    parsed = make_url(full)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(full, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(full, connect_args={"timeout": 30})

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
    from bot.store.schema import ensure_schema

    engine = open_engine(url)
    ensure_schema(engine)
    return engine


# Any constant works; it only has to be the same in every streakbot process.
_ADVISORY_KEY = 0x57EA4B07


@contextmanager
def exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction that one process at a time holds (PostgreSQL advisory lock).

    Two processes starting at once (web + clock, two clocks) would otherwise race to
    migrate the schema or seed the price store. SQLite serialises writers by itself.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
        yield conn


def describe(engine: Engine) -> str:
    """A safe label for logs and messages (no password)."""
    return engine.url.render_as_string(hide_password=True)
