"""Channels' alert settings: the ``alert_channels`` table (SQLite and PostgreSQL).

One row per (team, channel): alerts on or off, the streak threshold, and the watch lists as
changes to the defaults -- pairs and record-watch symbols added, and defaults removed. Pairs
are stored as the two symbols joined by ``|`` (``^RUT|^GSPC``), in the order given, and
compared in either order. The
effective watch list is worked out by :func:`bot.services.alerts.watch_list`.

Every change is a read, then an UPDATE conditioned on the row's ``version`` as read (retried
when another change came in between), so two members editing at once both get theirs in.

The row is also what alert delivery marks (:class:`~bot.domain.ports.PostMarks`): the last
session alerted, and ``failing_error`` once Slack refused for good (``/alerts on`` clears it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Engine, and_, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from bot.domain.time import require_aware
from bot.store.tables import alert_channels

__all__ = ["DEFAULT_THRESHOLD", "AlertChannel", "AlertStore", "pair_key", "split_pair_key"]

DEFAULT_THRESHOLD = 10
_TRIES = 32


def pair_key(a: str, b: str) -> str:
    """``pair_key("^RUT", "^GSPC")`` -> ``"^RUT|^GSPC"``: kept as given (for the words), compared
    in either order."""
    return f"{a}|{b}"


def _pair(key: str) -> frozenset[str]:
    return frozenset(key.split("|", 1))


def split_pair_key(key: str) -> tuple[str, str]:
    a, b = key.split("|", 1)
    return a, b


def _utc(dt: datetime) -> datetime:
    require_aware(dt, "now")
    return dt.astimezone(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


@dataclass(frozen=True)
class AlertChannel:
    """One channel's alert settings as stored."""

    team_id: str
    channel_id: str
    enabled: bool = False
    threshold: int = DEFAULT_THRESHOLD
    pairs_added: tuple[str, ...] = ()  # pair keys
    pairs_removed: tuple[str, ...] = ()
    records_added: tuple[str, ...] = ()  # symbols
    records_removed: tuple[str, ...] = ()
    version: int = 0  # 0: no row yet
    updated_by: str | None = None
    updated_at: datetime | None = None
    enabled_at: datetime | None = None
    failing_error: str | None = None
    failing_since: datetime | None = None
    last_alerted_session: date | None = None

    @property
    def failing(self) -> bool:
        return self.failing_error is not None

    @classmethod
    def from_row(cls, m: RowMapping) -> AlertChannel:
        return cls(
            team_id=m["team_id"], channel_id=m["channel_id"], enabled=bool(m["enabled"]),
            threshold=int(m["threshold"]), pairs_added=_names(m["pairs_added"]),
            pairs_removed=_names(m["pairs_removed"]), records_added=_names(m["records_added"]),
            records_removed=_names(m["records_removed"]), version=int(m["version"]),
            updated_by=m["updated_by"], updated_at=_aware(m["updated_at"]),
            enabled_at=_aware(m["enabled_at"]), failing_error=m["failing_error"],
            failing_since=_aware(m["failing_since"]), last_alerted_session=m["last_alerted_session"],
        )


def _with(names: tuple[str, ...], name: str) -> tuple[str, ...]:
    return names if name in names else (*names, name)


def _without(names: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(n for n in names if n != name)


def _with_pair(keys: tuple[str, ...], key: str) -> tuple[str, ...]:
    return keys if any(_pair(k) == _pair(key) for k in keys) else (*keys, key)


def _without_pair(keys: tuple[str, ...], key: str) -> tuple[str, ...]:
    return tuple(k for k in keys if _pair(k) != _pair(key))


class AlertStore:
    """Reads and writes ``alert_channels``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @staticmethod
    def _key(team_id: str, channel_id: str) -> ColumnElement[bool]:
        return and_(alert_channels.c.team_id == team_id, alert_channels.c.channel_id == channel_id)

    def get(self, team_id: str, channel_id: str) -> AlertChannel:
        """The channel's settings (the defaults, alerts off, when it has no row)."""
        with self.engine.connect() as conn:
            m = conn.execute(select(alert_channels).where(self._key(team_id, channel_id))).mappings().first()
        return AlertChannel.from_row(m) if m is not None else AlertChannel(team_id, channel_id)

    def all_enabled(self) -> list[AlertChannel]:
        """Channels with alerts on and not failing, by team then channel."""
        q = (
            select(alert_channels)
            .where(alert_channels.c.enabled == 1, alert_channels.c.failing_error.is_(None))
            .order_by(alert_channels.c.team_id, alert_channels.c.channel_id)
        )
        with self.engine.connect() as conn:
            return [AlertChannel.from_row(m) for m in conn.execute(q).mappings().all()]

    def change(
        self, team_id: str, channel_id: str, edit: Callable[[AlertChannel], AlertChannel],
        user: str | None, now: datetime,
    ) -> tuple[AlertChannel, AlertChannel]:
        """Apply ``edit`` to the channel's settings; ``(before, after)``."""
        at = _utc(now)
        for _ in range(_TRIES):
            before = self.get(team_id, channel_id)
            after = edit(before)
            values = {
                "enabled": int(after.enabled), "threshold": after.threshold,
                "pairs_added": json.dumps(list(after.pairs_added)),
                "pairs_removed": json.dumps(list(after.pairs_removed)),
                "records_added": json.dumps(list(after.records_added)),
                "records_removed": json.dumps(list(after.records_removed)),
                "version": before.version + 1, "updated_by": user, "updated_at": at,
                "enabled_at": after.enabled_at, "failing_error": after.failing_error,
                "failing_since": after.failing_since,
            }
            if before.version == 0:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert(alert_channels).values(team_id=team_id, channel_id=channel_id, **values))
                except IntegrityError:
                    continue  # someone else made the row first: edit theirs
            else:
                with self.engine.begin() as conn:
                    n = conn.execute(
                        update(alert_channels)
                        .where(self._key(team_id, channel_id), alert_channels.c.version == before.version)
                        .values(**values)
                    ).rowcount
                if n != 1:
                    continue
            return before, self.get(team_id, channel_id)
        raise RuntimeError(f"alert settings of {team_id}/{channel_id} kept changing: try again")

    # ----------------------------------------------------------------- the edits
    def turn_on(self, team_id: str, channel_id: str, user: str | None, now: datetime) -> tuple[AlertChannel, AlertChannel]:
        """Alerts on (clears a delivery failure: the usual fix is to invite the bot, then on)."""
        at = _utc(now)
        return self.change(team_id, channel_id, lambda c: replace(
            c, enabled=True, enabled_at=c.enabled_at if c.enabled else at,
            failing_error=None, failing_since=None), user, now)

    def turn_off(self, team_id: str, channel_id: str, user: str | None, now: datetime) -> tuple[AlertChannel, AlertChannel]:
        return self.change(team_id, channel_id, lambda c: replace(c, enabled=False), user, now)

    def set_threshold(self, team_id: str, channel_id: str, n: int, user: str | None,
                      now: datetime) -> tuple[AlertChannel, AlertChannel]:
        return self.change(team_id, channel_id, lambda c: replace(c, threshold=n), user, now)

    def watch_pair(self, team_id: str, channel_id: str, key: str, default: bool, user: str | None,
                   now: datetime) -> tuple[AlertChannel, AlertChannel]:
        """Watch the pair ``key``: back from the removed defaults, or added."""
        def edit(c: AlertChannel) -> AlertChannel:
            if default:
                return replace(c, pairs_removed=_without_pair(c.pairs_removed, key))
            return replace(c, pairs_added=_with_pair(c.pairs_added, key))
        return self.change(team_id, channel_id, edit, user, now)

    def unwatch_pair(self, team_id: str, channel_id: str, key: str, default: bool, user: str | None,
                     now: datetime) -> tuple[AlertChannel, AlertChannel]:
        def edit(c: AlertChannel) -> AlertChannel:
            if default:
                return replace(c, pairs_removed=_with_pair(c.pairs_removed, key))
            return replace(c, pairs_added=_without_pair(c.pairs_added, key))
        return self.change(team_id, channel_id, edit, user, now)

    def watch_record(self, team_id: str, channel_id: str, symbol: str, default: bool, user: str | None,
                     now: datetime) -> tuple[AlertChannel, AlertChannel]:
        def edit(c: AlertChannel) -> AlertChannel:
            if default:
                return replace(c, records_removed=_without(c.records_removed, symbol))
            return replace(c, records_added=_with(c.records_added, symbol))
        return self.change(team_id, channel_id, edit, user, now)

    def unwatch_record(self, team_id: str, channel_id: str, symbol: str, default: bool, user: str | None,
                       now: datetime) -> tuple[AlertChannel, AlertChannel]:
        def edit(c: AlertChannel) -> AlertChannel:
            if default:
                return replace(c, records_removed=_with(c.records_removed, symbol))
            return replace(c, records_added=_without(c.records_added, symbol))
        return self.change(team_id, channel_id, edit, user, now)

    # ----------------------------------------------------------------- delivery marks
    def mark_posted(self, team_id: str, channel_id: str, session: date) -> bool:
        """Record a delivered alert (never moves ``last_alerted_session`` backwards)."""
        last = alert_channels.c.last_alerted_session
        with self.engine.begin() as conn:
            n = conn.execute(
                update(alert_channels).where(self._key(team_id, channel_id))
                .where(or_(last.is_(None), last < session)).values(last_alerted_session=session)
            ).rowcount
        return bool(n)

    def mark_failing(self, team_id: str, channel_id: str, error: str, now: datetime) -> bool:
        """Slack refused alerts here for good (kept since the first time)."""
        with self.engine.begin() as conn:
            n = conn.execute(
                update(alert_channels).where(self._key(team_id, channel_id)).values(
                    failing_error=error[:64],
                    failing_since=func.coalesce(alert_channels.c.failing_since, _utc(now)),
                )
            ).rowcount
        return bool(n)
