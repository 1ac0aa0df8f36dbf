"""NYSE trading-calendar helpers over ``exchange_calendars`` (XNYS).

Building an ``exchange_calendars`` calendar is slow (0.6-1.4 s for 1970 to next year,
plus 0.5 s to import it), and a one-shot command only needs the session dates and their
closes. So :class:`NyseCalendar` answers every query from two arrays, the sessions and
their close instants, kept in an on-disk cache (:mod:`bot.adapters.calendar_cache`) keyed by the
``exchange_calendars`` version and the range; the calendar itself is built only when the
cache has no entry for them. Nothing is built at import time.

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

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from bot.adapters.calendar_cache import SessionTable, load_sessions

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CALENDAR_RELIABLE_FROM", "NY_TZ", "DateLike", "NyseCalendar"]

NY_TZ = ZoneInfo("America/New_York")

# exchange_calendars' pre-1970 NYSE holidays do not match the historical data (verified:
# the bundled GSPC closes have 416 sessions before 1970 that the XNYS calendar expects but
# the data lacks -- special closures it does not know about -- against 0 mismatches either
# way from 1970 to 2025), so gap checks only use sessions from 1970.
CALENDAR_RELIABLE_FROM = date(1970, 1, 1)

DateLike = date  # a date, or a naive midnight pd.Timestamp (a datetime, so a date)

DayArray = NDArray[np.datetime64]


def _to_date(d: Any, name: str = "date") -> date:
    """A session label (date, naive midnight Timestamp or ISO string) as a ``date``."""
    if isinstance(d, str):
        try:
            return date.fromisoformat(d)
        except ValueError:
            import pandas as pd

            d = pd.Timestamp(d)
    if type(d).__name__ == "Timestamp":  # pandas is loaded if one exists
        import pandas as pd

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


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got naive {now!r}")


def cache_end(end: date) -> date:
    """The end of the range cached for a calendar ending ``end``: that year's Dec 31, so
    the default calendar (today + 366 days) reuses one cache entry all year."""
    return date(end.year, 12, 31)


class NyseCalendar:
    """The XNYS sessions and closes of ``exchange_calendars`` over ``[start, end]``.

    ``end`` defaults to today + 366 days (so "next session" works through the coming
    year). Rebuild the object (e.g. yearly, or on process restart) to extend it.
    """

    def __init__(
        self,
        start: DateLike | str = "1970-01-01",
        end: DateLike | str | None = None,
    ) -> None:
        self.start: date = _to_date(start, "start")
        self.end: date = date.today() + timedelta(days=366) if end is None else _to_date(end, "end")
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        table: SessionTable = load_sessions(self.start, cache_end(self.end))
        n = int(np.searchsorted(table.sessions, _day(self.end), side="right"))
        self._days: DayArray = table.sessions[:n]
        self._closes: NDArray[np.int64] = table.closes[:n]  # UTC seconds since the epoch
        if n == 0:
            raise ValueError(f"no NYSE session between {self.start} and {self.end}")
        self._xcal: Any = None

    def __repr__(self) -> str:
        return f"NyseCalendar(start={self.start.isoformat()!r}, end={self.end.isoformat()!r})"

    @property
    def calendar(self) -> Any:
        """The underlying ``exchange_calendars`` calendar (built on first use: slow)."""
        if self._xcal is None:
            import exchange_calendars as xcals

            self._xcal = xcals.get_calendar(
                "XNYS", start=self.start.isoformat(), end=self.end.isoformat()
            )
        return self._xcal

    @property
    def first_session(self) -> date:
        return _as_date(self._days[0])

    @property
    def last_session(self) -> date:
        return _as_date(self._days[-1])

    # -- sessions -------------------------------------------------------------------

    def session_days(self, start: DateLike | str, end: DateLike | str) -> DayArray:
        """Sessions in ``[start, end]`` (inclusive) as ``datetime64[D]`` (no pandas)."""
        s, e = _to_date(start, "start"), _to_date(end, "end")
        if e < s:
            return self._days[:0]
        self._check_range(s, e)
        lo = int(np.searchsorted(self._days, _day(s), side="left"))
        hi = int(np.searchsorted(self._days, _day(e), side="right"))
        return self._days[lo:hi]

    def sessions(self, start: DateLike | str, end: DateLike | str) -> pd.DatetimeIndex:
        """Sessions in ``[start, end]`` (inclusive) as naive, normalized dates."""
        import pandas as pd

        return pd.DatetimeIndex(self.session_days(start, end).astype("datetime64[ns]"))

    def _position(self, d: date) -> tuple[int, bool]:
        """Where ``d`` is in the sessions, and whether it is one; ``ValueError`` outside
        the first..last session (as ``exchange_calendars`` does)."""
        day = _day(d)
        if day < self._days[0] or day > self._days[-1]:
            raise ValueError(
                f"{d} is outside the sessions of this calendar "
                f"({self.first_session}..{self.last_session})"
            )
        i = int(np.searchsorted(self._days, day, side="left"))
        return i, bool(self._days[i] == day)

    def is_session(self, d: DateLike | str) -> bool:
        return self._position(_to_date(d))[1]

    def session_close(self, d: DateLike | str) -> datetime:
        """Close of session ``d`` as a tz-aware America/New_York datetime.

        16:00 normally, 13:00 on early closes (day after Thanksgiving, Christmas Eve, ...).
        Raises ``ValueError`` if ``d`` is not a session.
        """
        dd = _to_date(d)
        i, found = self._position(dd)
        if not found:
            raise ValueError(f"{dd} is not a session of the NYSE calendar")
        return datetime.fromtimestamp(int(self._closes[i]), UTC).astimezone(NY_TZ)

    def previous_session(self, d: DateLike | str) -> date:
        """The last session strictly before ``d`` (``d`` need not be a session)."""
        i, _ = self._position(_to_date(d))
        if i == 0:
            raise ValueError(f"no session before {_to_date(d)} in this calendar")
        return _as_date(self._days[i - 1])

    def next_session(self, d: DateLike | str) -> date:
        """The first session strictly after ``d`` (``d`` need not be a session)."""
        i, found = self._position(_to_date(d))
        j = i + 1 if found else i
        if j >= len(self._days):
            raise ValueError(f"no session after {_to_date(d)} in this calendar")
        return _as_date(self._days[j])

    def last_completed_session(self, now: datetime) -> date:
        """The most recent session whose close is ``<= now``.

        Before the close on a session day this is the previous session; at/after the close
        (16:00 NY, or 13:00 on early-close days) it is that day. On weekends and holidays
        it is the last session before. ``now`` must be tz-aware (any zone).
        """
        _require_aware(now)
        today = now.astimezone(NY_TZ).date()
        if self.is_session(today) and self.session_close(today) <= now:
            return today
        return self.previous_session(today)

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
        import pandas as pd

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

    def _check_range(self, s: date, e: date) -> None:
        if s < self.start or e > self.end:
            raise ValueError(
                f"range {s}..{e} is outside this calendar ({self.start}..{self.end}); "
                "build a NyseCalendar with a wider start/end"
            )
