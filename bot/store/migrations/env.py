"""Alembic's entry point, for streakbot itself and for the ``alembic`` command.

streakbot passes its connection in ``config.attributes["connection"]`` (already in a
transaction, under the migration lock): the migrations run inside that transaction. The
``alembic`` command (repo-root ``alembic.ini``) connects to ``DATABASE_URL`` or the
default SQLite file, like streakbot does.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from bot.store import tables  # noqa: F401  (registers every table on ``metadata``)
from bot.store.db import metadata, normalise_database_url, open_engine
from bot.store.locking import exclusive

config = context.config


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or normalise_database_url(
        os.environ.get("DATABASE_URL")
    )


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters most things by copying the table: let autogenerate write that.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it."""
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = open_engine(_url())
    try:
        with exclusive(engine) as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
