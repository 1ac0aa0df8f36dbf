"""The PostgreSQL server the tests and benchmarks use, and a fresh schema per use.

Each user gets its own schema, selected with ``options=-csearch_path=<schema>`` (the libpq
``options`` connect argument, carried in the URL so :func:`bot.store.db.make_engine` can
use it), and drops it afterwards: runs sharing the server never see each other's tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

PG_BASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_engine(connect_timeout: int = 2) -> sa.Engine:
    """An engine on the server, checked with one query; ``ConnectionError`` with the reason
    when the server is not reachable."""
    admin = sa.create_engine(
        PG_BASE_URL, connect_args={"connect_timeout": connect_timeout}, poolclass=NullPool
    )
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        admin.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ConnectionError(
            f"PostgreSQL not reachable at 127.0.0.1:5432 (database test): {reason}"
        ) from None
    return admin


@contextmanager
def fresh_schema(admin: sa.Engine, prefix: str = "t", connect_timeout: int = 2) -> Iterator[str]:
    """A URL whose connections use a new schema, dropped when the block ends."""
    schema = f"{prefix}_{uuid.uuid4().hex}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_BASE_URL}?options=-csearch_path%3D{schema}&connect_timeout={connect_timeout}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
