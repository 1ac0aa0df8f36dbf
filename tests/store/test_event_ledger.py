"""The event ledger: claim, answer, lease take-over after a crash, pruning by age.

On a SQLite file and on a fresh PostgreSQL schema (the ``engine`` fixture; PostgreSQL is
skipped with the reason when the server is not reachable).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.store.events import KEEP, LEASE, PRUNE_EVERY, EventLedger
from bot.store.tables import seen_events

T0 = datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


def stored(engine: sa.Engine) -> dict[str, tuple[datetime, datetime | None]]:
    """event id -> (claimed at, answered at), in UTC."""
    def utc(v: datetime | None) -> datetime | None:
        return None if v is None else (v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC))

    with engine.connect() as conn:
        rows = conn.execute(sa.select(seen_events.c.event_id, seen_events.c.seen_at, seen_events.c.answered_at))
        out: dict[str, tuple[datetime, datetime | None]] = {}
        for event_id, seen_at, answered_at in rows:
            claimed = utc(seen_at)
            assert claimed is not None
            out[event_id] = (claimed, utc(answered_at))
        return out


def test_a_new_event_is_claimed_once(engine: sa.Engine) -> None:
    ledger = EventLedger(engine, Clock())
    assert ledger.claim("Ev1")
    assert not ledger.claim("Ev1")  # a retry while it is being answered
    assert stored(engine) == {"Ev1": (T0, None)}


def test_an_answered_event_is_never_claimed_again(engine: sa.Engine) -> None:
    clock = Clock()
    ledger = EventLedger(engine, clock)
    assert ledger.claim("Ev1")
    clock.advance(timedelta(seconds=2))
    ledger.answered("Ev1")
    clock.advance(LEASE * 10)
    assert not ledger.claim("Ev1")
    assert stored(engine) == {"Ev1": (T0, T0 + timedelta(seconds=2))}


def test_a_claim_never_answered_lets_the_retry_through_after_the_lease(engine: sa.Engine) -> None:
    """The process died between claim and answer: Slack's retry within the lease is
    dropped (the answer may still be on its way), the one after it is answered."""
    clock = Clock()
    crashed = EventLedger(engine, clock)
    assert crashed.claim("Ev1")
    survivor = EventLedger(engine, clock)
    clock.advance(LEASE)
    assert not survivor.claim("Ev1")  # exactly the lease: still held
    clock.advance(timedelta(seconds=1))
    assert survivor.claim("Ev1")
    assert not survivor.claim("Ev1")  # the take-over is a claim like any other
    survivor.answered("Ev1")
    assert stored(engine) == {"Ev1": (T0 + LEASE + timedelta(seconds=1), T0 + LEASE + timedelta(seconds=1))}


def test_racing_take_overs_have_one_winner(engine: sa.Engine) -> None:
    clock = Clock()
    assert EventLedger(engine, clock).claim("Ev1")
    clock.advance(LEASE * 2)
    ledgers = [EventLedger(engine, clock) for _ in range(4)]
    start = threading.Barrier(len(ledgers))
    won: list[bool] = []

    def run(ledger: EventLedger) -> None:
        start.wait()
        won.append(ledger.claim("Ev1"))

    threads = [threading.Thread(target=run, args=(ledger,)) for ledger in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(won) == [False, False, False, True]


def test_old_rows_are_pruned_by_age_on_the_injected_clock(engine: sa.Engine) -> None:
    clock = Clock()
    ledger = EventLedger(engine, clock)
    assert ledger.claim("EvOld")  # the first claim prunes (nothing yet)
    ledger.answered("EvOld")
    clock.advance(KEEP)
    assert ledger.claim("EvNew")  # prunes (KEEP > PRUNE_EVERY), but EvOld is exactly KEEP old
    assert set(stored(engine)) == {"EvOld", "EvNew"}
    clock.advance(timedelta(seconds=1))
    assert ledger.claim("EvNewer")  # less than PRUNE_EVERY since the last pruning
    assert set(stored(engine)) == {"EvOld", "EvNew", "EvNewer"}
    clock.advance(PRUNE_EVERY)
    assert ledger.claim("EvLatest")  # prunes: EvOld is older than KEEP
    assert set(stored(engine)) == {"EvNew", "EvNewer", "EvLatest"}


def test_prune_deletes_exactly_the_rows_older_than_keep(engine: sa.Engine) -> None:
    clock = Clock()
    ledger = EventLedger(engine, clock, prune_every=timedelta(days=365))
    for i in range(3):
        assert ledger.claim(f"Ev{i}")
        clock.advance(timedelta(days=1))
    assert ledger.prune(T0 + KEEP + timedelta(seconds=1)) == 1
    assert set(stored(engine)) == {"Ev1", "Ev2"}


@pytest.mark.parametrize("zone_hours", [-5, 9])
def test_times_in_other_zones_are_the_same_instants(engine: sa.Engine, zone_hours: int) -> None:
    zone = timezone(timedelta(hours=zone_hours))
    def clock() -> datetime:
        return T0.astimezone(zone)

    ledger = EventLedger(engine, clock)
    assert ledger.claim("Ev1")
    assert stored(engine) == {"Ev1": (T0, None)}
