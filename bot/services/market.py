"""Read side of the price data for every front end (CLI, Slack, daily post).

:class:`Market` wraps one :class:`~bot.domain.ports.PriceReader` (the store, or a
``--data-dir`` folder) and a :class:`~bot.domain.ports.SessionCalendar`,
caches close series and aligned pair frames in memory, and drops the caches when the
source's ``version`` changes (another process updated the store). It never fetches from
the network.

The answers read closes as numpy arrays (:meth:`Market.close_days`, :meth:`Market.aligned`),
so a one-shot command over a source that hands out arrays (the store) never imports
pandas; the pandas views (:meth:`Market.closes`, :meth:`Market.pair`) are built from the
same alignment code.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

from analytics.returns import (
    AlignedDays,
    Dated,
    PairFrame,
    align_days,
    as_date,
    index_days,
    pair_frame,
)
from bot.domain.ports import PriceReader, SessionCalendar
from bot.domain.provenance import origin_of
from bot.domain.sessions import CALENDAR_RELIABLE_FROM
from bot.domain.symbols import resolve

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
F = TypeVar("F", PairFrame, AlignedDays)

MEMO_SIZE = 512  # answers kept by :meth:`Market.memo` (least recently used dropped first)
FRAME_CACHE_SIZE = 64  # aligned pairs kept (a few hundred kB each over decades of sessions)
# Close series kept (least recently used dropped first): up to ~0.4 MB each over a century
# of sessions. More than the daily summary reads at once (about 20), so it never thrashes.
CLOSE_CACHE_SIZE = 64


class NoDataError(LookupError):
    """A symbol resolved but has no rows in the source."""


class DatedCloses(Protocol):
    """A source that also hands out one series' closes as arrays, without pandas."""

    def close_days(self, symbol: str) -> Dated | None:
        """``(dates as datetime64[D], closes)`` ascending, no missing closes; ``None`` if
        the symbol has no rows."""
        ...


class Market:
    """Cached access to close series, NYSE sessions and symbol resolution."""

    def __init__(
        self,
        source: PriceReader,
        calendar: SessionCalendar,
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
        self._days: OrderedDict[str, Dated] = OrderedDict()  # the same closes as numpy arrays
        # Aligned frames by (a, b) (b None: one series). Aligning two series on the session
        # grid costs ~8 ms of pandas work, most of a /streak answer; the frames only change
        # when the closes do.
        self._frames: OrderedDict[tuple[str, str | None], PairFrame] = OrderedDict()
        self._aligned: OrderedDict[tuple[str, str | None], AlignedDays] = OrderedDict()
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._building: dict[Hashable, threading.Event] = {}  # keys a memo build is running for
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
        """Where the data comes from (a :data:`bot.domain.provenance.Origin` value)."""
        with self._lock:
            self._check_version()
            if self._origin is None:
                self._origin = self._origin_fn() if self._origin_fn else origin_of(self.source.name)
            return self._origin

    def _drop_caches(self) -> None:
        if self._origin_fn is not None:
            self._origin = None
        self._closes.clear()
        self._days.clear()
        self._frames.clear()
        self._aligned.clear()
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
        """Resolve what a user typed to a symbol with data (see :func:`bot.domain.symbols.resolve`)."""
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
        s = self._read_closes(symbol)
        with self._lock:
            if self._generation == generation:  # not read from data replaced meanwhile
                self._closes[symbol] = s
                while len(self._closes) > CLOSE_CACHE_SIZE:
                    self._closes.popitem(last=False)
        return s

    def _read_closes(self, symbol: str) -> pd.Series:
        # Only ``date, close`` over the store's raw cursor when it has one: building every
        # series' OHLCV frame from SQLAlchemy rows cost ``leaders`` over a second.
        import pandas as pd  # noqa: PLC0415 (the pandas view: never on the light start)

        reader = getattr(self.source, "close_days", None)
        if reader is not None:
            dated: Dated | None = reader(symbol)
            if dated is None or dated[0].size == 0:
                raise NoDataError(f"No price data for {symbol}.")
            days, values = dated
            index = pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")
            return pd.Series(values, index=index, name=symbol, dtype="float64").dropna()
        frames = self.source.bars([symbol])
        if symbol not in frames or frames[symbol].empty:
            raise NoDataError(f"No price data for {symbol}.")
        return frames[symbol]["close"].dropna().rename(symbol)

    def close_days(self, symbol: str) -> Dated:
        """The closes of ``symbol`` as ``(datetime64[D] dates, float64 closes)`` (shared)."""
        with self._lock:
            self._check_version()
            cached = self._days.get(symbol)
            series = self._closes.get(symbol)
            generation = self._generation
        if cached is not None:
            return cached
        reader = getattr(self.source, "close_days", None)
        if series is None and reader is not None:
            dated: Dated | None = reader(symbol)
            if dated is None or dated[0].size == 0:
                raise NoDataError(f"No price data for {symbol}.")
        else:
            s = series if series is not None else self.closes(symbol)
            dated = (index_days(s.index), s.to_numpy(dtype=np.float64))
        with self._lock:
            if self._generation == generation:
                self._days[symbol] = dated
                while len(self._days) > CLOSE_CACHE_SIZE:
                    self._days.popitem(last=False)
        return dated

    def preload(self, symbols: Collection[str]) -> None:
        """Warm the cache (at start-up, so the first Slack request is fast)."""
        for sym in symbols:
            if sym in self.available():
                self.closes(sym)

    def sessions_between(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
        """NYSE sessions in ``[start, end]``, only where the calendar is reliable."""
        import pandas as pd  # noqa: PLC0415 (pandas: off the light one-shot path)

        lo = max(pd.Timestamp(start), pd.Timestamp(CALENDAR_RELIABLE_FROM))
        if lo > end:
            return pd.DatetimeIndex([], dtype="datetime64[ns]")
        return self.calendar.sessions(lo.date(), pd.Timestamp(end).date())

    def _frame(
        self,
        cache: OrderedDict[tuple[str, str | None], F],
        key: tuple[str, str | None],
        build: Callable[[], F],
    ) -> F:
        with self._lock:
            self._check_version()
            cached = cache.get(key)
            if cached is not None:
                cache.move_to_end(key)
                return cached
            generation = self._generation
        frame = build()
        with self._lock:
            if self._generation == generation:  # not built from closes dropped meanwhile
                cache[key] = frame
                while len(cache) > FRAME_CACHE_SIZE:
                    cache.popitem(last=False)
        return frame

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, cached under ``key`` until the data changes (bounded LRU).

        For results computed only from this market's data (answers to a question as of a
        session). Exceptions are not cached. The value is shared: never modify it.

        One build per key at a time: a caller that finds the key being built waits for
        that build instead of starting its own. After the close a desk asks the same
        question many times at once; without this every answer thread computed it (the
        what-happened-next scan, several ms under the GIL each), and the first burst of
        ``bench_slack_http`` cost twice the CPU per request of the next.
        """
        with self._lock:
            self._check_version()
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[no-any-return]
            running = self._building.get(key)
            if running is None:
                running = self._building[key] = threading.Event()
                owner, generation = True, self._generation
            else:
                owner = False
        if not owner:
            running.wait()
            with self._lock:
                if key in self._memo:
                    return self._memo[key]  # type: ignore[no-any-return]
            return self.memo(key, build)  # that build failed or was dropped: try again
        try:
            value = build()
            with self._lock:
                if self._generation == generation:
                    self._memo[key] = value
                    while len(self._memo) > MEMO_SIZE:
                        self._memo.popitem(last=False)
        finally:
            with self._lock:
                del self._building[key]
            running.set()
        return value

    def aligned(self, a: str, b: str | None = None) -> AlignedDays:
        """A and B (or A against zero: up/down days) aligned on the NYSE session grid,
        missing sessions as gaps, without pandas. Cached until the data changes (shared)."""

        def build() -> AlignedDays:
            da = self.close_days(a)
            db = None if b is None else self.close_days(b)
            both = [da] if db is None else [da, db]
            lo = max(d[0][0] for d in both)
            hi = min(d[0][-1] for d in both)
            return align_days(da, db, sessions=self._session_days(lo, hi))

        return self._frame(self._aligned, (a, b), build)

    def _session_days(self, start: np.datetime64, end: np.datetime64) -> Any:
        """:meth:`sessions_between` as ``datetime64[D]``."""
        hi = as_date(end)
        lo = max(as_date(start), CALENDAR_RELIABLE_FROM)
        if lo > hi:
            return np.array([], dtype="datetime64[D]")
        return self.calendar.session_days(lo, hi)

    def session_count(self, start: date, end: date) -> int | None:
        """NYSE sessions in ``[start, end]``; None where the calendar does not cover them."""
        if start < CALENDAR_RELIABLE_FROM:
            return None
        try:
            return int(self.calendar.session_days(start, end).size)
        except (ValueError, KeyError):  # past the calendar's range
            return None

    def pair(self, a: str, b: str) -> PairFrame:
        """A and B aligned on the NYSE session grid (missing sessions become gaps).

        Cached until the data changes: the frame is shared, so never modify it.
        """
        return self._frame(self._frames, (a, b), lambda: pair_frame(self.aligned(a, b)))

    def single(self, a: str) -> PairFrame:
        """One series against zero (up/down days) on the NYSE session grid (cached, shared)."""
        return self._frame(self._frames, (a, None), lambda: pair_frame(self.aligned(a)))

    def last_date(self, symbol: str) -> date:
        return as_date(self.close_days(symbol)[0][-1])

    def expected_session(self, now: datetime) -> date:
        """The last completed NYSE session at ``now``: what fresh data would end on."""
        return self.calendar.last_completed_session(now)
