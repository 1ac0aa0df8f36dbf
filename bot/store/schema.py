"""The store's schema is owned by the Alembic migrations in ``bot/store/migrations/``.

:func:`ensure_schema` runs before any use of the store: a store at :data:`HEAD_REVISION`
costs one ``SELECT`` and no Alembic import; anything else is migrated under the
advisory lock of :func:`~bot.store.locking.exclusive` (a write lock on SQLite), so two
processes starting at once migrate it once. A store made before migrations existed
(the baseline tables, no ``alembic_version``) is stamped at :data:`BASELINE_REVISION`
first, keeping its rows.

A store with no table at all is built at head directly, as Alembic's cookbook has it
("Building an Up to Date Database from Scratch": ``metadata.create_all``, then stamp the
head): a test checks that it is the same schema, table by table, as the migrations make.
The stamp is the one row Alembic's ``stamp`` writes, so neither imports Alembic: on a new
PostgreSQL store, importing Alembic and running five migrations took 0.25 s of a first
use whose answer takes 0.8 s.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from bot.domain.errors import SchemaError as SchemaError  # noqa: PLC0414 (re-export)
from bot.store.locking import describe, exclusive
from bot.store.revision import BASELINE_REVISION as BASELINE_REVISION  # noqa: PLC0414 (re-export)
from bot.store.revision import HEAD_REVISION as HEAD_REVISION  # noqa: PLC0414 (re-export)

if TYPE_CHECKING:
    from alembic.config import Config

BASELINE_TABLES = frozenset({"bars", "series", "subscriptions", "posts", "seen_events"})

VERSION_TABLE = "alembic_version"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(engine: Engine) -> str | None:
    """The store's revision, or ``None`` when it has none (empty or pre-migrations)."""
    with engine.connect() as conn:
        return _revision(conn)


def is_legacy(engine: Engine) -> bool:
    """Tables from before migrations existed, and no revision yet."""
    with engine.connect() as conn:
        return _revision(conn) is None and bool(_baseline_tables(conn))


def ensure_schema(engine: Engine) -> str:
    """Bring the store to :data:`HEAD_REVISION` unless it is there already; the revision."""
    if current_revision(engine) == HEAD_REVISION:
        return HEAD_REVISION
    return upgrade(engine)


def upgrade(engine: Engine) -> str:
    """Migrate the store to the newest revision (stamping a pre-migrations store first;
    building an empty one at head)."""
    # exclusive takes SQLite's write lock first, so a second process waits there (busy
    # timeout) instead of creating the same tables; SQLite's DDL is transactional.
    with exclusive(engine) as conn:
        if not inspect(conn).get_table_names():
            create_at_head(conn)
            return HEAD_REVISION
        return _migrate(engine, conn)


def create_at_head(conn: Connection) -> None:
    """Every table as of :data:`HEAD_REVISION`, and the stamp, in ``conn``'s transaction."""
    from bot.store import tables  # noqa: PLC0415 (the tables; a store at head never needs them)

    tables.bars.metadata.create_all(conn, checkfirst=False)  # the store was checked to be empty
    conn.execute(text(
        f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL, "
        f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))"
    ))
    conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:head)"), {"head": HEAD_REVISION})


def _migrate(engine: Engine, conn: Connection) -> str:
    """Alembic's upgrade to head over ``conn`` (inside :func:`upgrade`'s lock)."""
    from alembic import command  # noqa: PLC0415 (heavy; a store at head never needs it)
    from alembic.util import CommandError  # noqa: PLC0415 (as above)

    cfg = alembic_config(conn)
    try:
        if _revision(conn) is None:
            found = _baseline_tables(conn)
            if found == BASELINE_TABLES:
                command.stamp(cfg, BASELINE_REVISION)
            elif found:
                missing = ", ".join(sorted(BASELINE_TABLES - found))
                raise SchemaError(
                    f"the store at {describe(engine)} has some of streakbot's tables but "
                    f"not {missing}, and no schema revision: it cannot be migrated safely"
                )
        command.upgrade(cfg, "head")
    except CommandError as exc:
        raise SchemaError(
            f"the store at {describe(engine)} cannot be migrated: {exc} "
            "(was it migrated by a newer streakbot?)"
        ) from None
    revision = _revision(conn)
    assert revision is not None
    return revision


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration from the package (no ``alembic.ini`` needed).

    With ``connection``, ``env.py`` migrates over it, inside its transaction.
    """
    from alembic.config import Config  # noqa: PLC0415 (heavy; a store at head never needs it)

    # Alembic's default stdout is sys.stdout as it was when alembic was imported, which may
    # be a stream closed since (a test's capture); ask for the current one.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return ",".join(sorted(rows)) or None


def _baseline_tables(conn: Connection) -> frozenset[str]:
    return BASELINE_TABLES & frozenset(inspect(conn).get_table_names())
