"""Read side of the price data for every front end (CLI, Slack, daily post).

:class:`Market` wraps one :class:`PriceSource` (the store, or a ``--data-dir`` folder),
caches close series and aligned pair frames in memory, and drops the caches when the
source's ``version`` changes (another process updated the store). It never fetches from
the network.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from datetime import date, datetime
from typing import Any, TypeVar

import pandas as pd

from analytics import PairFrame, align_pair, align_single
from bot.data.sources import PriceSource
from bot.market_calendar import CALENDAR_RELIABLE_FROM, NyseCalendar
from bot.provenance import origin_of
from bot.symbols import resolve

T = TypeVar("T")

MEMO_SIZE = 512  # answers kept by :meth:`Market.memo` (least recently used dropped first)
FRAME_CACHE_SIZE = 64  # aligned pairs kept (a few hundred kB each over decades of sessions)
# Close series kept (least recently used dropped first): up to ~0.4 MB each over a century
# of sessions. More than the daily summary reads at once (about 20), so it never thrashes.
CLOSE_CACHE_SIZE = 64


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
        origin: str | Callable[[], str] | None = None,
    ) -> None:
        self.source = source
        self.calendar = calendar
        # A callable origin is re-read whenever the data changes (a store refreshed from
        # Yahoo stops being only the bundled data).
        self._origin_fn = origin if callable(origin) else None
        self._origin: str | None = None if callable(origin) else (origin or origin_of(source.name))
        self._version_fn = version
        self._version: object = None
        self._closes: OrderedDict[str, pd.Series] = OrderedDict()
        # Aligned frames by (a, b) (b None: one series). Aligning two series on the session
        # grid costs ~8 ms of pandas work, most of a /streak answer; the frames only change
        # when the closes do.
        self._frames: OrderedDict[tuple[str, str | None], PairFrame] = OrderedDict()
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation = 0  # bumped whenever the caches are dropped
        self._symbols: list[str] | None = None
        self._lock = threading.Lock()

    def _check_version(self) -> None:
        if self._version_fn is None:
            return
        v = self._version_fn()
        if v != self._version:
            self._drop_caches()
            self._version = v

    @property
    def origin(self) -> str:
        """Where the data comes from (a :data:`bot.provenance.Origin` value)."""
        with self._lock:
            self._check_version()
            if self._origin is None:
                self._origin = self._origin_fn() if self._origin_fn else origin_of(self.source.name)
            return self._origin

    def _drop_caches(self) -> None:
        if self._origin_fn is not None:
            self._origin = None
        self._closes.clear()
        self._frames.clear()
        self._memo.clear()
        self._symbols = None
        self._generation += 1

    def refresh(self) -> None:
        """Drop cached data (after an update in this process)."""
        with self._lock:
            self._drop_caches()
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
                self._closes.move_to_end(symbol)
                return cached
            generation = self._generation
        frames = self.source.bars([symbol])
        if symbol not in frames or frames[symbol].empty:
            raise NoDataError(f"No price data for {symbol}.")
        s = frames[symbol]["close"].dropna().rename(symbol)
        with self._lock:
            if self._generation == generation:  # not read from data replaced meanwhile
                self._closes[symbol] = s
                while len(self._closes) > CLOSE_CACHE_SIZE:
                    self._closes.popitem(last=False)
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
            return pd.DatetimeIndex([], dtype="datetime64[ns]")
        return self.calendar.sessions(lo.date(), pd.Timestamp(end).date())

    def _frame(self, key: tuple[str, str | None], build: Callable[[], PairFrame]) -> PairFrame:
        with self._lock:
            self._check_version()
            cached = self._frames.get(key)
            if cached is not None:
                self._frames.move_to_end(key)
                return cached
            generation = self._generation
        frame = build()
        with self._lock:
            if self._generation == generation:  # not built from closes dropped meanwhile
                self._frames[key] = frame
                while len(self._frames) > FRAME_CACHE_SIZE:
                    self._frames.popitem(last=False)
        return frame

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, cached under ``key`` until the data changes (bounded LRU).

        For results computed only from this market's data (answers to a question as of a
        session). Exceptions are not cached. The value is shared: never modify it.
        """
        with self._lock:
            self._check_version()
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[no-any-return]
            generation = self._generation
        value = build()
        with self._lock:
            if self._generation == generation:
                self._memo[key] = value
                while len(self._memo) > MEMO_SIZE:
                    self._memo.popitem(last=False)
        return value

    def pair(self, a: str, b: str) -> PairFrame:
        """A and B aligned on the NYSE session grid (missing sessions become gaps).

        Cached until the data changes: the frame is shared, so never modify it.
        """

        def build() -> PairFrame:
            sa, sb = self.closes(a), self.closes(b)
            sessions = self.sessions_between(
                max(sa.index[0], sb.index[0]), min(sa.index[-1], sb.index[-1])
            )
            return align_pair(sa, sb, sessions=sessions)

        return self._frame((a, b), build)

    def single(self, a: str) -> PairFrame:
        """One series against zero (up/down days) on the NYSE session grid (cached, shared)."""

        def build() -> PairFrame:
            s = self.closes(a)
            return align_single(s, sessions=self.sessions_between(s.index[0], s.index[-1]))

        return self._frame((a, None), build)

    def last_date(self, symbol: str) -> date:
        last: pd.Timestamp = self.closes(symbol).index[-1]
        return last.date()

    def expected_session(self, now: datetime) -> date:
        """The last completed NYSE session at ``now``: what fresh data would end on."""
        return self.calendar.last_completed_session(now)
