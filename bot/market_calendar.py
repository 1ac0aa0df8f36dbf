"""NYSE trading-calendar helpers over ``exchange_calendars`` (XNYS).

Building an ``exchange_calendars`` calendar is slow (about 1-2 s for 1970 to next year),
so nothing is built at import time: construct one :class:`NyseCalendar` explicitly and
share it.

Conventions
-----------
* A *session* is identified by its date: a ``datetime.date`` or a naive, midnight
  ``pd.Timestamp`` (the ``exchange_calendars`` session label). Anything else with a
  time component (a ``datetime``, a tz-aware or non-midnight ``Timestamp``) is rejected
  with ``TypeError``/``ValueError`` rather than silently truncated.
* Instants (``now``, closes) are tz-aware ``datetime`` objects; closes are returned in
  America/New_York.
* Dates outside the calendar's range raise ``ValueError`` (``exchange_calendars``'
  ``DateOutOfBounds`` / ``RequestedSessionOutOfBounds`` are ``ValueError`` subclasses).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import exchange_calendars as xcals
import pandas as pd

__all__ = ["CALENDAR_RELIABLE_FROM", "NY_TZ", "DateLike", "NyseCalendar"]

NY_TZ = ZoneInfo("America/New_York")

# exchange_calendars' pre-1970 NYSE holidays do not match the historical data (verified:
# the bundled GSPC closes have 416 sessions before 1970 that the XNYS calendar expects but
# the data lacks -- special closures it does not know about -- against 0 mismatches either
# way from 1970 to 2025), so gap checks only use sessions from 1970.
CALENDAR_RELIABLE_FROM = date(1970, 1, 1)

DateLike = date | pd.Timestamp


def _to_date(d: DateLike | str, name: str = "date") -> date:
    """A session label (date, naive midnight Timestamp or ISO string) as a ``date``."""
    if isinstance(d, str):
        d = pd.Timestamp(d)
    if isinstance(d, pd.Timestamp):
        if d.tz is not None:
            raise ValueError(f"{name} must be a naive session label, got tz-aware {d}")
        if d != d.normalize():
            raise ValueError(f"{name} must be a date (midnight), got {d}")
        return date(d.year, d.month, d.day)
    if isinstance(d, datetime):
        raise TypeError(f"{name} must be a date, not a datetime ({d!r})")
    if isinstance(d, date):
        return d
    raise TypeError(f"{name} must be a date or pd.Timestamp, got {type(d).__name__}")


def _label(d: date) -> pd.Timestamp:
    return pd.Timestamp(d.year, d.month, d.day)


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got naive {now!r}")


class NyseCalendar:
    """One XNYS ``exchange_calendars`` calendar covering ``[start, end]``.

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
        self._cal = xcals.get_calendar(
            "XNYS", start=self.start.isoformat(), end=self.end.isoformat()
        )

    def __repr__(self) -> str:
        return f"NyseCalendar(start={self.start.isoformat()!r}, end={self.end.isoformat()!r})"

    @property
    def calendar(self) -> xcals.ExchangeCalendar:
        """The underlying ``exchange_calendars`` calendar."""
        return self._cal

    @property
    def first_session(self) -> date:
        return _to_date(self._cal.first_session)

    @property
    def last_session(self) -> date:
        return _to_date(self._cal.last_session)

    # -- sessions -------------------------------------------------------------------

    def sessions(self, start: DateLike | str, end: DateLike | str) -> pd.DatetimeIndex:
        """Sessions in ``[start, end]`` (inclusive) as naive, normalized dates."""
        s, e = _to_date(start, "start"), _to_date(end, "end")
        if e < s:
            return pd.DatetimeIndex([], dtype="datetime64[ns]")
        self._check_range(s, e)
        s, e = max(s, self.first_session), min(e, self.last_session)
        if e < s:
            return pd.DatetimeIndex([], dtype="datetime64[ns]")
        out = self._cal.sessions_in_range(_label(s), _label(e))
        return pd.DatetimeIndex(out.to_numpy())  # drop the calendar's custom freq

    def is_session(self, d: DateLike | str) -> bool:
        return bool(self._cal.is_session(_label(_to_date(d))))

    def session_close(self, d: DateLike | str) -> datetime:
        """Close of session ``d`` as a tz-aware America/New_York datetime.

        16:00 normally, 13:00 on early closes (day after Thanksgiving, Christmas Eve, ...).
        Raises ``ValueError`` if ``d`` is not a session.
        """
        close: pd.Timestamp = self._cal.session_close(_label(_to_date(d)))
        return close.to_pydatetime().astimezone(NY_TZ)

    def previous_session(self, d: DateLike | str) -> date:
        """The last session strictly before ``d`` (``d`` need not be a session)."""
        dd = _to_date(d)
        if self.is_session(dd):
            return _to_date(self._cal.previous_session(_label(dd)))
        return _to_date(self._cal.date_to_session(_label(dd), direction="previous"))

    def next_session(self, d: DateLike | str) -> date:
        """The first session strictly after ``d`` (``d`` need not be a session)."""
        dd = _to_date(d)
        if self.is_session(dd):
            return _to_date(self._cal.next_session(_label(dd)))
        return _to_date(self._cal.date_to_session(_label(dd), direction="next"))

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
        in_range = idx[(idx >= _label(s)) & (idx <= _label(e))]
        missing = pd.DatetimeIndex(sessions.difference(in_range).to_numpy())
        extra = pd.DatetimeIndex(in_range.difference(sessions).to_numpy())
        return missing, extra

    def _check_range(self, s: date, e: date) -> None:
        if s < self.start or e > self.end:
            raise ValueError(
                f"range {s}..{e} is outside this calendar ({self.start}..{self.end}); "
                "build a NyseCalendar with a wider start/end"
            )
