"""One writer at a time across processes, and a safe label for an engine.

Two processes starting at once (web + clock, two clocks) would otherwise race to migrate
the schema or seed the price store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text

# Any constant works; it only has to be the same in every streakbot process.
_ADVISORY_KEY = 0x57EA4B07


@contextmanager
def exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction that one process at a time holds: a PostgreSQL advisory lock, SQLite's
    write lock taken at the start (``BEGIN IMMEDIATE``).

    SQLite's default transaction takes the write lock only at its first write, so two
    processes could both read "empty" and then both seed (the second failing on the
    primary key); with the lock taken first, the second waits (busy timeout) and then
    reads what the first wrote.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


def describe(engine: Engine) -> str:
    """A safe label for logs and messages (no password)."""
    return engine.url.render_as_string(hide_password=True)
