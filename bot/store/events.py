"""Exactly-once answers to Slack events across processes: claim, answer, mark answered.

Slack sends an event again when it did not get our acknowledgement in time (a retry, with
``X-Slack-Retry-Num``). Each event id is *claimed* (a row, UNIQUE on the id) before it is
answered and *marked answered* after, so

* a retry of an answered event, or of one being answered right now, is dropped;
* a retry of an event whose claim is older than :data:`LEASE` and was never answered (the
  process died between the claim and the answer) takes the claim over and answers it.

Rows older than :data:`KEEP` are pruned, by age against the injected clock: on the first
claim of a ledger and then at most once every :data:`PRUNE_EVERY` of that clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, update
from sqlalchemy.exc import IntegrityError

from bot.store.tables import seen_events

# Longer than an answer takes (well under a second; Slack calls time out sooner), shorter
# than Slack's retry after one minute, which therefore gets through after a crash.
LEASE = timedelta(seconds=30)
KEEP = timedelta(days=2)  # Slack retries within minutes; keep ids well beyond that
PRUNE_EVERY = timedelta(hours=1)

Clock = Callable[[], datetime]


class EventLedger:
    """Which Slack events were claimed and answered (the ``seen_events`` table).

    Parameters
    ----------
    engine
        The store.
    clock
        The current time (timezone-aware); claims, leases and pruning all use it.
    lease
        How long a claim without an answer keeps a retry out.
    keep
        How long a row is kept.
    prune_every
        The least time between two prunings by the same ledger.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        *,
        lease: timedelta = LEASE,
        keep: timedelta = KEEP,
        prune_every: timedelta = PRUNE_EVERY,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.lease = lease
        self.keep = keep
        self.prune_every = prune_every
        self._lock = threading.Lock()
        self._pruned_at: datetime | None = None

    def _now(self) -> datetime:
        # SQLite keeps no offset: every time is stored (and compared) in UTC.
        return self.clock().astimezone(UTC)

    def claim(self, event_id: str) -> bool:
        """Claim ``event_id`` for answering; False when it is answered or being answered.

        True for a new event, and for one whose claim is older than the lease and was never
        answered (taken over, atomically: one of two racing claimers wins).
        """
        now = self._now()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(seen_events).values(event_id=event_id, seen_at=now))
        except IntegrityError:
            with self.engine.begin() as conn:
                taken = conn.execute(
                    update(seen_events)
                    .where(
                        seen_events.c.event_id == event_id,
                        seen_events.c.answered_at.is_(None),
                        seen_events.c.seen_at < now - self.lease,
                    )
                    .values(seen_at=now)
                ).rowcount
            if taken != 1:
                return False
        self._maybe_prune(now)
        return True

    def answered(self, event_id: str) -> None:
        """Mark ``event_id`` answered: no retry gets through any more."""
        with self.engine.begin() as conn:
            conn.execute(
                update(seen_events).where(seen_events.c.event_id == event_id).values(answered_at=self._now())
            )

    def prune(self, now: datetime | None = None) -> int:
        """Delete the rows claimed more than :attr:`keep` before ``now``; how many."""
        at = (now or self._now()).astimezone(UTC)
        with self.engine.begin() as conn:
            return int(conn.execute(delete(seen_events).where(seen_events.c.seen_at < at - self.keep)).rowcount)

    def _maybe_prune(self, now: datetime) -> None:
        with self._lock:
            if self._pruned_at is not None and now - self._pruned_at < self.prune_every:
                return
            self._pruned_at = now
        self.prune(now)


__all__ = ["KEEP", "LEASE", "PRUNE_EVERY", "EventLedger"]
