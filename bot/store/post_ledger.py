"""The claim ledger of the daily post in SQL: the ``posts`` table (SQLite and PostgreSQL).

One row per (team, channel, session), enforced by a UNIQUE key: the first
:meth:`SqlPostLedger.insert_claim` wins and a second one gets ``None``. Every later write is
a conditional UPDATE checked with ``rowcount == 1`` -- on (``id``, ``attempts``, ``status``)
as last read for a take-over, on (``id``, ``claimed_by``, ``attempts``) for the holder's own
moves -- so two runs can never both win. Which row may be taken over, and when, is decided
by :mod:`bot.services.delivery`; whether a holder is still alive is asked of ``is_live``
(:func:`bot.adapters.senders.holder_is_live`, wired by the bootstrap).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from bot.domain.ports import CHECKING, CLAIMED, FAILED, SENDING, SENT, UNCERTAIN, Claim, LedgerRow
from bot.domain.time import require_aware
from bot.store.tables import posts

__all__ = ["HolderIsLive", "SqlPostLedger"]

HolderIsLive = Callable[[str, datetime, datetime, timedelta], bool]


def _utc(dt: datetime) -> datetime:
    require_aware(dt, "at")
    return dt.astimezone(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _row(m: RowMapping) -> LedgerRow:
    claimed_at = _aware(m["claimed_at"])
    assert claimed_at is not None
    return LedgerRow(
        id=int(m["id"]), team_id=m["team_id"], channel_id=m["channel_id"], session=m["session"],
        status=m["status"], claimed_by=m["claimed_by"], claimed_at=claimed_at,
        attempts=int(m["attempts"] or 0), error=m["error"], message_ts=m["message_ts"],
        sent_at=_aware(m["sent_at"]),
    )


class SqlPostLedger:
    """:class:`~bot.domain.ports.PostLedger` over the ``posts`` table of ``engine``
    (or ``table``, one with the same columns: ``alert_posts`` for the alerts).

    Each method is one short transaction, so a sender holds at most one connection at a time.
    """

    def __init__(self, engine: Engine, is_live: HolderIsLive, table: Table = posts) -> None:
        self.engine = engine
        self._is_live = is_live
        self.table = table

    def insert_claim(self, team_id: str, channel_id: str, session: date, worker_id: str,
                     at: datetime) -> Claim | None:
        when = _utc(at)
        try:
            with self.engine.begin() as conn:
                pk = conn.execute(
                    insert(self.table).values(
                        team_id=team_id, channel_id=channel_id, session=session, status=CLAIMED,
                        claimed_by=worker_id, claimed_at=when, attempts=1,
                    )
                ).inserted_primary_key
        except IntegrityError:
            return None
        assert pk is not None
        return Claim(int(pk[0]), team_id, channel_id, session, worker_id, when, 1)

    def row(self, team_id: str, channel_id: str, session: date) -> LedgerRow | None:
        q = select(self.table).where(
            self.table.c.team_id == team_id, self.table.c.channel_id == channel_id, self.table.c.session == session
        )
        return self._first(q)

    def last_sent(self, team_id: str, channel_id: str) -> LedgerRow | None:
        q = (
            select(self.table)
            .where(self.table.c.team_id == team_id, self.table.c.channel_id == channel_id, self.table.c.status == SENT)
            .order_by(self.table.c.session.desc())
            .limit(1)
        )
        return self._first(q)

    def _first(self, q: Any) -> LedgerRow | None:
        with self.engine.connect() as conn:
            m = conn.execute(q).mappings().first()
        return _row(m) if m is not None else None

    def take_over(self, row: LedgerRow, worker_id: str, at: datetime, status: str) -> bool:
        return self._update(
            and_(self.table.c.id == row.id, self.table.c.attempts == row.attempts, self.table.c.status == row.status),
            status=status, claimed_by=worker_id, claimed_at=_utc(at), attempts=self.table.c.attempts + 1,
            error=None,
        )

    def start_sending(self, c: Claim, at: datetime) -> bool:
        return self._update(
            and_(_holds(self.table, c), self.table.c.status.in_((CLAIMED, CHECKING, SENDING))),
            status=SENDING, claimed_at=_utc(at),
        )

    def mark_sent(self, c: Claim, ts: str | None, at: datetime) -> bool:
        return self._update(_holds(self.table, c), status=SENT, sent_at=_utc(at), message_ts=ts, error=None)

    def mark_failed(self, c: Claim, error: str) -> bool:
        return self._update(_holds(self.table, c), status=FAILED, error=error)

    def mark_uncertain(self, c: Claim, error: str) -> bool:
        return self._update(_holds(self.table, c), status=UNCERTAIN, error=error)

    def holder_is_live(self, worker_id: str, claimed_at: datetime, now: datetime, lease: timedelta) -> bool:
        return self._is_live(worker_id, claimed_at, now, lease)

    def _update(self, where: ColumnElement[bool], **values: Any) -> bool:
        with self.engine.begin() as conn:
            n = conn.execute(update(self.table).where(where).values(**values)).rowcount
        return bool(n == 1)


def _holds(table: Table, c: Claim) -> ColumnElement[bool]:
    return and_(table.c.id == c.id, table.c.claimed_by == c.worker_id, table.c.attempts == c.attempts)
