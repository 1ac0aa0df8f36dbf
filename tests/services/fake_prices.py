"""In-memory stand-ins for the price ports: a store and its unit of work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Self

import pandas as pd

from bot.domain.bars import merge_bars
from bot.domain.ports import PriceReader
from bot.domain.series import SeriesInfo, behind

CHANGED_AT = datetime(2026, 1, 5, 21, 0, tzinfo=UTC)


class FakePrices:
    """Bars per symbol and who wrote them last; a PriceWriter and a SeedableStore."""

    def __init__(self, frames: Mapping[str, pd.DataFrame] | None = None, source: str = "seed"
                 ) -> None:
        self.frames: dict[str, pd.DataFrame] = dict(frames or {})
        self.sources: dict[str, str] = dict.fromkeys(self.frames, source)
        self.writes: list[tuple[str, ...]] = []  # the symbols of each write, in order

    def info(self) -> dict[str, SeriesInfo]:
        return {
            sym: SeriesInfo(sym, self.sources[sym], df.index[0].date(), df.index[-1].date(),
                            len(df), CHANGED_AT)
            for sym, df in self.frames.items()
        }

    def bars(self, symbols: Sequence[str], start: date | None = None) -> dict[str, pd.DataFrame]:
        return {
            s: self.frames[s] if start is None else self.frames[s][self.frames[s].index >= pd.Timestamp(start)]
            for s in symbols if s in self.frames
        }

    def write_many(self, frames: Mapping[str, pd.DataFrame], source: str) -> int:
        frames = {s: df for s, df in frames.items() if not df.empty}
        for sym, df in frames.items():
            self.frames[sym] = merge_bars([self.frames.get(sym, df.iloc[:0]), df])
            self.sources[sym] = source
        if frames:
            self.writes.append(tuple(sorted(frames)))
        return sum(len(df) for df in frames.values())

    def is_empty(self) -> bool:
        return not self.frames

    def seed_from(self, source: PriceReader) -> int:
        if self.frames:
            return 0
        return self.write_many(source.bars(source.symbols()), source.name)

    def top_up_from(self, source: PriceReader, last_dates: Mapping[str, date]) -> int:
        stored = {s: i.last_date for s, i in self.info().items()}
        total = 0
        for sym in behind(stored, last_dates):
            last = stored.get(sym)
            start = None if last is None else date.fromordinal(last.toordinal() + 1)
            total += self.write_many(source.bars([sym], start), source.name)
        return total


class FakeUnitOfWork:
    """A PricesUnitOfWork over :class:`FakePrices`: writes land only when committed."""

    def __init__(self, committed: FakePrices) -> None:
        self.committed = committed
        self.commits = 0
        self.transactions = 0
        self._open: FakePrices | None = None

    @property
    def prices(self) -> FakePrices:
        assert self._open is not None, "used outside a `with` block"
        return self._open

    def _snapshot(self) -> FakePrices:
        copy = FakePrices()
        copy.frames = dict(self.committed.frames)
        copy.sources = dict(self.committed.sources)
        return copy

    def __enter__(self) -> Self:
        assert self._open is None, "already open"
        self.transactions += 1
        self._open = self._snapshot()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._open = None

    def commit(self) -> None:
        assert self._open is not None, "committed outside a `with` block"
        self.committed.frames = dict(self._open.frames)
        self.committed.sources = dict(self._open.sources)
        self.committed.writes += self._open.writes
        self._open.writes = []
        self.commits += 1

    def rollback(self) -> None:
        if self._open is not None:
            self._open = self._snapshot()
