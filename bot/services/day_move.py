"""A day's move of one symbol: its close, the previous session's close, the change.

Definitions: the move on session ``t`` is ``C_t / C_(t-1) - 1`` with ``t-1`` the previous
NYSE session of the series' grid (its dates plus, from 1970, the exchange calendar). When
that session's close is missing the change is undefined (a gap, never bridged). A date
that is not a session of the grid is answered as such, with the nearest sessions before
and after it; it is never moved to another day silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from analytics.errors import AnalyticsError
from analytics.returns import as_date
from bot.domain.dates import fmt_date
from bot.domain.errors import UserError
from bot.services.answers import Freshness
from bot.services.market import Market, NoDataError
from bot.services.spans import freshness

__all__ = ["DayMove", "NotASession", "day_move"]


@dataclass(frozen=True)
class DayMove:
    """The move on one session (``requested`` None: the latest session in the data).

    ``close`` is ``None`` when the series has no close on that NYSE session (a gap in the
    data); ``change`` is ``None`` when either close is missing or there is no previous
    session (the first day of the data).
    """

    symbol: str
    requested: date | None
    session: date
    close: float | None
    previous_session: date | None
    previous_close: float | None
    freshness: Freshness
    source: str

    @property
    def change(self) -> float | None:
        """``close / previous_close - 1`` (a fraction)."""
        if self.close is None or self.previous_close is None:
            return None
        return self.close / self.previous_close - 1.0

    @property
    def points(self) -> float | None:
        """``close - previous_close`` (index points, or dollars for an ETF)."""
        if self.close is None or self.previous_close is None:
            return None
        return self.close - self.previous_close


@dataclass(frozen=True)
class NotASession:
    """The date asked about is not an NYSE session of the data (a weekend or a holiday)."""

    symbol: str
    requested: date
    before: date | None  # the nearest session before it
    after: date | None  # the nearest session after it (None past the data's end)
    source: str


def day_move(
    market: Market, text: str, day: date | None = None, *, now: datetime | None = None
) -> DayMove | NotASession:
    """The move of ``text``'s symbol on ``day`` (None: its last session in the data).

    Raises
    ------
    UserError
        For an unknown symbol, or a day before the data starts or after it ends.
    """
    sym = market.resolve(text)
    try:
        al = market.aligned(sym)
    except (AnalyticsError, NoDataError) as exc:
        raise UserError(str(exc)) from None
    days, closes = al.dates, al.close_a
    first, last = as_date(days[0]), as_date(days[-1])
    if day is None:
        pos = days.size - 1
    else:
        if day < first:
            raise UserError(f"{fmt_date(day)} is before the data for {sym} starts ({fmt_date(first)}).")
        if day > last:
            raise UserError(f"{fmt_date(day)} is after the last close in the data for {sym} ({fmt_date(last)}).")
        target = np.datetime64(day.isoformat(), "D")
        pos = int(np.searchsorted(days, target))
        if days[pos] != target:
            return NotASession(sym, day, as_date(days[pos - 1]), as_date(days[pos]), market.origin)
    close = None if np.isnan(closes[pos]) else float(closes[pos])
    prev_day = as_date(days[pos - 1]) if pos > 0 else None
    prev = None if pos == 0 or np.isnan(closes[pos - 1]) else float(closes[pos - 1])
    fresh = freshness(market, [sym], day is not None, now)
    return DayMove(sym, day, as_date(days[pos]), close, prev_day, prev, fresh, market.origin)
