"""Channel subscriptions to the daily market-leadership post (SQLite and PostgreSQL).

One row per (team, channel): the wanted post time (``HH:MM``, New York wall time), who set
it up, and the delivery state -- ``failing_error``/``failing_since`` once Slack refused a
post for good (``channel_not_found``, ``not_in_channel``...), and the last session posted.
A failing subscription is skipped by the scheduler until someone subscribes again.

Timestamps are stored in UTC (SQLite keeps no offset) and read back as aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from bot.store.tables import subscriptions

__all__ = ["Subscription", "SubscriptionStore", "format_post_time", "parse_stored_time"]


def format_post_time(t: time) -> str:
    """``time(16, 30)`` -> ``"16:30"`` (what the table stores)."""
    return f"{t.hour:02d}:{t.minute:02d}"


def parse_stored_time(text: str) -> time:
    """``"16:30"`` -> ``time(16, 30)``."""
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {dt!r}")
    return dt.astimezone(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    """Values read back from SQLite are naive UTC; PostgreSQL gives aware ones."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@dataclass(frozen=True)
class Subscription:
    """One channel's subscription."""

    team_id: str
    channel_id: str
    post_time: time  # wanted, naive New York wall time
    created_by: str | None
    created_at: datetime  # aware UTC
    failing_error: str | None = None
    failing_since: datetime | None = None
    last_posted_session: date | None = None

    @property
    def failing(self) -> bool:
        return self.failing_error is not None

    @classmethod
    def from_row(cls, row: RowMapping) -> Subscription:
        created = _aware(row["created_at"])
        assert created is not None
        return cls(
            team_id=row["team_id"],
            channel_id=row["channel_id"],
            post_time=parse_stored_time(row["post_time"]),
            created_by=row["created_by"],
            created_at=created,
            failing_error=row["failing_error"],
            failing_since=_aware(row["failing_since"]),
            last_posted_session=row["last_posted_session"],
        )


class SubscriptionStore:
    """Reads and writes the ``subscriptions`` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @staticmethod
    def _key(team_id: str, channel_id: str) -> ColumnElement[bool]:
        return and_(subscriptions.c.team_id == team_id, subscriptions.c.channel_id == channel_id)

    def subscribe(
        self, team_id: str, channel_id: str, post_time: time, user: str | None, now: datetime
    ) -> Subscription:
        """Subscribe the channel, or change its time (upsert).

        Re-subscribing sets the new time and the user who asked, clears the failing state
        (the usual fix after ``channel_not_found``: invite the bot, subscribe again) and
        keeps ``created_at`` and ``last_posted_session``.
        """
        if post_time.tzinfo is not None:
            raise ValueError("post_time must be a naive time (New York wall time)")
        values = {
            "post_time": format_post_time(post_time),
            "created_by": user,
            "failing_error": None,
            "failing_since": None,
        }
        key = self._key(team_id, channel_id)
        for _ in range(2):  # a concurrent first subscribe can win the INSERT: update then
            with self.engine.begin() as conn:
                done = conn.execute(update(subscriptions).where(key).values(**values)).rowcount
                if done:
                    break
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(subscriptions).values(
                            team_id=team_id, channel_id=channel_id, created_at=_utc(now), **values
                        )
                    )
                break
            except IntegrityError:
                continue
        sub = self.get(team_id, channel_id)
        assert sub is not None
        return sub

    def unsubscribe(self, team_id: str, channel_id: str) -> bool:
        """Remove the subscription; False if the channel was not subscribed."""
        with self.engine.begin() as conn:
            n = conn.execute(delete(subscriptions).where(self._key(team_id, channel_id))).rowcount
        return bool(n)

    def get(self, team_id: str, channel_id: str) -> Subscription | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(subscriptions).where(self._key(team_id, channel_id)))
                .mappings()
                .first()
            )
        return Subscription.from_row(row) if row is not None else None

    def all(self) -> list[Subscription]:
        """Every subscription, failing or not, by team then channel."""
        return self._select(None)

    def all_active(self) -> list[Subscription]:
        """The subscriptions the daily post goes to (not failing), by team then channel."""
        return self._select(subscriptions.c.failing_error.is_(None))

    def _select(self, where: ColumnElement[bool] | None) -> list[Subscription]:
        q = select(subscriptions).order_by(subscriptions.c.team_id, subscriptions.c.channel_id)
        if where is not None:
            q = q.where(where)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [Subscription.from_row(r) for r in rows]

    def mark_failing(self, team_id: str, channel_id: str, error: str, now: datetime) -> bool:
        """Record that Slack refused posts to the channel for good (kept since the first time)."""
        with self.engine.begin() as conn:
            n = conn.execute(
                update(subscriptions)
                .where(self._key(team_id, channel_id))
                .values(
                    failing_error=error[:64],
                    failing_since=func.coalesce(subscriptions.c.failing_since, _utc(now)),
                )
            ).rowcount
        return bool(n)

    def mark_posted(self, team_id: str, channel_id: str, session: date) -> bool:
        """Record a delivered post (never moves ``last_posted_session`` backwards)."""
        last = subscriptions.c.last_posted_session
        with self.engine.begin() as conn:
            n = conn.execute(
                update(subscriptions)
                .where(self._key(team_id, channel_id))
                .where(or_(last.is_(None), last < session))
                .values(last_posted_session=session)
            ).rowcount
        return bool(n)
