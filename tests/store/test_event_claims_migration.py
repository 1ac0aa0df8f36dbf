"""Migration 0002_event_claims: a store at 0001 is upgraded, its events count as answered.

On SQLite and on PostgreSQL (skipped with the reason when the server is not reachable).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import sqlite_url

from bot.store.db import metadata, open_engine
from bot.store.events import LEASE, EventLedger
from bot.store.schema import (
    BASELINE_REVISION,
    alembic_config,
    current_revision,
    ensure_schema,
)
from bot.store.tables import seen_events

AT = datetime(2025, 12, 31, 21, 15, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bare(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """An empty store whose schema nothing touches until the test says so."""
    url: str = (
        request.getfixturevalue("pg_url") if request.param == "postgres"
        else sqlite_url(tmp_path / "store.sqlite3")
    )
    engine = open_engine(url)
    yield engine
    engine.dispose()


def at_baseline(engine: sa.Engine) -> None:
    """The store as release 0001 left it, with one handled event."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), BASELINE_REVISION)
        conn.execute(sa.text("INSERT INTO seen_events (event_id, seen_at) VALUES (:e, :t)"),
                     {"e": "Ev0ABC", "t": AT})


def test_baseline_store_is_upgraded_and_its_events_count_as_answered(bare: sa.Engine) -> None:
    at_baseline(bare)
    assert current_revision(bare) == BASELINE_REVISION

    with bare.begin() as conn:
        command.upgrade(alembic_config(conn), "0002_event_claims")
    assert current_revision(bare) == "0002_event_claims"
    ensure_schema(bare)  # and on to head

    with bare.connect() as conn:
        (row,) = conn.execute(sa.select(seen_events)).mappings().all()
        diff = list(compare_metadata(MigrationContext.configure(conn), metadata))
    assert diff == []
    assert row["event_id"] == "Ev0ABC"
    assert row["answered_at"] is not None and row["answered_at"] == row["seen_at"]
    # Answered before the upgrade: a retry long after the lease is still dropped.
    assert not EventLedger(bare, lambda: AT + LEASE * 10).claim("Ev0ABC")
    assert EventLedger(bare, lambda: AT + timedelta(seconds=1)).claim("EvNEW")


def test_downgrade_to_the_baseline_keeps_the_events(bare: sa.Engine) -> None:
    at_baseline(bare)
    ensure_schema(bare)
    with bare.begin() as conn:
        command.downgrade(alembic_config(conn), BASELINE_REVISION)
    assert current_revision(bare) == BASELINE_REVISION
    columns = {c["name"] for c in sa.inspect(bare).get_columns("seen_events")}
    assert columns == {"event_id", "seen_at"}
    with bare.connect() as conn:
        assert conn.execute(sa.text("SELECT event_id FROM seen_events")).scalars().all() == ["Ev0ABC"]
