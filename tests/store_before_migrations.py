"""A store as the release before migrations made it: ``create_all`` of these tables.

A frozen copy of ``bot/store/tables.py`` at that release, so the adoption tests keep
testing that schema when the models move on. ``add_rows`` puts one known row in each
table; ``rows`` reads every table back for comparison.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

legacy = MetaData()

Table(
    "bars",
    legacy,
    Column("symbol", String(32), nullable=False),
    Column("date", Date, nullable=False),
    Column("open", Float),
    Column("high", Float),
    Column("low", Float),
    Column("close", Float, nullable=False),
    Column("volume", Float),
    PrimaryKeyConstraint("symbol", "date", name="pk_bars"),
)
Table(
    "series",
    legacy,
    Column("symbol", String(32), primary_key=True),
    Column("source", String(64), nullable=False),
    Column("first_date", Date),
    Column("last_date", Date),
    Column("rows", Integer, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Table(
    "subscriptions",
    legacy,
    Column("team_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("post_time", String(5), nullable=False),
    Column("created_by", String(32)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("failing_error", String(64)),
    Column("failing_since", DateTime(timezone=True)),
    Column("last_posted_session", Date),
    PrimaryKeyConstraint("team_id", "channel_id", name="pk_subscriptions"),
)
Table(
    "posts",
    legacy,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("session", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(64), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("message_ts", String(32)),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=1),
    UniqueConstraint("team_id", "channel_id", "session", name="uq_posts_once"),
)
Table(
    "seen_events",
    legacy,
    Column("event_id", String(64), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

AT = datetime(2025, 12, 31, 21, 15, tzinfo=UTC)
ROWS: dict[str, list[dict[str, Any]]] = {
    "bars": [
        {"symbol": "^RUT", "date": date(2025, 12, 30), "open": None, "high": None, "low": None,
         "close": 2481.91, "volume": None},
        {"symbol": "^RUT", "date": date(2025, 12, 31), "open": 2480.0, "high": 2490.5,
         "low": 2460.25, "close": 2481.91 * 0.9947, "volume": 1.5e9},
    ],
    "series": [
        {"symbol": "^RUT", "source": "Yahoo Finance", "first_date": date(2025, 12, 30),
         "last_date": date(2025, 12, 31), "rows": 2, "updated_at": AT},
    ],
    "subscriptions": [
        {"team_id": "T0FAKE", "channel_id": "C1", "post_time": "16:30", "created_by": "U0TRADER",
         "created_at": AT, "failing_error": "not_in_channel", "failing_since": AT,
         "last_posted_session": date(2025, 12, 30)},
    ],
    "posts": [
        {"id": 1, "team_id": "T0FAKE", "channel_id": "C1", "session": date(2025, 12, 31),
         "status": "sent", "claimed_by": "clock-1", "claimed_at": AT, "sent_at": AT,
         "message_ts": "1767216900.000100", "error": None, "attempts": 2},
    ],
    "seen_events": [{"event_id": "Ev0ABC", "seen_at": AT}],
}


def create_legacy_store(engine: sa.Engine, *, tables: tuple[str, ...] | None = None) -> None:
    """The tables (all, or only ``tables``) as ``create_all`` made them, with ``ROWS``."""
    chosen = [legacy.tables[n] for n in (tables or tuple(legacy.tables))]
    with engine.begin() as conn:
        legacy.create_all(conn, tables=chosen)
        for table in chosen:
            # Ids come from the database (its sequence on PostgreSQL), as they did in use.
            given = [{k: v for k, v in r.items() if k != "id"} for r in ROWS[table.name]]
            conn.execute(table.insert(), given)


def rows(engine: sa.Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of the legacy tables, in primary-key order, timestamps in UTC."""
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in legacy.tables.values():
            order = list(table.primary_key.columns)
            found = [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(*order))]
            out[table.name] = [{k: _utc(v) for k, v in r.items()} for r in found]
    return out


def _utc(value: Any) -> Any:
    # SQLite hands timezone-aware values back naive (they were stored as UTC).
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value

