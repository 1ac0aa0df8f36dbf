"""NYSE trading-calendar helpers over ``exchange_calendars`` (XNYS).

Building an ``exchange_calendars`` calendar is slow (0.6-1.4 s for 1970 to next year,
plus 0.5 s to import it), and a one-shot command only needs the session dates and their
closes. So :class:`NyseCalendar` answers every query from two arrays, the sessions and
their close instants, kept in an on-disk cache (:mod:`bot.adapters.calendar_cache`) keyed by the
``exchange_calendars`` version and the range; the calendar itself is built only when the
cache has no entry for them. Nothing is built at import time.

A calendar built without an ``end`` (the bootstrap's) extends itself: asked about a date at
or after its last session, it reloads its arrays a year past that date (from the same
on-disk cache), so a process that runs for years needs no restart. Dates more than
:data:`MAX_AHEAD` past today are never loaded: they raise as any date outside the range.

Conventions
-----------
* A *session* is identified by its date: a ``datetime.date`` or a naive, midnight
  ``pd.Timestamp`` (the ``exchange_calendars`` session label). Anything else with a
  time component (a ``datetime``, a tz-aware or non-midnight ``Timestamp``) is rejected
  with ``TypeError``/``ValueError`` rather than silently truncated.
* Instants (``now``, closes) are tz-aware ``datetime`` objects; closes are returned in
  America/New_York.
* Dates outside the calendar's range raise ``ValueError`` (as ``exchange_calendars``'
  ``DateOutOfBounds`` / ``RequestedSessionOutOfBounds`` do).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from bot.adapters.calendar_cache import SessionTable, load_sessions
from bot.domain.sessions import CALENDAR_RELIABLE_FROM  # re-exported: see __all__
from bot.domain.time import NY_TZ, require_aware

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

__all__ = ["CALENDAR_RELIABLE_FROM", "MAX_AHEAD", "NY_TZ", "DateLike", "NyseCalendar"]

AHEAD = timedelta(days=366)  # how far past the asked-for date a calendar loads
MAX_AHEAD = timedelta(days=5 * 366)  # a self-extending calendar never loads past today + this

DateLike = date  # a date, or a naive midnight pd.Timestamp (a datetime, so a date)

DayArray = NDArray[np.datetime64]


def _to_date(d: Any, name: str = "date") -> date:
    """A session label (date, naive midnight Timestamp or ISO string) as a ``date``."""
    if isinstance(d, str):
        try:
            return date.fromisoformat(d)
        except ValueError:
            import pandas as pd  # noqa: PLC0415 (pandas: only for such strings)

            d = pd.Timestamp(d)
    if type(d).__name__ == "Timestamp":  # pandas is loaded if one exists
        import pandas as pd  # noqa: PLC0415 (a Timestamp means pandas is loaded; the light path has none)

        ts: pd.Timestamp = d
        if ts.tz is not None:
            raise ValueError(f"{name} must be a naive session label, got tz-aware {ts}")
        if ts != ts.normalize():
            raise ValueError(f"{name} must be a date (midnight), got {ts}")
        return date(ts.year, ts.month, ts.day)
    if isinstance(d, datetime):
        raise TypeError(f"{name} must be a date, not a datetime ({d!r})")
    if isinstance(d, date):
        return d
    raise TypeError(f"{name} must be a date or pd.Timestamp, got {type(d).__name__}")


def _day(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def _as_date(day: np.datetime64) -> date:
    out: date = day.astype("datetime64[D]").item()
    return out


def cache_end(end: date) -> date:
    """The end of the range cached for a calendar ending ``end``: that year's Dec 31, so
    the default calendar (today + 366 days) reuses one cache entry all year."""
    return date(end.year, 12, 31)


@dataclass(frozen=True)
class _Span:
    """The sessions through ``end`` and their closes (UTC seconds since the epoch).

    Replaced whole when the calendar extends itself, so a reader that took one sees a
    consistent pair of arrays."""

    end: date
    days: DayArray
    closes: NDArray[np.int64]


class NyseCalendar:
    """The XNYS sessions and closes of ``exchange_calendars`` over ``[start, end]``.

    ``end`` defaults to today + 366 days (so "next session" works through the coming
    year). ``extend`` (default: when ``end`` is not given) lets the calendar move its end
    forward when asked about a date at or after its last session, at most to
    :data:`MAX_AHEAD` past ``today()``; thread-safe.
    """

    def __init__(
        self,
        start: DateLike | str = "1970-01-01",
        end: DateLike | str | None = None,
        *,
        extend: bool | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.start: date = _to_date(start, "start")
        first_end = today() + AHEAD if end is None else _to_date(end, "end")
        if first_end <= self.start:
            raise ValueError(f"end {first_end} must be after start {self.start}")
        self.extends = end is None if extend is None else extend
        self._today = today
        self._lock = threading.Lock()
        self._span = self._load(first_end)
        self._xcal: Any = None
        # today -> (its close if a session, the session before it): every answer asks
        # for the last completed session, and the NumPy scalar lookups behind it cost
        # more than the rest of a /streak acknowledgement's own work.
        self._days: dict[date, tuple[datetime | None, date | None]] = {}

    def _load(self, end: date) -> _Span:
        table: SessionTable = load_sessions(self.start, cache_end(end))
        n = int(np.searchsorted(table.sessions, _day(end), side="right"))
        if n == 0:
            raise ValueError(f"no NYSE session between {self.start} and {end}")
        return _Span(end, table.sessions[:n], table.closes[:n])

    def _covering(self, d: date) -> _Span:
        """The sessions, extended first (if this calendar extends) to have one after ``d``."""
        span = self._span
        if not self.extends or _day(d) < span.days[-1] or d > self._today() + MAX_AHEAD:
            return span
        with self._lock:
            if _day(d) >= self._span.days[-1]:
                fresh = self._load(d + AHEAD)
                log.info("the NYSE calendar now ends %s (was %s)", fresh.end, self._span.end)
                self._span = fresh
                self._xcal = None
            return self._span

    @property
    def end(self) -> date:
        """The last date this calendar answers for (moves forward when it extends)."""
        return self._span.end

    def __repr__(self) -> str:
        return f"NyseCalendar(start={self.start.isoformat()!r}, end={self.end.isoformat()!r})"

    @property
    def calendar(self) -> Any:
        """The underlying ``exchange_calendars`` calendar (built on first use: slow)."""
        if self._xcal is None:
            import exchange_calendars as xcals  # noqa: PLC0415 (slow: schedules only)

            self._xcal = xcals.get_calendar(
                "XNYS", start=self.start.isoformat(), end=self.end.isoformat()
            )
        return self._xcal

    @property
    def first_session(self) -> date:
        return _as_date(self._span.days[0])

    @property
    def last_session(self) -> date:
        return _as_date(self._span.days[-1])

    # -- sessions -------------------------------------------------------------------

    def session_days(self, start: DateLike | str, end: DateLike | str) -> DayArray:
        """Sessions in ``[start, end]`` (inclusive) as ``datetime64[D]`` (no pandas)."""
        s, e = _to_date(start, "start"), _to_date(end, "end")
        span = self._covering(e)
        if e < s:
            return span.days[:0]
        self._check_range(s, e, span)
        lo = int(np.searchsorted(span.days, _day(s), side="left"))
        hi = int(np.searchsorted(span.days, _day(e), side="right"))
        return span.days[lo:hi]

    def sessions(self, start: DateLike | str, end: DateLike | str) -> pd.DatetimeIndex:
        """Sessions in ``[start, end]`` (inclusive) as naive, normalized dates."""
        import pandas as pd  # noqa: PLC0415 (pandas: not on the light path)

        return pd.DatetimeIndex(self.session_days(start, end).astype("datetime64[ns]"))

    def _position(self, d: date) -> tuple[_Span, int, bool]:
        """The sessions, where ``d`` is in them, and whether it is one; ``ValueError``
        outside the first..last session (as ``exchange_calendars`` does)."""
        span = self._covering(d)
        day, days = _day(d), span.days
        if day < days[0] or day > days[-1]:
            raise ValueError(
                f"{d} is outside the sessions of this calendar "
                f"({_as_date(days[0])}..{_as_date(days[-1])})"
            )
        i = int(np.searchsorted(days, day, side="left"))
        return span, i, bool(days[i] == day)

    def is_session(self, d: DateLike | str) -> bool:
        return self._position(_to_date(d))[2]

    def session_close(self, d: DateLike | str) -> datetime:
        """Close of session ``d`` as a tz-aware America/New_York datetime.

        16:00 normally, 13:00 on early closes (day after Thanksgiving, Christmas Eve, ...).
        Raises ``ValueError`` if ``d`` is not a session.
        """
        dd = _to_date(d)
        span, i, found = self._position(dd)
        if not found:
            raise ValueError(f"{dd} is not a session of the NYSE calendar")
        return datetime.fromtimestamp(int(span.closes[i]), UTC).astimezone(NY_TZ)

    def previous_session(self, d: DateLike | str) -> date:
        """The last session strictly before ``d`` (``d`` need not be a session)."""
        span, i, _ = self._position(_to_date(d))
        if i == 0:
            raise ValueError(f"no session before {_to_date(d)} in this calendar")
        return _as_date(span.days[i - 1])

    def next_session(self, d: DateLike | str) -> date:
        """The first session strictly after ``d`` (``d`` need not be a session)."""
        span, i, found = self._position(_to_date(d))
        j = i + 1 if found else i
        if j >= len(span.days):
            raise ValueError(f"no session after {_to_date(d)} in this calendar")
        return _as_date(span.days[j])

    def last_completed_session(self, now: datetime) -> date:
        """The most recent session whose close is ``<= now``.

        Before the close on a session day this is the previous session; at/after the close
        (16:00 NY, or 13:00 on early-close days) it is that day. On weekends and holidays
        it is the last session before. ``now`` must be tz-aware (any zone).
        """
        require_aware(now)
        today = now.astimezone(NY_TZ).date()
        known = self._days.get(today)
        if known is None:
            close = self.session_close(today) if self.is_session(today) else None
            try:
                before: date | None = self.previous_session(today)
            except ValueError:  # today is the first session: raised below if it is needed
                before = None
            if len(self._days) >= 64:
                self._days.clear()
            known = self._days[today] = (close, before)
        close, before = known
        if close is not None and close <= now:
            return today
        return before if before is not None else self.previous_session(today)

    # -- data checks ----------------------------------------------------------------

    def check_dates(
        self,
        dates: pd.DatetimeIndex,
        start: DateLike | str | None = None,
        end: DateLike | str | None = None,
    ) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
        """Compare observed dates with the session calendar over ``[start, end]``.

        Returns ``(missing, extra)``: sessions in the range absent from ``dates``, and
        dates in the range that are not sessions (both sorted, unique, naive, normalized).
        ``start``/``end`` default to the first/last of ``dates``. The range is clipped to
        start no earlier than :data:`CALENDAR_RELIABLE_FROM`: earlier dates are not
        checked. ``dates`` must be naive; time components are dropped.
        Raises ``ValueError`` if the (clipped) range is outside this calendar's range.
        """
        import pandas as pd  # noqa: PLC0415 (pandas: not on the light path)

        idx = pd.DatetimeIndex(dates)
        if idx.tz is not None:
            raise ValueError("dates must be naive session labels, not tz-aware")
        idx = idx.normalize().unique().sort_values()
        empty = pd.DatetimeIndex([], dtype="datetime64[ns]")
        if start is None and end is None and len(idx) == 0:
            return empty, empty
        if start is not None:
            s = _to_date(start, "start")
        elif len(idx):
            s = _to_date(idx[0])
        else:
            s = self.first_session
        if end is not None:
            e = _to_date(end, "end")
        elif len(idx):
            e = _to_date(idx[-1])
        else:
            e = self.last_session
        s = max(s, CALENDAR_RELIABLE_FROM)
        if e < s:
            return empty, empty
        sessions = self.sessions(s, e)
        in_range = idx[(idx >= pd.Timestamp(s)) & (idx <= pd.Timestamp(e))]
        missing = pd.DatetimeIndex(sessions.difference(in_range).to_numpy())
        extra = pd.DatetimeIndex(in_range.difference(sessions).to_numpy())
        return missing, extra

    def _check_range(self, s: date, e: date, span: _Span) -> None:
        if s < self.start or e > span.end:
            raise ValueError(
                f"range {s}..{e} is outside this calendar ({self.start}..{span.end}); "
                "build a NyseCalendar with a wider start/end"
            )
