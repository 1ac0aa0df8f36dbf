"""Every instant column stores UTC and reads back as the same aware UTC instant.

Run on SQLite (which keeps no zone) and on the real PostgreSQL (``timestamptz``, read back
in the session's zone), skipped with the reason when that server is absent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from conftest import bars_frame

from bot.store.db import metadata
from bot.store.prices import PriceStore
from bot.store.tables import SLACK_OAUTH_TABLES, seen_events
from bot.store.types import UtcDateTime

NY = ZoneInfo("America/New_York")


def test_every_instant_column_is_utc() -> None:
    """Every instant of ours; slack_sdk's OAuth tables keep its own naive UTC columns."""
    theirs = {t.name for t in SLACK_OAUTH_TABLES}
    instants = [
        f"{table.name}.{col.name}"
        for table in metadata.tables.values()
        if table.name not in theirs
        for col in table.columns
        if isinstance(col.type, sa.DateTime | UtcDateTime)
    ]
    plain = [name for name in instants if not isinstance(
        metadata.tables[name.split(".")[0]].c[name.split(".")[1]].type, UtcDateTime)]
    assert plain == []
    assert sorted(instants) == [
        "alert_channels.enabled_at", "alert_channels.failing_since", "alert_channels.updated_at",
        "alert_posts.claimed_at", "alert_posts.sent_at",
        "instruments.added_at", "posts.claimed_at", "posts.sent_at", "seen_events.answered_at", "seen_events.seen_at",
        "series.updated_at",
        "subscriptions.created_at", "subscriptions.failing_since",
    ]


def _read_in_another_zone(engine: sa.Engine, query: sa.Select[Any]) -> list[datetime]:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # the server would hand back Tokyo time
            conn.execute(sa.text("SET TIME ZONE 'Asia/Tokyo'"))
        return list(conn.execute(query).scalars())


def test_an_aware_instant_reads_back_as_the_same_utc_instant(engine: sa.Engine) -> None:
    utc = datetime(2026, 1, 5, 21, 30, 15, 123456, tzinfo=UTC)
    written = {
        "utc": utc,
        "new-york": utc.astimezone(NY),  # 16:30 in New York, the same instant
        "plus-five": utc.astimezone(timezone(timedelta(hours=5, minutes=30))),
    }
    with engine.begin() as conn:
        for event_id, at in written.items():
            conn.execute(sa.insert(seen_events).values(event_id=event_id, seen_at=at))
    got = _read_in_another_zone(engine, sa.select(seen_events.c.seen_at))
    assert got == [utc, utc, utc]
    assert [g.utcoffset() for g in got] == [timedelta(0)] * 3
    assert all(g.tzinfo is UTC for g in got)


def test_comparisons_use_the_utc_instant(engine: sa.Engine) -> None:
    """A bound parameter in another zone compares as the instant it is, on SQLite too."""
    utc = datetime(2026, 1, 5, 21, 30, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(sa.insert(seen_events).values(event_id="e", seen_at=utc))
    just_after = (utc + timedelta(seconds=1)).astimezone(NY)  # wall time 16:30:01 < 21:30
    got = _read_in_another_zone(
        engine, sa.select(seen_events.c.seen_at).where(seen_events.c.seen_at < just_after)
    )
    assert got == [utc]


def test_a_naive_instant_is_refused(engine: sa.Engine) -> None:
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"), engine.begin() as conn:
        conn.execute(sa.insert(seen_events).values(event_id="naive", seen_at=datetime(2026, 1, 5)))


def test_the_price_store_reports_aware_utc_change_times(engine: sa.Engine) -> None:
    store = PriceStore(engine)
    before = datetime.now(UTC)
    store.write("^GSPC", bars_frame({"2026-01-05": 100.0}), "seed")
    updated = store.info()["^GSPC"].updated_at
    assert updated.tzinfo is UTC
    assert before <= updated <= datetime.now(UTC)
    count, latest = store.version()
    assert (count, latest) == (1, updated)
