"""Read side of the price data for every front end (CLI, Slack, daily post).

:class:`Market` wraps one :class:`PriceSource` (the store, or a ``--data-dir`` folder),
caches close series in memory, and drops the cache when the source's ``version``
changes (another process updated the store). It never fetches from the network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from datetime import date, datetime

import pandas as pd

from analytics import PairFrame, align_pair, align_single
from bot.data.sources import PriceSource
from bot.market_calendar import CALENDAR_RELIABLE_FROM, NyseCalendar
from bot.symbols import resolve


class NoDataError(LookupError):
    """A symbol resolved but has no rows in the source."""


class Market:
    """Cached access to close series, NYSE sessions and symbol resolution."""

    def __init__(
        self,
        source: PriceSource,
        calendar: NyseCalendar,
        *,
        version: Callable[[], object] | None = None,
        source_label: str | None = None,
    ) -> None:
        self.source = source
        self.calendar = calendar
        self.source_label = source_label or source.name
        self._version_fn = version
        self._version: object = None
        self._closes: dict[str, pd.Series] = {}
        self._symbols: list[str] | None = None
        self._lock = threading.Lock()

    def _check_version(self) -> None:
        if self._version_fn is None:
            return
        v = self._version_fn()
        if v != self._version:
            self._closes.clear()
            self._symbols = None
            self._version = v

    def refresh(self) -> None:
        """Drop cached data (after an update in this process)."""
        with self._lock:
            self._closes.clear()
            self._symbols = None
            self._version = None

    def available(self) -> list[str]:
        """Symbols with data."""
        with self._lock:
            self._check_version()
            if self._symbols is None:
                self._symbols = list(self.source.symbols())
            return list(self._symbols)

    def resolve(self, text: str) -> str:
        """Resolve what a user typed to a symbol with data (see :func:`bot.symbols.resolve`)."""
        return resolve(text, self.available())

    def closes(self, symbol: str) -> pd.Series:
        """The close series of ``symbol`` (naive session dates, ascending)."""
        with self._lock:
            self._check_version()
            cached = self._closes.get(symbol)
        if cached is not None:
            return cached
        frames = self.source.bars([symbol])
        if symbol not in frames or frames[symbol].empty:
            raise NoDataError(f"No price data for {symbol}.")
        s = frames[symbol]["close"].dropna().rename(symbol)
        with self._lock:
            self._closes[symbol] = s
        return s

    def preload(self, symbols: Collection[str]) -> None:
        """Warm the cache (at start-up, so the first Slack request is fast)."""
        for sym in symbols:
            if sym in self.available():
                self.closes(sym)

    def sessions_between(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
        """NYSE sessions in ``[start, end]``, only where the calendar is reliable."""
        lo = max(pd.Timestamp(start), pd.Timestamp(CALENDAR_RELIABLE_FROM))
        if lo > end:
            return pd.DatetimeIndex([])
        return self.calendar.sessions(lo.date(), pd.Timestamp(end).date())

    def pair(self, a: str, b: str) -> PairFrame:
        """A and B aligned on the NYSE session grid (missing sessions become gaps)."""
        sa, sb = self.closes(a), self.closes(b)
        sessions = self.sessions_between(max(sa.index[0], sb.index[0]), min(sa.index[-1], sb.index[-1]))
        return align_pair(sa, sb, sessions=sessions)

    def single(self, a: str) -> PairFrame:
        """One series against zero (up/down days) on the NYSE session grid."""
        s = self.closes(a)
        return align_single(s, sessions=self.sessions_between(s.index[0], s.index[-1]))

    def last_date(self, symbol: str) -> date:
        last: pd.Timestamp = self.closes(symbol).index[-1]
        return last.date()

    def expected_session(self, now: datetime) -> date:
        """The last completed NYSE session at ``now``: what fresh data would end on."""
        return self.calendar.last_completed_session(now)
