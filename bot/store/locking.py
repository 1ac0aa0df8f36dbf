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
    """A transaction that one process at a time holds (PostgreSQL advisory lock).

    SQLite serialises writers by itself.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
        yield conn


def describe(engine: Engine) -> str:
    """A safe label for logs and messages (no password)."""
    return engine.url.render_as_string(hide_password=True)
