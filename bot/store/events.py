"""Exactly-once handling of Slack events across processes (a UNIQUE event id)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from bot.store.tables import seen_events

KEEP = timedelta(days=2)  # Slack retries within minutes; keep ids well beyond that


class EventLedger:
    """Remembers which event ids were handled."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def first_time(self, event_id: str, now: datetime | None = None) -> bool:
        """Claim ``event_id``; False if it was claimed before (a retry or a duplicate)."""
        now = now or datetime.now(UTC)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(seen_events).values(event_id=event_id, seen_at=now))
        except IntegrityError:
            return False
        if hash(event_id) % 200 == 0:  # prune now and then, off the common path
            with self.engine.begin() as conn:
                conn.execute(delete(seen_events).where(seen_events.c.seen_at < now - KEEP))
        return True
